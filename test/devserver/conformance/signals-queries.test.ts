/**
 * Signals, signal-with-start and queries. Reference: Temporal server v1.29
 * (history/api/queryworkflow/api.go, signalworkflow, signalwithstartworkflow).
 */
import { randomUUID } from 'node:crypto';
import { Client, QueryNotRegisteredError, QueryRejectedError, WorkflowNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { cfAppend, cfCollector, cfFinish, cfValues } from '../workflows';
import { EventType, NAMESPACE, fromPayloads, grpcFailure, historyOf, typeNames, uid, withWorker, suiteEnv } from './helpers';

const env = suiteEnv(devEnv);

const Status = temporal.api.enums.v1.WorkflowExecutionStatus;

test('signals reach a running workflow in order and queries see its current state', async () => {
  const taskQueue = uid('signals');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: uid('wf') });
    await handle.signal(cfAppend, 'a');
    await handle.signal(cfAppend, 'b');
    expect(await handle.query(cfValues)).toEqual(['a', 'b']);
    await handle.signal(cfAppend, 'c');
    await handle.signal(cfFinish);
    expect(await handle.result()).toEqual(['a', 'b', 'c']);
    const signals = (await historyOf(env, handle.workflowId)).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
    expect(signals.map((e) => e.workflowExecutionSignaledEventAttributes?.signalName)).toEqual(['cfAppend', 'cfAppend', 'cfAppend', 'cfFinish']);
    expect(signals.slice(0, 3).map((e) => fromPayloads(e.workflowExecutionSignaledEventAttributes?.input)[0])).toEqual(['a', 'b', 'c']);
  });
});

test('signals sent before any worker polls are delivered with the first workflow task', async () => {
  const taskQueue = uid('signals-early');
  const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: uid('wf') });
  await handle.signal(cfAppend, 'early-1');
  await handle.signal(cfAppend, 'early-2');
  await handle.signal(cfFinish);
  const result = await withWorker(env, { taskQueue }, () => handle.result());
  expect(result).toEqual(['early-1', 'early-2']);
});

test('a query on a closed workflow is answered from its final state', async () => {
  const taskQueue = uid('query-closed');
  const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: uid('wf') });
  await withWorker(env, { taskQueue }, async () => {
    await handle.signal(cfAppend, 'kept');
    await handle.signal(cfFinish);
    await handle.result();
  });
  // A new worker (empty cache) answers it by replaying the full history.
  await withWorker(env, { taskQueue }, async () => {
    expect(await handle.query(cfValues)).toEqual(['kept']);
  });
});

test('a query of an unknown type fails with the worker message (QueryFailed: INVALID_ARGUMENT)', async () => {
  const taskQueue = uid('query-unknown');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: uid('wf') });
    await handle.signal(cfAppend, 'x');
    const err = (await handle.query('cfNoSuchQuery').catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(QueryNotRegisteredError);
    expect(String(err.message)).toContain('cfNoSuchQuery');

    const raw = await grpcFailure(
      env.connection.workflowService.queryWorkflow({
        namespace: NAMESPACE,
        execution: { workflowId: handle.workflowId },
        query: { queryType: 'cfNoSuchQuery' },
      }),
    );
    expect(raw.code).toBe(3);
    expect(raw.details).toContain('cfNoSuchQuery');
    // serviceerror.NewQueryFailedWithFailure carries a QueryFailedFailure detail.
    expect(raw.statusDetails.map((d) => d.type)).toContain('temporal.api.errordetails.v1.QueryFailedFailure');
    await handle.terminate();
  });
});

test('query reject conditions: NOT_OPEN and NOT_COMPLETED_CLEANLY', async () => {
  const taskQueue = uid('query-reject');
  const notOpen = new Client({ connection: env.connection, namespace: NAMESPACE, workflow: { queryRejectCondition: 'NOT_OPEN' } });
  const notClean = new Client({ connection: env.connection, namespace: NAMESPACE, workflow: { queryRejectCondition: 'NOT_COMPLETED_CLEANLY' } });
  await withWorker(env, { taskQueue }, async () => {
    const completed = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: uid('completed') });
    await completed.signal(cfAppend, 'v');
    expect(await notOpen.workflow.getHandle(completed.workflowId).query(cfValues)).toEqual(['v']); // still open
    await completed.signal(cfFinish);
    await completed.result();

    const rejected = await notOpen.workflow.getHandle(completed.workflowId).query(cfValues).catch((e) => e);
    expect(rejected).toBeInstanceOf(QueryRejectedError);
    expect((rejected as QueryRejectedError).status).toBe(Status.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    expect(await notClean.workflow.getHandle(completed.workflowId).query(cfValues)).toEqual(['v']);

    const terminated = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: uid('terminated') });
    await terminated.signal(cfAppend, 't');
    expect(await terminated.query(cfValues)).toEqual(['t']);
    await terminated.terminate();
    const rejected2 = await notClean.workflow.getHandle(terminated.workflowId).query(cfValues).catch((e) => e);
    expect(rejected2).toBeInstanceOf(QueryRejectedError);
    expect((rejected2 as QueryRejectedError).status).toBe(Status.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    // Without a reject condition the terminated workflow still answers.
    expect(await env.client.workflow.getHandle(terminated.workflowId).query(cfValues)).toEqual(['t']);
  });
});

