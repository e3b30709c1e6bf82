/**
 * Batch operations (StartBatchOperation and friends). Temporal runs each as a system workflow
 * whose id is the job id; here a job is a record of the namespace, written to the log when it
 * starts and when it ends, so that describe and list answer the same after a restart and a job
 * cut short by one is run again (its operations are idempotent, see frontend/batch-handlers.ts).
 */
import { json, RecordKind } from './log-records';
import type { Engine } from './engine';
import type { Namespace } from './namespace';

export const BatchState = { RUNNING: 1, COMPLETED: 2, FAILED: 3 } as const;

export interface BatchJob {
  namespace: string;
  jobId: string;
  /** BatchOperationType: 1 terminate, 2 cancel, 3 signal, 4 delete, 5 reset. */
  operationType: number;
  state: number;
  startTime: number;
  closeTime: number;
  identity: string;
  reason: string;
  /** The start request, encoded and in base64, to run the job again after a restart. */
  request: { bytes: string };
  total: number;
  succeeded: number;
  failed: number;
}

/** Records the job in its namespace and in the log (its start, its progress or its end). */
export function saveBatchJob(e: Engine, ns: Namespace, job: BatchJob): void {
  ns.batches.delete(job.jobId); // the latest start of a job id lists first
  ns.batches.set(job.jobId, job);
  e.persist(RecordKind.BATCH_JOB, json(job));
}

/** A job read back from the log. */
export function restoreBatchJob(e: Engine, data: Buffer): void {
  const job = JSON.parse(data.toString('utf8')) as BatchJob;
  const ns = e.namespaces.get(job.namespace);
  if (!ns) return;
  ns.batches.delete(job.jobId);
  ns.batches.set(job.jobId, job);
}
