/** What one attempt to reach one partner over one channel came to. */
export type SendOutcome =
  /** The receiver confirmed it (HTTP 2xx, SMTP 250): recorded in the delivery log, never sent again. */
  | { readonly kind: 'confirmed'; readonly detail: string }
  /** The receiver refused it for good (HTTP 4xx except 429, SMTP 5xx): recorded, not retried. */
  | { readonly kind: 'rejected'; readonly detail: string }
  /** Try again later (HTTP 429 or 5xx, network error, time-out); `retryAfterMs` from a Retry-After header. */
  | { readonly kind: 'retry'; readonly detail: string; readonly retryAfterMs?: number };

/** Text of an error's code or name, without its message (which may echo what was sent). */
export function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const cause = (error as { cause?: unknown }).cause;
    const code = (error as { code?: unknown }).code ?? (typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined);
    if (typeof code === 'string') return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return 'error';
}
