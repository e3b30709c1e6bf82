/**
 * ResetWorkflowExecution as Temporal's history service does it (ndc/workflow_resetter.go): a new
 * run of the workflow id starts from a copy of the base run's history up to the workflow task the
 * reset point finishes; that task fails with cause RESET_WORKFLOW, the signals that came after the
 * point (in the base run and the runs it continued into) are written again, and a new workflow
 * task is scheduled. The current run, if still running, is terminated by "history-resetter".
 * Updates after the point are not applied again. A rebuilt run with pending children is refused
 * with the server's message for history.allowResetWithPendingChildren=false (the server's default
 * is to allow it). Post-reset operations other than UpdateWorkflowOptions are refused as the server
 * refuses them; this engine has no workflow options to update, so that one answers UNIMPLEMENTED.
 */
import { randomUUID } from 'node:crypto';
import { EventType as E, WftFailedCause, WorkflowStatus } from '../enums';
import { invalidArgument, unimplemented } from '../errors';
import { decode, num, Pb } from '../proto';
import { Engine } from './engine';
import { Namespace } from './namespace';
import { Run } from './run';
import { terminateRun } from './close';
import { scheduleWorkflowTask } from './workflow-task';
import { armTimers } from './timers';
import { resumeActivities } from './activities';
import { resumeRunTimers } from './start';

const HISTORY_EVENT = 'temporal.api.history.v1.HistoryEvent';
const REAPPLY_NONE = 2; // ResetReapplyType
const EXCLUDE_SIGNAL = 1; // ResetReapplyExcludeType

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
  if (run.children.size) throw invalidArgument('WorkflowResetter encountered pending child workflows.');

  const reason = String(req.reason ?? '');
  // Terminating first writes the signals the current run held back while a task ran: they are
  // reapplied with the rest.
  if (current?.isOpen) terminateRun(e, current, reason, undefined, 'history-resetter');
  const signals = reappliesSignals(req) ? signalsAfter(ns, base, finishId) : [];
  e.adoptRun(ns, run, req.requestId);
  const startedEventId =
    wft.startedEventId ||
    e.append(run, e.event(E.WORKFLOW_TASK_STARTED, 'workflowTaskStartedEventAttributes', { scheduledEventId: wft.scheduledEventId, identity: 'history-service', requestId: randomUUID() })).eventId;
  e.append(
    run,
    e.event(E.WORKFLOW_TASK_FAILED, 'workflowTaskFailedEventAttributes', {
      scheduledEventId: wft.scheduledEventId,
      startedEventId,
      cause: WftFailedCause.RESET_WORKFLOW,
      failure: { message: reason, resetWorkflowFailureInfo: {} },
      identity: 'history-service',
      baseRunId: base.runId,
      newRunId: run.runId,
    }),
  );
  for (const a of signals) e.append(run, e.event(E.WORKFLOW_EXECUTION_SIGNALED, 'workflowExecutionSignaledEventAttributes', a));
  scheduleWorkflowTask(e, run);
  armTimers(e, run);
  resumeActivities(e, run);
  resumeRunTimers(e, run);
  return run.runId;
}

function reappliesSignals(req: Pb): boolean {
  const excluded: number[] = req.resetReapplyExcludeTypes ?? [];
  return req.resetReapplyType !== REAPPLY_NONE && !excluded.includes(EXCLUDE_SIGNAL);
}

/** Signals after the reset point in the base run, then in every run it continued as new into. */
function signalsAfter(ns: Namespace, base: Run, finishId: number): Pb[] {
  const out: Pb[] = [];
  let from = finishId - 1;
  const next = (r: Run) => (r.status === WorkflowStatus.CONTINUED_AS_NEW && r.newExecutionRunId ? ns.runs.get(r.newExecutionRunId) : undefined);
  for (let r: Run | undefined = base; r; r = next(r)) {
    for (const bytes of r.history.slice(from)) {
      const ev = decode(HISTORY_EVENT, bytes);
      if (ev.eventType !== E.WORKFLOW_EXECUTION_SIGNALED) continue;
      const a = ev.workflowExecutionSignaledEventAttributes;
      out.push({ signalName: a.signalName, input: a.input, identity: a.identity, header: a.header });
    }
    from = 0;
  }
  return out;
}
