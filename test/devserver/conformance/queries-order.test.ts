/**
 * Conformance: queries against history/api/queryworkflow/api.go (Invoke).
 */
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { defaultPayloadConverter } from '@temporalio/common';
import { devEnv } from '../../helpers/engine';
import { cfBrokenUntilFixed, cfCollector } from '../workflows';
import { NAMESPACE, grpcFailure, uid, waitFor, withWorker, suiteEnv, workflowBundle } from './helpers';

const LIFECYCLE = path.resolve(__dirname, '../workflows/conformance-lifecycle.ts');
const env = suiteEnv(devEnv);
const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
const RejectCondition = temporal.api.enums.v1.QueryRejectCondition;

beforeAll(() => workflowBundle(LIFECYCLE), 60_000);

test('a query on a closed run that never completed a task honours queryRejectCondition NOT_OPEN (checked before "closed before WorkflowTaskStarted")', async () => {
  // queryworkflow/api.go Invoke: the reject-condition check comes before ErrWorkflowClosedBeforeWorkflowTaskStarted.
  const taskQueue = uid('aq-reject-first');
  const workflowId = uid('wf');
  const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId });
  await handle.terminate('never ran');
  const res = await env.connection.withDeadline(Date.now() + 8_000, () =>
    env.connection.workflowService.queryWorkflow({
      namespace: NAMESPACE,
      execution: { workflowId },
      query: { queryType: 'cfValues' },
      queryRejectCondition: RejectCondition.QUERY_REJECT_CONDITION_NOT_OPEN,
    }),
  );
  expect(res.queryRejected?.status).toBe(Status.WORKFLOW_EXECUTION_STATUS_TERMINATED);
});

test('"closed before WorkflowTaskStarted" is a WorkflowNotReady error (FAILED_PRECONDITION with WorkflowNotReadyFailure detail)', async () => {
  const taskQueue = uid('aq-not-ready-detail');
  const workflowId = uid('wf');
  const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId });
  await handle.terminate('never ran');
  const raw = await grpcFailure(
    env.connection.withDeadline(Date.now() + 8_000, () =>
      env.connection.workflowService.queryWorkflow({ namespace: NAMESPACE, execution: { workflowId }, query: { queryType: 'cfValues' } }),
    ),
  );
  expect(raw.code).toBe(9);
  expect(raw.details).toBe('Workflow execution closed before WorkflowTaskStarted event');
  expect(raw.statusDetails.map((d) => d.type)).toEqual(['temporal.api.errordetails.v1.WorkflowNotReadyFailure']);
});

test('a query while the workflow task keeps failing (attempt >= 3) fails fast with WorkflowNotReady', async () => {
  // queryworkflow/api.go: WorkflowTaskAttempt >= failQueryWorkflowTaskAttemptCount (3)
  //   -> serviceerror.NewWorkflowNotReady("Unable to query workflow due to Workflow Task in failed state.")
  const taskQueue = uid('aq-failing');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfBrokenUntilFixed, { taskQueue, workflowId, workflowTaskTimeout: '1s' });
    await waitFor(() => handle.describe(), (d) => (d.raw.pendingWorkflowTask?.attempt ?? 0) >= 3, 'workflow task attempt >= 3', 30_000);
    const raw = await grpcFailure(
      env.connection.withDeadline(Date.now() + 5_000, () =>
        env.connection.workflowService.queryWorkflow({ namespace: NAMESPACE, execution: { workflowId }, query: { queryType: 'anything' } }),
      ),
    );
    expect({ code: raw.code, details: raw.details }).toEqual({ code: 9, details: 'Unable to query workflow due to Workflow Task in failed state.' });
    expect(raw.statusDetails.map((d) => d.type)).toEqual(['temporal.api.errordetails.v1.WorkflowNotReadyFailure']);
    await handle.terminate();
  });
});

test('a query during the start delay waits for the first workflow task when the deadline allows it', async () => {
  // queryworkflow/api.go: !HadOrHasWorkflowTask -> queryWillTimeoutsBeforeFirstWorkflowTaskStart; only when the
  // first task would start after the call's deadline is it ErrWorkflowTaskNotScheduled. Otherwise the query is
  // buffered and rides on the first workflow task.
  const taskQueue = uid('aq-delay');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue }, async () => {
    await env.client.workflow.start(cfCollector, { taskQueue, workflowId, startDelay: '2s' });
    const res = await env.connection.withDeadline(Date.now() + 20_000, () =>
      env.connection.workflowService.queryWorkflow({ namespace: NAMESPACE, execution: { workflowId }, query: { queryType: 'cfValues' } }),
    );
    expect(defaultPayloadConverter.fromPayload(res.queryResult!.payloads![0])).toEqual([]);
    await env.client.workflow.getHandle(workflowId).terminate();
  });
});

test('a query during the start delay past the deadline is WorkflowNotReady "Workflow task is not scheduled yet."', async () => {
  const taskQueue = uid('aq-delay-long');
  const workflowId = uid('wf');
  await env.client.workflow.start(cfCollector, { taskQueue, workflowId, startDelay: '1h' });
  const raw = await grpcFailure(
    env.connection.withDeadline(Date.now() + 5_000, () =>
      env.connection.workflowService.queryWorkflow({ namespace: NAMESPACE, execution: { workflowId }, query: { queryType: 'cfValues' } }),
    ),
  );
  expect({ code: raw.code, details: raw.details }).toEqual({ code: 9, details: 'Workflow task is not scheduled yet.' });
  expect(raw.statusDetails.map((d) => d.type)).toEqual(['temporal.api.errordetails.v1.WorkflowNotReadyFailure']);
  await env.client.workflow.getHandle(workflowId).terminate();
});

test('a query waiting in the start delay of a run terminated before its first task is WorkflowNotReady', async () => {
  // The run never had a task: nothing can answer (ErrWorkflowClosedBeforeWorkflowTaskStarted).
  const taskQueue = uid('aq-delay-terminated');
  const workflowId = uid('wf');
  const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId, startDelay: '1h' });
  const query = grpcFailure(
    env.connection.withDeadline(Date.now() + 2 * 3_600_000, () =>
      env.connection.workflowService.queryWorkflow({ namespace: NAMESPACE, execution: { workflowId }, query: { queryType: 'cfValues' } }),
    ),
  );
  await new Promise((r) => setTimeout(r, 200)); // the query is taken and waits for the first task
  await handle.terminate();
  const raw = await query;
  expect({ code: raw.code, details: raw.details }).toEqual({ code: 9, details: 'Workflow execution closed before WorkflowTaskStarted event' });
});
