/**
 * Partner signals and status, end to end through `bin/trajectory`: payloads
 * as flags and as a JSON file, checked before sending; unknown trajectories;
 * signals the trajectory refuses; a partner's CSV export of assessment results.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isoDay, json, MainJob, tempDir, writeFile } from './cli';

interface StatusJson {
  workflowId: string;
  executionStatus: string;
  phase: { status: string; phaseId: string; outcome?: { id: string; category: string } };
  deadlines: { kind: string; date: string }[];
  timeline: { kind: string; event?: string; text: string }[];
  rejectedSignals: { signal: string; reason: string; payload?: unknown }[];
}

// Each step spawns the real command; on a busy machine that takes seconds, so allow minutes.
jest.setTimeout(180_000);

describe('trajectory signal and trajectory status', () => {
  let dir: string;
  let job: MainJob;
  const status = async (ref: string): Promise<StatusJson> => json<StatusJson>(await job.run(['status', ref, '--json']));

  beforeAll(async () => {
    dir = tempDir('signals');
    job = await MainJob.start({ dataDir: path.join(dir, 'data') });
    const file = writeFile(
      dir,
      'intake.csv',
      [
        'participantRef,programme,startDate',
        ...['s-1', 's-2', 's-3', 's-4'].map((ref) => `${ref},kwalificatiebanen,${isoDay()}`),
        `s-5,balanz-at-work-kerkrade,${isoDay()}`,
        `s-6,balanz-at-work-kerkrade,${isoDay()}`,
      ].join('\n'),
    );
    const intake = await job.run(['intake', file]);
    expect(intake.code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await job?.interrupt();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends a payload given as flags, tells what the trajectory did, and status shows the outcome', async () => {
    const result = await job.run(['signal', 's-1', 'placement', '--field', 'employer=Work2 Partnerbedrijf', '--field', 'withLks=false']);
    expect({ code: result.code, err: result.stderr }).toEqual({ code: 0, err: '' });
    expect(result.stdout).toContain('accepted by traject-kwalificatiebanen-s-1: Geplaatst bij Work2 Partnerbedrijf, zonder LKS');
    const view = await status('s-1');
    expect(view.executionStatus).toBe('COMPLETED');
    expect(view.phase.outcome).toEqual({ id: 'werk-binnen-3-maanden', label: expect.any(String), category: 'work-within-3-months' });
  });

  it('refuses a bad payload before sending, naming each field, and the trajectory never sees it', async () => {
    const result = await job.run(['signal', 's-2', 'placement', '-f', 'withLks=perhaps', '-f', 'salary=1234']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid "placement" payload, nothing sent');
    expect(result.stderr).toMatch(/withLks: .*expected boolean/);
    expect(result.stderr).toMatch(/employer: /);
    expect(result.stderr).toContain('salary: "placement" has no field salary');
    expect(result.stderr).not.toContain('1234');
    const view = await status('s-2');
    expect(view.timeline.some((e) => e.kind === 'reported')).toBe(false);
    expect(view.rejectedSignals).toEqual([]);

    const json1 = await job.run(['signal', 's-2', 'placement', '-f', 'withLks=true', '-f', 'employer=ISS', '--json']);
    expect(json1.code).toBe(1);
    expect(json(json1)).toEqual({ result: 'invalid', signal: 'placement', problems: [{ field: 'lksEndDate', reason: 'a placement with LKS needs lksEndDate (YYYY-MM-DD)' }] });
  });

  it('names an unknown trajectory (exit 3) and an unknown signal (exit 2)', async () => {
    const unknown = await job.run(['signal', 'nobody-here', 'placement', '-f', 'employer=ISS']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('no trajectory for participant nobody-here in any programme');
    const byId = await job.run(['status', 'traject-welslagen-nobody']);
    expect(byId.code).toBe(3);
    const badName = await job.run(['signal', 's-2', 'promotion']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('unknown signal "promotion"');
  });

  it('reports a signal the trajectory refuses (out of phase) and status lists it without its payload', async () => {
    const result = await job.run(['signal', 's-2', 'contract-decided', '-f', 'offered=true']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('REJECTED by traject-kwalificatiebanen-s-2: "contract-decided" is not expected in phase "Voortraject"');
    const view = await status('s-2');
    expect(view.rejectedSignals).toEqual([expect.objectContaining({ signal: 'contract-decided', reason: expect.stringContaining('not expected') })]);
    expect(view.rejectedSignals[0].payload).toBeUndefined();

    const text = await job.run(['status', 's-2']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/phase\s+Voortraject \(voortraject\) since/);
    expect(text.stdout).toContain('Deadlines ahead (');
    expect(text.stdout).toMatch(/phase-deadline\s+Einde voortraject/);
    expect(text.stdout).toContain('Timeline (2 entries):');
    expect(text.stdout).toContain('Rejected signals (1):');
    expect(text.stdout).toMatch(/contract-decided\s+voortraject\s+"contract-decided" is not expected/);
  });

  it('takes the payload from a JSON file (flags override it)', async () => {
    const file = writeFile(dir, 'placement.json', JSON.stringify({ employer: 'ISS', withLks: true, lksEndDate: isoDay(200) }));
    const result = await job.run(['signal', 's-3', 'placement', '--json-file', file, '-f', 'employer=Balanz Facilitair', '--json']);
    expect(result.code).toBe(0);
    expect(json(result)).toMatchObject({ result: 'accepted', signal: 'placement', entries: [{ kind: 'reported', text: expect.stringContaining('Balanz Facilitair, met LKS') }, { kind: 'phase-entered' }] });
    expect((await status('s-3')).phase.phaseId).toBe('plaatsing-met-lks');
  });

  it('sends a partner CSV export of assessment results row by row, after checking every row', async () => {
    const file = writeFile(
      dir,
      'assessments.csv',
      [
        'participantRef;programme;conclusion;reportId',
        's-5;balanz-at-work-kerkrade;ready-for-placement;relim-2026-001',
        's-4;kwalificatiebanen;needs-training;work2-2026-001',
        's-6;balanz-at-work-kerkrade;Niet Geschikt!;relim-2026-002',
        'nobody-here;welslagen;ready-for-placement;relim-2026-003',
      ].join('\n'),
    );
    const result = await job.run(['signal', '--csv', file, '--json']);
    expect(result.code).toBe(1);
    const report = json<{ summary: Record<string, number>; invalid: { line: number; field: string }[]; results: { line: number; result: string }[] }>(result);
    expect(report.summary).toMatchObject({ rows: 4, valid: 3, invalid: 1, accepted: 2, failed: 1 });
    expect(report.invalid).toEqual([expect.objectContaining({ line: 4, field: 'conclusion' })]);
    expect(report.results.map((r) => [r.line, r.result])).toEqual([[2, 'accepted'], [3, 'accepted'], [5, 'failed']]);
    expect(result.stdout).not.toContain('Niet Geschikt!');
    expect((await status('s-5')).phase.phaseId).toBe('kennismaking');

    // The export sent again: the partner's report ids make the trajectory refuse the duplicates.
    const again = await job.run(['signal', '--csv', file]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('line 2: REJECTED by traject-balanz-at-work-kerkrade-s-5: report "relim-2026-001" was already received');
    expect(again.stdout).toMatch(/Summary: 0 accepted, 0 sent unconfirmed, 2 rejected by the trajectory, 1 failed, 1 invalid\./);
  });
});
