/**
 * Request size limits, with the defaults of Temporal's server:
 * - gRPC messages: its frontend builds the server with grpc-go's default receive limit, 4 MiB
 *   (service/frontend/fx.go; common/rpc/grpc.go sets MaxHTTPAPIRequestBytes to "the max gRPC
 *   request size", 4 MiB). Larger requests get RESOURCE_EXHAUSTED.
 * - Payloads: dynamic config `limit.blobSize.error` (2 MiB) per payload field, `limit.blobSize.warn`
 *   (512 KiB, the size failures are cut down to), `limit.memoSize.error` (2 MiB) and
 *   `limit.memoSize.warn` (2 KiB) (common/dynamicconfig/constants.go). As on the server, a blob
 *   is refused only when above both its warn and its error limit.
 */
/** Longest workflow id, namespace name, type name or request id (the server's `limit.maxIDLength`). */
export const MAX_ID_LENGTH = 1000;

export interface Limits {
  /** Largest gRPC request accepted, compressed or inflated. */
  maxReceiveMessageBytes: number;
  blobSizeError: number;
  blobSizeWarn: number;
  memoSizeError: number;
  memoSizeWarn: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxReceiveMessageBytes: 4 * 1024 * 1024,
  blobSizeError: 2 * 1024 * 1024,
  blobSizeWarn: 512 * 1024,
  memoSizeError: 2 * 1024 * 1024,
  memoSizeWarn: 2 * 1024,
};

/**
 * Switches of Temporal's dynamic config that the engine honours:
 * - `system.enableActivityEagerExecution` (default true, as on Temporal since #10651 and so on the
 *   CLI dev server built on it; the SDKs' own test servers set it too): a ScheduleActivityTask
 *   command with `request_eager_execution` has its first attempt started at once and handed back
 *   in RespondWorkflowTaskCompletedResponse.activity_tasks instead of going through matching.
 */
export interface Features {
  activityEagerExecution: boolean;
}

export const DEFAULT_FEATURES: Features = {
  activityEagerExecution: true,
};

const FEATURE_KEYS: Record<string, keyof Features> = {
  'system.enableactivityeagerexecution': 'activityEagerExecution',
};

/** The dynamic config keys the engine applies; every other key is accepted and ignored. */
const DYNAMIC_KEYS: Record<string, keyof Limits> = {
  'limit.blobsize.error': 'blobSizeError',
  'limit.blobsize.warn': 'blobSizeWarn',
  'limit.memosize.error': 'memoSizeError',
  'limit.memosize.warn': 'memoSizeWarn',
};

/**
 * Applies one `--dynamic-config-value KEY=VALUE` to `limits` (or to `features` for a switch).
 * Returns false for a key the engine ignores; throws a message for a known key with a value that
 * is not a byte count (or not true or false).
 */
export function applyDynamicConfig(limits: Limits, kv: string, features?: Features): boolean {
  const eq = kv.indexOf('=');
  if (eq <= 0) throw new Error(`--dynamic-config-value wants KEY=VALUE, got "${kv}"`);
  // Temporal's dynamic config keys are case-insensitive.
  const key = kv.slice(0, eq).trim().toLowerCase();
  const raw = kv.slice(eq + 1).trim();
  const feature = FEATURE_KEYS[key];
  if (feature && features) {
    // The CLI reads values as JSON (true or false); a quoted or capitalised one is taken too.
    const b = raw.replace(/^"(.*)"$/, '$1').toLowerCase();
    if (b !== 'true' && b !== 'false') throw new Error(`--dynamic-config-value ${kv.slice(0, eq)} wants true or false, got "${raw}"`);
    features[feature] = b === 'true';
    return true;
  }
  const field = DYNAMIC_KEYS[key];
  if (!field) return false;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n <= 0) {
    throw new Error(`--dynamic-config-value ${kv.slice(0, eq)} wants a positive number of bytes, got "${raw}"`);
  }
  limits[field] = n;
  return true;
}
