/**
 * gRPC errors as the UI server answers them: google.rpc.Status in JSON ({code, message, details}
 * with each detail under "@type") and grpc-gateway's HTTP status for the code.
 */
import { status as Code } from '@grpc/grpc-js';
import { root } from './proto';
import { JsonObject, toJson } from './proto-json';

const HTTP_STATUS: Record<number, number> = {
  [Code.OK]: 200,
  [Code.CANCELLED]: 499,
  [Code.UNKNOWN]: 500,
  [Code.INVALID_ARGUMENT]: 400,
  [Code.DEADLINE_EXCEEDED]: 504,
  [Code.NOT_FOUND]: 404,
  [Code.ALREADY_EXISTS]: 409,
  [Code.PERMISSION_DENIED]: 403,
  [Code.RESOURCE_EXHAUSTED]: 429,
  [Code.FAILED_PRECONDITION]: 400,
  [Code.ABORTED]: 409,
  [Code.OUT_OF_RANGE]: 400,
  [Code.UNIMPLEMENTED]: 501,
  [Code.INTERNAL]: 500,
  [Code.UNAVAILABLE]: 503,
  [Code.DATA_LOSS]: 500,
  [Code.UNAUTHENTICATED]: 401,
};

export function httpStatusFromCode(code: number): number {
  return HTTP_STATUS[code] ?? 500;
}

export interface ErrorBody {
  code: number;
  message: string;
  details: JsonObject[];
}

interface GrpcError {
  code?: number;
  details?: string;
  message?: string;
  metadata?: { get(key: string): Array<string | Buffer> };
}

/** The JSON body and HTTP status for an error from a gRPC call. */
export function errorFromGrpc(err: unknown): { status: number; body: ErrorBody } {
  const e = (err ?? {}) as GrpcError;
  const code = typeof e.code === 'number' ? e.code : Code.UNKNOWN;
  let body: ErrorBody = { code, message: e.details ?? e.message ?? String(err), details: [] };
  const bin = e.metadata?.get('grpc-status-details-bin')?.[0];
  if (Buffer.isBuffer(bin)) {
    try {
      const statusType = root.lookupType('google.rpc.Status');
      const decoded = toJson(statusType, statusType.decode(bin) as unknown as Record<string, unknown>) as Partial<ErrorBody>;
      body = { code, message: decoded.message ?? body.message, details: decoded.details ?? [] };
    } catch {
      // undecodable details: keep code and message
    }
  }
  return { status: httpStatusFromCode(code), body };
}

export function errorBody(code: number, message: string): { status: number; body: ErrorBody } {
  return { status: httpStatusFromCode(code), body: { code, message, details: [] } };
}
