/** Retry policies as the server normalises them, and the backoff they give. */
import { shortName, TimeoutType } from '../enums';
import { duration, durationMs, Pb } from '../proto';

export function retryDefaults(p: Pb): Pb {
  const initial = durationMs(p?.initialInterval) || 1000;
  return {
    initialInterval: duration(initial),
    backoffCoefficient: p?.backoffCoefficient || 2,
    maximumInterval: duration(durationMs(p?.maximumInterval) || 100 * initial),
    maximumAttempts: p?.maximumAttempts || 0,
    nonRetryableErrorTypes: p?.nonRetryableErrorTypes ?? [],
  };
}

/** Delay before attempt `attempt + 1`, or undefined when the policy allows no further attempt. */
export function nextBackoff(policy: Pb, attempt: number): number | undefined {
  const max = policy.maximumAttempts || 0;
  if (max > 0 && attempt >= max) return undefined;
  const initial = durationMs(policy.initialInterval) || 1000;
  const cap = durationMs(policy.maximumInterval) || 100 * initial;
  const coeff = policy.backoffCoefficient || 2;
  return Math.min(initial * Math.pow(coeff, attempt - 1), cap);
}

/** Non-retryable types of this form name a timeout (common/retrypolicy TimeoutFailureTypePrefix). */
export const TIMEOUT_TYPE_PREFIX = 'TemporalTimeout:';
/** The timeout type names a non-retryable type may give: short or as the enum spells them. */
export const TIMEOUT_TYPE_NAMES = new Set([
  ...Object.values(TimeoutType).filter((v) => v !== TimeoutType.UNSPECIFIED).map((v) => shortName(TimeoutType, v)),
  ...Object.keys(TimeoutType).filter((k) => k !== 'UNSPECIFIED').map((k) => `TIMEOUT_TYPE_${k}`),
]);

/** Whether a failure ends its retries (common/retrypolicy IsRetryableFailure, negated). */
export function isNonRetryable(policy: Pb, failure: Pb): boolean {
  if (failure?.terminatedFailureInfo || failure?.canceledFailureInfo) return true;
  const timeout = failure?.timeoutFailureInfo;
  if (timeout) {
    // Start-to-close and heartbeat timeouts are retried unless the policy names them.
    if (timeout.timeoutType !== TimeoutType.START_TO_CLOSE && timeout.timeoutType !== TimeoutType.HEARTBEAT) return true;
    return (policy.nonRetryableErrorTypes ?? []).includes(`${TIMEOUT_TYPE_PREFIX}${shortName(TimeoutType, timeout.timeoutType)}`);
  }
  // A server failure carries its own verdict.
  if (failure?.serverFailureInfo) return !!failure.serverFailureInfo.nonRetryable;
  const info = failure?.applicationFailureInfo;
  if (info?.nonRetryable) return true;
  const type = info?.type;
  return !!type && (policy.nonRetryableErrorTypes ?? []).includes(type);
}
