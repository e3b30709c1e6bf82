/**
 * The programme-capacity workflow's contract: its id, input, the `request-place`
 * update, the `place-released` and `leave-waiting-list` signals and its queries.
 * For intake scripts, partner tools, tests and the trajectory workflow (which
 * signals `place-released` when it ends). No workflow functions here.
 *
 * Only pseudonymous participant references ever appear in it: no names, BSN or
 * health data in the waiting list, the queries or the workflow id.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import {
  isoDateSchema,
  programmeDefinitionSchema,
  slugSchema,
  textSchema,
  type ProgrammeDefinition,
  type ProgrammeDefinitionInput,
} from '../domain';
import { participantRefSchema } from './input';
import { TRAJECTORY_TASK_QUEUE } from './start-options';

export const CAPACITY_WORKFLOW_TYPE = 'programmeCapacity';
/** Continue-as-new once a run's history reaches this many events (or when the server suggests it). */
export const DEFAULT_CAPACITY_HISTORY_LIMIT = 2000;

/** Readable and free of personal data: `capaciteit-balanz-at-work-kerkrade`. */
export function capacityWorkflowId(programmeId: string): string {
  return `capaciteit-${programmeId}`;
}

/** What intake sends to ask for a place: the trajectory's start input without the programme. */
export const placeRequestSchema = z.strictObject({
  participantRef: participantRefSchema,
  region: slugSchema.optional(),
  municipality: textSchema.max(100).optional(),
  attentionAfterWeeks: z.number().int().min(1).max(104).optional(),
  /**
   * Earliest start (YYYY-MM-DD): the trajectory starts on this day or on the day the place is granted,
   * whichever is later. The place counts against the year in which it is granted.
   */
  startDate: isoDateSchema.optional(),
});
export type PlaceRequest = z.infer<typeof placeRequestSchema>;

/** A participant holding a place; `year` is the calendar year whose places it counts against. */
export const holderSchema = z.strictObject({
  participantRef: participantRefSchema,
  workflowId: z.string().min(1),
  year: z.number().int(),
  /** Amsterdam date the place was granted (YYYY-MM-DD). */
  since: isoDateSchema,
});
export type PlaceHolder = z.infer<typeof holderSchema>;

export const waitingEntrySchema = z.strictObject({
  request: placeRequestSchema,
  /** Amsterdam date the participant joined the list (YYYY-MM-DD). */
  since: isoDateSchema,
});
export type WaitingEntry = z.infer<typeof waitingEntrySchema>;

/** Everything a run hands to the next on continue-as-new. */
export const capacitySnapshotSchema = z.strictObject({
  year: z.number().int(),
  holders: z.array(holderSchema),
  waiting: z.array(waitingEntrySchema),
  granted: z.number().int().min(0),
  released: z.number().int().min(0),
  /** Release signals that freed nothing (unknown workflow or invalid payload). */
  ignoredReleases: z.number().int().min(0),
  /** Runs before this one (continue-as-new count). */
  runs: z.number().int().min(0),
});
export type CapacitySnapshot = z.infer<typeof capacitySnapshotSchema>;

export const capacityInputSchema = z.strictObject({
  /** The definition trajectories started from this workflow are pinned to; it must declare `capacity`. */
  programme: programmeDefinitionSchema.refine((p) => p.capacity !== undefined, { message: 'the programme declares no capacity' }),
  /** Task queue of the trajectories it starts (default: its own). */
  trajectoryTaskQueue: z.string().min(1).optional(),
  /** Continue-as-new after this many history events (default DEFAULT_CAPACITY_HISTORY_LIMIT). */
  historyLimit: z.number().int().min(20).optional(),
  /** Carried over by continue-as-new; absent on the first run. */
  carried: capacitySnapshotSchema.optional(),
});

export interface CapacityInput {
  readonly programme: ProgrammeDefinition | ProgrammeDefinitionInput;
  readonly trajectoryTaskQueue?: string;
  readonly historyLimit?: number;
  readonly carried?: CapacitySnapshot;
}
export type ValidCapacityInput = z.output<typeof capacityInputSchema>;

/** The answer to `request-place`. */
export type PlaceDecision =
  | {
      readonly status: 'started';
      readonly participantRef: string;
      /** The trajectory's workflow id (started as a child workflow, ParentClosePolicy ABANDON). */
      readonly workflowId: string;
      readonly startDate: string;
      readonly year: number;
      readonly placesUsed: number;
      readonly placesPerYear: number;
      readonly text: string;
    }
  | {
      readonly status: 'waiting';
      readonly participantRef: string;
      /** 1 is next in line. */
      readonly position: number;
      readonly text: string;
    };

/** Asks for a place: starts the trajectory when one is free this year, otherwise joins the waiting list. */
export const requestPlaceUpdate = defineUpdate<PlaceDecision, [PlaceRequest]>('request-place');

/** Sent by a trajectory when it ends (and by staff for one that was terminated): its place is free again. */
export interface PlaceReleased {
  readonly workflowId: string;
  readonly participantRef: string;
  readonly outcome?: string;
  /** Amsterdam date (YYYY-MM-DD). */
  readonly endedOn?: string;
  readonly reason?: string;
}
export const placeReleasedSchema = z.strictObject({
  workflowId: z.string().min(1),
  participantRef: participantRefSchema,
  outcome: slugSchema.optional(),
  endedOn: isoDateSchema.optional(),
  reason: slugSchema.max(60).optional(),
});
export const placeReleasedSignal = defineSignal<[PlaceReleased]>('place-released');

/** A participant on the waiting list no longer wants (or needs) a place. */
export const leaveWaitingListSignal = defineSignal<[{ readonly participantRef: string }]>('leave-waiting-list');

export interface CapacityView {
  readonly programmeId: string;
  readonly year: number;
  readonly placesPerYear: number;
  /** Places of this calendar year held by running trajectories. */
  readonly placesUsed: number;
  readonly placesFree: number;
  /** Everybody holding a place, this year's and earlier years' (pseudonymous refs). */
  readonly holders: readonly PlaceHolder[];
  readonly waiting: number;
  readonly granted: number;
  readonly released: number;
  /** Signals that freed nothing (unknown workflow or invalid payload). */
  readonly ignoredReleases: number;
  /** How often this workflow continued as new. */
  readonly runs: number;
}
export const capacityQuery = defineQuery<CapacityView>('capacity');

export interface WaitingListEntryView {
  readonly position: number;
  readonly participantRef: string;
  readonly since: string;
}
export const waitingListQuery = defineQuery<WaitingListEntryView[]>('waiting-list');

export interface CapacityStartOptions {
  readonly taskQueue: string;
  readonly workflowId: string;
  readonly args: [ValidCapacityInput];
  readonly staticSummary: string;
}

/** Options to start a programme's capacity workflow (validates the input, throwing with every problem named). */
export function capacityStartOptions(input: CapacityInput, taskQueue: string = TRAJECTORY_TASK_QUEUE): CapacityStartOptions {
  const parsed = capacityInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(`invalid capacity input: ${parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')}`);
  }
  const programme = parsed.data.programme;
  return {
    taskQueue,
    workflowId: capacityWorkflowId(programme.id),
    args: [parsed.data],
    staticSummary: `Plaatsen en wachtlijst ${programme.name}: ${programme.capacity?.placesPerYear ?? 0} per jaar`,
  };
}
