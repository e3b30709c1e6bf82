/**
 * Conformance: RespondWorkflowTaskFailed against history/api/respondworkflowtaskfailed/api.go, by
 * a stand-in worker over raw gRPC.
 */
import { temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { cfCollector } from '../workflows';
import { NAMESPACE, grpcFailure, historyOf, typeNames, uid, suiteEnv } from './helpers';
import { standIn, STAND_IN_IDENTITY } from './stand-in';

const env = suiteEnv(devEnv);
const Cause = temporal.api.enums.v1.WorkflowTaskFailedCause;
const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
const { svc, poll } = standIn(env);
const identity = STAND_IN_IDENTITY;

test('RespondWorkflowTaskFailed with cause GRPC_MESSAGE_TOO_LARGE terminates the workflow', async () => {
  // respondworkflowtaskfailed/api.go: WORKFLOW_TASK_FAILED_CAUSE_GRPC_MESSAGE_TOO_LARGE ->
  // workflow.TerminateWorkflow(ms, cause.String(), nil, consts.IdentityHistoryService, ...)
  const taskQueue = uid('at-too-large');
  const workflowId = uid('wf');
  const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId });
  const task = await poll(taskQueue);
  await svc().respondWorkflowTaskFailed({
    namespace: NAMESPACE,
    identity,
    taskToken: task.taskToken,
    cause: Cause.WORKFLOW_TASK_FAILED_CAUSE_GRPC_MESSAGE_TOO_LARGE,
    failure: { message: 'response too large' },
  });
  const desc = await handle.describe();
  const events = await historyOf(env, workflowId);
  expect(desc.status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_TERMINATED);
  const last = events[events.length - 1];
  expect(typeNames(events).slice(-2)).toEqual(['WORKFLOW_TASK_FAILED', 'WORKFLOW_EXECUTION_TERMINATED']);
  // TerminateWorkflow fails the started task first, in the history service's name (workflow/util.go failWorkflowTask).
  expect(events[events.length - 2].workflowTaskFailedEventAttributes?.cause).toBe(Cause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND);
  // The cause's String(), as the server passes it: the short name.
  expect(last.workflowExecutionTerminatedEventAttributes?.reason).toBe('GrpcMessageTooLarge');
  expect(last.workflowExecutionTerminatedEventAttributes?.identity).toBe('history-service');
});

test('RespondWorkflowTaskFailed on a closed workflow is NOT_FOUND "workflow execution already completed"', async () => {
  // respondworkflowtaskfailed/api.go: !IsWorkflowExecutionRunning() -> consts.ErrWorkflowCompleted
  const taskQueue = uid('at-failed-closed');
  const workflowId = uid('wf');
  const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId });
  const task = await poll(taskQueue);
  await handle.terminate('closed under the task');
  const raw = await grpcFailure(
    svc().respondWorkflowTaskFailed({
      namespace: NAMESPACE,
      identity,
      taskToken: task.taskToken,
      cause: Cause.WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE,
      failure: { message: 'late failure' },
    }),
  );
  expect({ code: raw.code, details: raw.details }).toEqual({ code: 5, details: 'workflow execution already completed' });
});
