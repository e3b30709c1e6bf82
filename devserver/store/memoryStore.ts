/** A non-durable LogStore for tests and `--db-filename`-less runs. */
import { StoreClosedError } from './errors';
import { validateRecord } from './format';
import type { LogStore, StoredRecord } from './types';

const DONE = Promise.resolve();

class MemoryLogStore implements LogStore {
  readonly durable = false;
  private closed = false;

  constructor(readonly recovered: ReadonlyArray<StoredRecord>) {}

  append(kind: number, data: Buffer): Promise<void> {
    try {
      validateRecord(kind, data);
      this.checkOpen();
      return DONE;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  appendBatch(records: ReadonlyArray<StoredRecord>): Promise<void> {
    try {
      for (const r of records) validateRecord(r.kind, r.data);
      this.checkOpen();
      return DONE;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  close(): Promise<void> {
    this.closed = true;
    return DONE;
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreClosedError('in-memory engine log is closed');
  }
}

/**
 * Appends resolve immediately and nothing is kept across processes.
 * `recovered` optionally seeds what the store reports as read back at open.
 */
export function openMemoryStore(recovered: ReadonlyArray<StoredRecord> = []): LogStore {
  return new MemoryLogStore(recovered);
}
