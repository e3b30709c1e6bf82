/** Closing a run: completion, failure with retry, timeouts, termination, continue-as-new. */
import { ContinueAsNewInitiator, EventType as E, ParentClosePolicy, RetryState, TimeoutType, WftFailedCause } from '../enums';
import { randomUUID } from 'node:crypto';
import { decode, durationMs, jsonPayload, Pb } from '../proto';
import { Engine } from './engine';
import { Run } from './run';
import { isNonRetryable, nextBackoff, retryDefaults } from './retry';
import { cronBackoffFor } from './cron';
import { startRun } from './start';
import { wftLockKey, scheduleWorkflowTask } from './workflow-task';
import { notifyParentOfClose } from './children';
import { dispatchWaitingQueries } from './queries';
import { abortPendingUpdates } from './updates';

/** The identity that terminates the current run when a reset replaces it. */
export const RESETTER = 'history-resetter';
/** The identity the history service acts in on its own (the server's consts.IdentityHistoryService). */
export const HISTORY_SERVICE = 'history-service';

/** Writes the close event and lets go of everything the run had pending. */
export function closeRun(e: Engine, run: Run, type: number, key: string, attrs: Pb): Pb {
  const ev = e.append(run, e.event(type, key, attrs));
  releaseRun(e, run);
  // A run a reset replaces goes on in its new run: its parent hears from that one, and its
  // children stay for the new run to take over (transfer_queue_active_task_executor.go).
  const replaced = type === E.WORKFLOW_EXECUTION_TERMINATED && attrs.identity === RESETTER;
  if (type !== E.WORKFLOW_EXECUTION_CONTINUED_AS_NEW && !run.newExecutionRunId && !replaced) {
    notifyParentOfClose(e, run, ev);
  }
  if (!(replaced && run.resetRunId)) applyParentClosePolicies(e, run);
  for (const hook of e.hooks.onClose) hook(run, ev);
  abortPendingUpdates(run);
  dispatchWaitingQueries(e, run);
  return ev;
}

function releaseRun(e: Engine, run: Run): void {
  run.runTimer?.cancel();
  run.backoffTimer?.cancel();
  for (const t of run.pendingTimers) t.handle?.cancel();
  for (const a of run.pendingActivities) {
    for (const t of a.timers) t.cancel();
    e.clock.releaseWork(a); // an activity in flight holds time skipping by its state
  }
  e.clock.releaseWork(wftLockKey(run));
  run.sticky = null;
}

/** How an in-flight task is recorded as failed when its run is closed from outside. */
export interface TaskFailure {
  cause: number;
  failure?: Pb;
  identity: string;
}

/**
 * Closes an open run from outside (terminate, timeout): an in-flight task is failed first, in the
 * history service's name as the server's failWorkflowTask does (workflow/util.go).
 */
function forceClose(e: Engine, run: Run, type: number, key: string, attrs: Pb, taskFailure?: TaskFailure): Pb {
  const wft = run.wft;
  if (wft && wft.startedEventId && !wft.transient) {
    wft.timer?.cancel();
    e.append(run, e.event(E.WORKFLOW_TASK_FAILED, 'workflowTaskFailedEventAttributes', {
      scheduledEventId: wft.scheduledEventId,
      startedEventId: wft.startedEventId,
      cause: taskFailure?.cause ?? WftFailedCause.FORCE_CLOSE_COMMAND,
      failure: taskFailure?.failure,
      identity: taskFailure?.identity ?? HISTORY_SERVICE,
    }));
  }
  run.wft = null;
  e.flushBuffered(run);
  return closeRun(e, run, type, key, attrs);
}

export function terminateRun(e: Engine, run: Run, reason: string, details: Pb, identity: string, taskFailure?: TaskFailure): void {
  forceClose(e, run, E.WORKFLOW_EXECUTION_TERMINATED, 'workflowExecutionTerminatedEventAttributes', { reason, details, identity }, taskFailure);
}

/**
 * Asks an open run to cancel. Cancellation is idempotent: a run already asked (even by an event
 * still held while a task runs) is left as it is (requestcancelworkflow/api.go). Returns whether
 * a request was written.
 */
/**
 * Terminates the running workflow that a start with TERMINATE_IF_RUNNING or TERMINATE_EXISTING
 * replaces, in the words of the server's workflow_id_dedup.go.
 */
export function terminateForNewRun(e: Engine, run: Run, newRunId: string): void {
  const details = { payloads: [jsonPayload(`terminated by new runID: ${newRunId}`)] };
  terminateRun(e, run, 'TerminateIfRunning WorkflowIdReusePolicy', details, HISTORY_SERVICE);
}

export function requestCancelRun(e: Engine, run: Run, attrs: Pb): boolean {
  if (run.cancelRequested || run.buffered.some((ev) => ev.eventType === E.WORKFLOW_EXECUTION_CANCEL_REQUESTED)) return false;
  e.appendOrBuffer(run, e.event(E.WORKFLOW_EXECUTION_CANCEL_REQUESTED, 'workflowExecutionCancelRequestedEventAttributes', attrs));
  scheduleWorkflowTask(e, run);
  return true;
}

