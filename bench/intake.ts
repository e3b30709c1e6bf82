/**
 * Intake benchmark (figures, not a test): `npm run bench:intake`.
 *
 * Generates an intake file of BENCH_INTAKE_ROWS rows (default 10,000) across
 * the five programmes, and in one run against one embedded engine (its own
 * process, with a data file unless BENCH_DURABLE=0) measures:
 *   - a bare `client.workflow.start` loop: the same number of trajectories,
 *     no validation, no search attributes, memo or summary; once with the
 *     intake's concurrency (the comparison that counts) and once one at a time;
 *   - the intake itself (read, validate every row, start idempotently), in
 *     process with the same client, at its default concurrency.
 * Bare loop and intake alternate over BENCH_ROUNDS rounds (default 2, fresh
 * ids each); the best time of each side counts: this machine's noise hits both.
 * The ratio intake / bare loop has a target of at least 0.8. No worker runs:
 * both sides measure starting trajectories, not running them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { runIntake } from '../client/intake/command';
import { DEFAULT_CONCURRENCY } from '../client/intake/start';
import { createLogger } from '../client/logger';
import { mapPool } from '../client/pool';
import { amsterdamDate, builtInProgrammes, formatIsoDate } from '../domain';
import { registerTrajectorySearchAttributes } from '../worker/search-attributes';
import { checkTrajectoryInput } from '../workflows/input';
import { TRAJECTORY_TASK_QUEUE, TRAJECTORY_WORKFLOW_TYPE } from '../workflows/start-options';
import { startEngineProcess } from './engine-process';

const ROWS = Number(process.env.BENCH_INTAKE_ROWS ?? 10_000);
const DURABLE = process.env.BENCH_DURABLE !== '0';
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL_ROWS ?? Math.min(ROWS, 2000));
const TARGET = 0.8;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));

const REGIONS: Record<string, (string | undefined)[]> = {
  welslagen: ['west-brabant', 'zeeland', 'drechtsteden'],
  'logistiek-west-brabant': ['hart-van-west-brabant'],
  'iss-inclusief': ['regio-zwolle', 'drechtsteden'],
};

function generateFile(dir: string, prefix: string, rows: number): string {
  const today = formatIsoDate(amsterdamDate(Date.now()));
  const lines = ['participantRef,programme,startDate,region'];
  for (let i = 0; i < rows; i++) {
    const programme = builtInProgrammes[i % builtInProgrammes.length].id;
    const regions = REGIONS[programme] ?? [undefined];
    lines.push(`${prefix}-${String(i).padStart(6, '0')},${programme},${today},${regions[i % regions.length] ?? ''}`);
  }
  const file = path.join(dir, `${prefix}.csv`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** The same trajectories the intake starts, started with nothing but `client.workflow.start`. */
async function bareLoop(client: Client, prefix: string, rows: number, concurrency: number): Promise<number> {
  const today = formatIsoDate(amsterdamDate(Date.now()));
  const inputs = builtInProgrammes.map((programme) => {
    const checked = checkTrajectoryInput({ participantRef: 'bench-template', programme, startDate: today });
    if (!checked.ok) throw new Error(checked.message);
    return checked.input;
  });
  const items = Array.from({ length: rows }, (_, i) => i);
  const t0 = process.hrtime.bigint();
  await mapPool(items, concurrency, async (i) => {
    const input = inputs[i % inputs.length];
    const participantRef = `${prefix}-${String(i).padStart(6, '0')}`;
    await client.workflow.start(TRAJECTORY_WORKFLOW_TYPE, {
      taskQueue: TRAJECTORY_TASK_QUEUE,
      workflowId: `traject-${input.programme.id}-${participantRef}`,
      args: [{ ...input, participantRef }],
    });
  });
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  rows.forEach((r, n) => {
    console.log(r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-bench-'));
  const engine = await startEngineProcess(28233 + Math.floor(Math.random() * 1000), DURABLE ? ['--db-filename', path.join(tmp, 'engine.db')] : []);
  const connection = await Connection.connect({ address: engine.address });
  const client = new Client({ connection });
  const logger = createLogger({ level: 'warn', format: 'json' });
  try {
    await registerTrajectorySearchAttributes(connection, 'default');
    const checkOnly = generateFile(tmp, 'dry', ROWS);
    await bareLoop(client, 'warmup', 500, DEFAULT_CONCURRENCY);

    // Rounds (BENCH_ROUNDS, default 2), alternating, so neither side always runs on a fuller engine; the best of each counts.
    let bareSeconds = Infinity;
    let intakeSeconds = Infinity;
    let file = '';
    for (let round = 1; round <= ROUNDS; round++) {
      bareSeconds = Math.min(bareSeconds, await bareLoop(client, `bare${round}`, ROWS, DEFAULT_CONCURRENCY));
      file = generateFile(tmp, `intake${round}`, ROWS);
      const t0 = process.hrtime.bigint();
      const report = await runIntake(file, { progress: false }, async () => client, logger);
      intakeSeconds = Math.min(intakeSeconds, Number(process.hrtime.bigint() - t0) / 1e9);
      if (report.summary.started !== ROWS) throw new Error(`intake did not start every row: ${JSON.stringify(report.summary)}`);
    }
    const sequentialSeconds = await bareLoop(client, 'seq', SEQUENTIAL, 1);

    const v0 = process.hrtime.bigint();
    const dry = await runIntake(checkOnly, { dryRun: true, progress: false }, async () => client, logger);
    const validateSeconds = Number(process.hrtime.bigint() - v0) / 1e9;
    if (dry.summary.valid !== ROWS) throw new Error(`validation refused rows: ${JSON.stringify(dry.summary)}`);

    const r0 = process.hrtime.bigint();
    const again = await runIntake(file, { progress: false }, async () => client, logger);
    const againSeconds = Number(process.hrtime.bigint() - r0) / 1e9;

    const intakeRate = ROWS / intakeSeconds;
    const bareRate = ROWS / bareSeconds;
    const sequentialRate = SEQUENTIAL / sequentialSeconds;
    const ratio = intakeRate / bareRate;
    console.log(`\nIntake benchmark: ${ROWS} rows, ${DURABLE ? 'durable data file' : 'in memory'}, concurrency ${DEFAULT_CONCURRENCY}, no worker, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}\n`);
    printTable([
      ['figure', 'value', 'target'],
      [`bare client.workflow.start loop (same concurrency, best of ${ROUNDS})`, `${bareRate.toFixed(0)} starts/s`, ''],
      [`bare client.workflow.start loop (one at a time, ${SEQUENTIAL} rows)`, `${sequentialRate.toFixed(0)} starts/s`, ''],
      ['validation only (--dry-run)', `${(ROWS / validateSeconds).toFixed(0)} rows/s`, ''],
      [`trajectory intake (read, validate, start; best of ${ROUNDS})`, `${intakeRate.toFixed(0)} trajectories/s`, ''],
      ['intake / bare loop (same concurrency)', ratio.toFixed(2), `>= ${TARGET} ${ratio >= TARGET ? 'met' : 'NOT MET'}`],
      ['intake / bare loop (one at a time)', (intakeRate / sequentialRate).toFixed(2), ''],
      ['same file again (all already running)', `${(ROWS / againSeconds).toFixed(0)} rows/s, ${again.summary.alreadyRunning} already running`, ''],
    ]);
  } finally {
    await connection.close();
    await engine.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
