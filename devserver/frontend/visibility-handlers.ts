/** ListWorkflowExecutions / CountWorkflowExecutions over the runs of a namespace. */
import { shortName, WorkflowStatus } from '../enums';
import { invalidArgument } from '../errors';
import { jsonPayload, Pb, timestampMs } from '../proto';
import { Engine } from '../state/engine';
import { Namespace } from '../state/namespace';
import { Run } from '../state/run';
import { attributeType, decodeSearchAttributes } from '../state/search-attributes';
import { compileQuery, defaultCompare, VisibilityQueryError, VisibilityRecord } from '../visibility';
import { executionInfo } from './describe';
import { Handlers } from './server';

/** The page size when none is asked for, and the most a page holds (frontend.visibilityMaxPageSize). */
const MAX_PAGE = 1000;

export function visibilityRecord(ns: Namespace, run: Run): VisibilityRecord {
  return {
    workflowId: run.workflowId,
    runId: run.runId,
    workflowType: run.workflowType,
    taskQueue: run.taskQueue,
    status: run.status,
    startTime: run.startTime,
    executionTime: run.executionTime,
    closeTime: run.isOpen ? undefined : run.closeTime,
    historyLength: run.history.length,
    historySizeBytes: run.historyBytes,
    executionDuration: run.isOpen ? undefined : Math.max(0, run.closeTime - run.executionTime),
    parentWorkflowId: run.parent?.workflowId,
    parentRunId: run.parent?.runId,
    rootWorkflowId: run.root?.workflowId ?? run.workflowId,
    rootRunId: run.root?.runId ?? run.runId,
    stateTransitionCount: run.history.length,
    custom: decodeSearchAttributes(ns, run.searchAttributes),
  };
}

function compile(ns: Namespace, query: string, allowGroupBy: boolean) {
  try {
    return compileQuery(query ?? '', ns.searchAttributes, { allowGroupBy });
  } catch (err) {
    if (err instanceof VisibilityQueryError) throw invalidArgument(err.message);
    throw err;
  }
}

/** The runs of `req.namespace` that `req.query` selects (a bad query is INVALID_ARGUMENT). */
export function matchingRuns(e: Engine, req: Pb, allowGroupBy = false) {
  const ns = e.ns(req.namespace);
  const q = compile(ns, req.query ?? '', allowGroupBy);
  const hits: Array<{ run: Run; rec: VisibilityRecord }> = [];
  for (const run of ns.runs.values()) {
    const rec = visibilityRecord(ns, run);
    if (q.matches(rec)) hits.push({ run, rec });
  }
  return { ns, q, hits };
}

/**
 * Where a page starts: in the default order, just after the last row of the page before (its
 * close time, start time and run id, as the SQL store's token holds them), so that runs started
 * or closed between pages shift nothing; under ORDER BY, an offset.
 */
type ListToken = { c: number | null; s: number; r: string } | { o: number };

function readListToken(t: Uint8Array | undefined): ListToken | undefined {
  if (!t?.length) return undefined;
  let v: ListToken | undefined;
  try {
    v = JSON.parse(Buffer.from(t).toString('utf8'));
  } catch {
    v = undefined;
  }
  const ok = typeof v === 'object' && v !== null && ('o' in v ? Number.isInteger(v.o) && v.o >= 0 : typeof v.r === 'string' && typeof v.s === 'number' && (v.c === null || typeof v.c === 'number'));
  if (!ok) throw invalidArgument('Invalid NextPageToken.');
  return v;
}

function list(e: Engine, req: Pb, size = req.pageSize): Pb {
  const { ns, q, hits } = matchingRuns(e, req, false);
  hits.sort((a, b) => q.compare(a.rec, b.rec));
  const token = readListToken(req.nextPageToken);
  let from = 0;
  if (token && 'o' in token) from = token.o;
  else if (token) {
    const after = { closeTime: token.c ?? undefined, startTime: token.s, runId: token.r } as VisibilityRecord;
    from = hits.findIndex((h) => defaultCompare(h.rec, after) > 0);
    if (from < 0) from = hits.length;
  }
  const pageSize = size > 0 && size < MAX_PAGE ? size : MAX_PAGE;
  const page = hits.slice(from, from + pageSize);
  // A full page always gets a token, as the server's (the next page may be empty).
  const last = page.at(-1)?.rec;
  const next: ListToken | undefined = page.length < pageSize || !last ? undefined : q.ordered ? { o: from + pageSize } : { c: last.closeTime ?? null, s: last.startTime, r: last.runId };
  return {
    executions: page.map((h) => listedInfo(e, ns, h.run)),
    nextPageToken: next && Buffer.from(JSON.stringify(next)),
  };
}

