/** Kinds of record in the durable log, and their encodings. */
export const RecordKind = {
  NAMESPACE: 1,
  SEARCH_ATTRIBUTE: 2,
  RUN: 3,
  EVENT: 4,
  BUFFERED_EVENT: 5,
  BUFFER_FLUSHED: 6,
  CLOCK: 7,
  /** A run deleted by DeleteWorkflowExecution (its log id): gone again after a restart. */
  RUN_DELETED: 8,
  /** A batch operation's job as it started, with the workflows it selected (JSON). */
  BATCH_JOB: 9,
  /** A signal's request id (log id, then the id): a retry after a restart is still seen. */
  REQUEST_ID: 10,
  /** How far a batch job got, and its state (JSON). */
  BATCH_PROGRESS: 11,
} as const;

export interface RunRecord {
  l: number; // log id of the run
  n: string; // namespace
  w: string; // workflow id
  r: string; // run id
  q: string; // start request id
}

export function runEventRecord(logId: number, event: Buffer): Buffer {
  const b = Buffer.allocUnsafe(4 + event.length);
  b.writeUInt32LE(logId, 0);
  event.copy(b, 4);
  return b;
}

export function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
