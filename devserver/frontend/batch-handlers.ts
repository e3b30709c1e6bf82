/**
 * StartBatchOperation, StopBatchOperation, DescribeBatchOperation and ListBatchOperations, as
 * Temporal's frontend and batcher (service/worker/batcher) do them: a job picks its workflows by
 * visibility query (terminate, cancel and signal only running ones) or by a list of executions,
 * and applies one operation to each through the same calls a client makes, counting successes
 * and failures. Jobs run in slices between other requests; one job at a time per namespace, as
 * the server's default `frontend.MaxConcurrentBatchOperationPerNamespace` allows. Signal and reset
 * use request ids derived from the job, so a job run again after a restart does not repeat them.
 */
import { status } from '@grpc/grpc-js';
import { EventType as E } from '../enums';
import { invalidArgument, notFound, ServiceError, unimplemented, workflowNotFound } from '../errors';
import { decode, encode, num, Pb, timestamp } from '../proto';
import { BatchJob, BatchState, saveBatchJob } from '../state/batch';
import { Engine } from '../state/engine';
import { Namespace } from '../state/namespace';
import { matchingRuns } from './visibility-handlers';
import { workflowHandlers } from './workflow-handlers';
import { Handlers } from './server';
import { requireField } from './validate';

const REQUEST = 'temporal.api.workflowservice.v1.StartBatchOperationRequest';
const HISTORY_EVENT = 'temporal.api.history.v1.HistoryEvent';
/** Workflows a job handles per turn of the event loop. */
const SLICE = 100;
const DEFAULT_PAGE = 1000;

/** The operations this engine runs, by request field, with their BatchOperationType. */
const OPERATIONS: Record<string, number> = {
  terminationOperation: 1,
  cancellationOperation: 2,
  signalOperation: 3,
  deletionOperation: 4,
  resetOperation: 5,
};
/** Operations on open workflows only: a query of theirs is narrowed to running ones. */
const RUNNING_ONLY = new Set(['terminationOperation', 'cancellationOperation', 'signalOperation']);

type Target = { workflowId: string; runId: string };

/** The request's `operation` oneof: which operation field is set. */
function operationOf(req: Pb): string | undefined {
  return req.operation ?? undefined;
}

/** batcher.ValidateBatchOperation, in its order. */
function validate(req: Pb, op: string | undefined): void {
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
      throw invalidArgument(`unknown batch reset type ${r.resetType ?? 0}`);
    }
  }
  if (!(op in OPERATIONS)) throw unimplemented(`StartBatchOperation ${op} is not supported by this engine`);
}

function targetsOf(e: Engine, req: Pb, op: string): Target[] {
  if (!req.visibilityQuery) return (req.executions ?? []).map((x: Pb) => ({ workflowId: x.workflowId, runId: x.runId ?? '' }));
  const query = RUNNING_ONLY.has(op) ? `(${req.visibilityQuery}) AND (ExecutionStatus = 'Running')` : req.visibilityQuery;
  return matchingRuns(e, { namespace: req.namespace, query }).hits.map(({ run }) => ({ workflowId: run.workflowId, runId: run.runId }));
}

