/**
 * The building blocks of a programme definition (zod schemas). The whole
 * definition and its cross-field checks are in `programme-schema.ts`.
 */
import { z } from 'zod';
import { durationSchema, positiveDurationSchema } from './duration';
import { NOTIFIABLE_EVENT_TYPES, PARTNER_EVENT_TYPES } from './events';

/** Identifiers: lower-case letters, digits, single hyphens ("pre-track", "werk-binnen-3-maanden"). */
export const slugSchema = z
  .string()
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'use a slug: lower-case letters, digits and single hyphens, e.g. "pre-track"',
  );

/** User-facing text, usually Dutch. */
export const textSchema = z.string().trim().min(1, 'must not be empty');

/**
 * Partner roles the built-in programmes use. A definition may declare other
 * roles (any slug); every role it refers to must be declared in `partners`.
 */
export const KNOWN_PARTNER_ROLES = [
  'municipality',
  'case-manager',
  'training-company',
  'employer',
  'school',
  'job-coach',
  'specialist',
  'intermediary',
  'project-lead',
  'knowledge-centre',
  'benefit-agency',
] as const;

export const partnerRoleSchema = slugSchema;

export const partnerSchema = z.strictObject({
  role: partnerRoleSchema,
  organisation: textSchema,
  description: textSchema.optional(),
});

export const partnerEventTypeSchema = z.enum(PARTNER_EVENT_TYPES);
export const notifiableEventTypeSchema = z.enum(NOTIFIABLE_EVENT_TYPES);

const rolesSchema = z.array(partnerRoleSchema).min(1, 'name at least one partner role');

/** Where a transition or a passed deadline leads. */
export const targetSchema = z.union([
  /** Enter another phase. */
  z.strictObject({ phase: slugSchema }),
  /** End the trajectory with this outcome. */
  z.strictObject({ outcome: slugSchema }),
  /**
   * End the trajectory with the first listed outcome whose `criteria` match the
   * trajectory's facts; the last one listed must have no criteria (a fallback).
   */
  z.strictObject({ outcomeFrom: z.array(slugSchema).min(1) }),
]);

/**
 * A reported event that ends the current phase. Transitions are tried in order;
 * the first whose `on` and `when` match wins. `when` matches payload fields by
 * equality, e.g. `{ "withLks": true }`.
 */
export const transitionSchema = z.strictObject({
  on: partnerEventTypeSchema,
  when: z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()])).optional(),
  to: targetSchema,
  label: textSchema.optional(),
});

/** A reminder `before` a deadline to the partners in `notify` (sent at 09:00 Amsterdam time). */
export const reminderSchema = z.strictObject({
  before: durationSchema,
  notify: rolesSchema,
});

/**
 * Extra time on a phase: each granted extension moves the phase deadline by
 * `duration`, at most `maxCount` times, only on an `extension-decided` event
 * from `approverRole`. When the deadline passes while an extension is still
 * possible and none was decided, the workflow escalates to `escalateTo`
 * (default: the approver).
 */
export const extensionOptionSchema = z.strictObject({
  duration: positiveDurationSchema,
  maxCount: z.number().int().min(1),
  approverRole: partnerRoleSchema,
  escalateTo: rolesSchema.optional(),
  /** Grounds for an extension, as the source gives them. */
  grounds: z.array(textSchema).optional(),
});

/**
 * What happens when a phase deadline passes: move on by rule (`advanceTo`), or
 * stay in the phase and escalate to the responsible partners (`escalateTo`)
 * until one of the phase's events arrives.
 */
export const deadlineActionSchema = z.union([
  z.strictObject({ advanceTo: targetSchema }),
  z.strictObject({ escalateTo: rolesSchema }),
]);

/** Part of a weekly rhythm, e.g. 3 days internship at the employer. */
export const weeklyActivitySchema = z.strictObject({
  activity: textSchema,
  daysPerWeek: z.number().int().min(1).max(7),
  at: partnerRoleSchema,
});

export const phaseSchema = z.strictObject({
  id: slugSchema,
  /** Dutch name, shown to staff. */
  name: textSchema,
  description: textSchema.optional(),
  /** The partner that runs this phase. */
  responsibleRole: partnerRoleSchema.optional(),
  /** Calendar length from entering the phase; its end is the phase deadline. */
  duration: positiveDurationSchema.optional(),
  /**
   * Instead of `duration`: the phase ends on a date carried in the payload of the
   * event that entered it (e.g. `lksEndDate` of a placement).
   */
  endsOnPayloadDate: z.string().min(1).optional(),
  /** Dutch name of the phase deadline for timers and reminders. */
  deadlineLabel: textSchema.optional(),
  extension: extensionOptionSchema.optional(),
  reminders: z.array(reminderSchema).default([]),
  onDeadline: deadlineActionSchema.optional(),
  /** The events that end this phase and what follows. */
  transitions: z.array(transitionSchema).default([]),
  /** Events recorded in this phase without changing it; any other event is out of phase. */
  accepts: z.array(partnerEventTypeSchema).default([]),
  weeklySchedule: z.array(weeklyActivitySchema).optional(),
  /** The participant keeps the benefit during this phase (met behoud van uitkering). */
  keepsBenefit: z.boolean().optional(),
});

