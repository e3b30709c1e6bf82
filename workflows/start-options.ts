/**
 * How to start a trajectory: a readable workflow id without personal data, the
 * search attributes known at the start, a static summary and details for the
 * Web UI, and the memo recording the pinned definition. For starters (the CLI,
 * intake scripts, tests); the workflow itself does not use this module.
 */
import type { SearchAttributePair } from '@temporalio/common';
import { firstPhase, formatDutchDate, parseIsoDate } from '../domain';
import { checkTrajectoryInput, PINNED_MEMO, trajectoryWorkflowId, type TrajectoryInput, type ValidTrajectoryInput } from './input';
import { startSearchAttributes } from './search-attributes';

export const TRAJECTORY_TASK_QUEUE = 'trajectories';
export const TRAJECTORY_WORKFLOW_TYPE = 'trajectory';

export interface TrajectoryStartOptions {
  readonly taskQueue: string;
  readonly workflowId: string;
  readonly args: [ValidTrajectoryInput];
  readonly typedSearchAttributes: SearchAttributePair[];
  readonly staticSummary: string;
  readonly staticDetails: string;
  readonly memo: Record<string, unknown>;
}

/** "Kwalificatiebanen v1 · p-7f3a9c · Rotterdam · start 31 januari 2027" */
export function trajectorySummary(input: ValidTrajectoryInput): string {
  const where = [input.region && input.programme.regions.find((r) => r.id === input.region)?.name, input.municipality]
    .filter((part): part is string => typeof part === 'string' && part.length > 0)
    .join(', ');
  return [
    `${input.programme.name} v${input.programme.version}`,
    input.participantRef,
    where || undefined,
    `start ${formatDutchDate(parseIsoDate(input.startDate))}`,
  ]
    .filter((part): part is string => part !== undefined)
    .join(' · ');
}

function details(input: ValidTrajectoryInput, fingerprint: string): string {
  const p = input.programme;
  const phases = p.phases.map((phase) => phase.name).join(' → ');
  const partners = p.partners.map((partner) => `${partner.organisation} (${partner.role})`).join(', ');
  return [
    `**${p.name}** (versie ${p.version}, definitie ${fingerprint})`,
    `Fasen: ${phases}`,
    `Partners: ${partners}`,
    `Mogelijke uitkomsten: ${p.outcomes.map((o) => o.label).join('; ')}`,
  ].join('\n\n');
}

/** The part of the start options that belongs to one participant (the rest is the programme's). */
export function participantStartOptions(input: ValidTrajectoryInput): Pick<TrajectoryStartOptions, 'workflowId' | 'args' | 'typedSearchAttributes' | 'staticSummary'> {
  return {
    workflowId: trajectoryWorkflowId(input.programme.id, input.participantRef),
    args: [input],
    typedSearchAttributes: startSearchAttributes({
      programme: input.programme.id,
      phase: firstPhase(input.programme).id,
      region: input.region,
      municipality: input.municipality,
      needsAttention: false,
    }),
    staticSummary: trajectorySummary(input),
  };
}

/**
 * Validates the input (throwing with every problem named) and returns the
 * options to pass to `client.workflow.start(trajectory, …)`. The definition in
 * `args` is the validated one, with its defaults: the trajectory keeps it.
 */
export function trajectoryStartOptions(raw: TrajectoryInput, taskQueue: string = TRAJECTORY_TASK_QUEUE): TrajectoryStartOptions {
  const checked = checkTrajectoryInput(raw);
  if (!checked.ok) throw new Error(checked.message);
  const input = checked.input;
  return {
    taskQueue,
    ...participantStartOptions(input),
    staticDetails: details(input, checked.fingerprint),
    memo: {
      [PINNED_MEMO.id]: input.programme.id,
      [PINNED_MEMO.version]: input.programme.version,
      [PINNED_MEMO.fingerprint]: checked.fingerprint,
    },
  };
}
