/** `trajectory intake FILE`: validate every row, then start the valid ones idempotently; summary and exit code. */
import { SingleBar } from 'cli-progress';
import type { Client } from '@temporalio/client';
import { TRAJECTORY_TASK_QUEUE } from '../../workflows/start-options';
import { CliError, EXIT, type ExitCode } from '../errors';
import type { Logger } from '../logger';
import { plural, stdout, type Output } from '../output';
import { readRecordFile, type Problem } from '../records';
import { checkIntakeRows, intakeColumn, INTAKE_UNKNOWN_HINT, type ValidIntakeRow } from './rows';
import { DEFAULT_CONCURRENCY, startIntakeRows, type RowOutcome, type Sealer } from './start';

export interface IntakeOptions {
  readonly dryRun?: boolean;
  readonly json?: boolean;
  readonly concurrency?: number;
  readonly taskQueue?: string;
  /** Start nothing when any row is rejected. */
  readonly allOrNothing?: boolean;
  /** Show the progress bar (default: when stderr is a terminal and the file is long). */
  readonly progress?: boolean;
  /** Seals personal details (name, email, phone, address, bsn) with the participant's own key. */
  readonly seal?: Sealer;
}

export interface IntakeSummary {
  readonly rows: number;
  readonly valid: number;
  readonly rejected: number;
  readonly started: number;
  readonly alreadyRunning: number;
  readonly alreadyEnded: number;
  readonly failed: number;
}

export interface IntakeReport {
  readonly file: string;
  readonly dryRun: boolean;
  readonly summary: IntakeSummary;
  readonly problems: readonly Problem[];
  readonly valid: readonly { line: number; workflowId: string; programme: string; startDate: string }[];
  readonly outcomes: readonly RowOutcome[];
  readonly exitCode: ExitCode;
}

/** Files at least this long get a progress bar (on a terminal). */
export const PROGRESS_FROM_ROWS = 100;
const LISTED = 50;

export function summarize(rows: number, valid: number, rejected: number, outcomes: readonly RowOutcome[]): IntakeSummary {
  const count = (kind: RowOutcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
  return { rows, valid, rejected, started: count('started'), alreadyRunning: count('already-running'), alreadyEnded: count('already-ended'), failed: count('failed') };
}

function progressBar(total: number, enabled: boolean | undefined): SingleBar | undefined {
  const show = enabled ?? (process.stderr.isTTY === true && total >= PROGRESS_FROM_ROWS);
  if (!show) return undefined;
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'starting trajectories [{bar}] {value}/{total} ({percentage}%) eta {eta_formatted}',
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0);
  return bar;
}

/** Validates and starts; returns the report (the caller prints it). */
export async function runIntake(file: string, options: IntakeOptions, connect: () => Promise<Client>, logger: Logger, now = Date.now()): Promise<IntakeReport> {
  const read = readRecordFile(file, intakeColumn, INTAKE_UNKNOWN_HINT);
  const checked = checkIntakeRows(read.records, options.taskQueue ?? TRAJECTORY_TASK_QUEUE, now);
  const problems = [...read.problems, ...checked.problems].sort((a, b) => a.line - b.line);
  // A problem of the file itself (a bad header) counts as one rejected row: its line.
  const rejectedLines = new Set([...read.problems.map((p) => p.line), ...checked.rejectedLines]);
  const totalRows = read.records.length + new Set(read.problems.map((p) => p.line)).size;
  logger.info({ file, format: read.format, rows: totalRows, valid: checked.valid.length, rejected: rejectedLines.size }, 'intake file checked');

  const valid = checked.valid.map((r) => ({ line: r.line, workflowId: r.workflowId, programme: r.programmeId, startDate: r.startDate }));
  const refuseAll = options.allOrNothing === true && rejectedLines.size > 0;
  let outcomes: RowOutcome[] = [];
  if (!options.dryRun && !refuseAll && checked.valid.length > 0) {
    const client = await connect();
    outcomes = await startWithProgress(client, checked.valid, options, logger);
  }
  const summary = summarize(totalRows, checked.valid.length, rejectedLines.size, outcomes);
  const failures = outcomes.filter((o): o is Extract<RowOutcome, { kind: 'failed' }> => o.kind === 'failed');
  let exitCode: ExitCode = EXIT.ok;
  if (failures.length > 0) exitCode = failures.some((f) => f.unreachable) ? EXIT.connection : EXIT.internal;
  else if (rejectedLines.size > 0) exitCode = EXIT.rejected;
  return { file, dryRun: options.dryRun === true, summary, problems, valid, outcomes, exitCode };
}

