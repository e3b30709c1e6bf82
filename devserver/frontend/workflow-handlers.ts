/** WorkflowService calls that start, signal, stop and describe workflows. */
import { randomUUID } from 'node:crypto';
import { alreadyExists, invalidArgument, notFound } from '../errors';
import { Pb } from '../proto';
import { withDecodedHistory } from '../state/raw-history';
import { Engine } from '../state/engine';
import { Namespace } from '../state/namespace';
import { Run } from '../state/run';
import { checkReuse } from '../state/reuse';
import { paramsFromRequest, startRun } from '../state/start';
import { HISTORY_SERVICE, requestCancelRun, terminateForNewRun, terminateRun } from '../state/close';
import { resetRun } from '../state/reset';
import { signalRun } from '../state/signals';
import { validateSearchAttributes } from '../state/search-attributes';
import { Handlers } from './server';
import { MAX_ID_LENGTH, checkCronStart, checkExecution, checkStartRequest, requireField } from './validate';
import { describeRun } from './describe';
import { checkBlob, checkStartSizes } from '../state/payload-size';

/** What the already-exists errors name: a run, or a batch job (the server runs it as a workflow). */
type Started = Pick<Run, 'workflowId' | 'runId' | 'requestId'>;

export function alreadyStarted(run: Started): Error {
  return alreadyExists(`Workflow execution is already running. WorkflowId: ${run.workflowId}, RunId: ${run.runId}.`, [
    'temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure',
    { startRequestId: run.requestId, runId: run.runId },
  ]);
}

export function alreadyFinished(run: Started): Error {
  return alreadyExists(`Workflow execution already finished and Workflow ID reuse policy does not allow a new run. WorkflowId: ${run.workflowId}, RunId: ${run.runId}.`, [
    'temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure',
    { startRequestId: run.requestId, runId: run.runId },
  ]);
}

/** The checks of a start request that need no run (the frontend's). */
export function checkStart(e: Engine, ns: Namespace, req: Pb): void {
  checkStartRequest(req);
  checkCronStart(req, e.now());
  checkStartSizes(e.limits, req.input, req.memo);
  const saError = validateSearchAttributes(ns, req.searchAttributes);
  if (saError) throw invalidArgument(saError);
}

/** Starts a run under the id policies; returns the run and whether it is new. */
export function startWithPolicies(e: Engine, ns: Namespace, req: Pb, beforeFirstTask?: (run: Run) => void): { run: Run; started: boolean; eagerTask?: Pb } {
  checkStart(e, ns, req);
  const existing = ns.current.get(req.workflowId);
  if (existing && req.requestId && existing.requestId === req.requestId) return { run: existing, started: true };
  const decision = existing ? checkReuse(existing, req.workflowIdReusePolicy ?? 0, req.workflowIdConflictPolicy ?? 0) : 'start';
  if (decision === 'reject') throw existing!.isOpen ? alreadyStarted(existing!) : alreadyFinished(existing!);
  if (decision === 'use-existing') return { run: existing!, started: false };
  const runId = randomUUID();
  if (decision === 'terminate-existing') terminateForNewRun(e, existing!, runId);
  let eagerTask: Pb | undefined;
  const eager = req.requestEagerExecution ? { identity: req.identity ?? '', take: (t: Pb) => (eagerTask = t) } : undefined;
  const run = startRun(e, ns, { ...paramsFromRequest(req), runId, beforeFirstTask, eager });
  return { run, started: true, eagerTask: eagerTask && withDecodedHistory(eagerTask) };
}

/** What a start answers about the run it led to (startworkflow's responses, less the Nexus link). */
export function startResponse(run: Run, started: boolean): Pb {
  return { runId: run.runId, firstExecutionRunId: run.firstExecutionRunId, started, status: run.status };
}

/** The run a request names, open or closed. */
export function namedRun(e: Engine, req: Pb): Run {
  requireField(req.namespace, 'Namespace is not set on request.');
  const ex = req.workflowExecution ?? req.execution;
  checkExecution(ex);
  return e.findRun(req.namespace, ex.workflowId, ex.runId || undefined);
}

export function requireOpen(run: Run): Run {
  if (!run.isOpen) throw notFound('workflow execution already completed');
  return run;
}

/**
 * The run a terminate or cancel acts on. With `firstExecutionRunId` (the SDKs send it from a
 * handle a start returned) it is the workflow id's current run whatever run id came with it, so
 * that the call follows the workflow across continue-as-new (terminateworkflow/api.go,
 * requestcancelworkflow/api.go).
 */
