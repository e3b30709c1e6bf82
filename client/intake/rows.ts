/**
 * The intake format (docs/intake.md): one trajectory per row, validated with
 * zod field by field and then against the programme (regions, municipalities)
 * with the workflow's own input schema, before anything starts.
 */
import { z } from 'zod';
import {
  amsterdamDate,
  builtInProgrammeIds,
  findBuiltInProgramme,
  formatIsoDate,
  isoDateSchema,
  nextCohortStart,
  PERSONAL_FIELDS,
  personalDetailsSchema,
  type PersonalDetails,
  type ProgrammeDefinition,
} from '../../domain';
import { participantRefSchema } from '../../workflows/input';
import type { TrajectoryStartOptions } from '../../workflows/start-options';
import { normalizeName, type Problem, type SourceRecord } from '../records';
import { rowInputSchema, rowStartOptions, type RowInput } from './options';

/** The fields of an intake row, in documentation order. */
export const INTAKE_FIELDS = ['participantRef', 'programme', 'startDate', 'region', 'municipality', 'attentionAfterWeeks', ...PERSONAL_FIELDS] as const;
export type IntakeField = (typeof INTAKE_FIELDS)[number];

const ALIASES: Record<string, IntakeField> = {
  participantref: 'participantRef',
  ref: 'participantRef',
  participant: 'participantRef',
  programme: 'programme',
  program: 'programme',
  programmeid: 'programme',
  startdate: 'startDate',
  start: 'startDate',
  region: 'region',
  municipality: 'municipality',
  attentionafterweeks: 'attentionAfterWeeks',
  name: 'name',
  naam: 'name',
  email: 'email',
  emailaddress: 'email',
  phone: 'phone',
  telefoon: 'phone',
  address: 'address',
  adres: 'address',
  bsn: 'bsn',
};

export function intakeColumn(name: string): IntakeField | undefined {
  return ALIASES[normalizeName(name)];
}

export const INTAKE_UNKNOWN_HINT = `an intake row has ${INTAKE_FIELDS.join(', ')} (personal details only in ${PERSONAL_FIELDS.join(', ')}: they are sealed with the participant's own key before anything starts)`;

const required = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : `expected ${what}`),
});

/** One row as written, before the programme is looked up. */
export const intakeRowSchema = z.strictObject({
  participantRef: z.string(required('text')).pipe(participantRefSchema),
  programme: z
    .string(required('a programme id'))
    .refine((id) => findBuiltInProgramme(id) !== undefined, { message: `unknown programme; use one of ${builtInProgrammeIds.join(', ')}` }),
  startDate: z.string(required('a date')).pipe(isoDateSchema).optional(),
  region: z.string().optional(),
  municipality: z.string().max(100).optional(),
  attentionAfterWeeks: z.coerce
    .number({ error: 'expected a whole number of weeks' })
    .int('expected a whole number of weeks')
    .min(1, 'at least 1 week')
    .max(104, 'at most 104 weeks')
    .optional(),
  ...personalDetailsSchema.shape,
});

export type IntakeRow = z.output<typeof intakeRowSchema>;

export interface ValidIntakeRow {
  readonly line: number;
  readonly workflowId: string;
  readonly programmeId: string;
  readonly participantRef: string;
  readonly startDate: string;
  readonly options: TrajectoryStartOptions;
  /** The participant's details, to be sealed with their own key just before the start (never logged). */
  readonly personal?: PersonalDetails;
}

export interface IntakeCheck {
  readonly valid: ValidIntakeRow[];
  /** One entry per problem; a row with two problems has two entries. */
  readonly problems: Problem[];
  /** Lines of rows that were rejected (each once). */
  readonly rejectedLines: number[];
}

/** Without a start date: today in Amsterdam, or for a programme with intake rounds the next round. */
export function defaultStartDate(programme: ProgrammeDefinition, now: number): string {
  const today = amsterdamDate(now);
  return formatIsoDate(nextCohortStart(programme, today)?.startsOn ?? today);
}

function fieldOf(path: readonly PropertyKey[]): string | undefined {
  const first = path[0];
  return typeof first === 'string' ? first : undefined;
}

/** Never echo what was written in the file: a cell may hold personal data by mistake. */
export function withoutValues(message: string, values: Readonly<Record<string, unknown>>): string {
  let text = message;
  for (const [field, value] of Object.entries(values)) {
    // The programme id is checked against the known ids before any message can quote it.
    if (field === 'programme') continue;
    if (typeof value === 'string' && value.length > 0) text = text.split(`"${value}"`).join('(the value given)');
  }
  return text;
}

/** Validates every record; `now` gives the default start date. */
export function checkIntakeRows(records: readonly SourceRecord[], taskQueue: string, now: number): IntakeCheck {
  const valid: ValidIntakeRow[] = [];
  const problems: Problem[] = [];
  const rejected = new Set<number>();
  const firstLineOf = new Map<string, number>();
  const reject = (line: number, field: string | undefined, reason: string): void => {
    problems.push({ line, field, reason });
    rejected.add(line);
  };

  for (const { line, values } of records) {
    const row = intakeRowSchema.safeParse(values);
    if (!row.success) {
      for (const issue of row.error.issues) reject(line, fieldOf(issue.path), withoutValues(issue.message, values));
      continue;
    }
    const programme = findBuiltInProgramme(row.data.programme) as ProgrammeDefinition;
    const input: RowInput = {
      participantRef: row.data.participantRef,
      programme,
      startDate: row.data.startDate ?? defaultStartDate(programme, now),
      region: row.data.region,
      municipality: row.data.municipality,
      attentionAfterWeeks: row.data.attentionAfterWeeks,
    };
    const checked = rowInputSchema.safeParse(input);
    if (!checked.success) {
      for (const issue of checked.error.issues) reject(line, fieldOf(issue.path), withoutValues(issue.message, values));
      continue;
    }
    const options = rowStartOptions(input, taskQueue);
    const earlier = firstLineOf.get(options.workflowId);
    if (earlier !== undefined) {
      reject(line, 'participantRef', `the same participant and programme as line ${earlier}: one trajectory per participant and programme`);
      continue;
    }
    firstLineOf.set(options.workflowId, line);
    const personal = Object.fromEntries(PERSONAL_FIELDS.flatMap((f) => (row.data[f] !== undefined ? [[f, row.data[f]]] : []))) as PersonalDetails;
    valid.push({
      ...(Object.keys(personal).length > 0 ? { personal } : {}),
      line,
      workflowId: options.workflowId,
      programmeId: programme.id,
      participantRef: input.participantRef,
      startDate: input.startDate,
      options,
    });
  }
  return { valid, problems, rejectedLines: [...rejected].sort((a, b) => a - b) };
}
