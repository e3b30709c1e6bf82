/**
 * The webhook signature: HMAC-SHA256 over `<timestamp>.<raw body>` with the
 * partner's secret, sent as `X-Signature: sha256=<hex>` beside
 * `X-Signature-Timestamp: <unix seconds>`. Signing the timestamp with the body
 * lets a receiver refuse old messages replayed by someone who captured one.
 * `verifyWebhookSignature` is the receiver's side (docs/partners.md has the recipe).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-signature';
export const TIMESTAMP_HEADER = 'x-signature-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const EVENT_HEADER = 'x-trajectory-event';

/** `sha256=<hex>` for a body sent at `timestamp` (unix seconds). */
export function webhookSignature(secret: string, timestamp: number, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(rawBody);
  return `sha256=${mac.digest('hex')}`;
}

export interface VerifyOptions {
  /** How far the timestamp may be from `now` (default 300 seconds). */
  readonly toleranceSeconds?: number;
  /** Unix seconds now (default the clock). */
  readonly now?: number;
}

/** Whether the headers sign this raw body with this secret, recently enough. */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string | Buffer,
  headers: { readonly signature: string | undefined; readonly timestamp: string | undefined },
  options: VerifyOptions = {},
): boolean {
  if (headers.signature === undefined || headers.timestamp === undefined || !/^\d{1,12}$/.test(headers.timestamp)) return false;
  const timestamp = Number(headers.timestamp);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, rawBody));
  const given = Buffer.from(headers.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
