/**
 * `trajectory report` end to end: trajectories in every kind of state, built
 * with real signals, then the figures as JSON, table, CSV and SVG; and
 * `trajectory programmes` and --help on every command.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv, isoDay, json, MainJob, runCli, tempDir, writeFile } from './cli';

interface FigureJson {
  id: string;
  value: number | null;
  of?: number;
  share?: number;
  expected?: number;
  basis: string;
}
interface ReportJson {
  programmes: { programme: { id: string }; figures: FigureJson[]; funnel: { label: string; count: number }[] }[];
  leftOut: unknown[];
}

// Each step spawns the real command; on a busy machine that takes seconds, so allow minutes.
jest.setTimeout(180_000);

describe('trajectory report', () => {
  let dir: string;
  let job: MainJob;
  let report: ReportJson;
  const figure = (programme: string, id: string): FigureJson => {
    const found = report.programmes.find((p) => p.programme.id === programme)?.figures.find((f) => f.id === id);
    if (!found) throw new Error(`no figure ${id} for ${programme}`);
    return found;
  };
  const signal = async (...args: string[]) => {
    const result = await job.run(['signal', ...args]);
    expect({ args, code: result.code, out: result.stdout }).toEqual({ args, code: 0, out: expect.stringContaining('accepted') });
  };

  beforeAll(async () => {
    dir = tempDir('report');
    job = await MainJob.start({ dataDir: path.join(dir, 'data') });
    const rows = [
      ...['r-k1', 'r-k2', 'r-k3', 'r-k4'].map((ref) => `${ref},kwalificatiebanen,${isoDay()},`),
      `r-b1,balanz-at-work-kerkrade,${isoDay()},`,
      `r-b2,balanz-at-work-kerkrade,${isoDay()},`,
      `r-l1,logistiek-west-brabant,${isoDay()},hart-van-west-brabant`,
      `r-w1,welslagen,${isoDay()},zeeland`,
      `r-w2,welslagen,${isoDay(30)},zeeland`,
    ];
    const intake = await job.run(['intake', writeFile(dir, 'intake.csv', ['participantRef,programme,startDate,region', ...rows].join('\n'))]);
    expect(intake.code).toBe(0);
    await signal('r-k1', 'placement', '-f', 'employer=ISS', '-f', 'withLks=false');
    await signal('r-k2', 'placement', '-f', 'employer=ISS', '-f', 'withLks=true', '-f', `lksEndDate=${isoDay(180)}`);
    await signal('r-k2', 'dropout', '-f', 'reason=contract-ended');
    await signal('r-k2', 'placement', '-f', 'employer=Balanz Facilitair', '-f', 'withLks=false');
    await signal('r-k3', 'extension-decided', '-f', 'granted=true');
    await signal('r-b1', 'assessment-completed', '-f', 'conclusion=ready-for-placement');
    await signal('r-b1', 'contract-decided', '-f', 'offered=true');
    await signal('r-l1', 'placement', '-f', 'employer=Logistiek West-Brabant BV');
    await signal('r-l1', 'diploma-obtained', '-f', 'diploma=Heftruckcertificaat');
    await signal('r-w1', 'education-started', '-f', 'education=BBL Verzorgende IG');
    const result = await job.run(['report', '--json']);
    expect(result.code).toBe(0);
    report = json<ReportJson>(result);
  }, 180_000);

  afterAll(async () => {
    await job?.interrupt();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('derives the outcome figures per programme from the trajectories', () => {
    expect(figure('kwalificatiebanen', 'trajectories').value).toBe(4);
    expect(figure('kwalificatiebanen', 'ended')).toMatchObject({ value: 2, of: 4 });
    expect(figure('kwalificatiebanen', 'work-within-3-months-without-lks')).toMatchObject({ value: 1, of: 4 });
    expect(figure('kwalificatiebanen', 'work-within-3-months-with-lks')).toMatchObject({ value: 1, of: 4 });
    expect(figure('kwalificatiebanen', 'work-within-6-months-with-lks')).toMatchObject({ value: 1, of: 4 });
    expect(figure('kwalificatiebanen', 'extension-rate')).toMatchObject({ value: 1, of: 4, share: 0.25, expected: 0.4 });
    expect(figure('kwalificatiebanen', 'dropouts')).toMatchObject({ value: 1, of: 4 });
    expect(figure('kwalificatiebanen', 're-placements').value).toBe(1);
    expect(figure('kwalificatiebanen', 'outcome-work-within-3-months')).toMatchObject({ value: 2, of: 2 });
    expect(figure('kwalificatiebanen', 'in-work-after-aftercare')).toMatchObject({ value: 0, of: 0 });
    expect(figure('balanz-at-work-kerkrade', 'contract-within-deadline-contractbesluit-23-maanden')).toMatchObject({ value: 1, of: 1 });
    expect(figure('balanz-at-work-kerkrade', 'places-used')).toMatchObject({ value: 1, of: 10 });
    expect(figure('balanz-at-work-kerkrade', 'places-waiting').value).toBeNull();
    expect(figure('balanz-at-work-kerkrade', 'outcome-permanent-contract')).toMatchObject({ value: 1, of: 1 });
    expect(figure('logistiek-west-brabant', 'diplomas')).toMatchObject({ value: 1, of: 1 });
    expect(figure('welslagen', 'trajectories').value).toBe(2);
    expect(figure('welslagen', 'started')).toMatchObject({ value: 1, of: 2 });
    expect(figure('welslagen', 'outcome-education')).toMatchObject({ value: 1, of: 1 });
    for (const programme of report.programmes) for (const f of programme.figures) expect(f.basis.length).toBeGreaterThan(10);
    expect(report.leftOut).toEqual([]);
    expect(report.programmes.find((p) => p.programme.id === 'welslagen')?.funnel.map((s) => s.count)).toEqual([2, 1, 1, 1]);
  });

  it('filters by period and programme', async () => {
    const later = json<ReportJson>(await job.run(['report', '--programme', 'welslagen', '--from', isoDay(1), '--json']));
    expect(later.programmes.map((p) => p.programme.id)).toEqual(['welslagen']);
    expect(later.programmes[0].figures.find((f) => f.id === 'trajectories')?.value).toBe(1);
    const bad = await job.run(['report', '--from', '1 januari']);
    expect(bad.code).toBe(2);
  });

  it('prints a table with what each figure is based on, CSV, and a funnel chart per programme as SVG', async () => {
    const table = await job.run(['report', '--programme', 'kwalificatiebanen']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Kwalificatiebanen (kwalificatiebanen v1)');
    expect(table.stdout).toMatch(/Extension granted \[\d+\]\s+1 of 4 \(25%\)\s+40%/);
    expect(table.stdout).toContain('Based on');

    const csv = await job.run(['report', '--csv']);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('programme,period_from,period_to,figure,label,value,of,share,expected,note,based_on');
    expect(lines.find((l) => l.startsWith('kwalificatiebanen,,,extension-rate,'))).toMatch(/^kwalificatiebanen,,,extension-rate,Extension granted,1,4,0\.2500,0\.4000,/);

    const svgFile = path.join(dir, 'funnel.svg');
    const svg = await job.run(['report', '--svg', svgFile]);
    expect(svg.code).toBe(0);
    expect(svg.stdout).toContain(`Funnel chart written to ${svgFile}`);
    const image = fs.readFileSync(svgFile, 'utf8');
    expect(image.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(image.trim().endsWith('</svg>')).toBe(true);
    for (const name of ['Kwalificatiebanen', 'Balanz@Work Kerkrade', 'Project WelSlagen', 'Pilot logistiek West-Brabant', 'ISS inclusieve plaatsingen']) {
      expect(image).toContain(name);
    }
    expect(image.match(/ rx="3"/g)?.length).toBe(5 * 4); // one bar per funnel stage
  });

  it('lists the programmes and their phases', async () => {
    const text = await runCli(['programmes'], cleanEnv());
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/1\. voortraject\s+Voortraject\s+3 maanden/);
    const one = json<{ id: string; phases: { id: string }[] }>(await runCli(['programmes', 'welslagen', '--json'], cleanEnv()));
    expect(one.phases.map((p) => p.id)).toEqual(['toeleidingstraject']);
    expect((await runCli(['programmes', 'nope'], cleanEnv())).code).toBe(3);
  });

  it('has --help on every command', async () => {
    for (const command of ['start', 'intake', 'signal', 'status', 'list', 'report', 'programmes', 'ui']) {
      const help = await runCli([command, '--help'], cleanEnv());
      expect({ command, code: help.code }).toEqual({ command, code: 0 });
      expect(help.stdout).toContain(`Usage: trajectory ${command}`);
      expect(help.stdout).toContain('--address');
    }
    const unknown = await runCli(['frobnicate'], cleanEnv());
    expect(unknown.code).toBe(2);
    const unreachable = await runCli(['list'], cleanEnv({ TEMPORAL_ADDRESS: '127.0.0.1:1' }));
    expect(unreachable.code).toBe(4);
    expect(unreachable.stderr).toContain('cannot reach Temporal at 127.0.0.1:1');
  });
});
