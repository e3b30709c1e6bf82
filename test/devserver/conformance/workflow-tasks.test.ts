/**
 * Workflow tasks: events arriving while a task is started, completions refused with
 * UNHANDLED_COMMAND, nondeterminism surfacing as a failed task, and task failures retried.
 * Reference: Temporal server v1.29 (history/workflow/workflow_task_state_machine.go: transient
 * tasks write no events; new events turn a transient task back into a normal attempt-1 task).
 */
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { devEnv, WORKFLOWS } from '../../helpers/engine';
import { cfAppend, cfBrokenUntilFixed, cfBusyCounter, cfCancelLateTimer, cfCollector, cfCompleteOnFirst, cfFinish, cfFix, cfTick, cfValues } from '../workflows';
import { EventType, HistoryEvent, historyOf, num, settlesWithin, typeName, typeNames, uid, waitFor, withWorker, workflowBundle, suiteEnv } from './helpers';

const NONDET_V1 = path.resolve(__dirname, '../workflows/conformance-nondet-v1.ts');
const NONDET_V2 = path.resolve(__dirname, '../workflows/conformance-nondet-v2.ts');

const env = suiteEnv(devEnv, [WORKFLOWS, NONDET_V1, NONDET_V2]);

const Cause = temporal.api.enums.v1.WorkflowTaskFailedCause;
const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
const TASK_ENDS = new Set(['WORKFLOW_TASK_COMPLETED', 'WORKFLOW_TASK_FAILED', 'WORKFLOW_TASK_TIMED_OUT']);

/** Nothing is written between a task's Started event and the event that ends it. */
function expectNothingBetweenStartedAndEnd(events: HistoryEvent[]): void {
  const violations: string[] = [];
  events.forEach((e, i) => {
    if (typeName(e) !== 'WORKFLOW_TASK_STARTED' || i === events.length - 1) return;
    const next = events[i + 1];
    if (!TASK_ENDS.has(typeName(next))) violations.push(`event ${num(next.eventId)} ${typeName(next)} follows WORKFLOW_TASK_STARTED ${num(e.eventId)}`);
  });
  expect(violations).toEqual([]);
}

test('a signal storm during long workflow tasks: every signal is delivered, none lands inside a started task', async () => {
  const taskQueue = uid('signal-storm');
  const workflowId = uid('wf');
  const N = 30;
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfBusyCounter, { taskQueue, workflowId, args: [N, 30_000_000] });
    // Each wave is sent while a workflow task is started (busy computing).
    for (let wave = 0; wave < 3; wave++) {
      await waitFor(
        () => handle.describe(),
        (d) => d.raw.pendingWorkflowTask?.state === temporal.api.enums.v1.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED,
        `a started task before wave ${wave}`,
        15_000,
        5,
      );
      await Promise.all(Array.from({ length: N / 3 }, () => handle.signal(cfTick)));
    }
    expect(await handle.result()).toBe(N);
  });
  const events = await historyOf(env, workflowId);
  expect(events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)).toHaveLength(N);
  expect(typeNames(events)).not.toContain('WORKFLOW_TASK_FAILED');
  expectNothingBetweenStartedAndEnd(events);
  // Signals that arrived during a started task were written right after its completion.
  const bufferedSignals = events.filter((e, i) => i > 0 && typeName(e) === 'WORKFLOW_EXECUTION_SIGNALED' && typeName(events[i - 1]) === 'WORKFLOW_TASK_COMPLETED');
  expect(bufferedSignals.length).toBeGreaterThan(0);
});

test('a completion that would close the workflow over a signal it has not seen is refused (UNHANDLED_COMMAND)', async () => {
  const taskQueue = uid('unhandled-command');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfCompleteOnFirst, { taskQueue, workflowId, args: [100_000_000] });
    await waitFor(() => historyOf(env, workflowId), (ev) => typeNames(ev).includes('WORKFLOW_TASK_COMPLETED'), 'first task completed');
    await handle.signal(cfAppend, 'first');
    // The task delivering 'first' computes for a while before completing: signal again meanwhile.
    await waitFor(
      () => handle.describe(),
      (d) => d.raw.pendingWorkflowTask?.state === temporal.api.enums.v1.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED,
      'the task delivering the first signal is started',
      15_000,
      5,
    );
    await handle.signal(cfAppend, 'second');
    expect(await handle.result()).toEqual(['first', 'second']);
  });
  const events = await historyOf(env, workflowId);
  const failed = events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
  expect(failed).toHaveLength(1);
  expect(failed[0].workflowTaskFailedEventAttributes?.cause).toBe(Cause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND);
  expectNothingBetweenStartedAndEnd(events);
  // The task after the refused one is a fresh attempt, not a retry of a failing one.
  const failedAt = events.indexOf(failed[0]);
  const nextScheduled = events.slice(failedAt).find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
  expect(nextScheduled?.workflowTaskScheduledEventAttributes?.attempt).toBe(1);
});

