/**
 * Start options for many rows at intake speed. `trajectoryStartOptions`
 * (workflows/start-options.ts) validates the whole programme definition and
 * fingerprints it for every call, about a millisecond; an intake file repeats
 * the same few built-in definitions thousands of times. So each programme's
 * options are made once with `trajectoryStartOptions` (the template), and a
 * row only swaps in what is its own, built with the same exported pieces. A
 * test (test/client/intake-options.test.ts) holds the result equal to
 * `trajectoryStartOptions` for every programme.
 */
import { z } from 'zod';
import type { ProgrammeDefinition } from '../../domain';
import { trajectoryInputSchema, type ValidTrajectoryInput } from '../../workflows/input';
import { participantStartOptions, trajectoryStartOptions, type TrajectoryStartOptions } from '../../workflows/start-options';

/**
 * The workflow's input schema with the programme taken as given (a built-in,
 * already validated definition): every other field and the cross-field rules
 * (region of the programme, municipality of the region) are checked as the
 * workflow checks them.
 */
export const rowInputSchema = trajectoryInputSchema.safeExtend({
  programme: z.custom<ProgrammeDefinition>((value) => typeof value === 'object' && value !== null),
});

export interface RowInput {
  readonly participantRef: string;
  readonly programme: ProgrammeDefinition;
  readonly startDate: string;
  readonly region?: string;
  readonly municipality?: string;
  readonly attentionAfterWeeks?: number;
}

const templates = new Map<string, { readonly source: ProgrammeDefinition; readonly options: TrajectoryStartOptions }>();

function template(programme: ProgrammeDefinition, taskQueue: string): TrajectoryStartOptions {
  const key = `${taskQueue}\u0000${programme.id}\u0000${programme.version}`;
  const cached = templates.get(key);
  if (cached && cached.source === programme) return cached.options;
  const options = trajectoryStartOptions({ participantRef: 'template', programme, startDate: '2000-01-01' }, taskQueue);
  templates.set(key, { source: programme, options });
  return options;
}

/** The options `trajectoryStartOptions(row, taskQueue)` returns, for a row that passed `rowInputSchema`. */
export function rowStartOptions(row: RowInput, taskQueue: string): TrajectoryStartOptions {
  const base = template(row.programme, taskQueue);
  const input: ValidTrajectoryInput = {
    participantRef: row.participantRef,
    programme: base.args[0].programme,
    startDate: row.startDate,
    ...(row.region !== undefined ? { region: row.region } : {}),
    ...(row.municipality !== undefined ? { municipality: row.municipality } : {}),
    ...(row.attentionAfterWeeks !== undefined ? { attentionAfterWeeks: row.attentionAfterWeeks } : {}),
  };
  return { ...base, ...participantStartOptions(input) };
}
