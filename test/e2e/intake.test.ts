/**
 * The quick start and intake, end to end: `trajectory start --intake
 * examples/intake.csv` on the embedded engine, the same file again (nothing
 * starts twice), files with broken rows, list filters, Ctrl-C and a second run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv, EXAMPLE_INTAKE, isoDay, json, MainJob, runCli, tempDir, writeFile } from './cli';

const EXAMPLE_IDS = [
  'traject-kwalificatiebanen-p-7f3a9c',
  'traject-kwalificatiebanen-p-2b81d4',
  'traject-balanz-at-work-kerkrade-b-41a7e2',
  'traject-welslagen-w-5d3c88',
  'traject-logistiek-west-brabant-l-8a2f10',
  'traject-iss-inclusief-i-3e9b47',
  'traject-iss-inclusief-i-6c1d05',
];

interface IntakeJson {
  summary: { rows: number; valid: number; rejected: number; started: number; alreadyRunning: number; alreadyEnded: number; failed: number };
  rejected: { line: number; field?: string; reason: string }[];
  results?: { kind: string; line: number; workflowId: string }[];
  wouldStart?: { line: number; workflowId: string }[];
}

// Each step spawns the real command; on a busy machine that takes seconds, so allow minutes.
jest.setTimeout(180_000);

describe('trajectory start --intake and trajectory intake', () => {
  let dir: string;
  let job: MainJob;

  beforeAll(async () => {
    dir = tempDir('intake');
    job = await MainJob.start({ dataDir: path.join(dir, 'data'), intake: EXAMPLE_INTAKE, ui: true });
  }, 120_000);

  afterAll(async () => {
    await job?.interrupt();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts every row of the example file right after startup, and says where things are', async () => {
    const ready = await job.waitFor((l) => l.msg === 'ready');
    expect(ready).toMatchObject({ engine: 'embedded', address: job.address, namespace: 'default', taskQueue: 'trajectories', partners: null });
    expect(ready.dataFile).toBe(path.join(dir, 'data', 'engine.db'));
    expect(ready.webUi).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(String(ready.webUi));
    expect(page.status).toBe(200);
    // The Web UI decrypts through this process's codec endpoint, never openly; its token is never logged.
    const settings = (await (await fetch(new URL('/api/v1/settings', String(ready.webUi)))).json()) as { Codec: { Endpoint: string } };
    expect(settings.Codec.Endpoint).toBe('/codec');
    const decode = await fetch(new URL('/codec/decode', String(ready.webUi)), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"payloads":[]}' });
    expect(decode.status).toBe(401);
    expect(job.lines.some((l) => JSON.stringify(l).includes('token='))).toBe(false);
    const done = await job.waitFor((l) => typeof l.msg === 'string' && l.msg.startsWith('intake done'));
    expect((done.intake as IntakeJson).summary).toMatchObject({ rows: 7, valid: 7, rejected: 0, started: 7, alreadyRunning: 0 });
    const started = (done.intake as IntakeJson).results!.map((r) => r.workflowId).sort();
    expect(started).toEqual([...EXAMPLE_IDS].sort());
  });

  it('a second intake of the same file starts nothing and names what was already running', async () => {
    const result = await job.run(['intake', EXAMPLE_INTAKE]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Summary: 0 started, 7 already running, 0 already ended, 0 rejected, 0 failed.');
    expect(result.stdout).toContain('Already running (not started again):');
    for (const id of EXAMPLE_IDS) expect(result.stdout).toContain(id);

    const again = json<IntakeJson>(await job.run(['intake', EXAMPLE_INTAKE, '--json']));
    expect(again.summary).toMatchObject({ started: 0, alreadyRunning: 7 });
    expect(again.results!.every((r) => r.kind === 'already-running')).toBe(true);
  });

  it('reports each broken row with its line, field and reason, never its values, starts the valid rows and exits 1', async () => {
    const file = writeFile(
      dir,
      'broken.csv',
      [
        'participantRef,programme,startDate,region,municipality',
        `x-good-1,kwalificatiebanen,${isoDay()},,Rotterdam`,
        `123456782,kwalificatiebanen,${isoDay()},,`,
        'Jan Jansen,welslagen,2027-02-30,west-brabant,',
        'x-good-2,no-such-programme,,,',
        'x-good-3,welslagen,,utrecht,',
        'x-good-4,logistiek-west-brabant,,hart-van-west-brabant,Amsterdam',
        'x-good-1,kwalificatiebanen,,,',
        'x-good-5,iss-inclusief,,,',
      ].join('\n'),
    );
    const result = await job.run(['intake', file]);
    expect(result.code).toBe(1);
    const out = result.stdout;
    expect(out).toContain('line 3, participantRef: ');
    expect(out).toMatch(/line 3, participantRef: .*BSN/);
    expect(out).toMatch(/line 4, participantRef: use a pseudonymous reference/);
    expect(out).toMatch(/line 4, startDate: expected an existing calendar date/);
    expect(out).toMatch(/line 5, programme: unknown programme/);
    expect(out).toMatch(/line 6, region: .*has no region/);
    expect(out).toMatch(/line 7, municipality: .*not in region/);
    expect(out).toMatch(/line 8, participantRef: the same participant and programme as line 2/);
    expect(out).toContain('Summary: 2 started, 0 already running, 0 already ended, 6 rejected, 0 failed.');
    for (const personal of ['123456782', 'Jan Jansen', 'utrecht', 'Amsterdam', '2027-02-30']) {
      expect(out + result.stderr).not.toContain(personal);
    }
    const listed = json<{ trajectories: { workflowId: string }[] }>(await job.run(['list', '--json']));
    const ids = listed.trajectories.map((t) => t.workflowId);
    expect(ids).toEqual(expect.arrayContaining(['traject-kwalificatiebanen-x-good-1', 'traject-iss-inclusief-x-good-5']));
    expect(ids.some((id) => id.includes('123456782'))).toBe(false);
  });

  it('refuses a file with a column that does not belong in an intake (e.g. a diagnosis) before starting anything', async () => {
    const file = writeFile(dir, 'health.csv', 'participantRef,programme,diagnosis\nx-health-1,kwalificatiebanen,rugklachten\n');
    const result = await job.run(['intake', file, '--json']);
    expect(result.code).toBe(1);
    const report = json<IntakeJson>(result);
    expect(report.rejected).toEqual([expect.objectContaining({ line: 1, field: 'diagnosis', reason: expect.stringContaining('unknown column') })]);
    expect(report.summary.started).toBe(0);
    expect(result.stdout).not.toContain('rugklachten');
  });

  it('refuses a BSN that fails the elfproef, naming the field but not the value', async () => {
    const file = writeFile(dir, 'bsn.csv', 'participantRef,programme,bsn\nx-bsn-1,kwalificatiebanen,123456789\n');
    const result = await job.run(['intake', file, '--json']);
    expect(result.code).toBe(1);
    const report = json<IntakeJson>(result);
    expect(report.rejected).toEqual([expect.objectContaining({ line: 2, field: 'bsn', reason: expect.stringContaining('elfproef') })]);
    expect(report.summary.started).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('123456789');
  });

  it('reads JSON intake files and names the line each broken record starts on', async () => {
    const file = writeFile(
      dir,
      'intake.json',
      JSON.stringify({ trajectories: [{ participantRef: 'j-json-1', programme: 'iss-inclusief' }, { participantRef: 'j-json-2', programme: 'iss-inclusief', attentionAfterWeeks: 0 }] }, null, 2),
    );
    const result = await job.run(['intake', file, '--json']);
    expect(result.code).toBe(1);
    const report = json<IntakeJson>(result);
    expect(report.rejected).toEqual([{ line: 7, field: 'attentionAfterWeeks', reason: 'at least 1 week' }]);
    expect(report.summary).toMatchObject({ started: 1, rejected: 1 });
  });

  it('--dry-run validates without contacting Temporal; --all-or-nothing starts nothing when a row is rejected', async () => {
    const file = writeFile(dir, 'dry.csv', 'participantRef,programme\nd-dry-1,iss-inclusief\nBAD REF,iss-inclusief\n');
    const unreachable = cleanEnv({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
    const dry = await runCli(['intake', file, '--dry-run', '--json'], unreachable);
    expect(dry.code).toBe(1);
    expect(json<IntakeJson>(dry).wouldStart).toEqual([expect.objectContaining({ line: 2, workflowId: 'traject-iss-inclusief-d-dry-1' })]);

    const strict = await job.run(['intake', file, '--all-or-nothing']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('Nothing was started (--all-or-nothing).');
    const listed = json<{ count: number }>(await job.run(['list', '--programme', 'iss-inclusief', '--json']));
    expect(listed.count).toBe(4); // the two examples, x-good-5 and j-json-1; not d-dry-1
  });

  it('lists trajectories by programme, region, deadline and attention', async () => {
    const byRegion = json<{ trajectories: { participantRef: string; region: string }[] }>(await job.run(['list', '--region', 'regio-zwolle', '--json']));
    expect(byRegion.trajectories).toEqual([expect.objectContaining({ participantRef: 'i-3e9b47', region: 'regio-zwolle' })]);

    const byPhase = json<{ count: number }>(await job.run(['list', '--programme', 'kwalificatiebanen', '--phase', 'voortraject', '--json']));
    expect(byPhase.count).toBe(3);

    const soon = json<{ count: number }>(await job.run(['list', '--deadline-before', isoDay(7), '--json']));
    expect(soon.count).toBe(0);
    const later = json<{ count: number; trajectories: { nextDeadline?: string }[] }>(await job.run(['list', '--deadline-before', isoDay(400), '--json']));
    expect(later.count).toBeGreaterThanOrEqual(7);
    expect(later.trajectories.every((t) => t.nextDeadline !== undefined && t.nextDeadline < isoDay(400))).toBe(true);

    const attention = json<{ count: number }>(await job.run(['list', '--needs-attention', '--json']));
    expect(attention.count).toBe(0);

    const table = await job.run(['list', '--programme', 'balanz-at-work-kerkrade']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/participant\s+programme\s+phase\s+region\s+next deadline/);
    expect(table.stdout).toMatch(/b-41a7e2\s+balanz-at-work-kerkrade\s+voorschakeltraject/);

    const bad = await job.run(['list', '--deadline-before', 'next week']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--deadline-before');
  });

  it('stops cleanly on Ctrl-C, and a second run continues the same trajectories from the data file', async () => {
    expect(await job.interrupt()).toBe(0);
    expect(job.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['stopping: worker first, then the engine', 'embedded engine stopped', 'stopped']));
    expect(fs.existsSync(path.join(dir, 'data', 'engine.json'))).toBe(false);

    job = await MainJob.start({ dataDir: path.join(dir, 'data') });
    const again = json<IntakeJson>(await job.run(['intake', EXAMPLE_INTAKE, '--json']));
    expect(again.summary).toMatchObject({ started: 0, alreadyRunning: 7 });
    const status = json<{ phase: { phaseId: string }; timeline: { kind: string }[] }>(await job.run(['status', 'p-2b81d4', '--json']));
    expect(status.phase.phaseId).toBe('voortraject');
    expect(status.timeline.map((e) => e.kind)).toEqual(['trajectory-started', 'phase-entered']);
  }, 120_000);
});
