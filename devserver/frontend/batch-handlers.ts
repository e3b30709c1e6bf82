/**
 * StartBatchOperation, StopBatchOperation, DescribeBatchOperation and ListBatchOperations, as
 * Temporal's frontend and batcher (service/worker/batcher) do them: a job picks its workflows by
 * visibility query (terminate, cancel and signal only running ones) or by a list of executions,
 * and applies one operation to each through the same calls a client makes, counting successes
 * and failures (a workflow that is gone or already closed counts as done, as the batcher's
 * processTask has it). Jobs run in slices between other requests; one job at a time per
 * namespace, as the server's default `frontend.MaxConcurrentBatchOperationPerNamespace` allows.
 *
 * Unlike the server's batcher, terminate and cancel are written in the operation's identity (the
 * server writes its system worker's), so that history names who asked for them.
 */
import { createHash } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { EventType as E, ResourceExhaustedCause, ResourceExhaustedScope } from '../enums';
import { invalidArgument, notFound, resourceExhausted, ServiceError, unimplemented, workflowNotFound } from '../errors';
import { decode, encode, enumName, num, Pb, timestamp } from '../proto';
import { BatchJob, BatchState, BatchTarget, saveBatchProgress, startBatchJob } from '../state/batch';
import { Engine } from '../state/engine';
import { Namespace } from '../state/namespace';
import { VisibilityQueryError } from '../visibility';
import { MALFORMED_SQL_QUERY } from '../visibility/errors';
import { matchingRuns } from './visibility-handlers';
import { alreadyFinished, alreadyStarted, workflowHandlers } from './workflow-handlers';
import { Handlers } from './server';
import { requireField } from './validate';

const REQUEST = 'temporal.api.workflowservice.v1.StartBatchOperationRequest';
const HISTORY_EVENT = 'temporal.api.history.v1.HistoryEvent';
/** Workflows a job handles per turn of the event loop. */
const SLICE = 100;
const DEFAULT_PAGE = 1000;

/** The operations this engine runs, by request field, with the BatchOperationType the server reports. */
const OPERATIONS: Record<string, number> = {
  terminationOperation: 13, // BATCH_OPERATION_TYPE_TERMINATE_WORKFLOW
  cancellationOperation: 14,
  signalOperation: 15,
  deletionOperation: 16,
  resetOperation: 17,
};
/** Operations on open workflows only: a query of theirs is narrowed to running ones. */
const RUNNING_ONLY = new Set(['terminationOperation', 'cancellationOperation', 'signalOperation']);

/** batcher.ValidateBatchOperation, in its order. */
function validate(req: Pb): string {
  const op: string | undefined = req.operation; // the request's `operation` oneof
  const selectors = [req.visibilityQuery, req.executions?.length, req.targetExecutions?.length].filter(Boolean).length;
  if (!op || !req.reason || !req.namespace || selectors === 0) {
    throw invalidArgument('must provide required parameters: BatchType,Reason,Namespace, AND one of (Query OR Executions OR TargetExecutions)');
  }
  requireField(req.jobId, 'JobId is not set on request.');
  if (selectors > 1) throw invalidArgument('visibility query, executions, and target executions are mutually exclusive');
  if (req.targetExecutions?.length) throw unimplemented('StartBatchOperation with target_executions is not supported by this engine');
  if (op === 'signalOperation' && !req.signalOperation.signal) throw invalidArgument('must provide signal name');
  if (op === 'resetOperation') {
    const r = req.resetOperation;
    if (r.options) {
      if (!r.options.target) throw invalidArgument('batch reset missing target');
      if (r.options.target === 'buildId') throw unimplemented('batch reset to a build id is not supported by this engine');
    } else if (r.resetType !== 1 && r.resetType !== 2) {
      throw invalidArgument(`unknown batch reset type ${enumName('ResetType', r.resetType ?? 0)}`);
    }
  }
  if (!(op in OPERATIONS)) throw unimplemented(`StartBatchOperation ${op} is not supported by this engine`);
  return op;
}

function targetsOf(e: Engine, req: Pb, op: string): BatchTarget[] {
  if (!req.visibilityQuery) return (req.executions ?? []).map((x: Pb) => ({ workflowId: x.workflowId, runId: x.runId ?? '' }));
  const query = RUNNING_ONLY.has(op) ? `(${req.visibilityQuery}) AND (ExecutionStatus = 'Running')` : req.visibilityQuery;
  return matchingRuns(e, { namespace: req.namespace, query }).hits.map(({ run }) => ({ workflowId: run.workflowId, runId: run.runId }));
}

