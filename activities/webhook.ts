/**
 * Webhook delivery: the partner message as a JSON POST with Node's own fetch,
 * signed (see webhook-signature.ts) and carrying the event's stable
 * `Idempotency-Key`. Redirects are not followed (the signature is for the
 * configured receiver only). The answer decides what happens next: 2xx is
 * confirmed; 4xx except 429 is refused for good; 429, 5xx, a network error or a
 * time-out is tried again later, after Retry-After when the receiver sent one.
 */
import type { PartnerMessage } from './least-data';
import { errorCode, type SendOutcome } from './outcome';
import { webhookSignature } from './webhook-signature';

export interface WebhookTarget {
  readonly url: string;
  readonly secret: string;
  readonly timeoutSeconds: number;
}

/** The exact bytes a partner receives. */
export function renderWebhookBody(message: PartnerMessage): string {
  return JSON.stringify(message);
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function classifyStatus(status: number, retryAfter: string | null): SendOutcome {
  const detail = `HTTP ${status}`;
  if (status >= 200 && status < 300) return { kind: 'confirmed', detail };
  if (status === 429 || status >= 500) {
    const after = retryAfterMs(retryAfter);
    return after === undefined ? { kind: 'retry', detail } : { kind: 'retry', detail, retryAfterMs: after };
  }
  if (status >= 300 && status < 400) return { kind: 'rejected', detail: `${detail} (redirects are not followed)` };
  if (status >= 400) return { kind: 'rejected', detail };
  return { kind: 'retry', detail };
}

export async function sendWebhook(target: WebhookTarget, message: PartnerMessage, cancel?: AbortSignal): Promise<SendOutcome> {
  const body = renderWebhookBody(message);
  const timestamp = Math.floor(Date.now() / 1000);
  const timeout = AbortSignal.timeout(target.timeoutSeconds * 1000);
  const signal = cancel ? AbortSignal.any([cancel, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: 'POST',
      redirect: 'manual',
      signal,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'trajectories-partner-notifications/1',
        'idempotency-key': message.id,
        'x-trajectory-event': message.event,
        'x-signature-timestamp': String(timestamp),
        'x-signature': webhookSignature(target.secret, timestamp, body),
      },
      body,
    });
  } catch (error) {
    if (cancel?.aborted) throw error;
    return { kind: 'retry', detail: timeout.aborted ? `no answer within ${target.timeoutSeconds}s` : `network error (${errorCode(error)})` };
  }
  // The answer's body is not read: it is not needed, and it could echo data back into logs.
  await response.body?.cancel().catch(() => undefined);
  return classifyStatus(response.status, response.headers.get('retry-after'));
}