/** Report categories shared by all programmes. */
export const OUTCOME_CATEGORIES = [
  'work-within-3-months',
  'work-within-6-months',
  'work',
  'permanent-contract',
  'education',
  'no-placement',
  'dropout',
  'withdrawn',
] as const;

export const outcomeCategorySchema = z.enum(OUTCOME_CATEGORIES);

/** Conditions on a trajectory's facts, used when an outcome is chosen from a list. */
export const outcomeCriteriaSchema = z
  .strictObject({
    /** Whether the participant was placed in paid work at all. */
    placed: z.boolean().optional(),
    /** The first placement began within this duration of the trajectory start (inclusive). */
    placedWithin: positiveDurationSchema.optional(),
    /** The first placement was with (true) or without (false) wage-cost subsidy. */
    withLks: z.boolean().optional(),
    /** Number of extensions granted, inclusive bounds. */
    extensionsGranted: z
      .strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() })
      .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
        message: 'min must not exceed max',
      })
      .optional(),
  })
  .refine((c) => Object.keys(c).length > 0, { message: 'criteria must name at least one condition' });

export const outcomeSchema = z.strictObject({
  id: slugSchema,
  /** Dutch label, as the source words it. */
  label: textSchema,
  category: outcomeCategorySchema,
  criteria: outcomeCriteriaSchema.optional(),
});

/**
 * A deadline that spans phases, counted from the first time a phase is entered
 * (Balanz: contract decision at the latest 23 months after starting at Balanz).
 * Met by any of the `satisfiedBy` events; when it passes unmet the workflow
 * escalates to `escalateTo`. Ends with the trajectory.
 */
export const programmeDeadlineSchema = z.strictObject({
  id: slugSchema,
  label: textSchema,
  startsWhenEntering: slugSchema,
  after: positiveDurationSchema,
  satisfiedBy: z.array(partnerEventTypeSchema).min(1),
  reminders: z.array(reminderSchema).default([]),
  escalateTo: rolesSchema,
});

/** Which partner roles hear of which event (optionally only for one phase). */
export const notificationRuleSchema = z.strictObject({
  event: notifiableEventTypeSchema,
  notify: rolesSchema,
  /** Only with event `phase-entered`: limit the rule to entering this phase. */
  phase: slugSchema.optional(),
});

export const regionSchema = z.strictObject({
  id: slugSchema,
  name: textSchema,
  municipalities: z.array(textSchema).optional(),
  description: textSchema.optional(),
});

export const targetGroupSchema = z.strictObject({ id: slugSchema, label: textSchema });

export const variantSchema = z.strictObject({
  id: slugSchema,
  name: textSchema,
  description: textSchema.optional(),
  /** Regions that run this variant; omitted means all. */
  regions: z.array(slugSchema).optional(),
});

/** A recurring intake round: it starts every year on `startDay` of `startMonth`. */
export const cohortSchema = z.strictObject({
  id: slugSchema,
  label: textSchema,
  startMonth: z.number().int().min(1).max(12),
  startDay: z.number().int().min(1).max(28).default(1),
});

export const intakeSchema = z.discriminatedUnion('mode', [
  /** Participants start whenever they are referred. */
  z.strictObject({ mode: z.literal('continuous') }),
  /** Participants start together in rounds; with `perRegion` every region runs each round. */
  z.strictObject({
    mode: z.literal('cohorts'),
    cohorts: z.array(cohortSchema).min(1),
    perRegion: z.boolean().default(false),
  }),
]);

/** Limited places: the capacity workflow keeps a waiting list; a place frees when a trajectory ends. */
export const capacitySchema = z.strictObject({
  placesPerYear: z.number().int().min(1),
  waitingList: z.boolean(),
});

/** Figures the provider expects (for reports and benchmarks), not rules. */
export const expectationsSchema = z.strictObject({
  /** Share of participants expected to get an extension (0–1). */
  extensionRate: z.number().min(0).max(1).optional(),
  /** Typical number of participants per cohort. */
  cohortSize: z.number().int().min(1).optional(),
  note: textSchema.optional(),
});

/** A trajectory with no reported event for `quietPeriod` is flagged "needs attention". */
export const attentionSchema = z.strictObject({ quietPeriod: positiveDurationSchema });