/** The failure a run timeout hands to the retry or cron run after it (executeWorkflowRunTimeoutTask). */
const RUN_TIMEOUT_FAILURE = { message: 'workflow timeout', source: 'Server', timeoutFailureInfo: { timeoutType: TimeoutType.START_TO_CLOSE } };

/**
 * What follows a run that failed or timed out: a retry when its policy allows one, else the next
 * cron run, else nothing. A run past its execution deadline gets neither (retry state TIMEOUT).
 */
function nextAfterFailure(e: Engine, run: Run, failure: Pb, timedOut: boolean): { state: number; next?: () => void; newRunId: string } {
  if (timedOut && run.executionExpiration && e.now() >= run.executionExpiration) return { state: RetryState.TIMEOUT, newRunId: '' };
  const retry = retryDecision(e, run, failure, timedOut);
  const newRunId = nextRunId();
  if (retry.backoffMs !== undefined) return { state: retry.state, newRunId, next: () => startRetry(e, run, newRunId, retry.backoffMs!, failure) };
  const cron = cronBackoff(e, run);
  if (cron !== undefined) return { state: retry.state, newRunId, next: () => startCronRun(e, run, newRunId, cron, undefined, failure) };
  return { state: retry.state, newRunId: '' };
}

export function timeoutWorkflow(e: Engine, run: Run): void {
  if (!run.isOpen) return;
  const after = nextAfterFailure(e, run, RUN_TIMEOUT_FAILURE, true);
  forceClose(e, run, E.WORKFLOW_EXECUTION_TIMED_OUT, 'workflowExecutionTimedOutEventAttributes', {
    retryState: after.state,
    newExecutionRunId: after.newRunId,
  });
  after.next?.();
}

export function failOrRetryWorkflow(e: Engine, run: Run, failure: Pb, completedEventId: number): void {
  const after = nextAfterFailure(e, run, failure, false);
  closeRun(e, run, E.WORKFLOW_EXECUTION_FAILED, 'workflowExecutionFailedEventAttributes', {
    failure,
    retryState: after.state,
    workflowTaskCompletedEventId: completedEventId,
    newExecutionRunId: after.newRunId,
  });
  after.next?.();
}

/** A completion: a cron workflow's next run starts at its next scheduled time (handleCron). */
export function completeWorkflow(e: Engine, run: Run, result: Pb, completedEventId: number): void {
  const cron = cronBackoff(e, run);
  const newRunId = cron !== undefined ? nextRunId() : '';
  closeRun(e, run, E.WORKFLOW_EXECUTION_COMPLETED, 'workflowExecutionCompletedEventAttributes', {
    result,
    workflowTaskCompletedEventId: completedEventId,
    newExecutionRunId: newRunId,
  });
  if (newRunId) startCronRun(e, run, newRunId, cron!, result, undefined);
}

/** The wait until a cron run's next time, counted from its scheduled start (GetCronBackoffDuration). */
function cronBackoff(e: Engine, run: Run): number | undefined {
  return cronBackoffFor(run.cronSchedule, run.executionTime, e.now());
}

/** The next run of a cron workflow: attempt 1, the last result (or the one before a failure). */
function startCronRun(e: Engine, run: Run, runId: string, backoffMs: number, result: Pb, failure: Pb): void {
  const lastCompletionResult = failure ? startedAttributes(run).lastCompletionResult : result;
  startFollowingRun(e, run, runId, backoffMs, failure, ContinueAsNewInitiator.CRON_SCHEDULE, 1, lastCompletionResult);
}

function startRetry(e: Engine, run: Run, runId: string, backoffMs: number, failure: Pb): void {
  startFollowingRun(e, run, runId, backoffMs, failure, ContinueAsNewInitiator.RETRY, run.attempt + 1, undefined);
}

/**
 * A retry or cron run (SetupNewWorkflowForRetryOrCron): the same start, a failure handed on (a
 * run timeout's too), and the execution deadline of the whole chain.
 */
function startFollowingRun(e: Engine, run: Run, runId: string, backoffMs: number, failure: Pb, initiator: number, attempt: number, lastCompletionResult: Pb): void {
  const started = startedAttributes(run);
  startRun(e, e.ns(run.namespace), {
    ...inherited(run, started),
    runId,
    requestId: runId,
    input: started.input,
    header: started.header,
    memo: { fields: run.memo },
    searchAttributes: { indexedFields: run.searchAttributes },
    identity: started.identity ?? '',
    backoffMs,
    continuedExecutionRunId: run.runId,
    initiator,
    continuedFailure: failure,
    lastCompletionResult,
    attempt,
  });
}

const nextRunId = (): string => randomUUID();

