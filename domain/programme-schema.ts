/**
 * A re-integration programme as data. The trajectory workflow walks any valid
 * definition generically, so an organisation adds a programme by writing a JSON
 * file that passes this schema, without touching workflow code.
 *
 * How a definition is walked:
 * - A trajectory starts in the first phase of `phases`.
 * - A phase with `duration` (or `endsOnPayloadDate`) has a deadline; reminders go
 *   out `before` it; an `extension` moves it; when it passes, `onDeadline` either
 *   advances by rule or escalates to the responsible partners and waits.
 * - A reported event is matched against the phase's `transitions`, then
 *   `transitionsInAnyPhase`; a match moves to a phase or ends with an outcome.
 *   Events in `accepts` / `acceptsInAnyPhase` (and `extension-decided` in a phase
 *   with an extension option) are recorded without a move; any other event is
 *   out of phase and rejected.
 * - `deadlines` span phases (counted from first entering a phase) and escalate
 *   when they pass unmet.
 * - `notifications` say which partner roles hear of which event.
 * A running trajectory keeps the definition it started with; `version` and the
 * fingerprint (see `fingerprint.ts`) identify it.
 */
import { z } from 'zod';
import { checkProgrammeReferences } from './programme-validation';
import {
  attentionSchema,
  capacitySchema,
  expectationsSchema,
  intakeSchema,
  notificationRuleSchema,
  outcomeSchema,
  partnerEventTypeSchema,
  partnerRoleSchema,
  partnerSchema,
  phaseSchema,
  programmeDeadlineSchema,
  regionSchema,
  slugSchema,
  targetGroupSchema,
  textSchema,
  transitionSchema,
  variantSchema,
} from './programme-schema-parts';

/** The default "needs attention" period when a definition sets none. */
export const DEFAULT_QUIET_PERIOD = { weeks: 6 } as const;

/** The shape of a definition, before the cross-field checks. */
export const programmeShapeSchema = z.strictObject({
  id: slugSchema,
  /** Raise when the rules change; a running trajectory keeps its version. */
  version: z.number().int().min(1),
  name: textSchema,
  description: textSchema.optional(),
  /** The partner role that runs the programme; must be declared in `partners`. */
  operator: partnerRoleSchema,
  partners: z.array(partnerSchema).min(1),
  targetGroups: z.array(targetGroupSchema).default([]),
  /** Eligibility conditions in Dutch, as the source words them. */
  eligibility: z.array(textSchema).default([]),
  regions: z.array(regionSchema).default([]),
  variants: z.array(variantSchema).default([]),
  intake: intakeSchema.default({ mode: 'continuous' }),
  capacity: capacitySchema.optional(),
  phases: z.array(phaseSchema).min(1),
  deadlines: z.array(programmeDeadlineSchema).default([]),
  /** Transitions valid in every phase, tried after the phase's own (e.g. withdrawal). */
  transitionsInAnyPhase: z.array(transitionSchema).default([]),
  /** Events recorded in every phase without changing it (e.g. a new case manager). */
  acceptsInAnyPhase: z.array(partnerEventTypeSchema).default([]),
  outcomes: z.array(outcomeSchema).min(1),
  notifications: z.array(notificationRuleSchema).default([]),
  expectations: expectationsSchema.optional(),
  attention: attentionSchema.default({ quietPeriod: DEFAULT_QUIET_PERIOD }),
});

export type ProgrammeShape = z.output<typeof programmeShapeSchema>;

/** A complete programme definition: shape plus cross-field checks (references, reachability). */
export const programmeDefinitionSchema = programmeShapeSchema.superRefine((programme, ctx) => {
  checkProgrammeReferences(programme, (path, message) => {
    ctx.addIssue({ code: 'custom', path, message });
  });
});

/** A validated definition, as the workflow uses it. */
export type ProgrammeDefinition = z.output<typeof programmeDefinitionSchema>;
/** What an author writes (a JSON file or a TypeScript object); defaults still to apply. */
export type ProgrammeDefinitionInput = z.input<typeof programmeDefinitionSchema>;

export type Partner = ProgrammeDefinition['partners'][number];
export type Phase = ProgrammeDefinition['phases'][number];
export type Transition = Phase['transitions'][number];
export type Target = Transition['to'];
export type Reminder = Phase['reminders'][number];
export type ExtensionOption = NonNullable<Phase['extension']>;
export type DeadlineAction = NonNullable<Phase['onDeadline']>;
export type Outcome = ProgrammeDefinition['outcomes'][number];
export type OutcomeCategory = Outcome['category'];
export type OutcomeCriteria = NonNullable<Outcome['criteria']>;
export type ProgrammeDeadline = ProgrammeDefinition['deadlines'][number];
export type NotificationRule = ProgrammeDefinition['notifications'][number];
export type Region = ProgrammeDefinition['regions'][number];
export type Intake = ProgrammeDefinition['intake'];
export type Cohort = Extract<Intake, { mode: 'cohorts' }>['cohorts'][number];
export type Capacity = NonNullable<ProgrammeDefinition['capacity']>;
