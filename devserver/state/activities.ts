/**
 * The activity state machine: dispatch, start, heartbeat, retry with backoff (retries write no
 * events), the four timeouts, cancellation, and the final Started + close events.
 */
import { EventType as E, RetryState, TimeoutType } from '../enums';
import { notFound } from '../errors';
import { durationMs, jsonPayload, Pb, timestamp } from '../proto';
import { Engine } from './engine';
import { ActivityState, Run } from './run';
import { isNonRetryable, nextBackoff } from './retry';
import { decodeToken, encodeToken } from './tokens';
import { scheduleWorkflowTask } from './workflow-task';

const live = (run: Run, act: ActivityState) => run.isOpen && run.activities.get(act.scheduledEventId) === act;

/** Activity attempts started, by how they reached a worker (`--log-level debug` prints them at exit). */
export const activityStarts = { polled: 0, eager: 0 };

export function dispatchActivity(e: Engine, run: Run, act: ActivityState): void {
  act.phase = 'scheduled';
  act.attemptScheduledTime = e.now();
  const attempt = act.attempt;
  holdAttempt(e, run, act);
  e.ns(run.namespace).queues.act(act.taskQueue).add({
    take: (identity) => {
      const task = startActivity(e, run, act, attempt, identity);
      if (task) activityStarts.polled++;
      return task;
    },
  });
  if (act.scheduleToStartMs > 0) {
    act.timers.push(e.clock.after(act.scheduleToStartMs, () => {
      if (live(run, act) && act.attempt === attempt && act.phase === 'scheduled') timeOut(e, run, act, TimeoutType.SCHEDULE_TO_START, true);
    }));
  }
}

/** An attempt in flight holds time skipping; the first one also arms the schedule-to-close bound. */
function holdAttempt(e: Engine, run: Run, act: ActivityState): void {
  e.clock.holdWork(act);
  if (act.attempt === 1 && act.scheduleToCloseMs > 0) {
    act.timers.push(e.clock.schedule(act.scheduledTime + act.scheduleToCloseMs, () => {
      if (live(run, act)) timeOut(e, run, act, TimeoutType.SCHEDULE_TO_CLOSE, true);
    }));
  }
}

/**
 * Eager activity execution (history's handlePostCommandEagerExecuteActivity): the first attempt of
 * an activity just scheduled by a workflow task completion is started at once for the worker that
 * completed the task, and its task goes back in the completion's response instead of through
 * matching. Retries and timeouts are those of any started attempt; later attempts are dispatched
 * to the task queue as usual. Returns undefined when the activity is gone (closed or cancelled by
 * the same completion).
 */
export function startActivityEagerly(e: Engine, run: Run, act: ActivityState, identity: string): Pb | undefined {
  if (!live(run, act) || act.phase !== 'scheduled' || act.attempt !== 1) return undefined;
  act.attemptScheduledTime = act.scheduledTime;
  holdAttempt(e, run, act);
  activityStarts.eager++;
  return startActivity(e, run, act, act.attempt, identity);
}