/**
 * A run as lists show it: its search attributes re-encoded with their registered types
 * (searchattribute.Encode), so that SDKs read values a client set without a type.
 */
function listedInfo(e: Engine, ns: Namespace, run: Run): Pb {
  const info = executionInfo(e, run);
  const fields = info.searchAttributes?.indexedFields ?? {};
  const typed: Record<string, Pb> = {};
  for (const [name, payload] of Object.entries<Pb>(fields)) {
    const type = attributeType(ns, name);
    typed[name] = type && !payload?.metadata?.type?.length ? { ...payload, metadata: { ...payload.metadata, type: Buffer.from(type) } } : payload;
  }
  return { ...info, searchAttributes: { indexedFields: typed } };
}

/**
 * ListOpen / ListClosedWorkflowExecutions: their filters turned into a query, as the frontend
 * does, with its checks; `maximumPageSize` is their page size.
 */
function listOpenOrClosed(e: Engine, req: Pb, open: boolean): Pb {
  const clauses = [open ? `ExecutionStatus = 'Running'` : `ExecutionStatus != 'Running'`];
  const quote = (v: string) => `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const range = req.startTimeFilter;
  if (range) {
    const earliest = range.earliestTime ? (timestampMs(range.earliestTime) ?? 0) : 0;
    const latest = range.latestTime ? (timestampMs(range.latestTime) ?? 0) : 0;
    if (range.latestTime && earliest > latest) throw invalidArgument('EarliestTime in StartTimeFilter should not be larger than LatestTime.');
    const field = open ? 'StartTime' : 'CloseTime';
    if (range.earliestTime) clauses.push(`${field} >= '${new Date(earliest).toISOString()}'`);
    if (range.latestTime) clauses.push(`${field} <= '${new Date(latest).toISOString()}'`);
  }
  if (req.executionFilter?.workflowId) clauses.push(`WorkflowId = ${quote(req.executionFilter.workflowId)}`);
  if (req.executionFilter?.runId) clauses.push(`RunId = ${quote(req.executionFilter.runId)}`);
  if (req.typeFilter?.name) clauses.push(`WorkflowType = ${quote(req.typeFilter.name)}`);
  if (!open && req.statusFilter) {
    if (!req.statusFilter.status || req.statusFilter.status === WorkflowStatus.RUNNING) throw invalidArgument('StatusFilter must be specified and must be not Running.');
    clauses.push(`ExecutionStatus = '${shortName(WorkflowStatus, req.statusFilter.status)}'`);
  }
  return list(e, { namespace: req.namespace, query: clauses.join(' AND '), nextPageToken: req.nextPageToken }, req.maximumPageSize);
}

function statusPayload(status: number): Pb {
  // Encoded as a Keyword search attribute value, type included (searchattribute.EncodeValue).
  const payload = jsonPayload(shortName(WorkflowStatus, status));
  payload.metadata.type = Buffer.from('Keyword');
  return payload;
}

function count(e: Engine, req: Pb): Pb {
  const { q, hits } = matchingRuns(e, req, true);
  if (!q.groupBy) return { count: hits.length };
  const groups = new Map<number, number>();
  for (const h of hits) groups.set(h.rec.status, (groups.get(h.rec.status) ?? 0) + 1);
  return {
    count: hits.length,
    // In status order, as SQLite's GROUP BY status returns them.
    groups: [...groups].sort(([a], [b]) => a - b).map(([status, n]) => ({ groupValues: [statusPayload(status)], count: n })),
  };
}

export function visibilityHandlers(e: Engine): Handlers {
  return {
    ListWorkflowExecutions: (req) => list(e, req),
    ScanWorkflowExecutions: (req) => list(e, req),
    CountWorkflowExecutions: (req) => count(e, req),
    ListOpenWorkflowExecutions: (req) => listOpenOrClosed(e, req, true),
    ListClosedWorkflowExecutions: (req) => listOpenOrClosed(e, req, false),
  };
}

