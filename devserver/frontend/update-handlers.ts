/** Workflow updates: UpdateWorkflowExecution and PollWorkflowExecutionUpdate (update-with-start: multi-operation.ts). */
import { randomUUID } from 'node:crypto';
import { UpdateLifecycleStage } from '../enums';
import { notFound, workflowNotReady } from '../errors';
import { Pb } from '../proto';
import { Engine } from '../state/engine';
import { Run } from '../state/run';
import { isClearedByTaskFailure, waitForUpdate } from '../state/updates';
import { scheduleWorkflowTask } from '../state/workflow-task';
import { Handlers, CallContext } from './server';
import { checkUpdateRequest } from './validate';
import { pollTimeout } from './long-poll';
import { namedRun, requireChain, requireOpen } from './workflow-handlers';

/** The workflow task attempt from which updates are refused (the server's failUpdateWorkflowTaskAttemptCount). */
const FAILING_TASK_ATTEMPT = 3;

function admitUpdate(e: Engine, run: Run, request: Pb) {
  const updateId: string = request.meta.updateId || randomUUID();
  let u = run.updates.get(updateId);
  if (!u) {
    u = { updateId, request: { ...request, meta: { ...request.meta, updateId } }, stage: 'admitted', acceptedEventId: 0, waiters: [] };
    run.updates.set(updateId, u);
    scheduleWorkflowTask(e, run, undefined, true);
  }
  return u;
}

/**
 * Times a call is tried when a failed workflow task aborted its update before the worker saw it:
 * the frontend's retrying history client tries again on that Unavailable.
 */
export const READMISSIONS = 5;

/** An update the request's checks passed (checkUpdateRequest), admitted again as above. */
async function updateCheckedWorkflow(e: Engine, req: Pb, ctx: CallContext): Promise<Pb> {
  for (let tries = 1; ; tries++) {
    try {
      return await admitAndWait(e, req, ctx);
    } catch (err) {
      if (tries >= READMISSIONS || !isClearedByTaskFailure(err)) throw err;
    }
  }
}

/** Admits a checked update on the run the request names and waits for the stage it asks for. */
export async function admitAndWait(e: Engine, req: Pb, ctx: CallContext): Promise<Pb> {
  // An update id the closed run already has is answered from it (updateworkflow/api.go); any
  // other update to a closed run is refused.
  const named = requireChain(namedRun(e, req), req.firstExecutionRunId);
  const run = !named.isOpen && named.updates.has(req.request.meta.updateId) ? named : requireOpen(named);
  // A task failing again and again would fail the update too: say so at once (updateworkflow/api.go).
  if (run.isOpen && (run.wft?.attempt ?? 1) >= FAILING_TASK_ATTEMPT) {
    throw workflowNotReady('Unable to perform workflow execution update due to Workflow Task in failed state.');
  }
  const u = admitUpdate(e, run, req.request);
  const stage = req.waitPolicy?.lifecycleStage || UpdateLifecycleStage.COMPLETED; // the frontend's default
  return waitSkippingTime(e, () => waitForUpdate(run, u, stage, pollTimeout(ctx, 20_000)));
}

/**
 * Waiting on an update lets virtual time move, as waiting on a result does (the SDK unlocks
 * around results but not around updates; Temporal's Java test server hangs here).
 */
async function waitSkippingTime<T>(e: Engine, wait: () => Promise<T>): Promise<T> {
  const unlocked = e.clock.timeSkipping && e.clock.unlock();
  try {
    return await wait();
  } finally {
    if (unlocked) e.clock.lock();
  }
}

export function updateHandlers(e: Engine): Handlers {
  return {
    UpdateWorkflowExecution(req, ctx) {
      checkUpdateRequest(req);
      return updateCheckedWorkflow(e, req, ctx);
    },
    async PollWorkflowExecutionUpdate(req, ctx) {
      const ref = req.updateRef ?? {};
      const ex = ref.workflowExecution ?? {};
      const run = e.findRun(req.namespace, ex.workflowId, ex.runId || undefined);
      const u = run.updates.get(ref.updateId);
      if (!u) throw notFound(`update ${JSON.stringify(String(ref.updateId ?? ''))} not found`); // Go's %q
      // Without a stage the poll answers at once with the stage reached (update.go's WaitLifecycleStage).
      return waitSkippingTime(e, () => waitForUpdate(run, u, req.waitPolicy?.lifecycleStage || UpdateLifecycleStage.ADMITTED, pollTimeout(ctx, 20_000)));
    },
  };
}
