/**
 * Queries: they ride on the next workflow task when one is pending, and otherwise go to a worker
 * as a query task (a "legacy" query) with the run's history.
 */
import { randomUUID } from 'node:crypto';
import { QueryRejectCondition, QueryResultType, TaskQueueKind, WorkflowStatus } from '../enums';
import { ServiceError, workflowNotReady } from '../errors';
import { Pb } from '../proto';
import { status } from '@grpc/grpc-js';
import { Engine } from './engine';
import { QueryRequest, Run } from './run';
import { RAW_HISTORY } from './raw-history';
import { encodeToken, decodeToken } from './tokens';

const waiting = new Map<string, QueryRequest>();

const CLOSED_BEFORE_TASK = 'Workflow execution closed before WorkflowTaskStarted event';

/** Workflow task attempts from which queries fail at once (the server's failQueryWorkflowTaskAttemptCount). */
const FAILING_TASK_ATTEMPT = 3;

/**
 * A query, in the order of the server's queryworkflow/api.go: reject conditions (on a closed run),
 * a run closed before any task completed, a first task that would come after the caller's
 * deadline (during a start delay or a retry's backoff; otherwise the query waits and rides on
 * it), a task failing over and over.
 */
export function queryWorkflow(e: Engine, run: Run, query: Pb, rejectCondition: number, deadlineMs = Infinity): Promise<Pb> {
  if (!run.isOpen && (rejectCondition === QueryRejectCondition.NOT_OPEN || (rejectCondition === QueryRejectCondition.NOT_COMPLETED_CLEANLY && run.status !== WorkflowStatus.COMPLETED))) {
    return Promise.resolve({ queryRejected: { status: run.status } });
  }
  if (!run.isOpen && run.lastCompletedWftEventId === 0) {
    return Promise.reject(workflowNotReady(CLOSED_BEFORE_TASK));
  }
  if (run.isOpen && !run.firstTaskScheduled && run.startTime + run.firstWftBackoffMs > e.now() + deadlineMs) {
    return Promise.reject(workflowNotReady('Workflow task is not scheduled yet.'));
  }
  if (run.isOpen && (run.wft?.attempt ?? 1) >= FAILING_TASK_ATTEMPT) {
    return Promise.reject(workflowNotReady('Unable to query workflow due to Workflow Task in failed state.'));
  }
  return new Promise<Pb>((resolve, reject) => {
    const req: QueryRequest = {
      id: randomUUID(),
      query,
      fail: (err) => {
        waiting.delete(req.id);
        reject(err);
      },
      resolve: (r) => {
        waiting.delete(req.id);
        if (r.error !== undefined) {
          const failure = r.failure ?? { message: r.error };
          reject(new ServiceError(status.INVALID_ARGUMENT, r.error, ['temporal.api.errordetails.v1.QueryFailedFailure', { failure }]));
        }
        else resolve({ queryResult: r.answer ?? { payloads: [] } });
      },
    };
    waiting.set(req.id, req);
    run.pendingQueries.push(req);
    dispatchWaitingQueries(e, run);
  });
}

/** Legacy query tasks out with a worker, by run: one at a time per run. */
const outstanding = new Map<Run, QueryRequest>();
/** A query task no worker answers in this time is given up, so the next one can go. */
const QUERY_TASK_TIMEOUT_MS = 10_000;

/**
 * Sends the waiting queries of a run without a pending workflow task as query tasks, one at a
 * time: the SDK's worker drops a second query task it buffered for a run it then evicts (as it
 * does once a workflow has ended), which would leave that query unanswered.
 */
export function dispatchWaitingQueries(e: Engine, run: Run): void {
  // An open run's queries wait for its task, the first one included (it carries them).
  if (run.isOpen && (run.wft || !run.firstTaskScheduled)) return;
  // A run that closed before its first task completed has no workflow to ask (the queries that
  // waited during its start delay).
  if (!run.isOpen && run.lastCompletedWftEventId === 0) {
    for (const q of run.pendingQueries.splice(0)) q.fail(workflowNotReady(CLOSED_BEFORE_TASK));
    return;
  }
  if (outstanding.has(run)) return;
  const q = run.pendingQueries.shift();
  if (!q) return;
  outstanding.set(run, q);
  const answered = q.resolve;
  let timer: NodeJS.Timeout | undefined;
  q.resolve = (r) => {
    clearTimeout(timer);
    if (outstanding.get(run) === q) outstanding.delete(run);
    answered(r);
    dispatchWaitingQueries(e, run);
  };
  const ns = e.ns(run.namespace);
  const stickyQueue = run.isOpen && run.sticky ? ns.queues.workflow.get(run.sticky.queue) : undefined;
  const useSticky = !!stickyQueue && stickyQueue.hasPollers;
  const queue = useSticky ? stickyQueue! : ns.queues.wf(run.taskQueue);
  queue.add({
    take: () => {
      if (!waiting.has(q.id)) return undefined;
      timer = setTimeout(() => q.resolve({ error: 'query task was taken by a worker but not answered in time' }), QUERY_TASK_TIMEOUT_MS);
      return {
        taskToken: encodeToken({ k: 'q', n: run.namespace, w: run.workflowId, r: run.runId, q: q.id }),
        workflowExecution: { workflowId: run.workflowId, runId: run.runId },
        workflowType: { name: run.workflowType },
        previousStartedEventId: run.previousStartedEventId,
        startedEventId: 0,
        attempt: 1,
        query: q.query,
        workflowExecutionTaskQueue: { name: run.taskQueue, kind: TaskQueueKind.NORMAL },
        [RAW_HISTORY]: useSticky ? run.history.slice(run.previousStartedEventId) : run.history,
      };
    },
  });
}

export function respondQueryTask(e: Engine, req: Pb): void {
  const t = decodeToken(req.taskToken, 'q');
  const q = waiting.get(t.q);
  if (!q) throw new ServiceError(status.NOT_FOUND, 'query task not found, or already expired');
  if (req.completedType === QueryResultType.FAILED) {
    q.resolve({ error: req.errorMessage || req.failure?.message || 'query failed', failure: req.failure });
  } else {
    q.resolve({ answer: req.queryResult });
  }
}

/** Answers queries that rode on a workflow task, from its completion's query results. */
export function deliverQueryResults(queries: QueryRequest[], results: Record<string, Pb>): void {
  for (const q of queries) {
    const r = results[q.id];
    if (!r) {
      q.resolve({ error: 'query was not answered by the workflow task' });
    } else if (r.resultType === QueryResultType.FAILED) {
      q.resolve({ error: r.errorMessage || r.failure?.message || 'query failed', failure: r.failure });
    } else {
      q.resolve({ answer: r.answer });
    }
  }
}
