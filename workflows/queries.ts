/** Queries with stable names: what staff and partners can ask a running (or closed) trajectory. */
import { defineQuery } from '@temporalio/workflow';
import type { DeadlineView, PhaseView, RejectedSignal, TimelineEntry } from './state';

/** The current phase, its deadline, extension and attention state, and the outcome once ended. */
export const phaseQuery = defineQuery<PhaseView>('phase');
/** Every deadline ahead (phase and programme deadlines, reminders, the attention moment), overdue ones first. */
export const deadlinesQuery = defineQuery<DeadlineView[]>('deadlines');
/** Everything that happened so far, in order. */
export const timelineQuery = defineQuery<TimelineEntry[]>('timeline');
/** Signals that changed nothing: invalid, out of phase, duplicate or unknown, with the reason. */
export const rejectedSignalsQuery = defineQuery<RejectedSignal[]>('rejected-signals');

export interface PinnedProgramme {
  readonly id: string;
  readonly version: number;
  /** Identifies the exact definition the trajectory runs on (see domain/fingerprint.ts). */
  readonly fingerprint: string;
}
/** The programme definition this trajectory is pinned to. */
export const programmeQuery = defineQuery<PinnedProgramme>('programme');