function startActivity(e: Engine, run: Run, act: ActivityState, attempt: number, identity: string): Pb | undefined {
  if (!live(run, act) || act.attempt !== attempt || act.phase !== 'scheduled') return undefined;
  const now = e.now();
  act.phase = 'started';
  act.startedTime = now;
  act.startedIdentity = identity;
  act.lastHeartbeatTime = 0; // none yet: the heartbeat timeout counts from the start
  if (act.startToCloseMs > 0) {
    act.timers.push(e.clock.after(act.startToCloseMs, () => {
      if (live(run, act) && act.attempt === attempt && act.phase === 'started') timeOut(e, run, act, TimeoutType.START_TO_CLOSE, false);
    }));
  }
  if (act.heartbeatMs > 0) armHeartbeatTimer(e, run, act, attempt);
  return {
    taskToken: encodeToken({ k: 'a', n: run.namespace, w: run.workflowId, r: run.runId, s: act.scheduledEventId, a: attempt }),
    workflowNamespace: run.namespace,
    workflowType: { name: run.workflowType },
    workflowExecution: { workflowId: run.workflowId, runId: run.runId },
    activityType: { name: act.activityType },
    activityId: act.activityId,
    header: act.header,
    input: act.input,
    heartbeatDetails: act.heartbeatDetails,
    scheduledTime: timestamp(act.scheduledTime),
    currentAttemptScheduledTime: timestamp(act.attemptScheduledTime),
    startedTime: timestamp(now),
    attempt,
    scheduleToCloseTimeout: ms(act.scheduleToCloseMs),
    startToCloseTimeout: ms(act.startToCloseMs),
    heartbeatTimeout: ms(act.heartbeatMs),
    retryPolicy: act.retryPolicy,
  };
}

/** Timeouts always travel as durations; zero means none, as the SDK expects. */
const ms = (v: number) => ({ seconds: Math.floor(v / 1000), nanos: (v % 1000) * 1e6 });

function armHeartbeatTimer(e: Engine, run: Run, act: ActivityState, attempt: number): void {
  const due = () => (act.lastHeartbeatTime || act.startedTime) + act.heartbeatMs;
  act.timers.push(e.clock.schedule(due(), () => {
    if (!live(run, act) || act.attempt !== attempt || act.phase !== 'started') return;
    if (e.now() >= due()) timeOut(e, run, act, TimeoutType.HEARTBEAT, false);
    else armHeartbeatTimer(e, run, act, attempt);
  }));
}

/** The activity named by a task token, if that attempt is still running. */
export function findActivity(e: Engine, token: Uint8Array): { run: Run; act: ActivityState } {
  const t = decodeToken(token, 'a');
  const run = e.ns(t.n).runs.get(t.r);
  if (!run) throw notFound('workflow execution not found');
  if (!run.isOpen) throw notFound('workflow execution already completed');
  const act = run.activities.get(t.s);
  if (!act || act.attempt !== t.a || act.phase !== 'started') throw notFound('activity task not found');
  return { run, act };
}

/**
 * The pending activity a by-id call names. Only a started attempt can heartbeat, fail or be
 * cancelled by id; completing by id also takes an activity not started (scheduled, or waiting out
 * a retry), whose Started event the completion then writes (respondactivitytaskcompleted/api.go).
 */
export function findActivityById(e: Engine, req: Pb, completing = false): { run: Run; act: ActivityState } {
  const run = e.findRun(req.namespace, req.workflowId, req.runId || undefined);
  if (!run.isOpen) throw notFound('workflow execution already completed');
  for (const act of run.activities.values()) {
    if (act.activityId !== req.activityId) continue;
    if (act.phase !== 'started') {
      if (!completing) break;
      act.phase = 'started';
      act.startedTime = e.now();
    }
    return { run, act };
  }
  throw notFound('activity task not found');
}

export function heartbeat(e: Engine, run: Run, act: ActivityState, details: Pb): Pb {
  // What the last heartbeat said, nothing included (UpdateActivityProgress).
  act.heartbeatDetails = details ?? null;
  act.lastHeartbeatTime = e.now();
  return { cancelRequested: act.cancelRequested, activityPaused: false, activityReset: false };
}

