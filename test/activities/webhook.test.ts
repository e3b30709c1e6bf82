/** Webhook delivery against a real local HTTP receiver that checks signatures and honours idempotency keys. */
import { readFileSync } from 'node:fs';
import { ApplicationFailure } from '@temporalio/common';
import { eventKey, partnerMessage } from '../../activities/least-data';
import { loadPartnerRegistry } from '../../activities/partner-registry';
import { renderWebhookBody, retryAfterMs } from '../../activities/webhook';
import type { PartnerNotification } from '../../workflows/activities-api';
import { verifyWebhookSignature, webhookSignature } from '../../activities/webhook-signature';
import { deliverySetup, failureOf, runNotify, type DeliverySetup, type PartnerSpec } from './helpers/deliveries';
import { Receiver } from './helpers/receiver';
import { notification } from './helpers/setup';

let receiver: Receiver;
beforeEach(async () => {
  receiver = await Receiver.start();
});
afterEach(async () => {
  await receiver.close();
});

/** The receiver knows the secrets of the set-up (as each partner knows its own). */
function setupWith(partners: readonly PartnerSpec[]): DeliverySetup {
  const setup = deliverySetup(partners, { receiver });
  Object.assign(receiver.secrets, setup.secrets);
  return setup;
}

test('a signed JSON POST with the idempotency key reaches each partner once, carrying exactly its least-data message', async () => {
  const setup = setupWith([{ id: 'work2', roles: ['training-company'] }, { id: 'gemeente-rotterdam', roles: ['case-manager', 'municipality'] }]);
  const n = notification({ roles: ['training-company', 'case-manager'] });

  const result = await runNotify(setup, n);

  expect(result).toMatchObject({ delivered: true, unrouted: [] });
  expect(receiver.requests.map((r) => [r.partner, r.signatureValid, r.status])).toEqual(
    expect.arrayContaining([
      ['work2', true, 200],
      ['gemeente-rotterdam', true, 200],
    ]),
  );
  const registry = loadPartnerRegistry(setup.registryPath);
  for (const request of receiver.requests) {
    const roles = request.partner === 'work2' ? ['training-company'] : ['case-manager'];
    const partner = registry.partners.find((p) => p.id === request.partner)!;
    expect(request.rawBody).toBe(renderWebhookBody(partnerMessage(registry, n, partner, roles)));
    expect(request.headers['idempotency-key']).toBe(eventKey(n.idempotencyKey));
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request.headers['x-trajectory-event']).toBe('placement');
    expect(request.headers['x-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  }
  expect(JSON.parse(receiver.requests[0].rawBody)).toMatchObject({ event: 'placement', participantRef: 'p-7f3a9c', fields: { employer: 'Havenbedrijf Voorbeeld' } });

  // Run again (a retry or a replay): the delivery log says both were confirmed; nothing is sent.
  expect(await runNotify(setup, n, 2)).toMatchObject({ delivered: false, channels: [{ status: 'already' }, { status: 'already' }] });
  expect(receiver.requests).toHaveLength(2);
});

test('a receiver that holds another secret refuses the signature (401): refused for good, not retried', async () => {
  const setup = setupWith([{ id: 'work2', roles: ['training-company'] }]);
  receiver.secrets.work2 = 'c'.repeat(64);
  const error = await failureOf(runNotify(setup, notification({ roles: ['training-company'] })));
  expect(error).toMatchObject({ type: 'PartnerDeliveryRejected', nonRetryable: true, message: 'partner refused the notification: work2 webhook HTTP 401' });
  expect(receiver.requests.map((r) => r.signatureValid)).toEqual([false]);
  expect(receiver.processed).toEqual([]);
});

test('the signature covers the timestamp and the raw body: another secret, body or an old timestamp does not verify', () => {
  const secret = 'a'.repeat(64);
  const body = '{"event":"placement"}';
  const now = 1_900_000_000;
  const headers = { signature: webhookSignature(secret, now, body), timestamp: String(now) };
  expect(verifyWebhookSignature(secret, body, headers, { now })).toBe(true);
  expect(verifyWebhookSignature('b'.repeat(64), body, headers, { now })).toBe(false);
  expect(verifyWebhookSignature(secret, body.replace('placement', 'dropout'), headers, { now })).toBe(false);
  expect(verifyWebhookSignature(secret, body, { ...headers, timestamp: String(now + 1) }, { now })).toBe(false);
  expect(verifyWebhookSignature(secret, body, headers, { now: now + 301 })).toBe(false);
});

/** Runs one attempt with the receiver answering `status` to the first request for `partner` (200 to the rest). */
async function runAnswering(setup: DeliverySetup, n: PartnerNotification, partner: string, status: number, headers?: Record<string, string>): Promise<unknown> {
  let answered = false;
  receiver.answerFor = (request) => {
    if (answered || request.partner !== partner) return undefined;
    answered = true;
    return { status, ...(headers ? { headers } : {}) };
  };
  try {
    return await runNotify(setup, n);
  } finally {
    receiver.answerFor = undefined;
  }
}

test('a 500 is retried: the attempt fails retryably, the retry sends only what is still open, and the receiver processes it once', async () => {
  const setup = setupWith([{ id: 'work2', roles: ['training-company'] }, { id: 'gemeente-rotterdam', roles: ['case-manager'] }]);
  const n = notification({ roles: ['training-company', 'case-manager'] });

  const error = await failureOf(runAnswering(setup, n, 'work2', 500));
  expect(error).toBeInstanceOf(ApplicationFailure);
  expect(error).toMatchObject({ type: 'PartnerDeliveryRetry', nonRetryable: false, message: 'partner delivery incomplete: work2 webhook HTTP 500' });

  expect(await runNotify(setup, n, 2)).toMatchObject({
    delivered: true,
    channels: expect.arrayContaining([
      { partner: 'work2', channel: 'webhook', status: 'sent', detail: 'HTTP 200' },
      { partner: 'gemeente-rotterdam', channel: 'webhook', status: 'already', detail: 'HTTP 200' },
    ]),
  });
  expect(receiver.requests.map((r) => `${r.partner} ${r.status}`).sort()).toEqual(['gemeente-rotterdam 200', 'work2 200', 'work2 500']);
  expect(receiver.seen().sort()).toEqual(['gemeente-rotterdam: placement', 'work2: placement']);
});

test('a 400 is not retried: the attempt fails for good and a later run does not send it again', async () => {
  const setup = setupWith([{ id: 'work2', roles: ['training-company'] }]);
  const n = notification({ roles: ['training-company'] });
  const error = await failureOf(runAnswering(setup, n, 'work2', 400));
  expect(error).toBeInstanceOf(ApplicationFailure);
  expect(error).toMatchObject({ type: 'PartnerDeliveryRejected', nonRetryable: true, message: 'partner refused the notification: work2 webhook HTTP 400' });
  expect(receiver.requests).toHaveLength(1);

  await failureOf(runNotify(setup, n, 2));
  expect(receiver.requests).toHaveLength(1);
  expect(readFileSync(setup.deliveryLogPath, 'utf8')).toContain('"outcome":"rejected","detail":"HTTP 400"');
});

test('a 429 is retried after the receiver\'s Retry-After; a 503 and an unreachable receiver are retried', async () => {
  const setup = setupWith([{ id: 'work2', roles: ['training-company'] }]);
  const n = notification({ roles: ['training-company'] });
  const throttled = await failureOf(runAnswering(setup, n, 'work2', 429, { 'retry-after': '120' }));
  expect(throttled).toMatchObject({ type: 'PartnerDeliveryRetry', nonRetryable: false, nextRetryDelay: 120_000 });
  const unavailable = await failureOf(runAnswering(setup, n, 'work2', 503));
  expect(unavailable).toMatchObject({ nonRetryable: false, message: 'partner delivery incomplete: work2 webhook HTTP 503' });
  expect(unavailable.nextRetryDelay).toBeUndefined();

  await receiver.close();
  const unreachable = await failureOf(runNotify(setup, n));
  expect(unreachable).toMatchObject({ type: 'PartnerDeliveryRetry', nonRetryable: false });
  expect(String(unreachable.message)).toMatch(/^partner delivery incomplete: work2 webhook network error \(ECONNREFUSED\)$/);
  receiver = await Receiver.start();
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  expect(retryAfterMs('30')).toBe(30_000);
  expect(retryAfterMs('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(30_000);
  expect(retryAfterMs('soon')).toBeUndefined();
  expect(retryAfterMs(null)).toBeUndefined();
});

test('roles without a partner are logged as unrouted; the logs name partners, events and keys, never personal data', async () => {
  const setup = setupWith([{ id: 'work2', roles: ['training-company'] }]);
  const n = notification({ roles: ['training-company', 'employer'] });
  expect(await runNotify(setup, n)).toMatchObject({ delivered: true, unrouted: ['employer'] });
  const lines = setup.logLines();
  expect(lines.map((l) => l.msg)).toEqual(['partner delivery ready', 'no partner in the registry for these roles', 'partner notification delivered']);
  expect(lines[2]).toMatchObject({ partner: 'work2', channel: 'webhook', event: 'placement', key: eventKey(n.idempotencyKey), detail: 'HTTP 200' });
  for (const value of ['p-7f3a9c', 'Havenbedrijf', n.workflowId, n.text, '2027-12-31']) expect(setup.logText()).not.toContain(value);
});
