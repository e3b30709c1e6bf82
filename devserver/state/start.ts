/** Starting runs: new workflows, continue-as-new, retries and children all come through here. */
import { randomUUID } from 'node:crypto';
import { ContinueAsNewInitiator, EventType as E, TaskQueueKind } from '../enums';
import { duration, durationMs, Pb, timestamp } from '../proto';
import { Engine } from './engine';
import { Namespace } from './namespace';
import { Run } from './run';
import { scheduleWorkflowTask } from './workflow-task';
import { timeoutWorkflow } from './close';
import { cronBackoffFor } from './cron';

export interface StartParams {
  workflowId: string;
  runId?: string;
  requestId: string;
  workflowType: string;
  taskQueue: string;
  input?: Pb;
  header?: Pb;
  executionTimeoutMs: number;
  runTimeoutMs: number;
  taskTimeoutMs: number;
  retryPolicy?: Pb;
  cronSchedule?: string;
  memo?: Pb;
  searchAttributes?: Pb;
  identity: string;
  userMetadata?: Pb;
  backoffMs?: number;
  parent?: { namespace: string; workflowId: string; runId: string; initiatedEventId: number };
  root?: { workflowId: string; runId: string };
  continuedExecutionRunId?: string;
  initiator?: number;
  continuedFailure?: Pb;
  lastCompletionResult?: Pb;
  firstExecutionRunId?: string;
  attempt?: number;
  /** Execution deadline carried over from the run this one continues. */
  executionExpiration?: number;
  priority?: Pb;
  completionCallbacks?: Pb[];
  links?: Pb[];
  /** Called after the Started event, before the first workflow task is scheduled. */
  beforeFirstTask?: (run: Run) => void;
  /** Eager start: the first workflow task is started at once and handed to this worker. */
  eager?: { identity: string; take(task: Pb): void };
}

export function normalizeTaskTimeout(ms: number): number {
  if (ms <= 0) return 10_000;
  return Math.min(ms, 120_000);
}

export function startRun(e: Engine, ns: Namespace, p: StartParams): Run {
  const runId = p.runId ?? randomUUID();
  const run = e.createRun(ns, p.workflowId, runId, p.requestId);
  const now = e.now();
  // A cron workflow's first run waits for its first scheduled time (GetBackoffForNextScheduleNonNegative).
  // Its initiator is CRON_SCHEDULE from the first run on (common/util.go).
  if (p.cronSchedule && p.initiator === undefined && !p.backoffMs) {
    p = { ...p, backoffMs: cronBackoffFor(p.cronSchedule, now, now) ?? 0, initiator: ContinueAsNewInitiator.CRON_SCHEDULE };
  }
  const expiration = p.executionExpiration ?? (p.executionTimeoutMs > 0 ? now + p.executionTimeoutMs : 0);
  let runTimeout = p.runTimeoutMs;
  if (p.executionTimeoutMs > 0 && (runTimeout <= 0 || runTimeout > p.executionTimeoutMs)) runTimeout = p.executionTimeoutMs;
  e.append(run, e.event(E.WORKFLOW_EXECUTION_STARTED, 'workflowExecutionStartedEventAttributes', {
    workflowType: { name: p.workflowType },
    parentWorkflowNamespace: p.parent?.namespace ?? '',
    parentWorkflowNamespaceId: p.parent ? e.namespaceId(p.parent.namespace) : '',
    parentWorkflowExecution: p.parent ? { workflowId: p.parent.workflowId, runId: p.parent.runId } : undefined,
    parentInitiatedEventId: p.parent?.initiatedEventId ?? 0,
    taskQueue: { name: p.taskQueue, kind: TaskQueueKind.NORMAL },
    input: p.input,
    workflowExecutionTimeout: p.executionTimeoutMs > 0 ? duration(p.executionTimeoutMs) : undefined,
    workflowRunTimeout: runTimeout > 0 ? duration(runTimeout) : undefined,
    workflowTaskTimeout: duration(normalizeTaskTimeout(p.taskTimeoutMs)),
    continuedExecutionRunId: p.continuedExecutionRunId ?? '',
    initiator: p.initiator ?? 0,
    continuedFailure: p.continuedFailure,
    lastCompletionResult: p.lastCompletionResult,
    originalExecutionRunId: runId,
    identity: p.identity,
    firstExecutionRunId: p.firstExecutionRunId || runId,
    retryPolicy: p.retryPolicy,
    attempt: p.attempt ?? 1,
    workflowExecutionExpirationTime: expiration ? timestamp(expiration) : undefined,
    cronSchedule: p.cronSchedule ?? '',
    firstWorkflowTaskBackoff: p.backoffMs ? duration(p.backoffMs) : undefined,
    memo: p.memo,
    searchAttributes: p.searchAttributes,
    header: p.header,
    workflowId: p.workflowId,
    // Only a child names a root; a top-level run is its own (ApplyWorkflowExecutionStartedEvent).
    rootWorkflowExecution: p.root,
    priority: p.priority,
    completionCallbacks: p.completionCallbacks,
  }, p.userMetadata ? { userMetadata: p.userMetadata } : undefined));
  resumeRunTimers(e, run);
  p.beforeFirstTask?.(run);
  if (p.backoffMs && p.backoffMs > 0) {
    run.backoffTimer = e.clock.after(p.backoffMs, () => scheduleWorkflowTask(e, run));
    return run;
  }
  const eagerTask = scheduleWorkflowTask(e, run, p.eager && { identity: p.eager.identity });
  if (eagerTask) p.eager!.take(eagerTask);
  return run;
}

/** Arms the run and execution timeouts of an open run. */
export function resumeRunTimers(e: Engine, run: Run): void {
  if (!run.isOpen) return;
  const deadlines: number[] = [];
  if (run.runTimeoutMs > 0) deadlines.push(run.startTime + run.firstWftBackoffMs + run.runTimeoutMs);
  if (run.executionExpiration > 0) deadlines.push(run.executionExpiration);
  if (!deadlines.length) return;
  run.runTimer = e.clock.schedule(Math.min(...deadlines), () => timeoutWorkflow(e, run));
}

/** Start parameters from a StartWorkflowExecution or SignalWithStart request. */
export function paramsFromRequest(req: Pb): StartParams {
  return {
    workflowId: req.workflowId,
    requestId: req.requestId || randomUUID(),
    workflowType: req.workflowType?.name ?? '',
    taskQueue: req.taskQueue?.name ?? '',
    input: req.input,
    header: req.header,
    executionTimeoutMs: durationMs(req.workflowExecutionTimeout),
    runTimeoutMs: durationMs(req.workflowRunTimeout),
    taskTimeoutMs: durationMs(req.workflowTaskTimeout),
    retryPolicy: req.retryPolicy ?? undefined,
    cronSchedule: req.cronSchedule ?? '',
    memo: req.memo,
    searchAttributes: req.searchAttributes,
    identity: req.identity ?? '',
    userMetadata: req.userMetadata,
    backoffMs: durationMs(req.workflowStartDelay),
    priority: req.priority,
    completionCallbacks: req.completionCallbacks,
    links: req.links,
  };
}
