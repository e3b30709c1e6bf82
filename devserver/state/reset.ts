/**
 * ResetWorkflowExecution as Temporal's history service does it (ndc/workflow_resetter.go): a new
 * run of the workflow id starts from a copy of the base run's history up to the workflow task the
 * reset point finishes; that task fails with cause RESET_WORKFLOW, what came after the point is
 * applied again (reapplyEvents), and a new workflow task is scheduled. The current run, if still
 * running, is terminated by "history-resetter".
 *
 * Applied again: the signals of the base run and of the runs it continued into (unless excluded),
 * and the outcomes of children that were pending at the point (started, completed, failed...), so
 * the new run takes those children over; a child that closes later reports to the new run through
 * the base's `resetRunId` (as history.allowResetWithPendingChildren, on by default, has it). The
 * base run's children are left running for that. Updates accepted after the point come back as
 * UpdateAdmitted events, which the worker reads from history and runs again.
 * Post-reset operations other than UpdateWorkflowOptions are refused as the server refuses them;
 * this engine has no workflow options to update, so that one answers UNIMPLEMENTED.
 */
import { randomUUID } from 'node:crypto';
import { EventType as E, WftFailedCause, WorkflowStatus } from '../enums';
import { status } from '@grpc/grpc-js';
import { invalidArgument, ServiceError, unimplemented } from '../errors';
import { decode, num, Pb } from '../proto';
import { Engine } from './engine';
import { Namespace } from './namespace';
import { Run } from './run';
import { HISTORY_SERVICE, RESETTER, terminateRun } from './close';
import { scheduleWorkflowTask } from './workflow-task';
import { armTimers } from './timers';
import { resumeActivities } from './activities';
import { resumeRunTimers } from './start';

const HISTORY_EVENT = 'temporal.api.history.v1.HistoryEvent';
const REAPPLY_SIGNAL = 1; // ResetReapplyType
const REAPPLY_NONE = 2;
const EXCLUDE = { SIGNAL: 1, UPDATE: 2, NEXUS: 3, CANCEL_REQUEST: 4 }; // ResetReapplyExcludeType
const UPDATE_EVENTS = new Set<number>([E.WORKFLOW_EXECUTION_UPDATE_ADMITTED, E.WORKFLOW_EXECUTION_UPDATE_ACCEPTED]);
const ADMITTED_BY_REAPPLY = 1; // UpdateAdmittedEventOrigin
/** Child events after the point that a child pending at the point still needs (reapplyChildEvents). */
const CHILD_EVENTS: Record<number, string> = {
  [E.START_CHILD_WORKFLOW_EXECUTION_FAILED]: 'startChildWorkflowExecutionFailedEventAttributes',
  [E.CHILD_WORKFLOW_EXECUTION_STARTED]: 'childWorkflowExecutionStartedEventAttributes',
  [E.CHILD_WORKFLOW_EXECUTION_COMPLETED]: 'childWorkflowExecutionCompletedEventAttributes',
  [E.CHILD_WORKFLOW_EXECUTION_FAILED]: 'childWorkflowExecutionFailedEventAttributes',
  [E.CHILD_WORKFLOW_EXECUTION_CANCELED]: 'childWorkflowExecutionCanceledEventAttributes',
  [E.CHILD_WORKFLOW_EXECUTION_TIMED_OUT]: 'childWorkflowExecutionTimedOutEventAttributes',
  [E.CHILD_WORKFLOW_EXECUTION_TERMINATED]: 'childWorkflowExecutionTerminatedEventAttributes',
};

/** Resets `base` to `req.workflowTaskFinishEventId`; returns the new run's id. */
export function resetRun(e: Engine, ns: Namespace, base: Run, req: Pb): string {
  const finishId = num(req.workflowTaskFinishEventId);
  if (finishId <= 1 || finishId >= base.nextEventId) {
    throw invalidArgument('Workflow task finish ID must be > 1 && <= workflow last event ID.');
  }
  for (const op of req.postResetOperations ?? []) {
    if (op.updateWorkflowOptions) throw unimplemented('post-reset operation UpdateWorkflowOptions is not supported by this engine');
    throw invalidArgument(`unsupported post reset operation: ${op.signalWorkflow ? '*workflow.PostResetOperation_SignalWorkflow_' : '<nil>'}`);
  }
  const current = ns.current.get(base.workflowId);
  if (current && current.requestId === req.requestId) return current.runId; // a retried reset

  // The base run's state just before the reset point, rebuilt apart from the engine.
  const run = new Run(ns.name, base.workflowId, randomUUID());
  for (const bytes of base.history.slice(0, finishId - 1)) e.restoreEvent(run, bytes, decode(HISTORY_EVENT, bytes));
  const wft = run.wft;
  if (!wft) {
    throw invalidArgument(`Can only reset workflow to event ID in range [WorkflowTaskScheduled +1, WorkflowTaskStarted + 1]: ${finishId}`);
  }

  const excluded = excludedTypes(req);
  refuseDuplicateUpdates(run, eventsAfter(ns, base, finishId, excluded));

  const reason = String(req.reason ?? '');
  base.resetRunId = run.runId;
  // Terminating first writes what the current run held back while a task ran (signals, child
  // outcomes): it is applied again with the rest.
  if (current?.isOpen) terminateRun(e, current, reason, undefined, RESETTER);
  const later = eventsAfter(ns, base, finishId, excluded);
  e.adoptRun(ns, run, req.requestId);
  const startedEventId =
    wft.startedEventId ||
    e.append(run, e.event(E.WORKFLOW_TASK_STARTED, 'workflowTaskStartedEventAttributes', { scheduledEventId: wft.scheduledEventId, identity: HISTORY_SERVICE, requestId: randomUUID() })).eventId;
  e.append(
    run,
    e.event(E.WORKFLOW_TASK_FAILED, 'workflowTaskFailedEventAttributes', {
      scheduledEventId: wft.scheduledEventId,
      startedEventId,
      cause: WftFailedCause.RESET_WORKFLOW,
      failure: { message: reason, resetWorkflowFailureInfo: {} },
      identity: HISTORY_SERVICE,
      baseRunId: base.runId,
      newRunId: run.runId,
    }),
  );
  for (const ev of later) reapply(e, run, ev);
  scheduleWorkflowTask(e, run);
  armTimers(e, run);
  resumeActivities(e, run);
  resumeRunTimers(e, run);
  return run.runId;
}

