/**
 * ExecuteMultiOperation (update-with-start), as the frontend (workflow_handler.go) checks it and
 * history's multioperation API runs it. Every failure is a MultiOperationExecution error: the
 * code of the operation that failed, and a MultiOperationExecutionFailure detail with one status
 * per operation, the other one marked aborted (SDKs other than TypeScript read those statuses).
 */
import { status } from '@grpc/grpc-js';
import { ConflictPolicy, UpdateLifecycleStage, WorkflowStatus } from '../enums';
import { encode, Pb } from '../proto';
import { invalidArgument, ServiceError } from '../errors';
import { Engine } from '../state/engine';
import { Namespace } from '../state/namespace';
import { Run } from '../state/run';
import { isAbortedByClosing, isClearedByTaskFailure } from '../state/updates';
import { CallContext, Handlers } from './server';
import { checkUpdateRequest } from './validate';
import { checkStart, startWithPolicies } from './workflow-handlers';
import { admitAndWait, READMISSIONS } from './update-handlers';

/** An operation's part in a failure: its own error, aborted because of the other one, or done. */
type Outcome = ServiceError | 'aborted' | 'ok';

class MultiOpFailure {
  constructor(readonly start: Outcome, readonly update: Outcome) {}
}

const ABORTED_MESSAGE = 'Operation was aborted.';
const FAILURE_MESSAGE = 'Update-with-Start could not be executed.';

/** A plain error in place of an operation status; anything else (an engine bug) is rethrown. */
function serviceError(err: unknown): ServiceError {
  if (err instanceof ServiceError) return err;
  throw err;
}

function operationStatus(o: Outcome): Pb {
  if (o === 'ok') return { code: status.OK, message: '', details: [] };
  if (o === 'aborted') return { code: status.ABORTED, message: ABORTED_MESSAGE, details: [any('temporal.api.failure.v1.MultiOperationExecutionAborted', {})] };
  return { code: o.code, message: o.message, details: o.detail ? [any(...o.detail)] : [] };
}

const any = (typeName: string, value: Pb) => ({ type_url: `type.googleapis.com/${typeName}`, value: encode(typeName, value) });

/** The error the client sees: the first failed (not aborted) operation's code (serviceerror.MultiOperationExecution). */
function multiOperationError(f: MultiOpFailure): ServiceError {
  const failed = [f.start, f.update].find((o): o is ServiceError => o instanceof ServiceError);
  return new ServiceError(failed?.code ?? status.ABORTED, FAILURE_MESSAGE, [
    'temporal.api.errordetails.v1.MultiOperationExecutionFailure',
    { statuses: [operationStatus(f.start), operationStatus(f.update)] },
  ]);
}

/** The frontend's checks of both operations; each gets its own error, the valid one is aborted. */
function checkOperations(e: Engine, ns: Namespace, req: Pb, start: Pb, update: Pb): void {
  const startError = attempt(() => {
    if (start.namespace && start.namespace !== req.namespace) throw invalidArgument("Operation namespace did not match request's namespace.");
    checkStart(e, ns, { ...start, namespace: req.namespace });
    if (start.cronSchedule) throw invalidArgument('CronSchedule is not allowed.');
    if (start.requestEagerExecution) throw invalidArgument('RequestEagerExecution is not supported.');
    const delay = start.workflowStartDelay;
    if (delay && (Number(delay.seconds ?? 0) > 0 || Number(delay.nanos ?? 0) > 0)) throw invalidArgument('WorkflowStartDelay is not supported.');
  });
  let updateError = attempt(() => {
    if (update.namespace && update.namespace !== req.namespace) throw invalidArgument("Operation namespace did not match request's namespace.");
    checkUpdateRequest(update);
    if (update.firstExecutionRunId) throw invalidArgument('FirstExecutionRunId is not allowed.');
    if (update.workflowExecution.runId) throw invalidArgument('RunId is not allowed.');
  });
  if (!startError && !updateError && update.workflowExecution.workflowId !== start.workflowId) {
    updateError = invalidArgument('WorkflowId is not consistent with previous operation(s).');
  }
  if (startError || updateError) throw multiOperationError(new MultiOpFailure(startError ?? 'aborted', updateError ?? 'aborted'));
}

function attempt(check: () => void): ServiceError | undefined {
  try {
    check();
    return undefined;
  } catch (err) {
    return serviceError(err);
  }
}