test('a query on a workflow closed before its first workflow task is FAILED_PRECONDITION', async () => {
  // consts.ErrWorkflowClosedBeforeWorkflowTaskStarted (WorkflowNotReady).
  const taskQueue = uid('query-never-ran');
  const workflowId = uid('wf');
  const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId });
  await handle.terminate('never ran');
  await withWorker(env, { taskQueue }, async () => {
    const raw = await grpcFailure(
      env.connection.withDeadline(Date.now() + 8_000, () =>
        env.connection.workflowService.queryWorkflow({ namespace: NAMESPACE, execution: { workflowId }, query: { queryType: 'cfValues' } }),
      ),
    );
    expect(raw.code).toBe(9);
    expect(raw.details).toBe('Workflow execution closed before WorkflowTaskStarted event');
  });
});

test('signal-with-start starts a new workflow and delivers the signal first', async () => {
  const taskQueue = uid('sws-new');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.signalWithStart(cfCollector, { taskQueue, workflowId, signal: cfAppend, signalArgs: ['first'] });
    expect(handle.signaledRunId).toBeTruthy();
    const types = typeNames(await historyOf(env, workflowId));
    expect(types.slice(0, 3)).toEqual(['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_SCHEDULED']);
    await handle.signal(cfFinish);
    expect(await handle.result()).toEqual(['first']);
    const desc = await handle.describe();
    expect(desc.runId).toBe(handle.signaledRunId);
  });
});

test('signal-with-start on a running workflow signals that run and starts nothing', async () => {
  const taskQueue = uid('sws-existing');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue }, async () => {
    const running = await env.client.workflow.start(cfCollector, { taskQueue, workflowId });
    await running.signal(cfAppend, 'before');
    const sws = await env.client.workflow.signalWithStart(cfCollector, { taskQueue, workflowId, signal: cfAppend, signalArgs: ['via sws'] });
    expect(sws.signaledRunId).toBe(running.firstExecutionRunId);
    await running.signal(cfFinish);
    expect(await running.result()).toEqual(['before', 'via sws']);
    const types = typeNames(await historyOf(env, workflowId));
    expect(types.filter((t) => t === 'WORKFLOW_EXECUTION_STARTED')).toHaveLength(1);
  });
});

test('a signal repeated with the same request id (raw gRPC) is recorded once', async () => {
  const taskQueue = uid('signal-dedupe');
  const workflowId = uid('wf');
  const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId });
  const req: temporal.api.workflowservice.v1.ISignalWorkflowExecutionRequest = {
    namespace: NAMESPACE,
    workflowExecution: { workflowId },
    signalName: 'cfAppend',
    requestId: randomUUID(),
    identity: 'conformance',
  };
  await env.connection.workflowService.signalWorkflowExecution(req);
  await env.connection.workflowService.signalWorkflowExecution(req);
  const signals = (await historyOf(env, workflowId)).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
  expect(signals).toHaveLength(1);
  await handle.terminate();
  // Retried once the run has closed, the signal that was written still succeeds; a new one does not.
  await env.connection.workflowService.signalWorkflowExecution(req);
  const fresh = await grpcFailure(env.connection.workflowService.signalWorkflowExecution({ ...req, requestId: randomUUID() }));
  expect(fresh.code).toBe(5);
});

test('signalling a closed workflow fails with NOT_FOUND "workflow execution already completed"', async () => {
  const taskQueue = uid('signal-closed');
  const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: uid('wf') });
  await handle.terminate();
  await expect(handle.signal(cfAppend, 'late')).rejects.toBeInstanceOf(WorkflowNotFoundError);
  const raw = await grpcFailure(
    env.connection.workflowService.signalWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId: handle.workflowId }, signalName: 'cfAppend' }),
  );
  expect(raw.code).toBe(5);
  expect(raw.details).toBe('workflow execution already completed');
});