/** The reapply exclusions a request asks for (resetworkflow/api.go GetResetReapplyExcludeTypes). */
function excludedTypes(req: Pb): Set<number> {
  const out = new Set<number>(req.resetReapplyExcludeTypes ?? []);
  if (req.resetReapplyType === REAPPLY_NONE) out.add(EXCLUDE.SIGNAL).add(EXCLUDE.UPDATE);
  else if (req.resetReapplyType === REAPPLY_SIGNAL) out.add(EXCLUDE.UPDATE);
  return out;
}

/**
 * The events after the reset point that may be applied again, in their order: signals and
 * updates from the base run and every run it continued as new into, child outcomes from the base
 * run only (a later run's initiated event ids name its own children). Nothing when every kind is
 * excluded.
 */
function eventsAfter(ns: Namespace, base: Run, finishId: number, excluded: Set<number>): Pb[] {
  if (Object.values(EXCLUDE).every((t) => excluded.has(t))) return [];
  const out: Pb[] = [];
  let from = finishId - 1;
  const next = (r: Run) => (r.status === WorkflowStatus.CONTINUED_AS_NEW && r.newExecutionRunId ? ns.runs.get(r.newExecutionRunId) : undefined);
  for (let r: Run | undefined = base; r; r = next(r)) {
    for (const bytes of r.history.slice(from)) {
      const ev = decode(HISTORY_EVENT, bytes);
      const kind = ev.eventType;
      const wanted =
        kind === E.WORKFLOW_EXECUTION_SIGNALED ? !excluded.has(EXCLUDE.SIGNAL)
        : UPDATE_EVENTS.has(kind) ? !excluded.has(EXCLUDE.UPDATE)
        : r === base && kind in CHILD_EVENTS;
      if (wanted) out.push(ev);
    }
    from = 0;
  }
  return out;
}

/**
 * The request an update event brings back, admitted again in the new run: an UpdateAdmitted
 * event's, or an UpdateAccepted event's when it holds it (one without had an UpdateAdmitted
 * event before it, which brings the request back itself).
 */
function reappliedRequest(ev: Pb): Pb | undefined {
  const admitted = ev.workflowExecutionUpdateAdmittedEventAttributes;
  return (admitted ? admitted.request : ev.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest) ?? undefined;
}

/**
 * An update id met twice (in the rebuilt run or among those applied again) fails the reset, as
 * the server's AddWorkflowExecutionUpdateAdmittedEvent does, before anything is changed. (Updates
 * never wait in a run's buffer, so the events read before the current run is terminated hold all.)
 */
function refuseDuplicateUpdates(run: Run, later: Pb[]): void {
  const seen = new Set(run.updates.keys());
  for (const ev of later) {
    const id: string | undefined = UPDATE_EVENTS.has(ev.eventType) ? reappliedRequest(ev)?.meta?.updateId : undefined;
    if (id === undefined) continue;
    if (seen.has(id)) throw new ServiceError(status.INTERNAL, `Update ID ${id} is already present in mutable state`);
    seen.add(id);
  }
}

/** Writes one event from after the point into the new run, as the history service's reapplyEvents does. */
function reapply(e: Engine, run: Run, ev: Pb): void {
  if (ev.eventType === E.WORKFLOW_EXECUTION_SIGNALED) {
    const a = ev.workflowExecutionSignaledEventAttributes;
    e.append(run, e.event(E.WORKFLOW_EXECUTION_SIGNALED, 'workflowExecutionSignaledEventAttributes', { signalName: a.signalName, input: a.input, identity: a.identity, header: a.header }));
    return;
  }
  if (UPDATE_EVENTS.has(ev.eventType)) {
    // The update comes back admitted and runs again in the new run.
    const request = reappliedRequest(ev);
    if (!request) return;
    const admitted = ev.workflowExecutionUpdateAdmittedEventAttributes;
    const origin = admitted ? admitted.origin : ADMITTED_BY_REAPPLY;
    e.append(run, e.event(E.WORKFLOW_EXECUTION_UPDATE_ADMITTED, 'workflowExecutionUpdateAdmittedEventAttributes', { request, origin }));
    return;
  }
  const key = CHILD_EVENTS[ev.eventType];
  const a = ev[key];
  const child = run.children.get(num(a.initiatedEventId));
  if (!child || (ev.eventType === E.CHILD_WORKFLOW_EXECUTION_STARTED && child.startedEventId)) return;
  const startedEventId = ev.eventType === E.CHILD_WORKFLOW_EXECUTION_STARTED || ev.eventType === E.START_CHILD_WORKFLOW_EXECUTION_FAILED ? undefined : child.startedEventId;
  e.append(run, e.event(ev.eventType, key, startedEventId === undefined ? a : { ...a, startedEventId }));
}