test('a run continues on another worker once its sticky worker has shut down', async () => {
  const taskQueue = uid('sticky-fallback');
  const workflowId = uid('wf');
  const handle = await withWorker(env, { taskQueue }, async () => {
    const h = await env.client.workflow.start(cfCollector, { taskQueue, workflowId });
    await h.signal(cfAppend, 'on worker 1');
    await waitFor(() => h.query(cfValues), (v) => v.length === 1, 'worker 1 saw the first value');
    return h;
  });
  // Worker 1 is gone (with its cache and sticky queue): the next tasks go to the normal queue.
  await withWorker(env, { taskQueue }, async () => {
    await handle.signal(cfAppend, 'on worker 2');
    await handle.signal(cfFinish);
    expect(await settlesWithin(handle.result(), 20_000, 'result after the sticky worker left')).toEqual(['on worker 1', 'on worker 2']);
  });
  expect(typeNames(await historyOf(env, workflowId))).not.toContain('WORKFLOW_TASK_FAILED');
});

test('a nondeterministic workflow surfaces as a failed workflow task (NON_DETERMINISTIC_ERROR), not a hang', async () => {
  const taskQueue = uid('nondeterminism');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue, workflowsPath: NONDET_V1 }, async () => {
    await env.client.workflow.start('cfNondeterministic', { taskQueue, workflowId });
    await waitFor(() => historyOf(env, workflowId), (ev) => typeNames(ev).includes('TIMER_STARTED'), 'v1 started its timer');
  });
  // The same workflow type, now with code whose first command is an activity.
  await withWorker(env, { taskQueue, workflowsPath: NONDET_V2 }, async () => {
    const handle = env.client.workflow.getHandle(workflowId);
    await handle.signal('cfNondetGo');
    const events = await waitFor(
      () => historyOf(env, workflowId),
      (ev) => typeNames(ev).includes('WORKFLOW_TASK_FAILED'),
      'a failed workflow task in history',
    );
    const failed = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)!;
    expect(failed.workflowTaskFailedEventAttributes?.cause).toBe(Cause.WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR);
    expect(failed.workflowTaskFailedEventAttributes?.failure?.message).toBeTruthy();
    expect((await handle.describe()).status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_RUNNING);
    await handle.terminate('nondeterminism observed');
  });
});

test('a workflow task failing on a thrown non-Temporal error is retried until the workflow can proceed', async () => {
  const taskQueue = uid('task-retry');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfBrokenUntilFixed, { taskQueue, workflowId, workflowTaskTimeout: '1s' });
    const events = await waitFor(() => historyOf(env, workflowId), (ev) => typeNames(ev).includes('WORKFLOW_TASK_FAILED'), 'first task failure');
    const failed = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)!;
    expect(failed.workflowTaskFailedEventAttributes?.cause).toBe(Cause.WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE);
    expect(failed.workflowTaskFailedEventAttributes?.failure?.message).toContain('workflow code is broken until fixed');
    // The workflow stays open and the task keeps being retried with a growing attempt.
    const desc = await waitFor(() => handle.describe(), (d) => (d.raw.pendingWorkflowTask?.attempt ?? 0) >= 2, 'task retried (attempt >= 2)');
    expect(desc.status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_RUNNING);
    await handle.signal(cfFix);
    expect(await handle.result()).toBe('fixed');
  });
  const events = await historyOf(env, workflowId);
  // Only the first failed attempt is written; later attempts (transient tasks) write nothing.
  expect(events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)).toHaveLength(1);
  expect(typeNames(events)).not.toContain('WORKFLOW_TASK_TIMED_OUT');
  expectNothingBetweenStartedAndEnd(events);
  // New events (the signal) turn the failing transient task into a normal task with attempt 1.
  const signalAt = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
  const scheduledAfter = events.slice(signalAt).find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
  expect(scheduledAfter?.workflowTaskScheduledEventAttributes?.attempt).toBe(1);
});

test('a timer that fires while a task is started and that task cancels it: canceled in history, and the history replays', async () => {
  const taskQueue = uid('late-timer');
  const workflowId = uid('wf');
  const fired = await withWorker(env, { taskQueue }, () => env.client.workflow.execute(cfCancelLateTimer, { taskQueue, workflowId, args: [300, 100, 60_000_000] }));
  const events = await historyOf(env, workflowId);
  const timerEvents = events.filter((e) => ['TIMER_FIRED', 'TIMER_CANCELED'].includes(typeName(e))).map((e) => typeName(e));
  // The first timer fired; the second either fired before the task started (the workflow saw it) or
  // was canceled by the task it fired during: never both, and the history is what the workflow saw.
  expect(timerEvents.filter((t) => t === 'TIMER_CANCELED').length).toBe(fired ? 0 : 1);
  expect(timerEvents.filter((t) => t === 'TIMER_FIRED').length).toBe(fired ? 3 : 2);
  const { Worker } = await import('@temporalio/worker');
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, { events }, workflowId);
});
