/** The delivery log: append-only, survives a restart, shared by two workers on one machine, a torn line skipped. */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { DeliveryLog } from '../../activities/delivery-log';
import { tempDir } from './helpers/setup';

const entry = (key: string, partner = 'work2', channel: 'webhook' | 'email' = 'webhook') => ({
  key,
  partner,
  channel,
  outcome: 'confirmed' as const,
  detail: 'HTTP 200',
});

test('what was recorded is found again after a restart, per key, partner and channel', async () => {
  const file = path.join(tempDir(), 'nested', 'deliveries.jsonl');
  const log = await DeliveryLog.open(file);
  await log.record(entry('k1'));
  await log.record({ ...entry('k1', 'work2', 'email'), outcome: 'rejected', detail: 'SMTP 550 (EENVELOPE)' });

  const reopened = await DeliveryLog.open(file);
  expect(await reopened.find('k1', 'work2', 'webhook')).toMatchObject({ outcome: 'confirmed', detail: 'HTTP 200' });
  expect(await reopened.find('k1', 'work2', 'email')).toMatchObject({ outcome: 'rejected' });
  expect(await reopened.find('k1', 'relim', 'webhook')).toBeUndefined();
  expect(await reopened.find('k2', 'work2', 'webhook')).toBeUndefined();
});

test('two workers sharing the file see each other\'s records', async () => {
  const file = path.join(tempDir(), 'deliveries.jsonl');
  const a = await DeliveryLog.open(file);
  const b = await DeliveryLog.open(file);
  await a.record(entry('k1'));
  expect(await b.find('k1', 'work2', 'webhook')).toBeDefined();
  await Promise.all([b.record(entry('k2')), b.record(entry('k3')), a.record(entry('k4'))]);
  for (const key of ['k2', 'k3', 'k4']) expect(await a.find(key, 'work2', 'webhook')).toBeDefined();
});

test('a line torn by a crash is skipped (it was never confirmed) and later records still read', async () => {
  const file = path.join(tempDir(), 'deliveries.jsonl');
  const log = await DeliveryLog.open(file);
  await log.record(entry('k1'));
  appendFileSync(file, '{"v":1,"key":"k2","partner":"wo'); // the crash
  const after = await DeliveryLog.open(file);
  expect(await after.find('k2', 'work2', 'webhook')).toBeUndefined();
  await after.record(entry('k3'));

  const again = await DeliveryLog.open(file);
  expect(again.unreadableLines).toBe(1);
  expect(await again.find('k1', 'work2', 'webhook')).toBeDefined();
  expect(await again.find('k3', 'work2', 'webhook')).toBeDefined();
});
