/** Retry policies as the server normalises them, and the backoff they give. */
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

export function isNonRetryable(policy: Pb, failure: Pb): boolean {
  // A server failure carries its own verdict (common/retrypolicy IsRetryableFailure).
  if (failure?.serverFailureInfo) return !!failure.serverFailureInfo.nonRetryable;
  const info = failure?.applicationFailureInfo;
  if (info?.nonRetryable) return true;
  const type = info?.type;
  return !!type && (policy.nonRetryableErrorTypes ?? []).includes(type);
}