/** The reset point a batch reset asks for (getResetEventIDByType / ByOptions). */
function resetPoint(e: Engine, namespace: string, t: Target, r: Pb): number {
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

function describeJob(job: BatchJob): Pb {
  return {
    operationType: job.operationType,
    jobId: job.jobId,
    state: job.state,
    startTime: timestamp(job.startTime),
    closeTime: job.closeTime ? timestamp(job.closeTime) : undefined,
    totalOperationCount: job.total,
    completeOperationCount: job.succeeded,
    failureOperationCount: job.failed,
    identity: job.identity,
    reason: job.reason,
  };
}

function findJob(ns: Namespace, jobId: string): BatchJob {
  const job = ns.batches.get(jobId);
  if (!job) throw workflowNotFound(jobId);
  return job;
}

export function batchHandlers(e: Engine): Handlers {
  const wf = workflowHandlers(e);

  /** Applies the job's operation to one workflow, as the batcher's processSingleTask does. */
  function apply(job: BatchJob, req: Pb, op: string, t: Target): void {
    const base = { namespace: job.namespace, workflowExecution: t };
    const o = req[op];
    switch (op) {
      case 'terminationOperation':
        wf.TerminateWorkflowExecution({ ...base, reason: job.reason, identity: o.identity ?? '' }, NO_CONTEXT);
        break;
      case 'cancellationOperation':
        wf.RequestCancelWorkflowExecution({ ...base, reason: job.reason, identity: o.identity ?? '' }, NO_CONTEXT);
        break;
      case 'signalOperation':
        wf.SignalWorkflowExecution({ ...base, signalName: o.signal, input: o.input, header: o.header, identity: o.identity ?? '', requestId: `${job.jobId}:signal:${t.workflowId}:${t.runId}:${o.signal}` }, NO_CONTEXT);
        break;
      case 'deletionOperation':
        wf.DeleteWorkflowExecution(base, NO_CONTEXT);
        break;
      case 'resetOperation':
        wf.ResetWorkflowExecution({
          ...base,
          reason: job.reason,
          requestId: `${job.jobId}:reset:${t.workflowId}:${t.runId}`,
          workflowTaskFinishEventId: resetPoint(e, job.namespace, t, o),
          resetReapplyType: o.options ? o.options.resetReapplyType : o.resetReapplyType,
          resetReapplyExcludeTypes: o.options?.resetReapplyExcludeTypes,
          postResetOperations: o.postResetOperations,
          identity: o.identity ?? '',
        }, NO_CONTEXT);
        break;
    }
  }

  /** Runs the job a slice at a time; the job's record is written again when it ends. */
  function run(ns: Namespace, job: BatchJob): void {
    const req = decode(REQUEST, Buffer.from(job.request.bytes, 'base64'));
    const op = operationOf(req)!;
    let targets: Target[];
    try {
      targets = targetsOf(e, req, op);
    } catch {
      targets = [];
    }
    job.total = targets.length;
    let next = 0;
    const step = () => {
      if (job.state !== BatchState.RUNNING) return; // stopped
      for (const end = Math.min(next + SLICE, targets.length); next < end; next++) {
        try {
          apply(job, req, op, targets[next]);
          job.succeeded++;
        } catch {
          job.failed++;
        }
      }
      if (next < targets.length) {
        setImmediate(step);
        return;
      }
      job.state = BatchState.COMPLETED;
      job.closeTime = e.now();
      saveBatchJob(e, ns, job);
    };
    step();
  }

  // Jobs a restart cut short run again from the start (their operations are idempotent).
  for (const ns of e.namespaces.values()) {
    for (const job of ns.batches.values()) {
      if (job.state === BatchState.RUNNING) {
        job.succeeded = job.failed = 0;
        run(ns, job);
      }
    }
  }

  return {
    StartBatchOperation(req) {
      const op = operationOf(req);
      validate(req, op);
      const ns = e.ns(req.namespace);
      if (req.visibilityQuery) matchingRuns(e, { namespace: req.namespace, query: req.visibilityQuery }); // a bad query is refused now
      if ([...ns.batches.values()].some((j) => j.state === BatchState.RUNNING)) {
        throw new ServiceError(status.RESOURCE_EXHAUSTED, 'Max concurrent batch operations is reached');
      }
      const job: BatchJob = {
        namespace: ns.name,
        jobId: req.jobId,
        operationType: OPERATIONS[op!],
        state: BatchState.RUNNING,
        startTime: e.now(),
        closeTime: 0,
        identity: req[op!].identity ?? '',
        reason: req.reason,
        request: { bytes: encode(REQUEST, req).toString('base64') },
        total: 0,
        succeeded: 0,
        failed: 0,
      };
      saveBatchJob(e, ns, job);
      run(ns, job);
      return {};
    },
    StopBatchOperation(req) {
      requireField(req.jobId, 'JobId is not set on request.');
      requireField(req.namespace, 'Namespace is not set on request.');
      requireField(req.reason, 'Reason is not set on request.');
      const ns = e.ns(req.namespace);
      const job = findJob(ns, req.jobId);
      if (job.state !== BatchState.RUNNING) throw notFound('workflow execution already completed');
      job.state = BatchState.FAILED;
      job.closeTime = e.now();
      saveBatchJob(e, ns, job);
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

/** Calls made by a job have no caller to cancel them and no deadline. */
const NO_CONTEXT = { onCancel: () => undefined, deadlineMs: Infinity };
