/** `trajectory list`: trajectories found by visibility queries on their search attributes. */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { z } from 'zod';
import { amsterdamDate, formatIsoDate, isoDateSchema, parseIsoDate, slugSchema, startOfDayInAmsterdam } from '../domain';
import {
  MunicipalityAttribute,
  NeedsAttentionAttribute,
  NextDeadlineAttribute,
  OutcomeAttribute,
  PhaseAttribute,
  ProgrammeAttribute,
  RegionAttribute,
} from '../workflows/search-attributes';
import { TRAJECTORY_WORKFLOW_TYPE } from '../workflows/start-options';
import { EXIT, usageError, type ExitCode } from './errors';
import { plural, stdout, table } from './output';
import { participantRefOf } from './trajectories';

export const listOptionsSchema = z.strictObject({
  programme: slugSchema.optional(),
  phase: slugSchema.optional(),
  region: slugSchema.optional(),
  deadlineBefore: isoDateSchema.optional(),
  needsAttention: z.boolean().optional(),
  status: z.enum(['running', 'closed', 'all']).default('running'),
  limit: z.coerce.number().int().min(1).max(100_000).default(1000),
  json: z.boolean().optional(),
});

export type ListOptions = z.input<typeof listOptionsSchema>;

export interface ListedTrajectory {
  readonly workflowId: string;
  readonly participantRef?: string;
  readonly programme?: string;
  readonly phase?: string;
  readonly region?: string;
  readonly municipality?: string;
  /** Calendar date of the next deadline (Amsterdam). */
  readonly nextDeadline?: string;
  readonly needsAttention: boolean;
  readonly outcome?: string;
  readonly status: string;
  readonly startTime: string;
  readonly closeTime?: string;
}

/** The list filter, in Temporal's visibility query language. Values are checked slugs and dates. */
export function listQuery(options: z.output<typeof listOptionsSchema>): string {
  const parts = [`WorkflowType = '${TRAJECTORY_WORKFLOW_TYPE}'`];
  if (options.status === 'running') parts.push(`ExecutionStatus = 'Running'`);
  if (options.status === 'closed') parts.push(`ExecutionStatus != 'Running'`);
  if (options.programme) parts.push(`${ProgrammeAttribute.name} = '${options.programme}'`);
  if (options.phase) parts.push(`${PhaseAttribute.name} = '${options.phase}'`);
  if (options.region) parts.push(`${RegionAttribute.name} = '${options.region}'`);
  if (options.deadlineBefore) {
    // A deadline on day D passes at the end of D: "before DATE" means it passes by the start of DATE.
    const limit = new Date(startOfDayInAmsterdam(parseIsoDate(options.deadlineBefore))).toISOString();
    parts.push(`${NextDeadlineAttribute.name} <= '${limit}'`);
  }
  if (options.needsAttention) parts.push(`${NeedsAttentionAttribute.name} = true`);
  return parts.join(' AND ');
}

export function listedTrajectory(info: WorkflowExecutionInfo): ListedTrajectory {
  const attrs = info.typedSearchAttributes;
  const programme = attrs.get(ProgrammeAttribute);
  const deadline = attrs.get(NextDeadlineAttribute);
  return {
    workflowId: info.workflowId,
    participantRef: participantRefOf(info.workflowId, programme),
    programme,
    phase: attrs.get(PhaseAttribute),
    region: attrs.get(RegionAttribute),
    municipality: attrs.get(MunicipalityAttribute),
    nextDeadline: deadline ? formatIsoDate(amsterdamDate(deadline.getTime() - 1)) : undefined,
    needsAttention: attrs.get(NeedsAttentionAttribute) === true,
    outcome: attrs.get(OutcomeAttribute),
    status: info.status.name,
    startTime: info.startTime.toISOString(),
    closeTime: info.closeTime?.toISOString(),
  };
}

export async function listTrajectories(client: Client, raw: ListOptions): Promise<{ query: string; trajectories: ListedTrajectory[]; truncated: boolean }> {
  const parsed = listOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw usageError(`--${String(issue.path[0] ?? 'option').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue.message}`);
  }
  const options = parsed.data;
  const query = listQuery(options);
  const trajectories: ListedTrajectory[] = [];
  let truncated = false;
  for await (const info of client.workflow.list({ query, pageSize: Math.min(options.limit + 1, 1000) })) {
    if (trajectories.length >= options.limit) {
      truncated = true;
      break;
    }
    trajectories.push(listedTrajectory(info));
  }
  trajectories.sort((a, b) => (a.nextDeadline ?? '9999').localeCompare(b.nextDeadline ?? '9999') || a.workflowId.localeCompare(b.workflowId));
  return { query, trajectories, truncated };
}

export async function listCommand(client: Client, options: ListOptions): Promise<ExitCode> {
  const { query, trajectories, truncated } = await listTrajectories(client, options);
  if (options.json) {
    stdout.json({ query, count: trajectories.length, truncated, trajectories });
    return EXIT.ok;
  }
  const rows = trajectories.map((t) => [
    t.participantRef ?? t.workflowId,
    t.programme ?? '',
    t.phase ?? '',
    t.region ?? '',
    t.nextDeadline ?? '',
    t.needsAttention ? 'yes' : '',
    t.status === 'RUNNING' ? 'running' : `${t.status.toLowerCase()}${t.outcome ? `: ${t.outcome}` : ''}`,
  ]);
  for (const line of table(['participant', 'programme', 'phase', 'region', 'next deadline', 'attention', 'status'], rows)) stdout.line(line);
  stdout.line(`${plural(trajectories.length, 'trajectory', 'trajectories')}${truncated ? ` (more than --limit ${options.limit ?? 1000}; narrow the filters)` : ''}`);
  return EXIT.ok;
}
