/**
 * How a trajectory walks a programme definition: which event does what in a
 * phase, when a phase deadline falls (with extensions), when reminders go out,
 * who hears of what, and which outcome a trajectory ends with. Pure functions of
 * the definition and the facts passed in; the workflow supplies "now".
 */
import { amsterdamInstant, endOfDayInAmsterdam, type LocalTime } from './amsterdam-time';
import { compareDates, tryParseIsoDate, type CalendarDate } from './calendar-date';
import { addDuration, scaleDuration, subtractDuration, sumDurations, type Duration } from './duration';
import type { NotifiableEventType, PartnerEventType } from './events';
import type {
  ExtensionOption,
  Outcome,
  OutcomeCriteria,
  Partner,
  Phase,
  ProgrammeDefinition,
  ProgrammeDeadline,
  Reminder,
  Target,
  Transition,
} from './programme-schema';

/** A partner report as the rules see it: its type and (already validated) payload. */
export interface ReportedEvent {
  readonly type: PartnerEventType;
  readonly payload?: Readonly<Record<string, unknown>>;
}

/** What a reported event means in a phase. */
export type EventDisposition =
  | { readonly kind: 'transition'; readonly transition: Transition }
  | { readonly kind: 'extension-decision'; readonly extension: ExtensionOption }
  | { readonly kind: 'recorded' }
  | { readonly kind: 'out-of-phase'; readonly reason: string };

/** Reminders go out at this Amsterdam wall-clock time on their day. */
export const REMINDER_LOCAL_TIME: LocalTime = { hour: 9, minute: 0 };

export function findPhase(programme: ProgrammeDefinition, phaseId: string): Phase | undefined {
  return programme.phases.find((p) => p.id === phaseId);
}

export function getPhase(programme: ProgrammeDefinition, phaseId: string): Phase {
  const phase = findPhase(programme, phaseId);
  if (!phase) throw new Error(`programme "${programme.id}" has no phase "${phaseId}"`);
  return phase;
}

/** Trajectories start in the first listed phase. */
export function firstPhase(programme: ProgrammeDefinition): Phase {
  return programme.phases[0];
}

export function findOutcome(programme: ProgrammeDefinition, outcomeId: string): Outcome | undefined {
  return programme.outcomes.find((o) => o.id === outcomeId);
}

export function getOutcome(programme: ProgrammeDefinition, outcomeId: string): Outcome {
  const outcome = findOutcome(programme, outcomeId);
  if (!outcome) throw new Error(`programme "${programme.id}" has no outcome "${outcomeId}"`);
  return outcome;
}

export function findPartner(programme: ProgrammeDefinition, role: string): Partner | undefined {
  return programme.partners.find((p) => p.role === role);
}

/** The partner that runs the programme. */
export function operatorOf(programme: ProgrammeDefinition): Partner {
  const partner = findPartner(programme, programme.operator);
  if (!partner) throw new Error(`programme "${programme.id}" does not declare its operator "${programme.operator}"`);
  return partner;
}

function matches(transition: Transition, event: ReportedEvent): boolean {
  if (transition.on !== event.type) return false;
  const when = transition.when;
  if (!when) return true;
  return Object.entries(when).every(([field, value]) => event.payload?.[field] === value);
}

/** The first matching transition: the phase's own, then those valid in any phase. */
export function matchTransition(
  programme: ProgrammeDefinition,
  phaseId: string,
  event: ReportedEvent,
): Transition | undefined {
  const phase = getPhase(programme, phaseId);
  return (
    phase.transitions.find((t) => matches(t, event)) ??
    programme.transitionsInAnyPhase.find((t) => matches(t, event))
  );
}

/**
 * What an event does in a phase. `extensionsGranted` is the number granted so far
 * in this phase; an extension decision beyond `maxCount` is out of phase.
 */
export function classifyEvent(
  programme: ProgrammeDefinition,
  phaseId: string,
  event: ReportedEvent,
  extensionsGranted = 0,
): EventDisposition {
  const phase = getPhase(programme, phaseId);
  const transition = matchTransition(programme, phaseId, event);
  if (transition) return { kind: 'transition', transition };
  if (event.type === 'extension-decided' && phase.extension) {
    if (extensionsGranted >= phase.extension.maxCount) {
      return {
        kind: 'out-of-phase',
        reason: `"${phase.name}" is already extended the maximum of ${phase.extension.maxCount} time(s)`,
      };
    }
    return { kind: 'extension-decision', extension: phase.extension };
  }
  if (phase.accepts.includes(event.type) || programme.acceptsInAnyPhase.includes(event.type)) {
    return { kind: 'recorded' };
  }
  const handled = phase.transitions.some((t) => t.on === event.type);
  return {
    kind: 'out-of-phase',
    reason: handled
      ? `"${event.type}" with this payload matches no transition of phase "${phase.name}"`
      : `"${event.type}" is not expected in phase "${phase.name}"`,
  };
}

