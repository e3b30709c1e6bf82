/**
 * Retention with time skipping: the retention schedule runs once a day; a
 * participant whose trajectories all closed longer ago than the retention
 * period is erased (their data key deleted, a line in the erasure log), one
 * with a trajectory still running or closed recently is kept. Payloads are
 * encrypted throughout, as in production.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { readErasures } from '../../activities/erasure-log';
import { getBuiltInProgramme, type SealedValue } from '../../domain';
import { loadKeyring, ParticipantKeyStore, seal, trajectoryDataConverter, unseal } from '../../privacy';
import { createTrajectoryWorker } from '../../worker/worker';
import { startRetentionSchedule } from '../../worker/retention';
import { trajectory } from '../../workflows';
import { phaseQuery, trajectoryStartOptions, withdrawalSignal } from '../../workflows/api';
import { nextRunAt } from '../../workflows/retention';
import { startHarness, type Harness } from './harness';

jest.setTimeout(240_000);

const DAY = 86_400_000;
const RETENTION_DAYS = 30;

let h: Harness;
let dir: string;
let keys: ParticipantKeyStore;
let client: Client;
let worker: Worker;
let running: Promise<void>;
const keyring = loadKeyring({ TRAJECTORY_KEYS: `k-retention=${randomBytes(32).toString('base64')}` });

beforeAll(async () => {
  h = await startHarness('retention');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retention-'));
  keys = ParticipantKeyStore.open(path.join(dir, 'participant-keys'), keyring);
  client = new Client({ connection: h.env.connection, dataConverter: trajectoryDataConverter(keyring) });
  const opener = { open: (s: SealedValue) => unseal(keys, s) };
  worker = await createTrajectoryWorker({
    connection: h.env.nativeConnection,
    sink: h.sink,
    taskQueue: h.taskQueue,
    workflowBundle: h.workflowBundle,
    privacy: { dataConverter: trajectoryDataConverter(keyring), opener, participantKeys: keys, erasureLogPath: path.join(dir, 'erasures.jsonl'), retentionDays: RETENTION_DAYS },
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await h?.env.teardown();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(ref: string, programmeId: string, region?: string) {
  const input = { participantRef: ref, programme: getBuiltInProgramme(programmeId), startDate: today(), region, attentionAfterWeeks: 52, personal: seal(keys, ref, { name: `Naam ${ref}` }) };
  const options = trajectoryStartOptions(input, h.taskQueue);
  return client.workflow.start(trajectory, { ...options, args: options.args });
}

function today(): string {
  return new Date(Date.now()).toISOString().slice(0, 10);
}

async function withdraw(handle: Awaited<ReturnType<typeof start>>) {
  await handle.signal(withdrawalSignal, { reason: 'moved-away' });
  await handle.result();
}

test('daily at 03:00 Amsterdam time, whatever the hour now', () => {
  const at = nextRunAt(Date.UTC(2027, 0, 10, 12, 0), 3);
  expect(new Date(at).toISOString()).toBe('2027-01-11T02:00:00.000Z');
  expect(new Date(nextRunAt(Date.UTC(2027, 6, 10, 0, 30), 3)).toISOString()).toBe('2027-07-10T01:00:00.000Z');
});

test('erases participants closed longer than the retention period, keeps those still active', async () => {
  const gone = await start('ret-gone', 'kwalificatiebanen');
  const active = await start('ret-active', 'kwalificatiebanen');
  const mixedClosed = await start('ret-mixed', 'kwalificatiebanen');
  await start('ret-mixed', 'welslagen', 'zeeland');
  await withdraw(gone);
  await withdraw(mixedClosed);
  const goneKey = keys.list().find((k) => k.participantRef === 'ret-gone')?.keyId;
  expect(goneKey).toBeDefined();

  await startRetentionSchedule(client, h.taskQueue);
  await startRetentionSchedule(client, h.taskQueue); // a second start keeps the one running
  await h.env.sleep(RETENTION_DAYS * DAY - DAY);
  expect(keys.has('ret-gone')).toBe(true); // not yet past retention

  await h.env.sleep(3 * DAY);
  expect(keys.has('ret-gone')).toBe(false);
  expect(keys.has('ret-active')).toBe(true);
  expect(keys.has('ret-mixed')).toBe(true);
  expect((await active.query(phaseQuery)).status).not.toBe('ended');

  const log = await readErasures(path.join(dir, 'erasures.jsonl'));
  expect(log).toEqual([expect.objectContaining({ reason: 'retention', keyId: goneKey, trajectories: [{ workflowId: gone.workflowId, action: 'was-closed' }] })]);
  const runs = await client.workflow.list({ query: `WorkflowId = 'trajectory-retention'` });
  let count = 0;
  for await (const run of runs) if (run.status.name === 'RUNNING') count += 1;
  expect(count).toBe(1);
});
