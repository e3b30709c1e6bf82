/**
 * ResetWorkflowExecution as Temporal's history service does it: the new run copies the history up
 * to the reset point, that workflow task fails with RESET_WORKFLOW, later signals and updates are
 * written again (unless excluded), the old run is terminated by history-resetter, and the worker
 * carries the new run on. Children pending at the point: reset-children.test.ts.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { google, temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { untilKilled } from '../../helpers/spawn-engine';
import { cfAppend, cfCollector, cfFinish, cfIncrement, cfRunActivity, cfStop, cfTotal, cfUpdatable, cfUpdatableRuns } from '../workflows';
import { reset } from './reset-helpers';
import { EventType, NAMESPACE, eventsOf, fromPayloads, grpcFailure, historyOf, num, typeNames, uid, waitFor, withWorker, scratchDir, suiteEnv } from './helpers';

const Cause = temporal.api.enums.v1.WorkflowTaskFailedCause;
const ms = (t: google.protobuf.ITimestamp | null | undefined) => num(t?.seconds) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
const ReapplyType = temporal.api.enums.v1.ResetReapplyType;
const Status = temporal.api.enums.v1.WorkflowExecutionStatus;

const tmp = scratchDir('engine-reset-');
const env = suiteEnv(devEnv);

/** A collector that has taken one value: its history holds two completed workflow tasks. */
async function collectorWithOneValue(taskQueue: string) {
  const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: uid('wf') });
  const completed = (events: Awaited<ReturnType<typeof historyOf>>) => events.filter((ev) => ev.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  // Signalled only once the first task completed: a signal that comes sooner rides on that task.
  await waitFor(() => historyOf(env, handle.workflowId), (evs) => completed(evs).length >= 1, 'the first task');
  await handle.signal(cfAppend, 'a');
  const events = await waitFor(() => historyOf(env, handle.workflowId), (evs) => completed(evs).length >= 2, 'the signal to be handled');
  return { handle, events, firstTaskCompleted: num(completed(events)[0].eventId) };
}

test('reset to the first workflow task: copied history, a RESET_WORKFLOW task failure, the signal again, and the old run terminated', async () => {
  const taskQueue = uid('reset');
  await withWorker(env, { taskQueue }, async () => {
    const { handle, events, firstTaskCompleted } = await collectorWithOneValue(taskQueue);
    const request = { workflowExecution: { workflowId: handle.workflowId, runId: handle.firstExecutionRunId }, reason: 'fix', workflowTaskFinishEventId: firstTaskCompleted, requestId: randomUUID() };
    const { runId } = await reset(env.client, request);
    expect(runId).not.toBe(handle.firstExecutionRunId);
    // The same request id again is the same reset.
    expect((await reset(env.client, request)).runId).toBe(runId);

    const old = await historyOf(env, handle.workflowId, handle.firstExecutionRunId);
    const terminated = old[old.length - 1].workflowExecutionTerminatedEventAttributes;
    expect(terminated).toMatchObject({ reason: 'fix', identity: 'history-resetter' });

    const fresh = await historyOf(env, handle.workflowId, runId);
    expect(typeNames(fresh.slice(0, firstTaskCompleted - 1))).toEqual(typeNames(events.slice(0, firstTaskCompleted - 1)));
    const failed = fresh[firstTaskCompleted - 1].workflowTaskFailedEventAttributes!;
    expect(failed).toMatchObject({ cause: Cause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW, baseRunId: handle.firstExecutionRunId, newRunId: runId, identity: 'history-service' });
    expect(failed.failure?.message).toBe('fix');
    const signalled = fresh[firstTaskCompleted].workflowExecutionSignaledEventAttributes!;
    expect(signalled.signalName).toBe('cfAppend');
    expect(fromPayloads(signalled.input)).toEqual(['a']);
    expect(fresh[firstTaskCompleted + 1].workflowTaskScheduledEventAttributes?.attempt).toBe(1);

    // The worker carries the new run on: it is the workflow's current run.
    const current = env.client.workflow.getHandle(handle.workflowId);
    await current.signal(cfFinish);
    expect(await current.result()).toEqual(['a']);
    const desc = await current.describe();
    expect({ runId: desc.runId, status: desc.status.code }).toEqual({ runId, status: Status.WORKFLOW_EXECUTION_STATUS_COMPLETED });
  });
});

