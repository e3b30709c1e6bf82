/**
 * Errors of the privacy core. Their messages name files, fields and key ids,
 * never key material or the contents of what was encrypted.
 */

/** No master key configured anywhere; the message says how to create one. */
export class MissingKeyError extends Error {
  constructor(readonly file: string) {
    super(
      `no encryption key: create one with \`trajectory keys create\` (writes ${file}), or set TRAJECTORY_KEYS_FILE / TRAJECTORY_KEYS`,
    );
    this.name = 'MissingKeyError';
  }
}

/** A key file or TRAJECTORY_KEYS value that is unreadable or invalid. */
export class KeyFileError extends Error {
  constructor(
    /** The file path, or the name of the environment variable. */
    readonly source: string,
    problem: string,
  ) {
    super(`${source}: ${problem}`);
    this.name = 'KeyFileError';
  }
}

/** Encrypted data that cannot be opened: unknown key id, or it fails authentication. */
export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}
