/**
 * What the trajectory waits for on the calendar, as a pure function of its
 * state: the start, the phase deadline and its reminders, programme-wide
 * deadlines and theirs, and the "needs attention" moment. The workflow keeps
 * one durable timer per planned item (named by its summary) and acts when one
 * is due.
 */
import {
  addDuration,
  amsterdamDate,
  deadlinePassesAt,
  formatIsoDate,
  getPhase,
  phaseDeadline,
  reminderInstant,
  reminderSchedule,
  startOfDayInAmsterdam,
  type CalendarDate,
  type Duration,
  type Phase,
  type ProgrammeDefinition,
} from '../domain';
import type { DeadlineView, PhaseState, ProgrammeDeadlineState, ScheduledKind, TrajectoryStatus } from './state';
import { dutchDate, phaseDeadlineLabel, rolesText } from './wording';

/** The parts of a trajectory's state that decide its calendar. */
export interface CalendarState {
  readonly programme: ProgrammeDefinition;
  readonly startDate: CalendarDate;
  readonly quietPeriod: Duration;
  readonly status: TrajectoryStatus;
  readonly phase?: PhaseState;
  readonly deadlines: readonly ProgrammeDeadlineState[];
  readonly lastActivityAt: number;
  readonly needsAttention: boolean;
}

export type PlanRef =
  | { readonly type: 'start' }
  | { readonly type: 'phase-deadline' }
  | { readonly type: 'phase-reminder'; readonly reminderKey: string }
  | { readonly type: 'programme-deadline'; readonly id: string }
  | { readonly type: 'programme-reminder'; readonly id: string; readonly reminderKey: string }
  | { readonly type: 'attention' };

export interface PlannedItem {
  /** Stable while nothing about the item changes; a moved deadline gets a new key. */
  readonly key: string;
  readonly at: number;
  readonly kind: ScheduledKind;
  readonly label: string;
  readonly date: CalendarDate;
  readonly notify: readonly string[];
  /** The timer summary shown in the Web UI. */
  readonly summary: string;
  readonly ref: PlanRef;
}

export interface CurrentPhaseDeadline {
  readonly phase: Phase;
  readonly date: CalendarDate;
  readonly label: string;
  readonly passesAt: number;
}

export function currentPhaseDeadline(state: CalendarState): CurrentPhaseDeadline | undefined {
  if (state.status !== 'active' || !state.phase) return undefined;
  const phase = getPhase(state.programme, state.phase.id);
  const date = phaseDeadline(phase, state.phase.enteredOn, state.phase.extensionsGranted, state.phase.enteringPayload);
  if (!date) return undefined;
  return { phase, date, label: phaseDeadlineLabel(phase), passesAt: deadlinePassesAt(date) };
}

/** When "needs attention" is raised if nothing is reported: 09:00 on the day the quiet period ends. */
export function attentionDate(state: CalendarState): CalendarDate {
  return addDuration(amsterdamDate(state.lastActivityAt), state.quietPeriod);
}

function reminderItems(
  prefix: string,
  label: string,
  date: CalendarDate,
  reminders: Parameters<typeof reminderSchedule>[0],
  sent: readonly string[],
  ref: (reminderKey: string) => PlanRef,
): PlannedItem[] {
  const passesAt = deadlinePassesAt(date);
  return reminderSchedule(reminders, date).flatMap((reminder, index) => {
    const reminderKey = `${prefix}:reminder:${formatIsoDate(reminder.date)}:${index}`;
    const at = reminderInstant(reminder.date);
    if (sent.includes(reminderKey) || at >= passesAt) return [];
    return [{
      key: reminderKey,
      at,
      kind: 'reminder' as const,
      label,
      date,
      notify: reminder.notify,
      summary: `Herinnering: ${label} op ${dutchDate(date)} (aan ${rolesText(reminder.notify)})`,
      ref: ref(reminderKey),
    }];
  });
}