test('a completed run reset to its first task runs again: the worker schedules and runs the activity anew', async () => {
  const taskQueue = uid('reset-closed');
  let calls = 0;
  const activities = { twice: async (s: string) => (calls++, s + s) };
  await withWorker(env, { taskQueue, activities }, async () => {
    const handle = await env.client.workflow.start(cfRunActivity, { taskQueue, workflowId: uid('wf'), args: ['twice', ['x'], { startToCloseTimeout: '1 minute' }] });
    expect(await handle.result()).toEqual({ result: 'xx' });
    const { runId } = await reset(env.client, { workflowExecution: { workflowId: handle.workflowId }, reason: 'run it again', workflowTaskFinishEventId: 4 });
    const again = env.client.workflow.getHandle(handle.workflowId, runId);
    expect(await again.result()).toEqual({ result: 'xx' });
    expect(calls).toBe(2);
    // The base run had completed: it stays completed, not terminated.
    expect((await handle.describe()).status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_COMPLETED);
  });
});

test('a workflow that timed out, once reset, gets its execution timeout afresh from the reset', async () => {
  const workflowId = uid('wf');
  // No worker: the run times out after its one-second execution timeout.
  const handle = await env.client.workflow.start(cfCollector, { taskQueue: uid('nobody'), workflowId, workflowExecutionTimeout: '1 second' });
  await waitFor(() => handle.describe(), (d) => d.status.code === Status.WORKFLOW_EXECUTION_STATUS_TIMED_OUT, 'the run to time out');
  const closed = await handle.describe();
  const { runId } = await reset(env.client, { workflowExecution: { workflowId }, reason: 'give it time', workflowTaskFinishEventId: 3 });
  const info = (await env.client.workflow.getHandle(workflowId, runId).describe()).raw.workflowExtendedInfo!;
  const resetAt = ms(info.lastResetTime);
  expect(resetAt).toBeGreaterThanOrEqual(closed.closeTime!.getTime());
  expect(ms(info.executionExpirationTime) - resetAt).toBe(1000);
});

test('a signal the current run holds back while its task runs is reapplied in the new run', async () => {
  const taskQueue = uid('reset-held');
  const workflowId = uid('wf');
  await env.client.workflow.start(cfCollector, { taskQueue, workflowId });
  // A worker stand-in takes the first task and never answers it: the signal is held back.
  const task = await env.client.workflowService.pollWorkflowTaskQueue({ namespace: NAMESPACE, taskQueue: { name: taskQueue }, identity: 'stand-in' });
  expect(num(task.startedEventId)).toBe(3);
  await env.client.workflow.getHandle(workflowId).signal(cfAppend, 'held');
  const { runId } = await reset(env.client, { workflowExecution: { workflowId }, reason: 'stuck task', workflowTaskFinishEventId: 3 });
  const fresh = await historyOf(env, workflowId, runId);
  const signals = fresh.filter((ev) => ev.workflowExecutionSignaledEventAttributes).map((ev) => fromPayloads(ev.workflowExecutionSignaledEventAttributes!.input));
  expect(signals).toEqual([['held']]);
});

test('with reapply type NONE the signals after the reset point are not written again', async () => {
  const taskQueue = uid('reset-none');
  await withWorker(env, { taskQueue }, async () => {
    const { handle, firstTaskCompleted } = await collectorWithOneValue(taskQueue);
    const { runId } = await reset(env.client, {
      workflowExecution: { workflowId: handle.workflowId },
      reason: 'again',
      workflowTaskFinishEventId: firstTaskCompleted,
      resetReapplyType: ReapplyType.RESET_REAPPLY_TYPE_NONE,
    });
    const fresh = await historyOf(env, handle.workflowId, runId);
    expect(fresh.some((ev) => ev.workflowExecutionSignaledEventAttributes)).toBe(false);
    const current = env.client.workflow.getHandle(handle.workflowId);
    await current.signal(cfFinish);
    expect(await current.result()).toEqual([]);
  });
});

