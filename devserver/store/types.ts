/** One opaque record: `kind` is an engine-defined tag (0..255), `data` the payload. */
export interface StoredRecord {
  kind: number;
  data: Buffer;
}

export interface LogStore {
  /** Records read back at open, in append order (each Buffer is exactly what was appended, with its kind). */
  readonly recovered: ReadonlyArray<StoredRecord>;
  /**
   * Queue a record; resolves once it (and everything appended before it) is
   * durably on disk (fsync). Appends in the same tick share one write + one
   * fsync (group commit). The data is copied before `append` returns, so the
   * caller may reuse the buffer.
   */
  append(kind: number, data: Buffer): Promise<void>;
  /** Queue several records atomically (all or none survive a crash). */
  appendBatch(records: ReadonlyArray<StoredRecord>): Promise<void>;
  /** Flush and close. Appends after close reject with StoreClosedError. */
  close(): Promise<void>;
  /** True when acknowledged appends survive a process or machine crash. */
  readonly durable: boolean;
}

export interface FileStoreOptions {
  /**
   * Called (at most once per open) with a one-line message when an
   * unacknowledged torn tail left by a crash is discarded.
   */
  onWarning?: (message: string) => void;
  /**
   * Soft cap on the bytes coalesced into one write + fsync (default 16 MiB).
   * A single record or batch larger than this still goes out in one write.
   */
  groupCommitBytes?: number;
}
