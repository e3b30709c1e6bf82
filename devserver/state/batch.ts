/**
 * Batch operations (StartBatchOperation and friends). Temporal runs each as a system workflow
 * whose id is the job id, and its activity heartbeats its progress; here a job is a record of the
 * namespace. Its start record holds the workflows it selected; a progress record follows each
 * slice it runs and its end. After a restart describe and list answer the same, and a job cut
 * short goes on from its last recorded slice over the same workflows (see frontend/batch-handlers.ts).
 */
import { json, RecordKind } from './log-records';
import type { Engine } from './engine';
import type { Namespace } from './namespace';

export const BatchState = { RUNNING: 1, COMPLETED: 2, FAILED: 3 } as const;

export interface BatchTarget {
  workflowId: string;
  runId: string;
}

export interface BatchJob {
  namespace: string;
  jobId: string;
  /** The run id the server's batch workflow would have (named by ALREADY_EXISTS). */
  runId: string;
  requestId: string;
  /** BatchOperationType, as the server reports it: 13 terminate, 14 cancel, 15 signal, 16 delete, 17 reset. */
  operationType: number;
  state: number;
  startTime: number;
  closeTime: number;
  identity: string;
  reason: string;
  /** The request's visibility query as given (empty for an execution list). */
  query: string;
  /** The start request, encoded and in base64. */
  request: string;
  targets: BatchTarget[];
  /** Index of the next target to apply the operation to. */
  next: number;
  succeeded: number;
  failed: number;
}

interface Progress {
  n: string;
  j: string;
  x: number;
  s: number;
  f: number;
  st: number;
  c: number;
}

/** Records a new job in its namespace and in the log. */
export function startBatchJob(e: Engine, ns: Namespace, job: BatchJob): void {
  ns.batches.set(job.jobId, job);
  e.persist(RecordKind.BATCH_JOB, json(job));
}

/** Logs how far the job got (after each slice, and when it ends or is stopped). */
export function saveBatchProgress(e: Engine, job: BatchJob): void {
  const p: Progress = { n: job.namespace, j: job.jobId, x: job.next, s: job.succeeded, f: job.failed, st: job.state, c: job.closeTime };
  e.persist(RecordKind.BATCH_PROGRESS, json(p));
}

/** A job or its progress read back from the log. */
export function restoreBatchRecord(e: Engine, kind: number, data: Buffer): void {
  const rec = JSON.parse(data.toString('utf8'));
  if (kind === RecordKind.BATCH_JOB) {
    e.namespaces.get((rec as BatchJob).namespace)?.batches.set(rec.jobId, rec as BatchJob);
    return;
  }
  const p = rec as Progress;
  const job = e.namespaces.get(p.n)?.batches.get(p.j);
  if (!job) return;
  job.next = p.x;
  job.succeeded = p.s;
  job.failed = p.f;
  job.state = p.st;
  job.closeTime = p.c;
}
