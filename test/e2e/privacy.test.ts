/**
 * Privacy end to end through `bin/trajectory`: a cohort with personal details
 * (names, e-mail, phone, address, BSN) and partner notes that touch on health.
 * The engine's own file, the visibility records, every log line and every
 * command's output are scanned for each personal value: none is there. The
 * data is still there for those with the keys (the start input opens), and
 * after `trajectory erase` that participant's values no longer open while the
 * others' still do. Without a master key nothing starts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { readErasures } from '../../activities/erasure-log';
import { passesElfproef, type SealedValue } from '../../domain';
import { EncryptionCodec, loadKeyring, ParticipantKeyStore, trajectoryDataConverter, unseal } from '../../privacy';
import { cleanEnv, json, MainJob, runCli, tempDir, TEST_KEYS, TEST_PARTICIPANT_KEYS_DIR, writeFile, type CliResult } from './cli';

jest.setTimeout(300_000);

/** Nine-digit numbers that pass the elfproef, distinct and recognisable. */
function bsnNumbers(count: number): string[] {
  const out: string[] = [];
  for (let n = 987_100_000; out.length < count; n++) if (passesElfproef(String(n))) out.push(String(n));
  return out;
}

const COUNT = 12;
const BSNS = bsnNumbers(COUNT);
const people = Array.from({ length: COUNT }, (_, i) => ({
  ref: `pii-${i + 1}`,
  name: `Zeldzaam Sentinelnaam${i + 1}`,
  email: `sentinel${i + 1}@voorbeeld-deelnemer.nl`,
  phone: `+31 6 5550 ${String(1000 + i)}`,
  address: `Sentinelkade ${i + 1}, Rotterdam`,
  bsn: BSNS[i],
  note: `Sentinelnotitie ${i + 1}: rugklachten, alleen zittend werk`,
}));
const personalValues = people.flatMap((p) => [p.name, p.email, p.phone, p.address, p.bsn, p.note]);

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Every personal value found in `text`. */
function leaks(text: string): string[] {
  return personalValues.filter((value) => text.includes(value));
}

