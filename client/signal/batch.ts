/**
 * `trajectory signal --csv FILE`: a partner's export of assessment results (or
 * any partner reports), one signal per row. Every row is validated first
 * (reference, programme, event, payload with the workflow's schemas); then the
 * valid rows are sent, in file order per trajectory, several trajectories at a time.
 */
import type { Client } from '@temporalio/client';
import { builtInProgrammeIds, findBuiltInProgramme, isPartnerEventType, PARTNER_EVENT_TYPES, type PartnerEventType } from '../../domain';
import { participantRefSchema } from '../../workflows/input';
import { EXIT, toCliError } from '../errors';
import { mapPool } from '../pool';
import { normalizeName, readRecordFile, type Problem, type SourceRecord } from '../records';
import { findTrajectory, WORKFLOW_ID_PREFIX } from '../trajectories';
import { ALL_PAYLOAD_FIELDS, checkPayload, typedValue } from './payload';
import { sendReport, type SendResult, type SendOptions } from './send';

/** The event when a row names none: the file is an export of assessment results. */
export const DEFAULT_BATCH_EVENT: PartnerEventType = 'assessment-completed';

const FIXED: Record<string, string> = {
  participantref: 'participantRef',
  ref: 'participantRef',
  participant: 'participantRef',
  workflowid: 'participantRef',
  programme: 'programme',
  program: 'programme',
  event: 'event',
  signal: 'event',
};
const PAYLOAD = new Map(ALL_PAYLOAD_FIELDS.map((f) => [normalizeName(f), f]));

export function batchColumn(name: string): string | undefined {
  const key = normalizeName(name);
  return FIXED[key] ?? PAYLOAD.get(key);
}

export const BATCH_UNKNOWN_HINT = `columns are participantRef, programme, event and the payload fields ${ALL_PAYLOAD_FIELDS.join(', ')}`;

export interface BatchRow {
  readonly line: number;
  readonly ref: string;
  readonly programme?: string;
  readonly event: PartnerEventType;
  readonly payload: Record<string, unknown>;
}

export type BatchOutcome = ({ readonly line: number } & SendResult) | { readonly line: number; readonly result: 'failed'; readonly reason: string };

export function checkBatchRows(records: readonly SourceRecord[]): { rows: BatchRow[]; problems: Problem[] } {
  const rows: BatchRow[] = [];
  const problems: Problem[] = [];
  for (const { line, values } of records) {
    const before = problems.length;
    const ref = typeof values.participantRef === 'string' ? values.participantRef : undefined;
    if (ref === undefined) problems.push({ line, field: 'participantRef', reason: 'required' });
    else if (!ref.startsWith(WORKFLOW_ID_PREFIX) && !participantRefSchema.safeParse(ref).success) {
      problems.push({ line, field: 'participantRef', reason: 'use a pseudonymous reference (lower-case letters, digits, hyphens) or a workflow id (traject-…)' });
    }
    const programme = typeof values.programme === 'string' ? values.programme : undefined;
    if (programme !== undefined && !findBuiltInProgramme(programme)) {
      problems.push({ line, field: 'programme', reason: `unknown programme; use one of ${builtInProgrammeIds.join(', ')}` });
    }
    const eventName = typeof values.event === 'string' ? values.event : DEFAULT_BATCH_EVENT;
    if (!isPartnerEventType(eventName)) {
      problems.push({ line, field: 'event', reason: `unknown event; use one of ${PARTNER_EVENT_TYPES.join(', ')}` });
      continue;
    }
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) {
      if (key === 'participantRef' || key === 'programme' || key === 'event') continue;
      raw[key] = typeof value === 'string' ? typedValue(eventName, key, value) : value;
    }
    const checked = checkPayload(eventName, raw);
    if (!checked.ok) for (const p of checked.problems) problems.push({ line, field: p.field, reason: p.reason });
    if (problems.length === before && ref !== undefined && checked.ok) {
      rows.push({ line, ref, programme, event: eventName, payload: checked.payload });
    }
  }
  return { rows, problems };
}

export function readBatchFile(file: string): { rows: BatchRow[]; problems: Problem[]; records: number } {
  const read = readRecordFile(file, batchColumn, BATCH_UNKNOWN_HINT);
  const checked = checkBatchRows(read.records);
  return { rows: checked.rows, problems: [...read.problems, ...checked.problems].sort((a, b) => a.line - b.line), records: read.records.length };
}

/** Sends the rows: one trajectory's rows in file order, up to `concurrency` trajectories at once. */
export async function sendBatch(client: Client, rows: readonly BatchRow[], options: SendOptions & { concurrency?: number }): Promise<BatchOutcome[]> {
  const groups = new Map<string, BatchRow[]>();
  for (const row of rows) {
    const key = `${row.programme ?? ''}/${row.ref}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const perGroup = await mapPool([...groups.values()], options.concurrency ?? 8, async (group) => {
    const outcomes: BatchOutcome[] = [];
    let found;
    try {
      found = await findTrajectory(client, group[0].ref, group[0].programme);
    } catch (error) {
      const failure = toCliError(error);
      if (failure.exitCode === EXIT.connection) throw failure;
      return group.map((row) => ({ line: row.line, result: 'failed' as const, reason: failure.message }));
    }
    for (const row of group) {
      try {
        outcomes.push({ line: row.line, ...(await sendReport(client, found, row.event, row.payload, options)) });
      } catch (error) {
        outcomes.push({ line: row.line, result: 'failed', reason: toCliError(error).message });
      }
    }
    return outcomes;
  });
  return perGroup.flat().sort((a, b) => a.line - b.line);
}
