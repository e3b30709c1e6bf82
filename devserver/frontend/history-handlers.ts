/** History reads (paging, long poll, close-event filter, reverse), queries and updates. */
import { randomUUID } from 'node:crypto';
import { HistoryEventFilter, UpdateLifecycleStage } from '../enums';
import { status } from '@grpc/grpc-js';
import { invalidArgument, notFound, ServiceError } from '../errors';
import { Pb } from '../proto';
import { Engine } from '../state/engine';
import { Run } from '../state/run';
import { RAW_HISTORY } from '../state/raw-history';
import { queryWorkflow } from '../state/queries';
import { isAbortedByClosing, waitForUpdate } from '../state/updates';
import { scheduleWorkflowTask } from '../state/workflow-task';
import { Handlers, CallContext } from './server';
import { checkExecution, requireField } from './validate';
import { waitOnRun, pollTimeout } from './long-poll';
import { namedRun, requireChain, requireOpen, startWithPolicies } from './workflow-handlers';
import { checkBlob } from '../state/payload-size';

const DEFAULT_PAGE = 256;

interface PageToken { r: string; n: number }

function readToken(t: Uint8Array | undefined): PageToken | undefined {
  if (!t || !t.length) return undefined;
  try {
    const v = JSON.parse(Buffer.from(t).toString('utf8'));
    if (typeof v.r === 'string' && typeof v.n === 'number') return v;
  } catch {
    // fall through
  }
  throw invalidArgument('Invalid NextPageToken.');
}

const token = (t: PageToken) => Buffer.from(JSON.stringify(t));

async function getHistory(e: Engine, req: Pb, ctx: CallContext): Promise<Pb> {
  requireField(req.namespace, 'Namespace is not set on request.');
  const ex = req.execution;
  checkExecution(ex);
  const page = readToken(req.nextPageToken);
  const run = e.findRun(req.namespace, ex.workflowId, page?.r || ex.runId || undefined);
  if (req.historyEventFilterType === HistoryEventFilter.CLOSE_EVENT) {
    if (req.waitNewEvent) await waitOnRun(run, () => !run.isOpen, ctx);
    if (run.isOpen) return { history: {}, nextPageToken: req.waitNewEvent ? token({ r: run.runId, n: 1 }) : undefined };
    return { [RAW_HISTORY]: [run.history[run.history.length - 1]] };
  }
  const from = page?.n ?? 1;
  const size = req.maximumPageSize > 0 ? req.maximumPageSize : DEFAULT_PAGE;
  if (req.waitNewEvent && from > run.history.length) {
    await waitOnRun(run, () => run.history.length >= from || !run.isOpen, ctx);
  }
  const events = run.history.slice(from - 1, from - 1 + size);
  const next = from + events.length;
  const more = next <= run.history.length || (req.waitNewEvent && run.isOpen);
  return { [RAW_HISTORY]: events, nextPageToken: more ? token({ r: run.runId, n: next }) : undefined };
}

function getHistoryReverse(e: Engine, req: Pb): Pb {
  const ex = req.execution;
  checkExecution(ex);
  const page = readToken(req.nextPageToken);
  const run = e.findRun(req.namespace, ex.workflowId, page?.r || ex.runId || undefined);
  const end = page?.n ?? run.history.length; // last event id to return
  const size = req.maximumPageSize > 0 ? req.maximumPageSize : DEFAULT_PAGE;
  const start = Math.max(1, end - size + 1);
  const events = run.history.slice(start - 1, end).reverse();
  return { [RAW_HISTORY]: events, nextPageToken: start > 1 ? token({ r: run.runId, n: start - 1 }) : undefined };
}

function admitUpdate(e: Engine, run: Run, request: Pb) {
  const updateId: string = request?.meta?.updateId || randomUUID();
  let u = run.updates.get(updateId);
  if (!u) {
    requireField(request?.input?.name, 'Update name is not set on request.');
    u = { updateId, request: { ...request, meta: { ...request.meta, updateId } }, stage: 'admitted', acceptedEventId: 0, waiters: [] };
    run.updates.set(updateId, u);
    scheduleWorkflowTask(e, run, undefined, true);
  }
  return u;
}

