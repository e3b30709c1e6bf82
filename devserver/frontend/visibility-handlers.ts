/** ListWorkflowExecutions / CountWorkflowExecutions over the runs of a namespace. */
import { shortName, WorkflowStatus } from '../enums';
import { invalidArgument } from '../errors';
import { jsonPayload, Pb } from '../proto';
import { Engine } from '../state/engine';
import { Namespace } from '../state/namespace';
import { Run } from '../state/run';
import { decodeSearchAttributes } from '../state/search-attributes';
import { compileQuery, VisibilityQueryError, VisibilityRecord } from '../visibility';
import { executionInfo } from './describe';
import { Handlers } from './server';

const DEFAULT_PAGE = 1000;

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
    rootWorkflowId: run.root?.workflowId ?? run.workflowId,
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

function list(e: Engine, req: Pb): Pb {
  const { q, hits } = matchingRuns(e, req, false);
  hits.sort((a, b) => q.compare(a.rec, b.rec));
  const offset = req.nextPageToken?.length ? Number(Buffer.from(req.nextPageToken).toString()) || 0 : 0;
  const size = req.pageSize > 0 ? req.pageSize : DEFAULT_PAGE;
  const page = hits.slice(offset, offset + size);
  const next = offset + page.length;
  return {
    executions: page.map((h) => executionInfo(e, h.run)),
    nextPageToken: next < hits.length ? Buffer.from(String(next)) : undefined,
  };
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
    groups: [...groups].map(([status, n]) => ({ groupValues: [statusPayload(status)], count: n })),
  };
}

export function visibilityHandlers(e: Engine): Handlers {
  return {
    ListWorkflowExecutions: (req) => list(e, req),
    ScanWorkflowExecutions: (req) => list(e, req),
    CountWorkflowExecutions: (req) => count(e, req),
    ListOpenWorkflowExecutions: (req) => list(e, { ...req, query: `ExecutionStatus = 'Running'` }),
    ListClosedWorkflowExecutions: (req) => list(e, { ...req, query: `ExecutionStatus != 'Running'` }),
  };
}