/** Writes ActivityTaskStarted (with the final attempt) followed by the close event. */
function closeActivity(e: Engine, run: Run, act: ActivityState, type: number, key: string, attrs: Pb, wroteStart: boolean): void {
  for (const t of act.timers) t.cancel();
  act.timers = [];
  run.activities.delete(act.scheduledEventId); // gone at once, even if the events wait in the buffer
  e.clock.releaseWork(act);
  if (wroteStart) {
    // Dated when the attempt started (addStartedEventForTransientActivity).
    e.appendOrBuffer(run, e.event(E.ACTIVITY_TASK_STARTED, 'activityTaskStartedEventAttributes', {
      scheduledEventId: act.scheduledEventId,
      identity: act.startedIdentity,
      requestId: `${act.scheduledEventId}-${act.attempt}`,
      attempt: act.attempt,
      lastFailure: act.lastFailure ?? undefined,
    }, act.startedTime ? { eventTime: timestamp(act.startedTime) } : undefined));
  }
  e.appendOrBuffer(run, e.event(type, key, { scheduledEventId: act.scheduledEventId, startedEventId: wroteStart ? -1 : 0, ...attrs }));
  scheduleWorkflowTask(e, run);
}

export function completeActivity(e: Engine, run: Run, act: ActivityState, result: Pb, identity: string): void {
  closeActivity(e, run, act, E.ACTIVITY_TASK_COMPLETED, 'activityTaskCompletedEventAttributes', { result, identity }, true);
}

export function cancelActivity(e: Engine, run: Run, act: ActivityState, details: Pb, identity: string): void {
  closeActivity(e, run, act, E.ACTIVITY_TASK_CANCELED, 'activityTaskCanceledEventAttributes', {
    details,
    identity,
    latestCancelRequestedEventId: act.cancelRequestedEventId ?? 0,
  }, true);
}

export function failActivity(e: Engine, run: Run, act: ActivityState, failure: Pb, identity: string, heartbeatDetails?: Pb): void {
  if (heartbeatDetails) act.heartbeatDetails = heartbeatDetails;
  act.lastWorkerIdentity = identity;
  // A delay the failure asks for, zero included (nextRetryDelayFrom).
  const asked = failure?.applicationFailureInfo?.nextRetryDelay;
  const explicit = asked ? durationMs(asked) : undefined;
  const decision = act.cancelRequested
    ? { state: RetryState.CANCEL_REQUESTED }
    : isNonRetryable(act.retryPolicy, failure)
      ? { state: RetryState.NON_RETRYABLE_FAILURE }
      : retryOrGiveUp(e, act, explicit);
  if (decision.backoffMs !== undefined) return backoff(e, run, act, failure, decision.backoffMs);
  closeActivity(e, run, act, E.ACTIVITY_TASK_FAILED, 'activityTaskFailedEventAttributes', { failure, identity, retryState: decision.state }, true);
}

function retryOrGiveUp(e: Engine, act: ActivityState, explicitDelay?: number): { state: number; backoffMs?: number } {
  const delay = explicitDelay ?? nextBackoff(act.retryPolicy, act.attempt);
  const maxAttempts = act.retryPolicy.maximumAttempts || 0;
  if (delay === undefined || (maxAttempts > 0 && act.attempt >= maxAttempts)) return { state: RetryState.MAXIMUM_ATTEMPTS_REACHED };
  // No interval at all leaves no time to retry in (nextBackoffInterval).
  if (delay <= 0) return { state: RetryState.TIMEOUT };
  if (act.scheduleToCloseMs > 0 && e.now() + delay >= act.scheduledTime + act.scheduleToCloseMs) return { state: RetryState.TIMEOUT };
  return { state: RetryState.IN_PROGRESS, backoffMs: delay };
}

function backoff(e: Engine, run: Run, act: ActivityState, failure: Pb, delay: number): void {
  act.lastFailure = failure;
  act.phase = 'backoff';
  act.attempt++;
  // As UpdateActivityInfoForRetries leaves it: the next attempt's time, no attempt started.
  act.lastAttemptCompleteTime = e.now();
  act.retryIntervalMs = delay;
  act.attemptScheduledTime = e.now() + delay;
  act.startedTime = 0;
  act.lastHeartbeatTime = 0;
  e.clock.releaseWork(act);
  act.timers.push(e.clock.after(delay, () => {
    if (live(run, act) && act.phase === 'backoff') dispatchActivity(e, run, act);
  }));
}

