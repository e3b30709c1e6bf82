/**
 * `trajectory start --partners FILE` wires the partner registry into the
 * worker: a trajectory's events reach a real local webhook receiver, signed
 * and with their idempotency key; a broken registry stops start-up at once.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { verifyWebhookSignature } from '../../activities/webhook-signature';
import { cleanEnv, isoDay, MainJob, runCli, tempDir, writeFile } from './cli';

jest.setTimeout(180_000);

interface Received {
  readonly event: string;
  readonly key: string;
  readonly signed: boolean;
  readonly body: Record<string, unknown>;
}

const SECRET = 'a-test-secret-of-at-least-32-characters-for-the-receiver';

describe('trajectory start --partners', () => {
  let dir: string;
  let job: MainJob | undefined;
  let server: http.Server;
  const received: Received[] = [];
  let waiting: (() => void)[] = [];

  const until = async (check: () => boolean): Promise<void> => {
    while (!check()) await new Promise<void>((resolve) => waiting.push(resolve));
  };

  beforeAll(async () => {
    dir = tempDir('partners');
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => {
        const signed = verifyWebhookSignature(SECRET, raw, {
          signature: req.headers['x-signature'] as string | undefined,
          timestamp: req.headers['x-signature-timestamp'] as string | undefined,
        });
        received.push({ event: String(req.headers['x-trajectory-event']), key: String(req.headers['idempotency-key']), signed, body: JSON.parse(raw) as Record<string, unknown> });
        res.writeHead(200).end();
        const wake = waiting;
        waiting = [];
        for (const w of wake) w();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await job?.interrupt();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops at start-up, before any engine runs, when the registry is broken (exit 2)', async () => {
    const registry = writeFile(dir, 'broken.json', JSON.stringify({ version: 1, roles: {}, partners: [{ id: 'x' }] }));
    const result = await runCli(['start', '--headless', '--port', '1', '--data-dir', path.join(dir, 'broken-data'), '--partners', registry], cleanEnv());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('trajectory: partner notifications (--partners');
  });

  it('delivers the trajectory events to the partner webhook, signed, one idempotency key per event', async () => {
    const port = (server.address() as AddressInfo).port;
    const registry = writeFile(
      dir,
      'partners.json',
      JSON.stringify({
        version: 1,
        roles: {
          'training-company': { participantRef: true, phase: true, fields: ['employer', 'withLks', 'outcome', 'category'] },
          'case-manager': { participantRef: true, fields: ['outcome'] },
        },
        partners: [
          {
            id: 'work2',
            organisation: 'Work2',
            serves: [{ programme: 'kwalificatiebanen', roles: ['training-company', 'case-manager'] }],
            webhook: { url: `http://127.0.0.1:${port}/hook`, secretEnv: 'PARTNER_WORK2_SECRET' },
          },
        ],
      }),
    );
    job = await MainJob.start({ dataDir: path.join(dir, 'data'), extraArgs: ['--partners', registry], env: { PARTNER_WORK2_SECRET: SECRET } });
    expect((await job.waitFor((l) => l.msg === 'ready')).partners).toBe(registry);

    const intake = await job.run(['intake', writeFile(dir, 'intake.csv', `participantRef,programme,startDate\nn-1,kwalificatiebanen,${isoDay()}\n`)]);
    expect(intake.code).toBe(0);
    await until(() => received.some((r) => r.event === 'trajectory-started'));

    const signal = await job.run(['signal', 'n-1', 'placement', '-f', 'employer=ISS', '-f', 'withLks=false']);
    expect(signal.code).toBe(0);
    await until(() => received.some((r) => r.event === 'trajectory-ended'));

    expect(received.every((r) => r.signed)).toBe(true);
    expect(received.map((r) => r.event)).toEqual(expect.arrayContaining(['trajectory-started', 'placement', 'trajectory-ended']));
    expect(new Set(received.map((r) => r.key)).size).toBe(received.length);
    // The key is derived from the trajectory event (activities/least-data.ts), without the pseudonym in clear.
    expect(received.every((r) => /^[0-9a-f]{32}$/.test(r.key))).toBe(true);
  });
});
