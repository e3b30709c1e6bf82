/** The trajectory's state and the shapes its queries return (all JSON-serialisable). */
import type { CalendarDate, OutcomeCategory, PartnerEventType } from '../domain';
import type { NotificationFields } from './activities-api';

export type TrajectoryStatus = 'scheduled' | 'active' | 'ended';

/** The phase the participant is in. */
export interface PhaseState {
  readonly id: string;
  /** 1 for the first phase entered, 2 for the next, …; keeps timer keys of a re-entered phase apart. */
  readonly entry: number;
  readonly enteredOn: CalendarDate;
  readonly enteringPayload?: Readonly<Record<string, unknown>>;
  extensionsGranted: number;
  /** An extension is still possible and nobody has decided on it yet. */
  extensionPending: boolean;
  lastExtensionDecision?: 'granted' | 'refused';
  /** The phase deadline passed and was escalated; it stays open (overdue) until the phase is left. */
  deadlinePassed: boolean;
  readonly remindersSent: string[];
}

/** A programme-wide deadline (Balanz: contract decision within 23 months). */
export interface ProgrammeDeadlineState {
  readonly id: string;
  readonly date: CalendarDate;
  met: boolean;
  passed: boolean;
  readonly remindersSent: string[];
}

export type TimelineKind =
  | 'trajectory-started'
  | 'phase-entered'
  | 'reported'
  | 'deadline-reminder'
  | 'deadline-passed'
  | 'deadline-escalated'
  | 'needs-attention'
  | 'trajectory-ended'
  | 'notification-failed';

export interface TimelineEntry {
  /** 1, 2, …: the event sequence; notifications use it in their idempotency key. */
  readonly seq: number;
  readonly kind: TimelineKind;
  /** ISO 8601 instant (UTC). */
  readonly at: string;
  /** Europe/Amsterdam calendar date, YYYY-MM-DD. */
  readonly on: string;
  readonly phase?: string;
  /** For `reported`: the partner event. */
  readonly event?: PartnerEventType;
  /** One line in Dutch. */
  readonly text: string;
  readonly fields?: NotificationFields;
  /** Partner roles told of it. */
  readonly notified?: readonly string[];
}

export interface RejectedSignal {
  readonly signal: string;
  readonly at: string;
  readonly on: string;
  readonly phase?: string;
  readonly reason: string;
  /** The payload as received, as JSON (cut at 500 characters). */
  readonly payload: string;
}

export type ScheduledKind = 'start' | 'reminder' | 'phase-deadline' | 'programme-deadline' | 'attention';

/** Something the trajectory waits for on the calendar. */
export interface DeadlineView {
  readonly kind: ScheduledKind;
  readonly label: string;
  /** The calendar date it concerns (the deadline's date for a reminder), YYYY-MM-DD. */
  readonly date: string;
  /** When it fires: ISO 8601 instant. A deadline fires at the end of its day in Amsterdam. */
  readonly at: string;
  /** Passed and escalated, still waiting for a decision. */
  readonly overdue: boolean;
  /** Who hears of it when it fires. */
  readonly notify: readonly string[];
}

export interface PhaseView {
  readonly status: TrajectoryStatus;
  readonly programmeId: string;
  readonly phaseId: string;
  readonly phaseName: string;
  readonly enteredOn?: string;
  readonly deadline?: string;
  readonly deadlineOverdue: boolean;
  readonly extensionsGranted: number;
  readonly extensionPending: boolean;
  readonly needsAttention: boolean;
  readonly outcome?: OutcomeView;
  /** The same line as the Web UI's current details. */
  readonly details: string;
}

export interface OutcomeView {
  readonly id: string;
  readonly label: string;
  readonly category: OutcomeCategory;
}

export interface TrajectoryResult {
  readonly workflowId: string;
  readonly participantRef: string;
  readonly programme: { readonly id: string; readonly version: number; readonly fingerprint: string };
  readonly outcome: OutcomeView;
  readonly startedOn: string;
  readonly endedOn: string;
  readonly phasesVisited: readonly string[];
  readonly extensionsGranted: number;
  readonly firstPlacement?: { readonly on: string; readonly withLks: boolean };
}
