/**
 * Errors with the real server's texts.
 *
 * Source: temporalio/temporal common/persistence/visibility/store/query/errors.go
 * (ConverterError.ToInvalidArgument wraps every converter message as
 * "invalid query: <message>" in an INVALID_ARGUMENT status).
 */

export const MALFORMED_SQL_QUERY = 'malformed SQL query';
export const NOT_SUPPORTED = 'operation is not supported';
export const INVALID_EXPRESSION = 'invalid expression';

/** message = the full text the server puts in its INVALID_ARGUMENT error. */
export class VisibilityQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VisibilityQueryError';
  }
}

/** A converter error, as returned to the client ("invalid query: ..."). */
export function queryError(detail: string): VisibilityQueryError {
  return new VisibilityQueryError(`invalid query: ${detail}`);
}

export function malformed(detail: string): VisibilityQueryError {
  return queryError(`${MALFORMED_SQL_QUERY}: ${detail}`);
}

export function notSupported(detail: string): VisibilityQueryError {
  return queryError(`${NOT_SUPPORTED}: ${detail}`);
}

export function invalidExpression(detail: string): VisibilityQueryError {
  return queryError(`${INVALID_EXPRESSION}: ${detail}`);
}

/** query.NewOperatorNotSupportedError */
export function operatorNotSupported(alias: string, type: string, operator: string): VisibilityQueryError {
  return notSupported(`operator '${operator.toUpperCase()}' not supported for ${type} type search attribute '${alias}'`);
}
