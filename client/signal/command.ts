/** `trajectory signal REF NAME --field k=v …` and `trajectory signal --csv FILE`. */
import fs from 'node:fs';
import type { Client } from '@temporalio/client';
import { CliError, EXIT, notFoundError, usageError, type ExitCode } from '../errors';
import { problemText } from '../intake/command';
import { plural, stdout } from '../output';
import type { Problem } from '../records';
import { findTrajectory } from '../trajectories';
import { readBatchFile, sendBatch, type BatchOutcome } from './batch';
import type { Sealer } from '../intake/start';
import { checkPayload, describeFields, eventType, payloadFromFlags } from './payload';
import { sendReport, type SendResult } from './send';

export interface SignalOptions {
  readonly field?: readonly string[];
  readonly jsonFile?: string;
  readonly programme?: string;
  readonly csv?: string;
  readonly json?: boolean;
  readonly confirm?: boolean;
  readonly dryRun?: boolean;
  readonly concurrency?: number;
  /** Seals a report's note with the participant's own key (client/privacy.ts). */
  readonly seal?: Sealer;
}

function readJsonPayload(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw notFoundError(`file not found: ${file}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(`${file}: not valid JSON`, EXIT.rejected);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(`${file}: expected one JSON object with the payload fields`, EXIT.rejected);
  }
  return value as Record<string, unknown>;
}

function resultLine(r: SendResult | BatchOutcome): string {
  switch (r.result) {
    case 'accepted':
      return `accepted by ${r.workflowId}: ${r.entries.map((e) => e.text).join('; ')}`;
    case 'rejected':
      return `REJECTED by ${r.workflowId}: ${r.reason}`;
    case 'sent':
      return `${r.note} (${r.workflowId})`;
    case 'failed':
      return `FAILED: ${r.reason}`;
  }
}

export async function signalCommand(connect: () => Promise<Client>, ref: string | undefined, name: string | undefined, options: SignalOptions): Promise<ExitCode> {
  if (options.csv !== undefined) {
    if (ref !== undefined || name !== undefined) throw usageError('with --csv, give no REF or NAME: the file names them per row');
    return batchCommand(connect, options.csv, options);
  }
  if (ref === undefined || name === undefined) throw usageError('give REF and NAME (e.g. trajectory signal p-7f3a9c placement --field employer=ISS), or --csv FILE');
  const type = eventType(name);
  const base = options.jsonFile !== undefined ? readJsonPayload(options.jsonFile) : {};
  const payload = payloadFromFlags(type, options.field ?? [], base);
  const checked = checkPayload(type, payload);
  if (!checked.ok) {
    const problems = checked.problems.map((p) => ({ field: p.field ?? '(payload)', reason: p.reason }));
    if (options.json) stdout.json({ result: 'invalid', signal: type, problems });
    else {
      process.stderr.write(`trajectory: invalid "${type}" payload, nothing sent:\n`);
      for (const p of problems) process.stderr.write(`  ${p.field}: ${p.reason}\n`);
      process.stderr.write(`  fields of "${type}": ${describeFields(type)}\n`);
    }
    return EXIT.rejected;
  }
  if (options.dryRun) {
    if (options.json) stdout.json({ result: 'valid', signal: type, dryRun: true });
    else stdout.line(`valid "${type}" payload; nothing sent (--dry-run)`);
    return EXIT.ok;
  }
  const client = await connect();
  const found = await findTrajectory(client, ref, options.programme);
  const result = await sendReport(client, found, type, checked.payload, { confirm: options.confirm, seal: options.seal });
  if (options.json) stdout.json(result);
  else stdout.line(resultLine(result));
  return result.result === 'rejected' ? EXIT.rejected : EXIT.ok;
}

async function batchCommand(connect: () => Promise<Client>, file: string, options: SignalOptions): Promise<ExitCode> {
  const { rows, problems } = readBatchFile(file);
  const rejectedLines = new Set(problems.map((p: Problem) => p.line));
  let outcomes: BatchOutcome[] = [];
  if (!options.dryRun && rows.length > 0) outcomes = await sendBatch(await connect(), rows, { confirm: options.confirm, concurrency: options.concurrency, seal: options.seal });
  const count = (result: BatchOutcome['result']) => outcomes.filter((o) => o.result === result).length;
  const summary = {
    rows: rows.length + rejectedLines.size,
    valid: rows.length,
    invalid: rejectedLines.size,
    accepted: count('accepted'),
    sent: count('sent'),
    rejected: count('rejected'),
    failed: count('failed'),
  };
  const ok = summary.invalid === 0 && summary.rejected === 0 && summary.failed === 0;
  if (options.json) {
    stdout.json({ file, dryRun: options.dryRun === true, summary, invalid: problems, results: outcomes });
  } else {
    stdout.line(`${file}: ${plural(summary.rows, 'row')}, ${rows.length} valid, ${rejectedLines.size} invalid`);
    if (problems.length > 0) {
      stdout.line('Invalid rows (not sent):');
      for (const p of problems) stdout.line(`  ${problemText(p)}`);
    }
    if (options.dryRun) stdout.line('Dry run: nothing was sent.');
    for (const o of outcomes) stdout.line(`  line ${o.line}: ${resultLine(o)}`);
    if (!options.dryRun) {
      stdout.line(`Summary: ${summary.accepted} accepted, ${summary.sent} sent unconfirmed, ${summary.rejected} rejected by the trajectory, ${summary.failed} failed, ${summary.invalid} invalid.`);
    }
  }
  return ok ? EXIT.ok : EXIT.rejected;
}