function runAcrossChain(e: Engine, req: Pb): Run {
  if (!req.firstExecutionRunId) return namedRun(e, req);
  return namedRun(e, { ...req, workflowExecution: { ...req.workflowExecution, runId: '' } });
}

/**
 * A run that is not of the chain `firstExecutionRunId` names is not the caller's workflow (the id
 * was used again after it closed): the server answers as if there were none.
 */
export function requireChain(run: Run, firstExecutionRunId: string | undefined): Run {
  if (firstExecutionRunId && run.firstExecutionRunId !== firstExecutionRunId) throw notFound('workflow execution not found');
  return run;
}

export function workflowHandlers(e: Engine): Handlers {
  return {
    StartWorkflowExecution(req) {
      const { run, started, eagerTask } = startWithPolicies(e, e.ns(req.namespace), req);
      return { ...startResponse(run, started), eagerWorkflowTask: eagerTask };
    },
    SignalWorkflowExecution(req) {
      requireField(req.signalName, 'SignalName is not set on request.');
      requireField(req.namespace, 'Namespace is not set on request.');
      checkExecution(req.workflowExecution);
      e.ns(req.namespace);
      checkBlob(e.limits, req.input); // before the run is looked up, as the frontend does
      // A retry of a signal already written succeeds, even once the run has closed (IsSignalRequested).
      const named = namedRun(e, req);
      if (req.requestId && named.signalRequestIds.has(req.requestId)) return {};
      const run = requireOpen(named);
      signalRun(e, run, { signalName: req.signalName, input: req.input, identity: req.identity ?? '', header: req.header }, req.requestId || undefined);
      return {};
    },
    SignalWithStartWorkflowExecution(req) {
      requireField(req.signalName, 'SignalName is not set on request.');
      const ns = e.ns(req.namespace);
      checkStartRequest(req);
      checkCronStart(req, e.now());
      // As history's signal-with-start: the start's input and memo, then the signal's input.
      checkStartSizes(e.limits, req.input, req.memo);
      checkBlob(e.limits, req.signalInput);
      const signal = { signalName: req.signalName, input: req.signalInput, identity: req.identity ?? '', header: req.header };
      const current = ns.current.get(req.workflowId);
      if (current?.isOpen && (req.workflowIdConflictPolicy ?? 0) !== 3 /* TERMINATE_EXISTING */) {
        signalRun(e, current, signal, req.requestId || undefined);
        return { runId: current.runId, started: false };
      }
      const { run } = startWithPolicies(e, ns, { ...req, workflowIdConflictPolicy: 0, requestId: req.requestId || randomUUID() }, (r) => signalRun(e, r, signal, req.requestId || undefined));
      return { runId: run.runId, started: true };
    },
    TerminateWorkflowExecution(req) {
      const run = requireChain(requireOpen(runAcrossChain(e, req)), req.firstExecutionRunId);
      // The frontend's defaults mark a user's terminate apart from the system's (workflow_handler.go).
      terminateRun(e, run, req.reason || 'terminated by user via frontend', req.details, req.identity || 'frontend-service');
      return {};
    },
    RequestCancelWorkflowExecution(req) {
      const run = runAcrossChain(e, req);
      // Cancelling a closed run is no error: the request is done (requestcancelworkflow/api.go).
      if (!run.isOpen) return {};
      requireChain(run, req.firstExecutionRunId);
      if (req.requestId && run.cancelRequestIds.has(req.requestId)) return {};
      if (req.requestId) run.cancelRequestIds.add(req.requestId);
      requestCancelRun(e, run, { cause: req.reason ?? '', identity: req.identity ?? '' });
      return {};
    },
    DescribeWorkflowExecution(req) {
      const ex = req.execution;
      checkExecution(ex);
      const run = e.findRun(req.namespace, ex.workflowId, ex.runId || undefined);
      return describeRun(e, run);
    },
    ResetWorkflowExecution(req) {
      requireField(req.requestId, 'RequestId is not set on request.');
      if (String(req.requestId).length > MAX_ID_LENGTH) throw invalidArgument('RequestId length exceeds limit.');
      const ex = req.workflowExecution;
      checkExecution(ex);
      const base = e.findRun(req.namespace, ex.workflowId, ex.runId || undefined);
      return { runId: resetRun(e, e.ns(req.namespace), base, req) };
    },
    DeleteWorkflowExecution(req) {
      const ex = req.workflowExecution;
      checkExecution(ex);
      const run = e.findRun(req.namespace, ex.workflowId, ex.runId || undefined);
      // As Temporal's history service: a running workflow is terminated first, then deleted.
      if (run.isOpen) terminateRun(e, run, 'Delete workflow execution', undefined, HISTORY_SERVICE);
      e.deleteRun(run);
      return {};
    },
  };
}
