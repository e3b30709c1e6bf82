/**
 * One delivery per event, as the receiver sees it, across a worker killed
 * right after sending: the activity runs in a child process that is killed
 * (SIGKILL) after its send, then the activity is retried as Temporal would.
 * Either the delivery log (confirmation logged before the kill) or the
 * receiver's idempotency key (kill before the confirmation was logged) makes it one.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eventKey } from '../../activities/least-data';
import { deliverySetup, runNotify, type DeliverySetup } from './helpers/deliveries';
import { Receiver } from './helpers/receiver';
import { notification } from './helpers/setup';

const CHILD = path.resolve(__dirname, '../../dist/test/activities/fixtures/deliver-child.js');

let receiver: Receiver;
beforeAll(() => {
  if (!existsSync(CHILD)) throw new Error(`${CHILD} is missing: build first (npx tsc -p tsconfig.build.json, or npm test)`);
});
beforeEach(async () => {
  receiver = await Receiver.start();
});
afterEach(async () => {
  await receiver.close();
});

interface ChildRun {
  readonly pid: number;
  /** How the child ended: the signal that killed it, or its exit code. */
  readonly ended: Promise<string>;
  kill(): void;
}

function runChild(setup: DeliverySetup, n: ReturnType<typeof notification>): ChildRun {
  const input = { registryPath: setup.registryPath, deliveryLogPath: setup.deliveryLogPath, env: setup.env, notification: n };
  const child = spawn(process.execPath, [CHILD], { env: { ...process.env, DELIVER_CHILD_INPUT: JSON.stringify(input) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? `exit ${code}: ${stderr}`)));
  return { pid: child.pid as number, ended, kill: () => child.kill('SIGKILL') };
}

function setupFor(): { setup: DeliverySetup; n: ReturnType<typeof notification> } {
  const setup = deliverySetup([{ id: 'work2', roles: ['training-company'] }], { receiver });
  Object.assign(receiver.secrets, setup.secrets);
  return { setup, n: notification({ roles: ['training-company'] }) };
}

test('killed after the receiver took the event but before the confirmation was logged: the retry sends again, the receiver processes it once', async () => {
  const { setup, n } = setupFor();
  let child: ChildRun | undefined;
  // The receiver takes the event in; the worker dies before the answer reaches it.
  receiver.onRequest = async () => {
    if (receiver.requests.length !== 1 || !child) return;
    child.kill();
    await child.ended;
  };
  child = runChild(setup, n);
  expect(await child.ended).toBe('SIGKILL');
  expect(receiver.requests).toHaveLength(1);
  expect(readFileSync(setup.deliveryLogPath, 'utf8').trim()).toBe('');

  // Temporal retries the activity on another worker (same machine, same delivery log).
  expect(await runNotify(setup, n, 2)).toMatchObject({ delivered: true, channels: [{ partner: 'work2', status: 'sent' }] });

  expect(receiver.requests.map((r) => r.headers['idempotency-key'])).toEqual([eventKey(n.idempotencyKey), eventKey(n.idempotencyKey)]);
  expect(receiver.seen()).toEqual(['work2: placement']);
  // A further retry or replay sends nothing.
  expect(await runNotify(setup, n, 3)).toMatchObject({ delivered: false });
  expect(receiver.requests).toHaveLength(2);
});

test('killed after the confirmation was logged but before the activity completed: the retry sends nothing', async () => {
  const { setup, n } = setupFor();
  const child = runChild(setup, n);
  expect(await child.ended).toBe('SIGKILL');
  expect(receiver.requests).toHaveLength(1);
  expect(readFileSync(setup.deliveryLogPath, 'utf8')).toContain(`"key":"${eventKey(n.idempotencyKey)}","partner":"work2","channel":"webhook","outcome":"confirmed"`);

  expect(await runNotify(setup, n, 2)).toMatchObject({ delivered: false, channels: [{ partner: 'work2', status: 'already' }] });
  expect(receiver.requests).toHaveLength(1);
  expect(receiver.seen()).toEqual(['work2: placement']);
});
