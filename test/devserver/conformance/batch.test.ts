/**
 * Batch operations as Temporal's frontend and batcher run them: a job selects workflows by query
 * (running ones for terminate, cancel and signal) or by execution list, applies its operation to
 * each and reports counts through DescribeBatchOperation and ListBatchOperations. The SDK's client
 * has no batch calls, so these go through its WorkflowService stub.
 */
import path from 'node:path';
import Long from 'long';
import { status } from '@grpc/grpc-js';
import { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { untilKilled } from '../../helpers/spawn-engine';
import { openFileStore } from '../../../devserver/store/fileStore';
import { RecordKind } from '../../../devserver/state/log-records';
import { cfAppend, cfCollector, cfFinish } from '../workflows';
import { EventType, NAMESPACE, eventsOf, grpcFailure, historyOf, num, uid, waitFor, withWorker, scratchDir, suiteEnv } from './helpers';

const State = temporal.api.enums.v1.BatchOperationState;
const OpType = temporal.api.enums.v1.BatchOperationType;
const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
type StartRequest = Omit<temporal.api.workflowservice.v1.IStartBatchOperationRequest, 'namespace'>;

const tmp = scratchDir('engine-batch-');
const env = suiteEnv(devEnv);

const startBatch = (client: Client, req: StartRequest) => client.workflowService.startBatchOperation({ namespace: NAMESPACE, ...req });
const describeBatch = (client: Client, jobId: string) => client.workflowService.describeBatchOperation({ namespace: NAMESPACE, jobId });
const finished = (client: Client, jobId: string) =>
  waitFor(() => describeBatch(client, jobId), (d) => d.state !== State.BATCH_OPERATION_STATE_RUNNING, `batch ${jobId} to finish`);

async function collectors(client: Client, taskQueue: string, n: number): Promise<WorkflowHandleWithFirstExecutionRunId[]> {
  return Promise.all(Array.from({ length: n }, () => client.workflow.start(cfCollector, { taskQueue, workflowId: uid('wf') })));
}

test('a terminate batch by query ends every running workflow it selects and reports its counts', async () => {
  const taskQueue = uid('batch-terminate');
  const handles = await collectors(env.client, taskQueue, 3);
  const elsewhere = (await collectors(env.client, uid('other'), 1))[0];
  const jobId = uid('job');
  await startBatch(env.client, { jobId, reason: 'cohort withdrawn', visibilityQuery: `TaskQueue = '${taskQueue}'`, terminationOperation: { identity: 'staff' } });
  const done = await finished(env.client, jobId);
  expect(done).toMatchObject({ jobId, state: State.BATCH_OPERATION_STATE_COMPLETED, operationType: OpType.BATCH_OPERATION_TYPE_TERMINATE_WORKFLOW, identity: 'staff', reason: 'cohort withdrawn', query: `TaskQueue = '${taskQueue}'` });
  expect([num(done.totalOperationCount), num(done.completeOperationCount), num(done.failureOperationCount)]).toEqual([3, 3, 0]);
  expect(done.startTime).toBeTruthy();
  expect(done.closeTime).toBeTruthy();
  for (const h of handles) {
    const events = await historyOf(env, h.workflowId);
    expect(events[events.length - 1].workflowExecutionTerminatedEventAttributes).toMatchObject({ reason: 'cohort withdrawn', identity: 'staff' });
  }
  expect((await elsewhere.describe()).status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_RUNNING);
  const listed = (await env.client.workflowService.listBatchOperations({ namespace: NAMESPACE })).operationInfo ?? [];
  expect(listed[0]).toMatchObject({ jobId, state: State.BATCH_OPERATION_STATE_COMPLETED, operationType: OpType.BATCH_OPERATION_TYPE_TERMINATE_WORKFLOW });

  // Run again over the same query, the batch finds no running workflow left.
  const again = uid('job');
  await startBatch(env.client, { jobId: again, reason: 'again', visibilityQuery: `TaskQueue = '${taskQueue}'`, terminationOperation: {} });
  expect(num((await finished(env.client, again)).totalOperationCount)).toBe(0);
});

test('a signal batch over an execution list signals each open one once; a closed one counts as done, as on the server', async () => {
  const taskQueue = uid('batch-signal');
  await withWorker(env, { taskQueue }, async () => {
    const [a, b, closed] = await collectors(env.client, taskQueue, 3);
    await closed.signal(cfFinish);
    await closed.result();
    const jobId = uid('job');
    await startBatch(env.client, {
      jobId,
      reason: 'remind',
      executions: [a, b, closed].map((h) => ({ workflowId: h.workflowId })),
      signalOperation: { signal: 'cfAppend', input: { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"reminder"') }] }, identity: 'staff' },
    });
    const done = await finished(env.client, jobId);
    expect([num(done.totalOperationCount), num(done.completeOperationCount), num(done.failureOperationCount)]).toEqual([3, 3, 0]);
    expect(done.executions?.map((x) => x.businessId)).toEqual([a, b, closed].map((h) => h.workflowId));
    for (const h of [a, b]) {
      await h.signal(cfFinish);
      expect(await h.result()).toEqual(['reminder']);
    }
  });
});

test('a reset batch as the Web UI sends it (last workflow task) and one to a given event id', async () => {
  const taskQueue = uid('batch-reset-last');
  await withWorker(env, { taskQueue }, async () => {
    const [h] = await collectors(env.client, taskQueue, 1);
    await h.signal(cfAppend, 'kept');
    await waitFor(() => historyOf(env, h.workflowId), (evs) => eventsOf(evs, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length >= 2, 'the signal to be taken');
    const last = num(eventsOf(await historyOf(env, h.workflowId), EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)[1].eventId);
    const lastJob = uid('job');
    // The Web UI sends both the options and the older reset type.
    await startBatch(env.client, { jobId: lastJob, reason: 'last', executions: [{ workflowId: h.workflowId }], resetOperation: { options: { lastWorkflowTask: {} }, resetType: 2, identity: 'ui' } });
    expect(num((await finished(env.client, lastJob)).completeOperationCount)).toBe(1);
    let fresh = await historyOf(env, h.workflowId);
    expect(fresh[last - 1].workflowTaskFailedEventAttributes?.cause).toBe(temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW);
    const idJob = uid('job');
    await startBatch(env.client, { jobId: idJob, reason: 'by id', executions: [{ workflowId: h.workflowId }], resetOperation: { options: { workflowTaskId: Long.fromNumber(4) } } });
    expect(num((await finished(env.client, idJob)).completeOperationCount)).toBe(1);
    fresh = await historyOf(env, h.workflowId);
    expect(fresh[3].workflowTaskFailedEventAttributes?.cause).toBe(temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW);
    await env.client.workflow.getHandle(h.workflowId).terminate('done');
  });
});

test('a reset batch resets each selected workflow to its first workflow task', async () => {
  const taskQueue = uid('batch-reset');
  await withWorker(env, { taskQueue }, async () => {
    const handles = await collectors(env.client, taskQueue, 2);
    for (const h of handles) await h.signal(cfAppend, 'kept');
    for (const h of handles) {
      await waitFor(() => historyOf(env, h.workflowId), (evs) => eventsOf(evs, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length >= 2, 'the signal to be taken');
    }
    const jobId = uid('job');
    await startBatch(env.client, { jobId, reason: 'fix', visibilityQuery: `TaskQueue = '${taskQueue}'`, resetOperation: { options: { firstWorkflowTask: {} }, identity: 'staff' } });
    const done = await finished(env.client, jobId);
    expect([num(done.completeOperationCount), num(done.failureOperationCount)]).toEqual([2, 0]);
    for (const h of handles) {
      const current = env.client.workflow.getHandle(h.workflowId);
      expect((await current.describe()).runId).not.toBe(h.firstExecutionRunId);
      const fresh = await historyOf(env, h.workflowId);
      expect(fresh[3].workflowTaskFailedEventAttributes?.cause).toBe(temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW);
      await current.signal(cfFinish);
      expect(await current.result()).toEqual(['kept']);
    }
  });
});

test('a delete batch removes the closed workflows it selects', async () => {
  const taskQueue = uid('batch-delete');
  const handles = await collectors(env.client, taskQueue, 2);
  for (const h of handles) await h.terminate('done with it');
  const jobId = uid('job');
  await startBatch(env.client, { jobId, reason: 'clean up', visibilityQuery: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Terminated'`, deletionOperation: {} });
  expect(num((await finished(env.client, jobId)).completeOperationCount)).toBe(2);
  const left = await env.client.workflowService.listWorkflowExecutions({ namespace: NAMESPACE, query: `TaskQueue = '${taskQueue}'` });
  expect(left.executions).toEqual([]);
});

test('bad batch requests get the real server\'s status and message', async () => {
  const query = `TaskQueue = '${uid('none')}'`;
  const bad = (req: StartRequest) => grpcFailure(startBatch(env.client, req));
  expect(await bad({ jobId: uid('job'), visibilityQuery: query, terminationOperation: {} })).toMatchObject({
    code: status.INVALID_ARGUMENT,
    details: 'must provide required parameters: BatchType,Reason,Namespace, AND one of (Query OR Executions OR TargetExecutions)',
  });
  expect(await bad({ reason: 'r', visibilityQuery: query, terminationOperation: {} })).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'JobId is not set on request.' });
  expect(await bad({ jobId: uid('job'), reason: 'r', visibilityQuery: query, executions: [{ workflowId: 'x' }], terminationOperation: {} })).toMatchObject({
    code: status.INVALID_ARGUMENT,
    details: 'visibility query, executions, and target executions are mutually exclusive',
  });
  expect(await bad({ jobId: uid('job'), reason: 'r', visibilityQuery: query, signalOperation: {} })).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'must provide signal name' });
  expect(await bad({ jobId: uid('job'), reason: 'r', visibilityQuery: query, resetOperation: {} })).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'unknown batch reset type RESET_TYPE_UNSPECIFIED' });
  expect(await bad({ jobId: uid('job'), reason: 'r', visibilityQuery: query, resetOperation: { options: {} } })).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'batch reset missing target' });
  expect((await bad({ jobId: uid('job'), reason: 'r', visibilityQuery: query, resetOperation: { options: { buildId: 'b1' } } })).code).toBe(status.UNIMPLEMENTED);
  const syntax = await bad({ jobId: uid('job'), reason: 'r', visibilityQuery: 'TaskQueue = ', terminationOperation: {} });
  expect(syntax.code).toBe(status.INVALID_ARGUMENT);
  expect(syntax.details).toMatch(/^invalid visibility query: /);
  // Only the syntax is checked at start: a query the visibility store refuses fails the job.
  const unknownAttribute = uid('job');
  await startBatch(env.client, { jobId: unknownAttribute, reason: 'r', visibilityQuery: 'NoSuchAttribute = 1', terminationOperation: {} });
  expect((await describeBatch(env.client, unknownAttribute)).state).toBe(State.BATCH_OPERATION_STATE_FAILED);
  expect(await grpcFailure(describeBatch(env.client, uid('never')))).toMatchObject({ code: status.NOT_FOUND });

  const jobId = uid('job');
  await startBatch(env.client, { jobId, reason: 'r', visibilityQuery: query, terminationOperation: {} });
  await finished(env.client, jobId);
  const stop = await grpcFailure(env.client.workflowService.stopBatchOperation({ namespace: NAMESPACE, jobId, reason: 'too late' }));
  expect(stop).toMatchObject({ code: status.NOT_FOUND, details: 'workflow execution already completed' });
  // A job id is used once (the server starts the job's workflow with REJECT_DUPLICATE).
  const reused = await bad({ jobId, reason: 'again', visibilityQuery: query, terminationOperation: {} });
  expect(reused.code).toBe(status.ALREADY_EXISTS);
  expect(reused.details).toMatch(new RegExp(`^Workflow execution already finished and Workflow ID reuse policy does not allow a new run. WorkflowId: ${jobId}, RunId: `));
});