function retryDecision(e: Engine, run: Run, failure: Pb, timedOut: boolean): { state: number; backoffMs?: number } {
  if (!run.retryPolicy) return { state: RetryState.RETRY_POLICY_NOT_SET };
  const policy = retryDefaults(run.retryPolicy);
  if (!timedOut && isNonRetryable(policy, failure)) return { state: RetryState.NON_RETRYABLE_FAILURE };
  let backoff = nextBackoff(policy, run.attempt);
  // A delay the failure asks for replaces the policy's, within its maximum interval (getBackoffInterval).
  const asked = failure?.applicationFailureInfo?.nextRetryDelay;
  if (asked && backoff !== undefined) {
    const cap = durationMs(policy.maximumInterval);
    backoff = durationMs(asked) > 0 && durationMs(asked) <= cap ? durationMs(asked) : cap;
  }
  if (backoff === undefined) return { state: RetryState.MAXIMUM_ATTEMPTS_REACHED };
  if (run.executionExpiration && e.now() + backoff >= run.executionExpiration) return { state: RetryState.TIMEOUT };
  return { state: RetryState.IN_PROGRESS, backoffMs: backoff };
}

export function continueAsNew(e: Engine, run: Run, a: Pb, completedEventId: number): void {
  const newRunId = nextRunId();
  const started = startedAttributes(run);
  closeRun(e, run, E.WORKFLOW_EXECUTION_CONTINUED_AS_NEW, 'workflowExecutionContinuedAsNewEventAttributes', {
    newExecutionRunId: newRunId,
    workflowType: a.workflowType?.name ? a.workflowType : { name: run.workflowType },
    taskQueue: { name: a.taskQueue?.name || run.taskQueue, kind: 1 },
    input: a.input,
    workflowRunTimeout: a.workflowRunTimeout,
    workflowTaskTimeout: a.workflowTaskTimeout,
    workflowTaskCompletedEventId: completedEventId,
    backoffStartInterval: a.backoffStartInterval,
    initiator: a.initiator || ContinueAsNewInitiator.WORKFLOW,
    failure: a.failure,
    lastCompletionResult: a.lastCompletionResult,
    header: a.header,
    memo: a.memo,
    searchAttributes: a.searchAttributes,
  });
  startRun(e, e.ns(run.namespace), {
    ...inherited(run, started),
    runId: newRunId,
    requestId: newRunId,
    workflowType: a.workflowType?.name || run.workflowType,
    taskQueue: a.taskQueue?.name || run.taskQueue,
    runTimeoutMs: durationMs(a.workflowRunTimeout) || run.runTimeoutMs,
    taskTimeoutMs: durationMs(a.workflowTaskTimeout) || run.workflowTaskTimeoutMs,
    retryPolicy: a.retryPolicy ?? run.retryPolicy ?? undefined,
    input: a.input,
    header: a.header,
    memo: a.memo ?? { fields: run.memo },
    searchAttributes: a.searchAttributes ?? { indexedFields: run.searchAttributes },
    identity: started.identity ?? '',
    backoffMs: durationMs(a.backoffStartInterval),
    continuedExecutionRunId: run.runId,
    initiator: a.initiator || ContinueAsNewInitiator.WORKFLOW,
    continuedFailure: a.failure,
    lastCompletionResult: a.lastCompletionResult,
    attempt: 1,
  });
}

function startedAttributes(run: Run): Pb {
  return decode('temporal.api.history.v1.HistoryEvent', run.history[0]).workflowExecutionStartedEventAttributes;
}

function inherited(run: Run, started: Pb) {
  return {
    workflowId: run.workflowId,
    workflowType: run.workflowType,
    taskQueue: run.taskQueue,
    executionTimeoutMs: durationMs(started.workflowExecutionTimeout),
    runTimeoutMs: run.runTimeoutMs,
    taskTimeoutMs: run.workflowTaskTimeoutMs,
    retryPolicy: run.retryPolicy ?? undefined,
    cronSchedule: run.cronSchedule,
    parent: run.parent ?? undefined,
    // Only a child passes its root on; a top-level workflow's next run is its own root (retry.go,
    // and the server's continue-as-new).
    root: run.parent ? (run.root ?? undefined) : undefined,
    firstExecutionRunId: run.firstExecutionRunId,
    executionExpiration: run.executionExpiration || undefined,
  };
}

function applyParentClosePolicies(e: Engine, run: Run): void {
  for (const child of run.pendingChildren) {
    if (!child.runId || child.parentClosePolicy === ParentClosePolicy.ABANDON) continue;
    const ns = e.namespaces.get(child.namespace);
    const target = ns?.current.get(child.workflowId);
    // Only a child of this run, as the server's ChildWorkflowOnly request with the child's first
    // run id: a child a reset run took over keeps its old parent and is left alone.
    if (!target || !target.isOpen || target.parent?.runId !== run.runId || target.firstExecutionRunId !== child.runId) continue;
    // As the server's applyParentClosePolicy asks: in the history service's name, the cancel
    // request naming the parent and giving no reason.
    if (child.parentClosePolicy === ParentClosePolicy.REQUEST_CANCEL) {
      requestCancelRun(e, target, { identity: HISTORY_SERVICE, externalWorkflowExecution: { workflowId: run.workflowId, runId: run.runId } });
    } else {
      terminateRun(e, target, 'by parent close policy', undefined, HISTORY_SERVICE);
    }
  }
}