test('bad reset requests get the real server\'s status and message', async () => {
  const workflowId = uid('wf');
  await env.client.workflow.start(cfCollector, { taskQueue: uid('nobody'), workflowId });
  const noRequestId = await grpcFailure(reset(env.client, { workflowExecution: { workflowId }, workflowTaskFinishEventId: 3, requestId: '' }));
  expect(noRequestId).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'RequestId is not set on request.' });
  const tooEarly = await grpcFailure(reset(env.client, { workflowExecution: { workflowId }, workflowTaskFinishEventId: 1 }));
  expect(tooEarly).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'Workflow task finish ID must be > 1 && <= workflow last event ID.' });
  const beyond = await grpcFailure(reset(env.client, { workflowExecution: { workflowId }, workflowTaskFinishEventId: 99 }));
  expect(beyond.code).toBe(status.INVALID_ARGUMENT);
  // Event 2 is the first task's Scheduled: rebuilt up to event 1 there is no task to fail.
  const noTask = await grpcFailure(reset(env.client, { workflowExecution: { workflowId }, workflowTaskFinishEventId: 2 }));
  expect(noTask).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'Can only reset workflow to event ID in range [WorkflowTaskScheduled +1, WorkflowTaskStarted + 1]: 2' });
  const signalOp = await grpcFailure(reset(env.client, { workflowExecution: { workflowId }, workflowTaskFinishEventId: 2, postResetOperations: [{ signalWorkflow: { signalName: 'x' } }] }));
  expect(signalOp).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'unsupported post reset operation: *workflow.PostResetOperation_SignalWorkflow_' });
  const optionsOp = await grpcFailure(reset(env.client, { workflowExecution: { workflowId }, workflowTaskFinishEventId: 2, postResetOperations: [{ updateWorkflowOptions: {} }] }));
  expect(optionsOp.code).toBe(status.UNIMPLEMENTED);
  const unknown = await grpcFailure(reset(env.client, { workflowExecution: { workflowId: uid('never') }, workflowTaskFinishEventId: 3 }));
  expect(unknown.code).toBe(status.NOT_FOUND);
});

test('a reset to a task that was only scheduled starts and fails it; the reset run survives kill -9', async () => {
  const db = path.join(tmp, 'reset.db');
  const { base, runId } = await untilKilled(db, async (client) => {
    // No worker: the first task stays scheduled (event 2) and the signal is event 3.
    const handle = await client.workflow.start(cfCollector, { taskQueue: 'nobody', workflowId: 'reset-durable', workflowExecutionTimeout: '1 hour' });
    await handle.signal(cfAppend, 'kept');
    const reply = await reset(client, { workflowExecution: { workflowId: 'reset-durable' }, reason: 'before the crash', workflowTaskFinishEventId: 3 });
    return { base: handle.firstExecutionRunId, runId: reply.runId };
  });
  await untilKilled(db, async (client) => {
    const desc = await client.workflow.getHandle('reset-durable').describe();
    expect({ runId: desc.runId, status: desc.status.code }).toEqual({ runId, status: Status.WORKFLOW_EXECUTION_STATUS_RUNNING });
    expect((await client.workflow.getHandle('reset-durable', base).describe()).status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    const events = (await client.workflow.getHandle('reset-durable', runId).fetchHistory()).events!;
    expect(typeNames(events)).toEqual([
      'WORKFLOW_EXECUTION_STARTED',
      'WORKFLOW_TASK_SCHEDULED',
      'WORKFLOW_TASK_STARTED',
      'WORKFLOW_TASK_FAILED',
      'WORKFLOW_EXECUTION_SIGNALED',
      'WORKFLOW_TASK_SCHEDULED',
    ]);
    expect(events[2].workflowTaskStartedEventAttributes?.identity).toBe('history-service');
    expect(fromPayloads(events[4].workflowExecutionSignaledEventAttributes?.input)).toEqual(['kept']);
    expect(events[5].workflowTaskScheduledEventAttributes?.attempt).toBe(1);
    // The run starts at the reset and its execution timeout counts from there, also after a restart.
    const info = desc.raw.workflowExtendedInfo!;
    const resetAt = ms(info.lastResetTime);
    expect(resetAt).toBe(ms(events[3].eventTime));
    expect(desc.startTime.getTime()).toBe(resetAt);
    expect(ms(info.executionExpirationTime) - resetAt).toBe(3_600_000);
    expect(ms(info.originalStartTime)).toBe(ms(events[0].eventTime));
  });
}, 30_000);

test('updates accepted after the reset point come back admitted and run again in the new run', async () => {
  const taskQueue = uid('reset-updates');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId: uid('wf') });
    expect(await handle.executeUpdate(cfIncrement, { args: [5] })).toBe(5);
    expect(await handle.executeUpdate(cfIncrement, { args: [2] })).toBe(7);
    const { runId } = await reset(env.client, { workflowExecution: { workflowId: handle.workflowId }, reason: 'updates again', workflowTaskFinishEventId: 4 });
    const current = env.client.workflow.getHandle(handle.workflowId);
    await waitFor(() => current.query(cfTotal), (total) => total === 7, 'both updates to run again');
    const fresh = await historyOf(env, handle.workflowId, runId);
    const admitted = eventsOf(fresh, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED).map((ev) => ev.workflowExecutionUpdateAdmittedEventAttributes!);
    expect(admitted.map((a) => fromPayloads(a.request?.input?.args))).toEqual([[5], [2]]);
    expect(admitted.map((a) => a.origin)).toEqual([1, 1].map(() => temporal.api.enums.v1.UpdateAdmittedEventOrigin.UPDATE_ADMITTED_EVENT_ORIGIN_REAPPLY));
    // The request is in the admitted event: the acceptance is written without it.
    const accepted = eventsOf(fresh, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    expect(accepted.map((ev) => ev.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest ?? null)).toEqual([null, null]);
    // Each update's result is the new run's, by its id.
    const first = admitted[0].request!.meta!.updateId!;
    expect(await current.getUpdateHandle<number>(first).result()).toBe(5);
    await current.signal(cfStop);
    expect(await current.result()).toBe(7);
  });
});

