/**
 * Thrown when a file cannot be used as an engine log: it is not one of ours
 * (foreign file, unknown format version) or it is damaged somewhere other
 * than an unacknowledged tail. The file is never modified in these cases.
 */
export class StoreFileError extends Error {
  /** Absolute path of the offending file. */
  readonly path: string;
  /** Byte offset of the damage, when the problem is damage inside the log. */
  readonly offset: number | undefined;

  constructor(message: string, path: string, offset?: number) {
    super(message);
    this.name = 'StoreFileError';
    this.path = path;
    this.offset = offset;
  }
}

/** Rejection for appends on a store that is closed or that failed to write. */
export class StoreClosedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreClosedError';
  }
}