async function executeMultiOperation(e: Engine, req: Pb, ctx: CallContext): Promise<Pb> {
  const ns = e.ns(req.namespace); // an unknown namespace is a plain NamespaceNotFound
  const [startOp, updateOp, ...more] = req.operations ?? [];
  if (more.length || !startOp?.startWorkflow || !updateOp?.updateWorkflow) throw invalidArgument('Operations have to be exactly [Start, Update].');
  const start: Pb = startOp.startWorkflow;
  const update: Pb = updateOp.updateWorkflow;
  checkOperations(e, ns, req, start, update);
  const newAttempt = () => new UpdateWithStart(e, { ...start, namespace: req.namespace }, { ...update, namespace: req.namespace }, ctx);
  let closingRetried = false;
  for (let tries = 1; ; tries++) {
    const op = newAttempt();
    try {
      return await op.invoke();
    } catch (err) {
      if (!(err instanceof MultiOpFailure)) throw err;
      // A failed task aborted the update before the worker saw it: the whole call is tried again,
      // as the frontend's retrying history client does on that Unavailable (the run may be gone).
      if (tries < READMISSIONS && isClearedByTaskFailure(err.update)) continue;
      // An update that a run this call did not start aborted as it closed is tried once more:
      // the start now begins a new run. Aborted again, the update is ABORTED, which clients retry.
      if (op.onlyUpdateAbortedByClosing(err)) {
        if (!closingRetried) {
          closingRetried = true;
          continue;
        }
        throw multiOperationError(new MultiOpFailure('aborted', new ServiceError(status.ABORTED, (err.update as ServiceError).message)));
      }
      throw multiOperationError(err);
    }
  }
}

/** One attempt (history's updateWithStart.Invoke). */
class UpdateWithStart {
  private startedRun = false;

  constructor(
    private readonly e: Engine,
    private readonly start: Pb,
    private readonly update: Pb,
    private readonly ctx: CallContext,
  ) {}

  async invoke(): Promise<Pb> {
    const ns = this.e.ns(this.start.namespace);
    const current = ns.current.get(this.start.workflowId);
    const updateId: string | undefined = this.update.request.meta.updateId || undefined;
    if (current) {
      // An update the worker completed is answered from the current run, open or closed (not one
      // the run closed over: that outcome is the server's, and mutable state holds none).
      const known = updateId === undefined ? undefined : current.updates.get(updateId);
      if (known?.stage === 'completed' && !known.closedOver) {
        const done = { updateRef: { workflowExecution: { workflowId: current.workflowId, runId: current.runId }, updateId }, outcome: known.outcome, stage: UpdateLifecycleStage.COMPLETED };
        return respond({ runId: current.runId, started: false, status: current.status }, done);
      }
      const dedup = !!this.start.requestId && current.requestId === this.start.requestId;
      const useExisting = this.start.workflowIdConflictPolicy === ConflictPolicy.USE_EXISTING;
      if (current.isOpen && (dedup || known || useExisting)) {
        // The start answers with the run as it was when the call acted, whatever the update then does.
        const startResponse = { runId: current.runId, started: false, status: WorkflowStatus.RUNNING };
        return respond(startResponse, await this.updateRun(current, 'aborted'));
      }
    }
    let started: { run: Run; started: boolean };
    try {
      started = startWithPolicies(this.e, ns, this.start);
    } catch (err) {
      throw new MultiOpFailure(serviceError(err), 'aborted');
    }
    if (!started.started || !started.run.isOpen) {
      // A start deduplicated onto a closed run holds no update (startworkflow's StartDeduped).
      throw new MultiOpFailure(new ServiceError(status.UNAVAILABLE, 'Workflow was not started: StartDeduped'), 'aborted');
    }
    this.startedRun = true;
    const { runId } = started.run;
    const startResponse = { runId, firstExecutionRunId: runId, started: true, status: WorkflowStatus.RUNNING };
    return respond(startResponse, await this.updateRun(started.run, 'ok'));
  }

  private async updateRun(run: Run, start: Outcome): Promise<Pb> {
    try {
      return await admitAndWait(this.e, { ...this.update, workflowExecution: { workflowId: run.workflowId, runId: run.runId } }, this.ctx);
    } catch (err) {
      throw new MultiOpFailure(start, serviceError(err));
    }
  }

  /** True when the update alone failed, aborted by a run this attempt did not start closing. */
  onlyUpdateAbortedByClosing(err: unknown): boolean {
    return !this.startedRun && err instanceof MultiOpFailure && isAbortedByClosing(err.update);
  }
}

const respond = (start: Pb, update: Pb): Pb => ({ responses: [{ startWorkflow: start }, { updateWorkflow: update }] });

export function multiOperationHandlers(e: Engine): Handlers {
  return { ExecuteMultiOperation: (req, ctx) => executeMultiOperation(e, req, ctx) };
}