async function updateWorkflow(e: Engine, req: Pb, ctx: CallContext): Promise<Pb> {
  // An update id the closed run already has is answered from it (updateworkflow/api.go); any
  // other update to a closed run is refused.
  const named = requireChain(namedRun(e, req), req.firstExecutionRunId);
  const run = !named.isOpen && named.updates.has(req.request?.meta?.updateId) ? named : requireOpen(named);
  const u = admitUpdate(e, run, req.request);
  const stage = req.waitPolicy?.lifecycleStage || UpdateLifecycleStage.ACCEPTED;
  if (stage === UpdateLifecycleStage.ADMITTED) throw invalidArgument('WaitPolicy.LifecycleStage UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED is not implemented');
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

export function historyHandlers(e: Engine): Handlers {
  return {
    GetWorkflowExecutionHistory: (req, ctx) => getHistory(e, req, ctx),
    GetWorkflowExecutionHistoryReverse: (req) => getHistoryReverse(e, req),
    QueryWorkflow(req) {
      requireField(req.query?.queryType, 'QueryType is not set on request.');
      const ex = req.execution;
      checkExecution(ex);
      e.ns(req.namespace);
      checkBlob(e.limits, req.query.queryArgs);
      const run = e.findRun(req.namespace, ex.workflowId, ex.runId || undefined);
      return queryWorkflow(e, run, req.query, req.queryRejectCondition ?? 0);
    },
    UpdateWorkflowExecution: (req, ctx) => updateWorkflow(e, req, ctx),
    async PollWorkflowExecutionUpdate(req, ctx) {
      const ref = req.updateRef ?? {};
      const ex = ref.workflowExecution ?? {};
      const run = e.findRun(req.namespace, ex.workflowId, ex.runId || undefined);
      const u = run.updates.get(ref.updateId);
      if (!u) throw notFound(`update ${ref.updateId} not found`);
      return waitSkippingTime(e, () => waitForUpdate(run, u, req.waitPolicy?.lifecycleStage || UpdateLifecycleStage.ACCEPTED, pollTimeout(ctx, 20_000)));
    },
    async ExecuteMultiOperation(req, ctx) {
      const [startOp, updateOp] = req.operations ?? [];
      if (!startOp?.startWorkflow || !updateOp?.updateWorkflow) {
        throw invalidArgument('ExecuteMultiOperation supports exactly a start followed by an update.');
      }
      const upd = updateOp.updateWorkflow;
      // The update goes to whichever run the start leads to (workflow_handler.go).
      if (upd.firstExecutionRunId) throw invalidArgument('FirstExecutionRunId is not allowed.');
      if (upd.workflowExecution?.runId) throw invalidArgument('RunId is not allowed.');
      const ns = e.ns(req.namespace);
      const start = () => startWithPolicies(e, ns, { ...startOp.startWorkflow, namespace: req.namespace });
      const update = (run: Run) => updateWorkflow(e, { ...upd, namespace: req.namespace, workflowExecution: { workflowId: run.workflowId, runId: run.runId } }, ctx);
      let { run, started } = start();
      let response: Pb;
      try {
        response = await update(run);
      } catch (err) {
        // An update on a run this call did not start, aborted as that run closed, is tried once
        // more: the start now begins a new run (multioperation/api.go). Aborted again, it is
        // ABORTED, which clients retry.
        if (started || !isAbortedByClosing(err)) throw err;
        ({ run, started } = start());
        const retriedOnExisting = !started;
        response = await update(run).catch((again) => {
          throw retriedOnExisting && isAbortedByClosing(again) ? new ServiceError(status.ABORTED, (again as Error).message) : again;
        });
      }
      return { responses: [{ startWorkflow: { runId: run.runId, started } }, { updateWorkflow: response }] };
    },
  };
}