describe('personal data is encrypted everywhere it cannot be left out', () => {
  let dir: string;
  let job: MainJob;
  let client: Client;
  const outputs: CliResult[] = [];
  const keyring = loadKeyring({ TRAJECTORY_KEYS: TEST_KEYS });
  const keys = (): ParticipantKeyStore => ParticipantKeyStore.open(TEST_PARTICIPANT_KEYS_DIR, keyring);
  const run = async (args: string[]): Promise<CliResult> => {
    const result = await job.run(args);
    outputs.push(result);
    return result;
  };
  const sealedInput = async (ref: string): Promise<SealedValue> => {
    const history = await client.workflow.getHandle(`traject-kwalificatiebanen-${ref}`).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const [decoded] = await new EncryptionCodec(keyring).decode(started?.input?.payloads ?? []);
    return defaultPayloadConverter.fromPayload<{ personal: SealedValue }>(decoded).personal;
  };

  beforeAll(async () => {
    dir = tempDir('privacy');
    job = await MainJob.start({ dataDir: path.join(dir, 'data') });
    const intake = writeFile(
      dir,
      'intake.csv',
      ['participantRef,programme,municipality,name,email,phone,address,bsn', ...people.map((p) => `${p.ref},kwalificatiebanen,Rotterdam,${p.name},${p.email},${p.phone},"${p.address}",${p.bsn}`)].join('\n'),
    );
    const started = await run(['intake', intake, '--json']);
    expect({ code: started.code, err: started.stderr }).toEqual({ code: 0, err: '' });
    const batch = writeFile(
      dir,
      'assessments.csv',
      ['participantRef,programme,event,conclusion,note', ...people.map((p) => `${p.ref},kwalificatiebanen,assessment-completed,ready-for-placement,"${p.note}"`)].join('\n'),
    );
    const signalled = await run(['signal', '--csv', batch, '--json']);
    expect({ code: signalled.code, err: signalled.stderr }).toEqual({ code: 0, err: '' });
    const connection = await Connection.connect({ address: job.address });
    // A client with the keys: it reads payloads in the clear, as the worker does.
    client = new Client({ connection, dataConverter: trajectoryDataConverter(keyring) });
  });

  afterAll(async () => {
    await client?.connection.close();
    await job?.interrupt();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds the details for those with the keys: the start input opens with the participant key', async () => {
    const sealed = await sealedInput(people[0].ref);
    expect(unseal(keys(), sealed)).toEqual({ ok: true, value: { name: people[0].name, email: people[0].email, phone: people[0].phone, address: people[0].address, bsn: people[0].bsn } });
  });

  it('the engine file, visibility records, logs and outputs hold none of the personal values', async () => {
    await run(['list', '--json', '--status', 'all']);
    await run(['status', people[1].ref, '--json']);
    await run(['report', '--json']);
    // Visibility and histories as they are stored (ids, search attributes, memos, payload bytes as text).
    const service = client.workflowService;
    const bytesAsText = (_key: string, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value);
    const visibility = await service.listWorkflowExecutions({ namespace: 'default', pageSize: 1000 });
    const histories = await Promise.all(
      people.map((p) => service.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: `traject-kwalificatiebanen-${p.ref}` }, maximumPageSize: 1000 })),
    );

    const found: Record<string, string[]> = {};
    const scan = (where: string, text: string) => {
      const hits = leaks(text);
      if (hits.length > 0) found[where] = hits;
    };
    for (const file of filesUnder(job.dataDir)) scan(file, fs.readFileSync(file).toString('latin1') + fs.readFileSync(file).toString('utf8'));
    for (const file of filesUnder(TEST_PARTICIPANT_KEYS_DIR)) scan(file, fs.readFileSync(file, 'utf8'));
    scan('visibility', JSON.stringify(visibility, bytesAsText));
    scan('histories as stored', JSON.stringify(histories, bytesAsText));
    expect(visibility.executions.length).toBeGreaterThanOrEqual(COUNT);
    expect(histories.every((h) => (h.history?.events?.length ?? 0) > 5)).toBe(true);
    scan('worker and engine log', job.lines.map((l) => JSON.stringify(l)).join('\n') + job.stderr);
    outputs.forEach((o, i) => scan(`command output ${i}`, o.stdout + o.stderr));
    expect(found).toEqual({});
    // The scan would have seen them: the engine file is where the encrypted inputs live.
    expect(fs.statSync(path.join(job.dataDir, 'engine.db')).size).toBeGreaterThan(10_000);
  });

  it('erasure withdraws the trajectory, deletes the key and logs it without the data; others still open', async () => {
    const [erased, kept] = people;
    const sealedErased = await sealedInput(erased.ref);
    const sealedKept = await sealedInput(kept.ref);
    // The data folder says where the erasure log is (the worker of `trajectory start` writes the same one).
    const result = await run(['--data-dir', job.dataDir, 'erase', erased.ref, '--json']);
    expect({ code: result.code, err: result.stderr }).toEqual({ code: 0, err: '' });
    const record = json<{ keyId: string; reason: string; trajectories: { workflowId: string; action: string }[] }>(result);
    expect(record).toEqual(expect.objectContaining({ reason: 'request', keyId: sealedErased.keyId, trajectories: [{ workflowId: `traject-kwalificatiebanen-${erased.ref}`, action: 'withdrawn' }] }));

    const view = json<{ executionStatus: string; phase: { outcome?: { id: string } } }>(await run(['status', erased.ref, '--json']));
    expect(view.executionStatus).toBe('COMPLETED');
    expect(view.phase.outcome?.id).toBe('teruggetrokken');

    expect(unseal(keys(), sealedErased)).toEqual({ ok: false, reason: 'erased' });
    expect(unseal(keys(), sealedKept)).toEqual(expect.objectContaining({ ok: true }));
    const log = await readErasures(path.join(job.dataDir, 'erasures.jsonl'));
    expect(log.map((r) => r.keyId)).toEqual([sealedErased.keyId]);
    expect(leaks(fs.readFileSync(path.join(job.dataDir, 'erasures.jsonl'), 'utf8'))).toEqual([]);

    // Erasing again: no key, nothing to do, and nothing withdrawn or logged.
    const again = await run(['--data-dir', job.dataDir, 'erase', erased.ref]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('no data key');
    expect((await readErasures(path.join(job.dataDir, 'erasures.jsonl'))).length).toBe(1);
  });

  it('without a master key the tools refuse to start and say how to create one', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'no-keys-home-'));
    const env = cleanEnv({ HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') });
    delete env.TRAJECTORY_KEYS;
    const start = await runCli(['start', '--headless', '--data-dir', path.join(home, 'data')], env);
    expect(start.code).toBe(2);
    expect(start.stderr).toContain('trajectory keys create');
    expect(fs.existsSync(path.join(home, 'data', 'engine.db'))).toBe(false);
    const list = await runCli(['list'], { ...env, TEMPORAL_ADDRESS: job.address });
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('trajectory keys create');
    const created = await runCli(['keys', 'create'], env);
    expect(created.code).toBe(0);
    const listed = json<{ keys: unknown[] }>(await runCli(['keys', 'list', '--json'], env));
    expect(listed.keys).toHaveLength(1);
  });
});