/** Everything still to come, earliest first (ties by key, so the order is deterministic). */
export function plan(state: CalendarState): PlannedItem[] {
  const items: PlannedItem[] = [];
  if (state.status === 'scheduled') {
    items.push({
      key: 'start',
      at: startOfDayInAmsterdam(state.startDate),
      kind: 'start',
      label: 'Start traject',
      date: state.startDate,
      notify: [],
      summary: `Start traject op ${dutchDate(state.startDate)}`,
      ref: { type: 'start' },
    });
  }
  if (state.status !== 'active') return items;

  const current = currentPhaseDeadline(state);
  const phase = state.phase;
  if (current && phase && !phase.deadlinePassed) {
    const prefix = `phase-${phase.entry}-${phase.id}`;
    items.push({
      key: `${prefix}:deadline:${formatIsoDate(current.date)}`,
      at: current.passesAt,
      kind: 'phase-deadline',
      label: current.label,
      date: current.date,
      notify: [],
      summary: `${current.label}: ${dutchDate(current.date)}`,
      ref: { type: 'phase-deadline' },
    });
    items.push(
      ...reminderItems(prefix, current.label, current.date, current.phase.reminders, phase.remindersSent, (reminderKey) => ({
        type: 'phase-reminder',
        reminderKey,
      })),
    );
  }

  for (const deadline of state.deadlines) {
    if (deadline.met || deadline.passed) continue;
    const definition = state.programme.deadlines.find((d) => d.id === deadline.id);
    if (!definition) continue;
    const prefix = `deadline-${deadline.id}`;
    items.push({
      key: `${prefix}:${formatIsoDate(deadline.date)}`,
      at: deadlinePassesAt(deadline.date),
      kind: 'programme-deadline',
      label: definition.label,
      date: deadline.date,
      notify: definition.escalateTo,
      summary: `${definition.label}: ${dutchDate(deadline.date)}`,
      ref: { type: 'programme-deadline', id: deadline.id },
    });
    items.push(
      ...reminderItems(prefix, definition.label, deadline.date, definition.reminders, deadline.remindersSent, (reminderKey) => ({
        type: 'programme-reminder',
        id: deadline.id,
        reminderKey,
      })),
    );
  }

  if (!state.needsAttention) {
    const date = attentionDate(state);
    const at = reminderInstant(date);
    items.push({
      key: `attention:${at}`,
      at,
      kind: 'attention',
      label: 'Aandacht nodig',
      date,
      notify: [],
      summary: `Aandacht nodig als er tot ${dutchDate(date)} niets gemeld is`,
      ref: { type: 'attention' },
    });
  }
  return items.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Deadlines that passed, were escalated and still wait for a decision. */
function overdue(state: CalendarState): DeadlineView[] {
  const views: DeadlineView[] = [];
  const current = currentPhaseDeadline(state);
  if (current && state.phase?.deadlinePassed) {
    views.push(deadlineView('phase-deadline', current.label, current.date, current.passesAt, true, []));
  }
  if (state.status === 'active') {
    for (const deadline of state.deadlines) {
      if (deadline.met || !deadline.passed) continue;
      const definition = state.programme.deadlines.find((d) => d.id === deadline.id);
      const label = definition?.label ?? deadline.id;
      views.push(deadlineView('programme-deadline', label, deadline.date, deadlinePassesAt(deadline.date), true, definition?.escalateTo ?? []));
    }
  }
  return views;
}

function deadlineView(
  kind: ScheduledKind,
  label: string,
  date: CalendarDate,
  at: number,
  isOverdue: boolean,
  notify: readonly string[],
): DeadlineView {
  return { kind, label, date: formatIsoDate(date), at: new Date(at).toISOString(), overdue: isOverdue, notify: [...notify] };
}

/** Every deadline ahead, overdue ones first. */
export function deadlinesAhead(state: CalendarState, attentionRoles: readonly string[]): DeadlineView[] {
  const ahead = plan(state).map((item) =>
    deadlineView(item.kind, item.label, item.date, item.at, false, item.kind === 'attention' ? attentionRoles : item.notify),
  );
  return [...overdue(state), ...ahead];
}

/** The earliest open deadline (overdue ones included): the NextDeadline search attribute. */
export function nextDeadline(state: CalendarState): { readonly at: number; readonly label: string; readonly date: CalendarDate; readonly overdue: boolean } | undefined {
  const candidates: { at: number; label: string; date: CalendarDate; overdue: boolean }[] = [];
  const current = currentPhaseDeadline(state);
  if (current) candidates.push({ at: current.passesAt, label: current.label, date: current.date, overdue: state.phase?.deadlinePassed ?? false });
  if (state.status === 'active') {
    for (const deadline of state.deadlines) {
      if (deadline.met) continue;
      const label = state.programme.deadlines.find((d) => d.id === deadline.id)?.label ?? deadline.id;
      candidates.push({ at: deadlinePassesAt(deadline.date), label, date: deadline.date, overdue: deadline.passed });
    }
  }
  candidates.sort((a, b) => a.at - b.at);
  return candidates[0];
}
