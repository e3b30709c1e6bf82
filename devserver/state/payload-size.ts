/**
 * Payload size limits as Temporal's server applies them (common/util.go CheckEventBlobSizeLimit):
 * a blob fails only when its encoded size is above both the warn and the error limit.
 */
import { invalidArgument } from '../errors';
import { Limits } from '../limits';
import { encode, Pb } from '../proto';

export const BLOB_TOO_LARGE = 'Blob data size exceeds limit.';
export const MEMO_TOO_LARGE = 'Memo size exceeds limit.';

export const PAYLOADS = 'temporal.api.common.v1.Payloads';
export const PAYLOAD = 'temporal.api.common.v1.Payload';
export const MEMO = 'temporal.api.common.v1.Memo';
export const FAILURE = 'temporal.api.failure.v1.Failure';

/**
 * An upper bound of a decoded message's encoded size: every byte of its strings and bytes plus
 * room for each tag and length. Cheap (no copy); the exact size is computed only above a limit.
 */
function sizeBound(v: unknown, depth: number): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'string') return v.length * 3 + 8;
  if (v instanceof Uint8Array) return v.length + 8;
  if (typeof v !== 'object') return 12;
  if (depth > 100) return Infinity;
  let n = 8;
  if (Array.isArray(v)) {
    for (const x of v) n += sizeBound(x, depth + 1);
    return n;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) n += k.length * 3 + 8 + sizeBound(o[k], depth + 1);
  return n;
}

/** The encoded size of `value` as `typeName`, or an upper bound of it when that is at most `limit`. */
export function sizeUpTo(typeName: string, value: Pb, limit: number): number {
  if (!value) return 0;
  const bound = sizeBound(value, 0);
  return bound <= limit ? bound : encode(typeName, value).length;
}

/** Size of a map of payloads as the server counts it (GetPayloadsMapSize): keys plus values. */
export function mapSizeUpTo(typeName: string, map: Record<string, Pb> | undefined, limit: number): number {
  let n = 0;
  for (const [k, v] of Object.entries(map ?? {})) n += Buffer.byteLength(k) + sizeUpTo(typeName, v, limit);
  return n;
}

const over = (size: number, warn: number, error: number) => size > warn && size > error;

export function blobOverLimit(limits: Limits, typeName: string, value: Pb): boolean {
  const limit = Math.max(limits.blobSizeWarn, limits.blobSizeError);
  return over(sizeUpTo(typeName, value, limit), limits.blobSizeWarn, limits.blobSizeError);
}

export function blobMapOverLimit(limits: Limits, typeName: string, map: Record<string, Pb> | undefined): boolean {
  const limit = Math.max(limits.blobSizeWarn, limits.blobSizeError);
  return over(mapSizeUpTo(typeName, map, limit), limits.blobSizeWarn, limits.blobSizeError);
}

export function memoOverLimit(limits: Limits, memo: Pb): boolean {
  const limit = Math.max(limits.memoSizeWarn, limits.memoSizeError);
  return over(sizeUpTo(MEMO, memo, limit), limits.memoSizeWarn, limits.memoSizeError);
}

/** INVALID_ARGUMENT "Blob data size exceeds limit." for payloads above the limit. */
export function checkBlob(limits: Limits, payloads: Pb): void {
  if (blobOverLimit(limits, PAYLOADS, payloads)) throw invalidArgument(BLOB_TOO_LARGE);
}

/** The start checks of history's ValidateStart: input, then memo. */
export function checkStartSizes(limits: Limits, input: Pb, memo: Pb): void {
  checkBlob(limits, input);
  if (memoOverLimit(limits, memo)) throw invalidArgument(MEMO_TOO_LARGE);
}

/** failure.NewServerFailure. */
export function serverFailure(message: string, nonRetryable: boolean): Pb {
  return { message, serverFailureInfo: { nonRetryable } };
}

/** failure.Truncate: a failure cut down to about `maxSize` bytes, its cause chain at most 20 deep. */
export function truncateFailure(f: Pb, maxSize: number, maxDepth = 20): Pb {
  if (!f) return undefined;
  let budget = maxSize;
  const trunc = (s: string | undefined | null): string => {
    const t = truncateUtf8(s ?? '', budget);
    budget -= Buffer.byteLength(t);
    if (t) budget -= 4;
    return t;
  };
  const out: Pb = {};
  if (f.applicationFailureInfo) {
    out.applicationFailureInfo = { nonRetryable: !!f.applicationFailureInfo.nonRetryable, type: trunc(f.applicationFailureInfo.type) };
    budget -= 8;
  } else if (f.serverFailureInfo) {
    out.serverFailureInfo = { nonRetryable: !!f.serverFailureInfo.nonRetryable };
    budget -= 4;
  }
  out.source = trunc(f.source);
  out.message = trunc(f.message);
  out.stackTrace = trunc(f.stackTrace);
  if (f.cause && budget > 4 && maxDepth > 0) out.cause = truncateFailure(f.cause, budget - 4, maxDepth - 1);
  return out;
}

/** At most `max` bytes of `s`, cut on a character boundary. */
function truncateUtf8(s: string, max: number): string {
  if (max <= 0) return '';
  const b = Buffer.from(s);
  if (b.length <= max) return s;
  let end = max;
  while (end > 0 && (b[end] & 0xc0) === 0x80) end--;
  return b.subarray(0, end).toString();
}
