/** History reads (paging, long poll, close-event filter, reverse) and queries. */
import { HistoryEventFilter } from '../enums';
import { invalidArgument } from '../errors';
import { Pb } from '../proto';
import { Engine } from '../state/engine';
import { RAW_HISTORY } from '../state/raw-history';
import { queryWorkflow } from '../state/queries';
import { Handlers, CallContext } from './server';
import { checkExecution, requireField } from './validate';
import { waitOnRun } from './long-poll';
import { checkBlob } from '../state/payload-size';

/** The page size when none is asked for, and the most a page holds (frontend.historyMaxPageSize). */
const MAX_PAGE = 256;
const pageSize = (asked: number) => (asked > 0 && asked < MAX_PAGE ? asked : MAX_PAGE);

interface PageToken { r: string; n: number }

/** The page a token names; it belongs to one run, which a run id in the request must match. */
function readToken(t: Uint8Array | undefined, runId: string | undefined): PageToken | undefined {
  if (!t || !t.length) return undefined;
  let v: PageToken | undefined;
  try {
    v = JSON.parse(Buffer.from(t).toString('utf8'));
  } catch {
    v = undefined;
  }
  if (typeof v?.r !== 'string' || typeof v?.n !== 'number') throw invalidArgument('Invalid NextPageToken.');
  if (runId && runId !== v.r) throw invalidArgument('RunId in the request does not match the NextPageToken.');
  return v;
}

const token = (t: PageToken) => Buffer.from(JSON.stringify(t));

async function getHistory(e: Engine, req: Pb, ctx: CallContext): Promise<Pb> {
  requireField(req.namespace, 'Namespace is not set on request.');
  const ex = req.execution;
  checkExecution(ex);
  const page = readToken(req.nextPageToken, ex.runId);
  const run = e.findRun(req.namespace, ex.workflowId, page?.r || ex.runId || undefined);
  if (req.historyEventFilterType === HistoryEventFilter.CLOSE_EVENT) {
    if (req.waitNewEvent) await waitOnRun(run, () => !run.isOpen, ctx);
    if (run.isOpen) return { history: {}, nextPageToken: req.waitNewEvent ? token({ r: run.runId, n: 1 }) : undefined };
    return { [RAW_HISTORY]: [run.history[run.history.length - 1]] };
  }
  const from = page?.n ?? 1;
  const size = pageSize(req.maximumPageSize);
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
  const page = readToken(req.nextPageToken, ex.runId);
  const run = e.findRun(req.namespace, ex.workflowId, page?.r || ex.runId || undefined);
  const end = page?.n ?? run.history.length; // last event id to return
  const size = pageSize(req.maximumPageSize);
  const start = Math.max(1, end - size + 1);
  const events = run.history.slice(start - 1, end).reverse();
  return { [RAW_HISTORY]: events, nextPageToken: start > 1 ? token({ r: run.runId, n: start - 1 }) : undefined };
}

export function historyHandlers(e: Engine): Handlers {
  return {
    GetWorkflowExecutionHistory: (req, ctx) => getHistory(e, req, ctx),
    GetWorkflowExecutionHistoryReverse: (req) => getHistoryReverse(e, req),
    QueryWorkflow(req, ctx) {
      requireField(req.query?.queryType, 'QueryType is not set on request.');
      const ex = req.execution;
      checkExecution(ex);
      e.ns(req.namespace);
      checkBlob(e.limits, req.query.queryArgs);
      const run = e.findRun(req.namespace, ex.workflowId, ex.runId || undefined);
      return queryWorkflow(e, run, req.query, req.queryRejectCondition ?? 0, ctx.deadlineMs);
    },
  };
}
