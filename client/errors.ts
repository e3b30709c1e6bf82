/**
 * Exit codes and user-facing errors of the `trajectory` command line. Every
 * failure ends as one line on stderr and one of these codes (docs/cli.md).
 */
export const EXIT = {
  /** Everything worked. */
  ok: 0,
  /** Some rows or signals were rejected (invalid data, or the trajectory refused them). */
  rejected: 1,
  /** Bad usage: unknown command or option, missing argument, invalid flag value, bad connection settings. */
  usage: 2,
  /** Not found: no such trajectory, file or programme. */
  notFound: 3,
  /** Temporal could not be reached (address, TLS, API key), or did not answer in time. */
  connection: 4,
  /** Anything unexpected (a bug or a server error); the message says what. */
  internal: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string): CliError => new CliError(message, EXIT.usage);
export const notFoundError = (message: string): CliError => new CliError(message, EXIT.notFound);

/** gRPC status codes that mean "could not talk to the server". */
const CONNECTION_CODES = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */, 16 /* UNAUTHENTICATED */, 7 /* PERMISSION_DENIED */]);

function grpcCode(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'number') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isConnectionFailure(error: unknown): boolean {
  const code = grpcCode(error);
  if (code !== undefined && CONNECTION_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /Failed to connect|connect ECONNREFUSED|deadline/i.test(message);
}

/** By name, as the SDK's errors are recognised across copies of the package (and without loading it here). */
function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** The SDK's WorkflowExecutionAlreadyStartedError: the workflow id exists (running, or closed under REJECT_DUPLICATE). */
export function isAlreadyStarted(error: unknown): boolean {
  return errorName(error) === 'WorkflowExecutionAlreadyStartedError';
}

/** The SDK's WorkflowNotFoundError, or gRPC NOT_FOUND. */
export function isNotFound(error: unknown): boolean {
  return errorName(error) === 'WorkflowNotFoundError' || grpcCode(error) === 5;
}

/** Turns anything thrown into a CliError with the right exit code. */
export function toCliError(error: unknown, where?: string): CliError {
  if (error instanceof CliError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (isNotFound(error)) return new CliError(message, EXIT.notFound);
  if (isConnectionFailure(error)) {
    return new CliError(`cannot reach Temporal${where ? ` at ${where}` : ''}: ${message}`, EXIT.connection);
  }
  return new CliError(message, EXIT.internal);
}