async function startWithProgress(client: Client, rows: readonly ValidIntakeRow[], options: IntakeOptions, logger: Logger): Promise<RowOutcome[]> {
  const bar = progressBar(rows.length, options.progress);
  try {
    return await startIntakeRows(client, rows, {
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      seal: options.seal,
      onOutcome: (outcome) => {
        bar?.increment();
        if (outcome.kind === 'failed') logger.warn({ line: outcome.line, workflowId: outcome.workflowId, reason: outcome.reason }, 'start failed');
        else logger.debug({ line: outcome.line, workflowId: outcome.workflowId, outcome: outcome.kind }, 'intake row');
      },
    });
  } finally {
    bar?.stop();
  }
}

export function problemText(p: Problem): string {
  return `line ${p.line}${p.field ? `, ${p.field}` : ''}: ${p.reason}`;
}

function listed<T>(items: readonly T[], render: (item: T) => string, out: Output, more: string): void {
  for (const item of items.slice(0, LISTED)) out.line(`  ${render(item)}`);
  if (items.length > LISTED) out.line(`  … and ${items.length - LISTED} more (${more})`);
}

export function printIntakeReport(report: IntakeReport, out: Output = stdout): void {
  const s = report.summary;
  out.line(`${report.file}: ${plural(s.rows, 'row')}, ${s.valid} valid, ${s.rejected} rejected`);
  if (report.problems.length > 0) {
    out.line('Rejected rows (nothing of a row is echoed; fix the field in the file):');
    listed(report.problems, problemText, out, 'use --json for all');
  }
  if (report.dryRun) {
    out.line(`Dry run: ${plural(s.valid, 'trajectory', 'trajectories')} would be started (unless already there); nothing was sent.`);
    listed(report.valid, (v) => `line ${v.line}: ${v.workflowId} from ${v.startDate}`, out, 'use --json for all');
    return;
  }
  if (s.rejected > 0 && s.started + s.alreadyRunning + s.alreadyEnded + s.failed === 0 && s.valid > 0) {
    out.line('Nothing was started (--all-or-nothing).');
  }
  const byKind = (kind: RowOutcome['kind']) => report.outcomes.filter((o) => o.kind === kind);
  const started = byKind('started');
  if (started.length > 0 && started.length <= LISTED) {
    out.line('Started:');
    listed(started, (o) => `line ${o.line}: ${o.workflowId}`, out, '');
  }
  const running = byKind('already-running');
  if (running.length > 0) {
    out.line('Already running (not started again):');
    listed(running, (o) => `line ${o.line}: ${o.workflowId}`, out, 'use --json for all');
  }
  const ended = byKind('already-ended') as Extract<RowOutcome, { kind: 'already-ended' }>[];
  if (ended.length > 0) {
    out.line('Already ended (a workflow id is never reused):');
    listed(ended, (o) => `line ${o.line}: ${o.workflowId} (${o.status.toLowerCase()})`, out, 'use --json for all');
  }
  const failed = byKind('failed') as Extract<RowOutcome, { kind: 'failed' }>[];
  if (failed.length > 0) {
    out.line('Failed to start:');
    listed(failed, (o) => `line ${o.line}: ${o.workflowId}: ${o.reason}`, out, 'use --json for all');
  }
  out.line(
    `Summary: ${s.started} started, ${s.alreadyRunning} already running, ${s.alreadyEnded} already ended, ${s.rejected} rejected, ${s.failed} failed.`,
  );
}

export function intakeJson(report: IntakeReport): unknown {
  return {
    file: report.file,
    dryRun: report.dryRun,
    summary: report.summary,
    rejected: report.problems,
    ...(report.dryRun ? { wouldStart: report.valid } : { results: report.outcomes }),
    exitCode: report.exitCode,
  };
}

export async function intakeCommand(file: string, options: IntakeOptions, connect: () => Promise<Client>, logger: Logger): Promise<ExitCode> {
  if (options.concurrency !== undefined && (!Number.isInteger(options.concurrency) || options.concurrency < 1 || options.concurrency > 1000)) {
    throw new CliError('--concurrency must be a whole number from 1 to 1000', EXIT.usage);
  }
  const report = await runIntake(file, options, connect, logger);
  if (options.json) stdout.json(intakeJson(report));
  else printIntakeReport(report);
  return report.exitCode;
}