test('a finished batch reads the same after kill -9', async () => {
  const db = path.join(tmp, 'batch.db');
  await untilKilled(db, async (client) => {
    await collectors(client, 'batch-durable', 2);
    await startBatch(client, { jobId: 'job-durable', reason: 'before the crash', visibilityQuery: `TaskQueue = 'batch-durable'`, cancellationOperation: { identity: 'staff' } });
    await finished(client, 'job-durable');
  });
  await untilKilled(db, async (client) => {
    const d = await describeBatch(client, 'job-durable');
    expect(d).toMatchObject({ state: State.BATCH_OPERATION_STATE_COMPLETED, operationType: OpType.BATCH_OPERATION_TYPE_CANCEL_WORKFLOW, identity: 'staff', reason: 'before the crash' });
    expect([num(d.totalOperationCount), num(d.completeOperationCount)]).toEqual([2, 2]);
    for await (const wf of client.workflow.list({ query: `TaskQueue = 'batch-durable'` })) {
      const events = await client.workflow.getHandle(wf.workflowId).fetchHistory();
      expect(eventsOf(events.events!, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED).map((ev) => ev.workflowExecutionCancelRequestedEventAttributes?.identity)).toEqual(['staff']);
    }
  });
}, 30_000);

test('a batch a restart cut short goes on from its last logged slice, over the workflows it had selected', async () => {
  const db = path.join(tmp, 'batch-cut.db');
  const targets = await untilKilled(db, async (client) =>
    (await collectors(client, 'batch-cut', 3)).map((h) => ({ workflowId: h.workflowId, runId: h.firstExecutionRunId })),
  );
  // The log as a kill -9 leaves it mid-job: the start record and the progress of a first slice
  // that handled the first workflow (a slice of one, to see where the job goes on).
  const request = temporal.api.workflowservice.v1.StartBatchOperationRequest.encode({
    namespace: NAMESPACE, jobId: 'job-cut', reason: 'cut short', visibilityQuery: `TaskQueue = 'batch-cut'`, terminationOperation: { identity: 'staff' },
  }).finish();
  const job = {
    namespace: NAMESPACE, jobId: 'job-cut', runId: 'r', requestId: 'q', operationType: 13, state: 1, startTime: Date.now(), closeTime: 0, identity: 'staff',
    reason: 'cut short', query: `TaskQueue = 'batch-cut'`, request: Buffer.from(request).toString('base64'), targets, next: 0, succeeded: 0, failed: 0,
  };
  const store = await openFileStore(db);
  await store.append(RecordKind.BATCH_JOB, Buffer.from(JSON.stringify(job)));
  await store.append(RecordKind.BATCH_PROGRESS, Buffer.from(JSON.stringify({ n: NAMESPACE, j: 'job-cut', x: 1, s: 1, f: 0, st: 1, c: 0 })));
  await store.close();

  await untilKilled(db, async (client) => {
    const d = await finished(client, 'job-cut');
    expect(d).toMatchObject({ state: State.BATCH_OPERATION_STATE_COMPLETED, reason: 'cut short' });
    expect([num(d.totalOperationCount), num(d.completeOperationCount), num(d.failureOperationCount)]).toEqual([3, 3, 0]);
    const status = async (i: number) => (await client.workflow.getHandle(targets[i].workflowId).describe()).status.code;
    // The first was counted before the restart and is not touched again; the job went on with the rest.
    expect([await status(0), await status(1), await status(2)]).toEqual([
      Status.WORKFLOW_EXECUTION_STATUS_RUNNING,
      Status.WORKFLOW_EXECUTION_STATUS_TERMINATED,
      Status.WORKFLOW_EXECUTION_STATUS_TERMINATED,
    ]);
  });
}, 30_000);
