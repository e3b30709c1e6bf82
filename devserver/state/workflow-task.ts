/** The workflow task state machine: schedule, dispatch (normal or sticky), start, time out, fail. */
import { EventType as E, TaskQueueKind, TimeoutType } from '../enums';
import { duration, Pb, timestamp } from '../proto';
import { Engine } from './engine';
import { Run } from './run';
import { encodeToken } from './tokens';
import { RAW_HISTORY } from './raw-history';
import { encodeHistoryEvent } from '../history/encode-event';
import { takeMessagesForTask } from './updates';

const STICKY_IDLE_MS = 10_000;

/** What holds time skipping while the run's workflow task is scheduled or running. */
export function wftLockKey(run: Run): object {
  return run;
}

/** A task started at once for a worker, its poll response returned instead of queued. */
export interface StartNow {
  identity: string;
  /**
   * The next task a completion hands back (the server's bypassTaskGeneration): its history starts
   * after the worker's last task, and after a heartbeat it carries no update the worker already has.
   */
  handBack?: { heartbeat: boolean };
}

/**
 * Schedules a workflow task unless one is pending or the run is closed. With `startNow` the task
 * is started at once for that worker (eager workflow start, or a completion's next task), on
 * whichever queue it was scheduled.
 */
export function scheduleWorkflowTask(e: Engine, run: Run, startNow?: StartNow, speculative = false): Pb | undefined {
  if (!run.isOpen || run.wft) return undefined;
  // A start delay holds back the first task; signals meanwhile only go into history.
  if (!run.firstTaskScheduled && e.now() < run.startTime + run.firstWftBackoffMs) return undefined;
  const attempt = run.nextWftAttempt;
  const ns = e.ns(run.namespace);
  let sticky = run.sticky;
  // A task started at once goes to the worker at hand, which needs no liveness check.
  if (sticky && !startNow) {
    const q = ns.queues.workflow.get(sticky.queue);
    // The sticky worker is gone: fall back to the normal queue at once.
    if (!q || (!q.hasPollers && Date.now() - q.lastPollTime > STICKY_IDLE_MS)) {
      run.sticky = sticky = null;
    }
  }
  const taskQueue = sticky
    ? { name: sticky.queue, kind: TaskQueueKind.STICKY, normalName: run.taskQueue }
    : { name: run.taskQueue, kind: TaskQueueKind.NORMAL };
  const attrs = { taskQueue, startToCloseTimeout: duration(run.workflowTaskTimeoutMs), attempt };
  const scheduled = e.event(E.WORKFLOW_TASK_SCHEDULED, 'workflowTaskScheduledEventAttributes', attrs);
  if (attempt > 1 || speculative) {
    run.wft = {
      speculative: speculative && attempt === 1,
      scheduledEventId: 0,
      startedEventId: 0,
      attempt,
      taskQueue: taskQueue.name,
      sticky: !!sticky,
      scheduledTime: e.now(),
      startedTime: 0,
      dispatch: 0,
      transient: { scheduled, atEventId: run.nextEventId },
    };
  } else {
    e.append(run, scheduled);
  }
  if (startNow) {
    const wft = run.wft!;
    const d = ++wft.dispatch;
    e.clock.holdWork(wftLockKey(run));
    return startWorkflowTask(e, run, d, startNow.identity, startNow.handBack);
  }
  dispatchWorkflowTask(e, run);
  return undefined;
}

export function dispatchWorkflowTask(e: Engine, run: Run): void {
  const wft = run.wft!;
  const d = ++wft.dispatch;
  e.clock.holdWork(wftLockKey(run));
  const ns = e.ns(run.namespace);
  ns.queues.wf(wft.taskQueue).add({ take: (identity) => startWorkflowTask(e, run, d, identity) });
  if (wft.sticky && run.sticky) {
    const ms = run.sticky.scheduleToStartMs || 5000;
    e.clock.after(ms, () => {
      if (run.wft !== wft || wft.dispatch !== d || wft.startedEventId) return;
      stickyTimedOut(e, run);
    });
  }
}

/** The sticky worker did not take the task in time: move it to the normal queue. */
function stickyTimedOut(e: Engine, run: Run): void {
  const wft = run.wft!;
  run.sticky = null;
  if (wft.transient) {
    wft.taskQueue = run.taskQueue;
    wft.sticky = false;
    wft.transient.scheduled.workflowTaskScheduledEventAttributes.taskQueue = { name: run.taskQueue, kind: TaskQueueKind.NORMAL };
    dispatchWorkflowTask(e, run);
    return;
  }
  e.append(run, e.event(E.WORKFLOW_TASK_TIMED_OUT, 'workflowTaskTimedOutEventAttributes', {
    scheduledEventId: wft.scheduledEventId,
    startedEventId: 0,
    timeoutType: TimeoutType.SCHEDULE_TO_START,
  }));
  run.nextWftAttempt = wft.attempt; // a sticky timeout is not a failed attempt
  e.clock.releaseWork(wftLockKey(run));
  scheduleWorkflowTask(e, run);
}