function timeOut(e: Engine, run: Run, act: ActivityState, timeoutType: number, final: boolean): void {
  const names: Record<number, string> = {
    [TimeoutType.START_TO_CLOSE]: 'StartToClose',
    [TimeoutType.SCHEDULE_TO_START]: 'ScheduleToStart',
    [TimeoutType.SCHEDULE_TO_CLOSE]: 'ScheduleToClose',
    [TimeoutType.HEARTBEAT]: 'Heartbeat',
  };
  // The bare timeout is what a retry remembers as the last failure (NewTimeoutFailure).
  const failureOf = (type: number): Pb => ({ message: `activity ${names[type]} timeout`, source: 'Server', timeoutFailureInfo: { timeoutType: type } });
  let failure = failureOf(timeoutType);
  // Schedule-to-start and schedule-to-close timeouts are final, as the server's isRetryable has
  // it; the others are not retried once cancellation was asked for, or when the policy lists them.
  const decision = final
    ? { state: timeoutType === TimeoutType.SCHEDULE_TO_START ? RetryState.NON_RETRYABLE_FAILURE : RetryState.TIMEOUT }
    : act.cancelRequested
      ? { state: RetryState.CANCEL_REQUESTED }
      : isNonRetryable(act.retryPolicy, failure)
        ? { state: RetryState.NON_RETRYABLE_FAILURE }
        : retryOrGiveUp(e, act);
  if (decision.backoffMs !== undefined) return backoff(e, run, act, failure, decision.backoffMs);
  // A retry that would pass schedule-to-close ends the activity as a schedule-to-close timeout.
  if (!final && decision.state === RetryState.TIMEOUT) failure = failureOf(TimeoutType.SCHEDULE_TO_CLOSE);
  // The final timeout carries the last heartbeat's details and the failure of the attempt before.
  failure.timeoutFailureInfo.lastHeartbeatDetails = act.heartbeatDetails ?? undefined;
  failure.cause = act.lastFailure ?? undefined;
  closeActivity(e, run, act, E.ACTIVITY_TASK_TIMED_OUT, 'activityTaskTimedOutEventAttributes', {
    failure,
    retryState: decision.state,
  }, act.phase === 'started');
}

/**
 * RequestCancelActivityTask: a running activity hears of it by heartbeat; any other is cancelled
 * now, and then returns true: the workflow needs a task to learn of it. An activity whose close
 * event waits in the buffer gets the request written all the same (validateCommand lets only
 * those and pending activities through).
 */
export function requestCancelActivity(e: Engine, run: Run, scheduledEventId: number, completedEventId: number, identity: string): boolean {
  const act = run.activities.get(scheduledEventId);
  const ev = e.append(run, e.event(E.ACTIVITY_TASK_CANCEL_REQUESTED, 'activityTaskCancelRequestedEventAttributes', {
    scheduledEventId,
    workflowTaskCompletedEventId: completedEventId,
  }));
  if (!act) return false;
  act.cancelRequestedEventId = ev.eventId;
  if (act.phase !== 'started') {
    for (const t of act.timers) t.cancel();
    run.activities.delete(scheduledEventId);
    e.clock.releaseWork(act);
    // In the words of handleCommandRequestCancelActivity.
    e.append(run, e.event(E.ACTIVITY_TASK_CANCELED, 'activityTaskCanceledEventAttributes', {
      scheduledEventId,
      startedEventId: 0,
      latestCancelRequestedEventId: ev.eventId,
      details: { payloads: [jsonPayload('ACTIVITY_ID_NOT_STARTED')] },
      identity,
    }));
    return true;
  }
  return false;
}

/** Puts back in line the activities of a run restored from the log (their attempt restarts). */
export function resumeActivities(e: Engine, run: Run): void {
  for (const act of run.pendingActivities) dispatchActivity(e, run, act);
}
