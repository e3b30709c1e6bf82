/**
 * A partner's webhook receiver as a partner would write one: node:http on a
 * free port, checks the signature of the raw body with the partner's secret,
 * and honours the Idempotency-Key (an event it has seen is acknowledged, not
 * processed again). Tests script its answers and read what it saw.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../../activities/webhook-signature';

export interface ReceivedRequest {
  readonly partner: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly rawBody: string;
  readonly signatureValid: boolean;
  readonly status: number;
}

export interface ProcessedEvent {
  readonly partner: string;
  readonly key: string;
  readonly body: Record<string, unknown>;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
}

export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  /** Events processed once each, per partner and idempotency key. */
  readonly processed: ProcessedEvent[] = [];
  /** Chooses the answer to a correctly signed request (default 200). */
  answerFor: ((request: { partner: string; headers: http.IncomingHttpHeaders }) => Answer | undefined) | undefined;
  /** Called when a request arrived, before it is answered; the answer is held back until it resolves. */
  onRequest: ((request: ReceivedRequest) => void | Promise<void>) | undefined;
  /** Each partner's signing secret, by partner id (the last path segment, `/partners/<id>`). */
  readonly secrets: Record<string, string> = {};
  private readonly server: http.Server;
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  private constructor() {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(partner: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/partners/${partner}`;
  }

  /** Resolves once `count` events were processed. */
  processedCount(count: number): Promise<void> {
    if (this.processed.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** `partner: event` of every processed event, in order. */
  seen(): string[] {
    return this.processed.map((p) => `${p.partner}: ${String(p.body.event)}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const partner = (req.url ?? '').split('/').pop() ?? '';
    const secret = this.secrets[partner];
    const signatureValid =
      secret !== undefined &&
      verifyWebhookSignature(secret, rawBody, {
        signature: req.headers['x-signature'] as string | undefined,
        timestamp: req.headers['x-signature-timestamp'] as string | undefined,
      });
    const answer: Answer = !signatureValid ? { status: 401 } : (this.answerFor?.({ partner, headers: req.headers }) ?? { status: 200 });
    const request: ReceivedRequest = { partner, headers: req.headers, rawBody, signatureValid, status: answer.status };
    this.requests.push(request);
    await this.onRequest?.(request);
    if (answer.status >= 200 && answer.status < 300) this.process(partner, String(req.headers['idempotency-key']), rawBody);
    res.writeHead(answer.status, answer.headers ?? {});
    res.end();
  }

  private process(partner: string, key: string, rawBody: string): void {
    if (this.processed.some((p) => p.partner === partner && p.key === key)) return; // seen: acknowledge only
    this.processed.push({ partner, key, body: JSON.parse(rawBody) as Record<string, unknown> });
    for (const waiter of [...this.waiters]) {
      if (this.processed.length >= waiter.count) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}