/** The reset point a batch reset asks for (getResetEventIDByType / ByOptions). */
function resetPoint(e: Engine, namespace: string, t: BatchTarget, r: Pb): number {
  const target: string | undefined = r.options?.target; // the ResetOptions oneof: which target is set
  if (target === 'workflowTaskId') return num(r.options.workflowTaskId);
  const last = target ? target === 'lastWorkflowTask' : r.resetType === 2;
  const run = e.findRun(namespace, t.workflowId, t.runId || undefined);
  let point = 0;
  const ids = [...run.history.keys()];
  for (const i of last ? ids.reverse() : ids) {
    const type = decode(HISTORY_EVENT, run.history[i]).eventType;
    if (type === E.WORKFLOW_TASK_COMPLETED) return i + 1;
    if (type === E.WORKFLOW_TASK_SCHEDULED && (last || point === 0)) point = i + 2;
  }
  if (!point) throw invalidArgument('unable to find any scheduled or completed task');
  return point;
}

/** A request id the same for every attempt at one operation of one job (deterministicRequestID). */
function requestId(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function describeJob(job: BatchJob): Pb {
  return {
    operationType: job.operationType,
    jobId: job.jobId,
    state: job.state,
    startTime: timestamp(job.startTime),
    closeTime: job.closeTime ? timestamp(job.closeTime) : undefined,
    totalOperationCount: job.targets.length,
    completeOperationCount: job.succeeded,
    failureOperationCount: job.failed,
    identity: job.identity,
    reason: job.reason,
    query: job.query,
    executions: job.query ? [] : job.targets.map((t) => ({ type: 1 /* EXECUTION_TYPE_WORKFLOW */, businessId: t.workflowId, runId: t.runId })),
  };
}

function findJob(ns: Namespace, jobId: string): BatchJob {
  const job = ns.batches.get(jobId);
  if (!job) throw workflowNotFound(jobId);
  return job;
}

/** A bad query is refused at start only for its syntax; any other fault fails the job (as the server's). */
function checkQuerySyntax(e: Engine, req: Pb): boolean {
  try {
    matchingRuns(e, { namespace: req.namespace, query: req.visibilityQuery });
    return true;
  } catch (err) {
    const message = err instanceof VisibilityQueryError || err instanceof ServiceError ? err.message : '';
    if (message.includes(MALFORMED_SQL_QUERY)) throw invalidArgument(`invalid visibility query: ${message}`);
    return false;
  }
}

export function batchHandlers(e: Engine): Handlers {
  const wf = workflowHandlers(e);

  /** Applies the job's operation to one workflow, as the batcher's processSingleTask does. */
  function apply(job: BatchJob, req: Pb, op: string, t: BatchTarget): void {
    const base = { namespace: job.namespace, workflowExecution: t };
    const o = req[op];
    let out: unknown;
    switch (op) {
      case 'terminationOperation':
        out = wf.TerminateWorkflowExecution({ ...base, reason: job.reason, identity: o.identity ?? '' }, NO_CONTEXT);
        break;
      case 'cancellationOperation':
        out = wf.RequestCancelWorkflowExecution({ ...base, identity: o.identity ?? '' }, NO_CONTEXT);
        break;
      case 'signalOperation':
        out = wf.SignalWorkflowExecution({ ...base, signalName: o.signal, input: o.input, header: o.header, identity: o.identity ?? '', requestId: requestId(job.jobId, 'signal', t.workflowId, t.runId, o.signal) }, NO_CONTEXT);
        break;
      case 'deletionOperation':
        out = wf.DeleteWorkflowExecution(base, NO_CONTEXT);
        break;
      case 'resetOperation':
        out = wf.ResetWorkflowExecution({
          ...base,
          reason: job.reason,
          requestId: requestId(job.jobId, 'reset', t.workflowId, t.runId),
          workflowTaskFinishEventId: resetPoint(e, job.namespace, t, o),
          resetReapplyType: o.options ? o.options.resetReapplyType : o.resetReapplyType,
          resetReapplyExcludeTypes: o.options?.resetReapplyExcludeTypes,
          postResetOperations: o.postResetOperations,
          identity: o.identity ?? '',
        }, NO_CONTEXT);
        break;
    }
    // Every one of these answers at once; one that did not would be counted before it finished.
    if (out instanceof Promise) throw new Error(`${op} answered asynchronously`);
  }

  /** Runs the job from its next target, a slice at a time, logging its progress after each. */
  function run(ns: Namespace, job: BatchJob): void {
    const req = decode(REQUEST, Buffer.from(job.request, 'base64'));
    const op: string = req.operation;
    e.clock.holdWork(job); // time skipping waits for the job, as for any work in flight
    const step = () => {
      if (job.state !== BatchState.RUNNING) return e.clock.releaseWork(job); // stopped
      for (const end = Math.min(job.next + SLICE, job.targets.length); job.next < end; job.next++) {
        try {
          apply(job, req, op, job.targets[job.next]);
          job.succeeded++;
        } catch (err) {
          // Gone or already closed is done (processTask ignores NotFound).
          if (err instanceof ServiceError && err.code === status.NOT_FOUND) job.succeeded++;
          else job.failed++;
        }
      }
      if (job.next >= job.targets.length) {
        job.state = BatchState.COMPLETED;
        job.closeTime = e.now();
        e.clock.releaseWork(job);
      } else {
        setImmediate(step);
      }
      saveBatchProgress(e, job);
    };
    step();
  }

  // Jobs a restart cut short go on from their last logged slice (its operations are idempotent).
  for (const ns of e.namespaces.values()) {
    for (const job of ns.batches.values()) if (job.state === BatchState.RUNNING) run(ns, job);
  }

  return {
    StartBatchOperation(req) {
      const op = validate(req);
      const ns = e.ns(req.namespace);
      const queryOk = !req.visibilityQuery || checkQuerySyntax(e, req);
      const jobs = [...ns.batches.values()];
      if (jobs.some((j) => j.state === BatchState.RUNNING)) {
        throw resourceExhausted('Max concurrent batch operations is reached', ResourceExhaustedCause.CONCURRENT_LIMIT, ResourceExhaustedScope.NAMESPACE);
      }
      // The server starts the job's workflow with REJECT_DUPLICATE: a job id is used once.
      const existing = ns.batches.get(req.jobId);
      if (existing) throw existing.state === BatchState.RUNNING ? alreadyStarted(asRun(existing)) : alreadyFinished(asRun(existing));
      const job: BatchJob = {
        namespace: ns.name,
        jobId: req.jobId,
        runId: requestId(ns.name, req.jobId, String(e.now())),
        requestId: requestId(ns.name, req.jobId, 'start', String(e.now())),
        operationType: OPERATIONS[op],
        state: queryOk ? BatchState.RUNNING : BatchState.FAILED,
        startTime: e.now(),
        closeTime: queryOk ? 0 : e.now(),
        identity: req[op].identity ?? '',
        reason: req.reason,
        query: req.visibilityQuery ?? '',
        request: encode(REQUEST, req).toString('base64'),
        targets: queryOk ? targetsOf(e, req, op) : [],
        next: 0,
        succeeded: 0,
        failed: 0,
      };
      startBatchJob(e, ns, job);
      if (queryOk) run(ns, job);
      return {};
    },
    StopBatchOperation(req) {
      requireField(req.jobId, 'JobId is not set on request.');
      requireField(req.namespace, 'Namespace is not set on request.');
      requireField(req.reason, 'Reason is not set on request.');
      const job = findJob(e.ns(req.namespace), req.jobId);
      if (job.state !== BatchState.RUNNING) throw notFound('workflow execution already completed');
      job.state = BatchState.FAILED;
      job.closeTime = e.now();
      saveBatchProgress(e, job);
      return {};
    },
    DescribeBatchOperation(req) {
      requireField(req.jobId, 'JobId is not set on request.');
      requireField(req.namespace, 'Namespace is not set on request.');
      return describeJob(findJob(e.ns(req.namespace), req.jobId));
    },
    ListBatchOperations(req) {
      requireField(req.namespace, 'Namespace is not set on request.');
      const jobs = [...e.ns(req.namespace).batches.values()].reverse();
      const offset = req.nextPageToken?.length ? Number(Buffer.from(req.nextPageToken).toString()) || 0 : 0;
      const size = req.pageSize > 0 ? Math.min(req.pageSize, DEFAULT_PAGE) : DEFAULT_PAGE;
      const page = jobs.slice(offset, offset + size);
      return {
        operationInfo: page.map((j) => ({ jobId: j.jobId, state: j.state, startTime: timestamp(j.startTime), closeTime: j.closeTime ? timestamp(j.closeTime) : undefined, operationType: j.operationType })),
        nextPageToken: offset + page.length < jobs.length ? Buffer.from(String(offset + page.length)) : undefined,
      };
    },
  };
}

/** A job as the already-exists errors name it: the workflow the server would run it as. */
function asRun(job: BatchJob) {
  return { workflowId: job.jobId, runId: job.runId, requestId: job.requestId };
}

/** Calls made by a job have no caller to cancel them and no deadline. */
const NO_CONTEXT = { onCancel: () => undefined, deadlineMs: Infinity };
