/**
 * A handle a start returned names its workflow by the first run of its chain
 * (`firstExecutionRunId`). Terminate and cancel through it reach the chain's current run across
 * continue-as-new, and neither they nor updates touch a later workflow that reuses the id: the
 * server answers NotFound "workflow execution not found" (terminateworkflow, requestcancelworkflow
 * and updateworkflow api.go). Cancelling a closed run is no error. A stand-in worker drives the
 * tasks over raw gRPC, so each run closes exactly as the test wants.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { cfIncrement, cfUpdatable } from '../workflows';
import { NAMESPACE, historyOf, typeNames, uid, suiteEnv } from './helpers';

const env = suiteEnv(devEnv);
const identity = 'stand-in-worker';
const CommandType = temporal.api.enums.v1.CommandType;
const Status = temporal.api.enums.v1.WorkflowExecutionStatus;

type Command = temporal.api.command.v1.ICommand;
/** Polls the task queue's next task and completes it with `commands`; returns the task's run id. */
async function answerNextTask(taskQueue: string, commands: Command[]): Promise<string> {
  const task = await env.client.workflowService.pollWorkflowTaskQueue({ namespace: NAMESPACE, taskQueue: { name: taskQueue }, identity });
  await env.client.workflowService.respondWorkflowTaskCompleted({ namespace: NAMESPACE, taskToken: task.taskToken, identity, commands });
  return task.workflowExecution!.runId!;
}

const continueAsNew = (taskQueue: string): Command => ({
  commandType: CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION,
  continueAsNewWorkflowExecutionCommandAttributes: { workflowType: { name: 'cfUpdatable' }, taskQueue: { name: taskQueue } },
});
const completeWorkflow: Command = { commandType: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION, completeWorkflowExecutionCommandAttributes: {} };

async function expectNotFound(call: Promise<unknown>): Promise<void> {
  const err = await call.then(() => undefined, (e) => e);
  expect(err).toBeInstanceOf(WorkflowNotFoundError);
  expect(err.message).toBe('workflow execution not found');
}

test('cancel and terminate through a started handle reach the current run after continue-as-new', async () => {
  const taskQueue = uid('chain');
  const handle = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId: uid('wf') });
  const firstRunId = await answerNextTask(taskQueue, [continueAsNew(taskQueue)]);
  expect(firstRunId).toBe(handle.firstExecutionRunId);
  const secondRunId = await answerNextTask(taskQueue, []);
  expect(secondRunId).not.toBe(firstRunId);

  await handle.cancel();
  expect(typeNames(await historyOf(env, handle.workflowId, secondRunId))).toContain('WORKFLOW_EXECUTION_CANCEL_REQUESTED');
  await handle.terminate('through the first run id');
  const current = await env.client.workflow.getHandle(handle.workflowId).describe();
  expect({ runId: current.runId, status: current.status.code }).toEqual({ runId: secondRunId, status: Status.WORKFLOW_EXECUTION_STATUS_TERMINATED });
});

test('a started handle does not reach a later workflow that reuses its id', async () => {
  const taskQueue = uid('reused');
  const workflowId = uid('wf');
  const old = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId });
  await answerNextTask(taskQueue, [completeWorkflow]);
  const later = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId });
  await answerNextTask(taskQueue, []);

  await expectNotFound(old.terminate('wrong workflow'));
  await expectNotFound(old.cancel());
  await expectNotFound(old.executeUpdate(cfIncrement, { args: [1], updateId: uid('upd') }));
  // The later workflow saw none of it.
  const described = await later.describe();
  expect(described.status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_RUNNING);
  expect(typeNames(await historyOf(env, workflowId))).not.toContain('WORKFLOW_EXECUTION_CANCEL_REQUESTED');
  await later.terminate();
});

test('cancelling a closed workflow is no error and writes nothing', async () => {
  const taskQueue = uid('cancel-closed');
  const handle = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId: uid('wf') });
  await answerNextTask(taskQueue, [completeWorkflow]);
  const before = typeNames(await historyOf(env, handle.workflowId));
  await env.client.workflow.getHandle(handle.workflowId).cancel();
  await handle.cancel();
  expect(typeNames(await historyOf(env, handle.workflowId))).toEqual(before);
  // Terminating it is still refused, as on the server.
  const err = await handle.terminate().then(() => undefined, (e) => e);
  expect(err).toBeInstanceOf(WorkflowNotFoundError);
  expect(err.message).toBe('workflow execution already completed');
});