test('with updates excluded, the updates after the reset point are not applied again', async () => {
  const taskQueue = uid('reset-no-updates');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId: uid('wf') });
    expect(await handle.executeUpdate(cfIncrement, { args: [5] })).toBe(5);
    const { runId } = await reset(env.client, {
      workflowExecution: { workflowId: handle.workflowId },
      reason: 'without the update',
      workflowTaskFinishEventId: 4,
      resetReapplyExcludeTypes: [temporal.api.enums.v1.ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE],
    });
    const current = env.client.workflow.getHandle(handle.workflowId, runId);
    await current.signal(cfStop);
    expect(await current.result()).toBe(0);
    expect(eventsOf(await historyOf(env, handle.workflowId, runId), EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED)).toEqual([]);
  });
});

test('an update id met twice after the reset point fails the reset before anything changes', async () => {
  const taskQueue = uid('reset-update-twice');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfUpdatableRuns, { taskQueue, workflowId: uid('wf'), args: [1] });
    expect(await handle.executeUpdate(cfIncrement, { args: [1], updateId: 'same-id' })).toBe(1);
    await handle.signal(cfStop);
    // The next run takes an update with the same id: each run has its own updates.
    const next = env.client.workflow.getHandle(handle.workflowId);
    await waitFor(() => next.describe(), (d) => d.runId !== handle.firstExecutionRunId, 'the run to continue as new');
    expect(await next.executeUpdate(cfIncrement, { args: [2], updateId: 'same-id' })).toBe(2);
    const before = await next.describe();
    const failure = await grpcFailure(reset(env.client, { workflowExecution: { workflowId: handle.workflowId, runId: handle.firstExecutionRunId }, reason: 'both', workflowTaskFinishEventId: 4 }));
    expect(failure).toMatchObject({ code: status.INTERNAL, details: 'Update ID same-id is already present in mutable state' });
    const after = await next.describe();
    expect({ runId: after.runId, status: after.status.code }).toEqual({ runId: before.runId, status: Status.WORKFLOW_EXECUTION_STATUS_RUNNING });
    await next.signal(cfStop);
    expect(await next.result()).toBe(2);
  });
});