function startWorkflowTask(e: Engine, run: Run, d: number, identity: string, handBack?: StartNow['handBack']): Pb | undefined {
  const wft = run.wft;
  if (!run.isOpen || !wft || wft.dispatch !== d || wft.startedEventId) return undefined;
  const now = e.now();
  const startedAttrs = (scheduledEventId: number) => ({
    scheduledEventId,
    identity,
    requestId: `${run.runId}-${wft.scheduledEventId}-${d}`,
    historySizeBytes: run.historyBytes,
  });
  let extra: Buffer[] = [];
  if (wft.transient && run.nextEventId !== wft.transient.atEventId) {
    // Events arrived since the retry was scheduled: it becomes a normal first attempt, written out.
    const sched = wft.transient.scheduled;
    wft.transient = undefined;
    wft.speculative = false;
    wft.attempt = 1;
    sched.workflowTaskScheduledEventAttributes.attempt = 1;
    sched.eventTime = timestamp(wft.scheduledTime);
    e.append(run, sched);
    run.wft = wft;
    wft.scheduledEventId = sched.eventId;
  }
  if (wft.transient) {
    const sched = wft.transient.scheduled;
    sched.eventId = run.nextEventId;
    sched.eventTime = timestamp(wft.scheduledTime);
    const started = e.event(E.WORKFLOW_TASK_STARTED, 'workflowTaskStartedEventAttributes', startedAttrs(sched.eventId));
    started.eventId = sched.eventId + 1;
    wft.transient.started = started;
    wft.scheduledEventId = sched.eventId;
    wft.startedEventId = started.eventId;
    wft.startedTime = now;
    extra = [encodeHistoryEvent(sched), encodeHistoryEvent(started)];
  } else {
    e.append(run, e.event(E.WORKFLOW_TASK_STARTED, 'workflowTaskStartedEventAttributes', startedAttrs(wft.scheduledEventId)));
  }
  wft.timer = e.clock.after(run.workflowTaskTimeoutMs, () => {
    if (run.wft === wft && wft.dispatch === d) timeoutWorkflowTask(e, run);
  });
  const from = wft.sticky || handBack ? run.previousStartedEventId : 0;
  const history = run.history.slice(from).concat(extra);
  const queries: Record<string, Pb> = {};
  const queued = run.pendingQueries;
  run.pendingQueries = [];
  for (const q of queued) queries[q.id] = q.query;
  inFlightQueries.set(wft, queued);
  return {
    taskToken: encodeToken({ k: 'w', n: run.namespace, w: run.workflowId, r: run.runId, s: wft.scheduledEventId, a: wft.attempt, d }),
    workflowExecution: { workflowId: run.workflowId, runId: run.runId },
    workflowType: { name: run.workflowType },
    previousStartedEventId: run.previousStartedEventId,
    startedEventId: wft.startedEventId,
    attempt: wft.attempt,
    workflowExecutionTaskQueue: { name: run.taskQueue, kind: TaskQueueKind.NORMAL },
    scheduledTime: timestamp(wft.scheduledTime),
    startedTime: timestamp(now),
    queries,
    messages: takeMessagesForTask(run, wft.startedEventId, !handBack?.heartbeat),
    [RAW_HISTORY]: history,
  };
}

/** Queries that rode on a started workflow task, answered by its completion. */
export const inFlightQueries = new WeakMap<object, Run['pendingQueries']>();

/** Ends the started task without completion (timeout, failure): its queries go back in line. */
function abandonTask(e: Engine, run: Run): void {
  const wft = run.wft!;
  wft.timer?.cancel();
  const qs = inFlightQueries.get(wft) ?? [];
  inFlightQueries.delete(wft);
  run.pendingQueries.unshift(...qs);
  e.clock.releaseWork(wftLockKey(run));
}

export function timeoutWorkflowTask(e: Engine, run: Run): void {
  const wft = run.wft!;
  retryTask(e, run, false, () => e.event(E.WORKFLOW_TASK_TIMED_OUT, 'workflowTaskTimedOutEventAttributes', {
    scheduledEventId: wft.scheduledEventId,
    startedEventId: wft.startedEventId,
    timeoutType: TimeoutType.START_TO_CLOSE,
  }));
}

export function failWorkflowTask(e: Engine, run: Run, cause: number, failure: Pb, identity: string, freshAttempt = false): void {
  const wft = run.wft!;
  retryTask(e, run, freshAttempt, () => e.event(E.WORKFLOW_TASK_FAILED, 'workflowTaskFailedEventAttributes', {
    scheduledEventId: wft.scheduledEventId,
    startedEventId: wft.startedEventId,
    cause,
    failure,
    identity,
  }));
}

/**
 * Ends the started task without a completion and schedules the next attempt on the normal queue.
 * Retries after the first write nothing; new events make the next task a fresh first attempt.
 */
function retryTask(e: Engine, run: Run, freshAttempt: boolean, closeEvent: () => Pb): void {
  const wft = run.wft!;
  abandonTask(e, run);
  run.sticky = null;
  if (wft.transient) {
    run.wft = null;
    run.nextWftAttempt = wft.attempt + 1;
  } else {
    e.append(run, closeEvent());
  }
  if (freshAttempt || run.buffered.length) run.nextWftAttempt = 1;
  e.flushBuffered(run);
  scheduleWorkflowTask(e, run);
}

/** Writes the held Scheduled/Started events of a transient task that is now completing. */
export function materializeTransient(e: Engine, run: Run): void {
  const wft = run.wft!;
  if (!wft.transient) return;
  const { scheduled, started } = wft.transient;
  wft.transient = undefined;
  e.append(run, scheduled);
  e.append(run, started!);
  run.wft = wft; // the fold recreated the task; keep the live one (timer, dispatch, queries)
}