/** Reads a date from a payload field: `YYYY-MM-DD` or `{ year, month, day }`. */
export function payloadDate(payload: Readonly<Record<string, unknown>> | undefined, field: string): CalendarDate | undefined {
  const value = payload?.[field];
  if (typeof value === 'string') return tryParseIsoDate(value);
  if (value && typeof value === 'object') {
    const { year, month, day } = value as Record<string, unknown>;
    if (typeof year === 'number' && typeof month === 'number' && typeof day === 'number') {
      return tryParseIsoDate(
        `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      );
    }
  }
  return undefined;
}

/** The longest a phase can last: its duration plus every possible extension. */
export function maximumPhaseDuration(phase: Phase): Duration | undefined {
  if (!phase.duration) return undefined;
  if (!phase.extension) return phase.duration;
  return sumDurations(phase.duration, scaleDuration(phase.extension.duration, phase.extension.maxCount));
}

/**
 * The phase deadline date: entry date + duration + granted extensions, or the
 * payload date of the entering event (`endsOnPayloadDate`). Undefined when the
 * phase has no deadline or the entering payload lacks the date.
 * A 3-month phase entered on 31 January ends on 30 April.
 */
export function phaseDeadline(
  phase: Phase,
  enteredOn: CalendarDate,
  extensionsGranted = 0,
  enteringPayload?: Readonly<Record<string, unknown>>,
): CalendarDate | undefined {
  if (phase.endsOnPayloadDate !== undefined) return payloadDate(enteringPayload, phase.endsOnPayloadDate);
  if (!phase.duration) return undefined;
  const extra = phase.extension && extensionsGranted > 0 ? scaleDuration(phase.extension.duration, extensionsGranted) : undefined;
  return addDuration(enteredOn, extra ? sumDurations(phase.duration, extra) : phase.duration);
}

/** Whether another extension may still be granted. */
export function canExtend(phase: Phase, extensionsGranted: number): boolean {
  return phase.extension !== undefined && extensionsGranted < phase.extension.maxCount;
}

/**
 * Who hears when a phase deadline passes without a decision: while an extension
 * is still possible and undecided, the extension's escalation target (default
 * its approver); otherwise the phase's `onDeadline.escalateTo`. Empty when the
 * phase advances by rule instead.
 */
export function deadlineEscalationTargets(
  phase: Phase,
  extensionsGranted: number,
  extensionDecisionPending: boolean,
): readonly string[] {
  if (phase.extension && extensionDecisionPending && canExtend(phase, extensionsGranted)) {
    return phase.extension.escalateTo ?? [phase.extension.approverRole];
  }
  if (phase.onDeadline && 'escalateTo' in phase.onDeadline) return phase.onDeadline.escalateTo;
  return [];
}

/** The date of a programme-wide deadline, counted from the day its phase was first entered. */
export function programmeDeadlineDate(deadline: ProgrammeDeadline, anchorDate: CalendarDate): CalendarDate {
  return addDuration(anchorDate, deadline.after);
}

/** Programme-wide deadlines that start counting when `phaseId` is entered. */
export function deadlinesStartingIn(programme: ProgrammeDefinition, phaseId: string): readonly ProgrammeDeadline[] {
  return programme.deadlines.filter((d) => d.startsWhenEntering === phaseId);
}

/** The reminders ahead of a deadline, earliest first. */
export function reminderSchedule(
  reminders: readonly Reminder[],
  deadline: CalendarDate,
): { readonly date: CalendarDate; readonly notify: readonly string[] }[] {
  return reminders
    .map((r) => ({ date: subtractDuration(deadline, r.before), notify: r.notify }))
    .sort((a, b) => compareDates(a.date, b.date));
}

/** The instant a deadline date has passed: the end of that day in Amsterdam. */
export function deadlinePassesAt(deadline: CalendarDate): number {
  return endOfDayInAmsterdam(deadline);
}

/** The instant a reminder goes out on its day (09:00 Amsterdam). */
export function reminderInstant(date: CalendarDate): number {
  return amsterdamInstant(date, REMINDER_LOCAL_TIME);
}

/** Partner roles to notify of an event (for `phase-entered`, pass the phase entered). */
export function rolesToNotify(
  programme: ProgrammeDefinition,
  event: NotifiableEventType,
  phaseId?: string,
): readonly string[] {
  const roles = new Set<string>();
  for (const rule of programme.notifications) {
    if (rule.event !== event) continue;
    if (rule.phase !== undefined && rule.phase !== phaseId) continue;
    rule.notify.forEach((role) => roles.add(role));
  }
  return [...roles];
}

/** What the rules know of a trajectory when choosing an outcome. */
export interface TrajectoryFacts {
  readonly startedOn: CalendarDate;
  /** The first placement in paid work, if any. */
  readonly firstPlacement?: { readonly on: CalendarDate; readonly withLks: boolean };
  /** Extensions granted over the whole trajectory. */
  readonly extensionsGranted: number;
}

export function outcomeMatches(criteria: OutcomeCriteria | undefined, facts: TrajectoryFacts): boolean {
  if (!criteria) return true;
  const placement = facts.firstPlacement;
  if (criteria.placed !== undefined && criteria.placed !== (placement !== undefined)) return false;
  if (criteria.placedWithin !== undefined) {
    if (!placement) return false;
    if (compareDates(placement.on, addDuration(facts.startedOn, criteria.placedWithin)) > 0) return false;
  }
  if (criteria.withLks !== undefined && (!placement || placement.withLks !== criteria.withLks)) return false;
  const range = criteria.extensionsGranted;
  if (range?.min !== undefined && facts.extensionsGranted < range.min) return false;
  if (range?.max !== undefined && facts.extensionsGranted > range.max) return false;
  return true;
}

/** Resolves a target to the phase to enter or the outcome to end with. */
export function resolveTarget(
  programme: ProgrammeDefinition,
  target: Target,
  facts: TrajectoryFacts,
): { readonly phase: Phase } | { readonly outcome: Outcome } {
  if ('phase' in target) return { phase: getPhase(programme, target.phase) };
  if ('outcome' in target) return { outcome: getOutcome(programme, target.outcome) };
  const candidates = target.outcomeFrom.map((id) => getOutcome(programme, id));
  const chosen = candidates.find((o) => outcomeMatches(o.criteria, facts)) ?? candidates[candidates.length - 1];
  return { outcome: chosen };
}
