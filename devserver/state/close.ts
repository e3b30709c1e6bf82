/** Closing a run: completion, failure with retry, timeouts, termination, continue-as-new. */
import { ContinueAsNewInitiator, EventType as E, ParentClosePolicy, RetryState, WftFailedCause } from '../enums';
import { randomUUID } from 'node:crypto';
import { decode, durationMs, Pb } from '../proto';
import { Engine } from './engine';
import { Run } from './run';
import { isNonRetryable, nextBackoff, retryDefaults } from './retry';
import { startRun } from './start';
import { wftLockKey, scheduleWorkflowTask } from './workflow-task';
import { notifyParentOfClose } from './children';
import { dispatchWaitingQueries } from './queries';
import { abortPendingUpdates } from './updates';

/** The identity that terminates the current run when a reset replaces it. */
export const RESETTER = 'history-resetter';

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
      identity: taskFailure?.identity ?? 'history-service',
    }));
  }
  run.wft = null;
  e.flushBuffered(run);
  return closeRun(e, run, type, key, attrs);
}

export function terminateRun(e: Engine, run: Run, reason: string, details: Pb, identity: string, taskFailure?: TaskFailure): void {
  forceClose(e, run, E.WORKFLOW_EXECUTION_TERMINATED, 'workflowExecutionTerminatedEventAttributes', { reason, details, identity }, taskFailure);
}

export function requestCancelRun(e: Engine, run: Run, attrs: Pb): void {
  e.appendOrBuffer(run, e.event(E.WORKFLOW_EXECUTION_CANCEL_REQUESTED, 'workflowExecutionCancelRequestedEventAttributes', attrs));
  scheduleWorkflowTask(e, run);
}

export function timeoutWorkflow(e: Engine, run: Run): void {
  if (!run.isOpen) return;
  const retry = retryDecision(e, run, undefined, true);
  const newRunId = retry.backoffMs !== undefined ? nextRunId() : '';
  forceClose(e, run, E.WORKFLOW_EXECUTION_TIMED_OUT, 'workflowExecutionTimedOutEventAttributes', {
    retryState: retry.state,
    newExecutionRunId: newRunId,
  });
  if (newRunId) startRetry(e, run, newRunId, retry.backoffMs!, undefined);
}

export function failOrRetryWorkflow(e: Engine, run: Run, failure: Pb, completedEventId: number): void {
  const retry = retryDecision(e, run, failure, false);
  const newRunId = retry.backoffMs !== undefined ? nextRunId() : '';
  closeRun(e, run, E.WORKFLOW_EXECUTION_FAILED, 'workflowExecutionFailedEventAttributes', {
    failure,
    retryState: retry.state,
    workflowTaskCompletedEventId: completedEventId,
    newExecutionRunId: newRunId,
  });
  if (newRunId) startRetry(e, run, newRunId, retry.backoffMs!, failure);
}

const nextRunId = (): string => randomUUID();

function retryDecision(e: Engine, run: Run, failure: Pb, timedOut: boolean): { state: number; backoffMs?: number } {
  if (!run.retryPolicy) return { state: RetryState.RETRY_POLICY_NOT_SET };
  const policy = retryDefaults(run.retryPolicy);
  if (!timedOut && isNonRetryable(policy, failure)) return { state: RetryState.NON_RETRYABLE_FAILURE };
  const backoff = nextBackoff(policy, run.attempt);
  if (backoff === undefined) return { state: RetryState.MAXIMUM_ATTEMPTS_REACHED };
  if (run.executionExpiration && e.now() + backoff >= run.executionExpiration) return { state: RetryState.TIMEOUT };
  return { state: RetryState.IN_PROGRESS, backoffMs: backoff };
}

function startRetry(e: Engine, run: Run, runId: string, backoffMs: number, failure: Pb): void {
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
    initiator: ContinueAsNewInitiator.RETRY,
    continuedFailure: failure,
    attempt: run.attempt + 1,
  });
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
    root: run.root ?? undefined,
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
    if (child.parentClosePolicy === ParentClosePolicy.REQUEST_CANCEL) {
      requestCancelRun(e, target, { cause: 'by parent close policy', identity: 'engine' });
    } else {
      terminateRun(e, target, 'by parent close policy', undefined, 'engine');
    }
  }
}
