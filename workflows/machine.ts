/**
 * A trajectory as a state machine over a programme definition. Pure: it is
 * given "now" and never reads a clock, so the workflow can drive it
 * deterministically (and tests can drive it without a server). It collects
 * the partner notifications to send in an outbox the workflow drains.
 */
import {
  addDays,
  amsterdamDate,
  canExtend,
  classifyEvent,
  deadlinePassesAt,
  deadlineEscalationTargets,
  deadlinesStartingIn,
  firstPhase,
  formatIsoDate,
  getPhase,
  isBefore,
  parseIsoDate,
  payloadDate,
  programmeDeadlineDate,
  resolveTarget,
  rolesToNotify,
  type CalendarDate,
  type Duration,
  type Outcome,
  type PartnerEventType,
  type Phase,
  type ProgrammeDefinition,
  type SealedValue,
  type TrajectoryFacts,
} from '../domain';
import type { NotificationEventType, NotificationFields, PartnerNotification } from './activities-api';
import type { ValidTrajectoryInput } from './input';
import { currentPhaseDeadline, plan, type CalendarState, type PlannedItem } from './plan';
import { checkReport } from './signals';
import type { PhaseState, ProgrammeDeadlineState, RejectedSignal, TimelineEntry, TimelineKind, TrajectoryStatus } from './state';
import { dutchDate, payloadText, plainFields, reportText, rolesText } from './wording';

/** At most this many rejected signals are kept (the most recent); the total is counted. */
export const REJECTED_KEPT = 100;

export interface MachineContext {
  readonly input: ValidTrajectoryInput;
  readonly fingerprint: string;
  readonly workflowId: string;
  /** Keeps idempotency keys of a reused workflow id apart (the first run id). */
  readonly runKey: string;
}

/** Something that happened, as the timeline and the partners see it. */
interface Happening {
  readonly text: string;
  readonly event?: PartnerEventType;
  readonly fields?: NotificationFields;
  readonly notify?: readonly string[];
  readonly notificationEvent?: NotificationEventType;
  /** A report's sealed note, passed on untouched. */
  readonly note?: SealedValue;
}

export class TrajectoryMachine implements CalendarState {
  readonly programme: ProgrammeDefinition;
  readonly startDate: CalendarDate;
  readonly quietPeriod: Duration;
  status: TrajectoryStatus = 'scheduled';
  phase?: PhaseState;
  readonly deadlines: ProgrammeDeadlineState[] = [];
  lastActivityAt: number;
  needsAttention = false;
  readonly timeline: TimelineEntry[] = [];
  readonly rejected: RejectedSignal[] = [];
  rejectedTotal = 0;
  outcome?: Outcome;
  endedOn?: CalendarDate;
  readonly visited: string[] = [];
  firstPlacement?: { readonly on: CalendarDate; readonly withLks: boolean };
  extensionsGranted = 0;
  private seq = 0;
  private entries = 0;
  private readonly reportIds: string[] = [];
  private outbox: PartnerNotification[] = [];

  constructor(readonly context: MachineContext, now: number) {
    const { input } = context;
    this.programme = input.programme;
    this.startDate = parseIsoDate(input.startDate);
    this.quietPeriod = input.attentionAfterWeeks !== undefined ? { weeks: input.attentionAfterWeeks } : input.programme.attention.quietPeriod;
    this.lastActivityAt = now;
  }

  get facts(): TrajectoryFacts {
    return { startedOn: this.startDate, firstPlacement: this.firstPlacement, extensionsGranted: this.extensionsGranted };
  }

  /** Notifications recorded since the last call. */
  drainOutbox(): PartnerNotification[] {
    const out = this.outbox;
    this.outbox = [];
    return out;
  }

  /** Acts on everything whose time has come, earliest first. */
  fireDue(now: number): void {
    for (let guard = 0; guard < 1000; guard++) {
      const due = plan(this).find((item) => item.at <= now);
      if (!due) return;
      this.fire(due, now);
    }
    throw new Error('trajectory calendar does not settle: more than 1000 items due at once');
  }

  /** A partner report arrived as a signal: validate, classify, apply, or reject with a reason. */
  report(type: PartnerEventType, raw: unknown, now: number): boolean {
    if (this.status === 'scheduled') return this.reject(type, raw, now, `het traject start pas op ${dutchDate(this.startDate)}`);
    if (this.status === 'ended' || !this.phase) return this.reject(type, raw, now, 'het traject is al afgerond');
    const check = checkReport(type, raw);
    if (!check.ok) return this.reject(type, raw, now, check.reason);
    const payload = check.payload;
    const reportId = typeof payload.reportId === 'string' ? payload.reportId : undefined;
    if (reportId !== undefined && this.reportIds.includes(reportId)) {
      return this.reject(type, raw, now, `report "${reportId}" was already received`);
    }
    const today = amsterdamDate(now);
    const phase = getPhase(this.programme, this.phase.id);
    const event = { type, payload };
    const disposition = classifyEvent(this.programme, phase.id, event, this.phase.extensionsGranted);

    switch (disposition.kind) {
      case 'out-of-phase':
        return this.reject(type, raw, now, disposition.reason);
      case 'recorded':
        this.accept(type, payload, reportId, today, now);
        this.record('reported', now, this.reportRecord(type, payload));
        return true;
      case 'extension-decision':
        this.accept(type, payload, reportId, today, now);
        this.decideExtension(phase, payload.granted === true, now, this.reportRecord(type, payload));
        return true;
      case 'transition': {
        const placement = type === 'placement' ? { on: today, withLks: payload.withLks === true } : undefined;
        const facts = { ...this.facts, firstPlacement: this.firstPlacement ?? placement };
        const target = resolveTarget(this.programme, disposition.transition.to, facts);
        if ('phase' in target && target.phase.endsOnPayloadDate !== undefined) {
          const field = target.phase.endsOnPayloadDate;
          const ends = payloadDate(payload, field);
          if (!ends) return this.reject(type, raw, now, `"${target.phase.name}" needs "${field}" (YYYY-MM-DD) in the payload`);
          if (isBefore(ends, today)) return this.reject(type, raw, now, `${field} ${formatIsoDate(ends)} is in the past`);
        }
        this.accept(type, payload, reportId, today, now);
        this.record('reported', now, this.reportRecord(type, payload));
        if ('phase' in target) this.enterPhase(target.phase, today, payload, now);
        else this.end(target.outcome, today, now);
        return true;
      }
    }
  }

  /** A signal nobody defined: recorded as rejected. */
  rejectUnknown(signal: string, raw: unknown, now: number): void {
    this.reject(signal, raw, now, `unknown signal "${signal}"`);
  }

  private reportRecord(type: PartnerEventType, payload: Readonly<Record<string, unknown>>): Happening {
    const note = payload.note as SealedValue | undefined; // validated by the report's schema
    return { text: reportText(type, payload), event: type, fields: plainFields(payload), notify: rolesToNotify(this.programme, type), notificationEvent: type, note };
  }

  private accept(type: PartnerEventType, payload: Readonly<Record<string, unknown>>, reportId: string | undefined, today: CalendarDate, now: number): void {
    if (reportId !== undefined) this.reportIds.push(reportId);
    if (type === 'placement' && !this.firstPlacement) this.firstPlacement = { on: today, withLks: payload.withLks === true };
    for (const deadline of this.deadlines) {
      const definition = this.programme.deadlines.find((d) => d.id === deadline.id);
      if (!deadline.met && definition?.satisfiedBy.includes(type)) deadline.met = true;
    }
    this.lastActivityAt = now;
    this.needsAttention = false;
  }

  private decideExtension(phase: Phase, granted: boolean, now: number, base: Happening): void {
    const state = this.phase as PhaseState;
    let text = base.text;
    if (granted) {
      state.extensionsGranted += 1;
      this.extensionsGranted += 1;
      state.lastExtensionDecision = 'granted';
      state.extensionPending = canExtend(phase, state.extensionsGranted);
      state.deadlinePassed = false;
      const moved = currentPhaseDeadline(this);
      if (moved) text += `; ${moved.label} nu op ${dutchDate(moved.date)}`;
    } else {
      state.lastExtensionDecision = 'refused';
      state.extensionPending = false;
    }
    this.record('reported', now, { ...base, text });
  }

  private fire(item: PlannedItem, now: number): void {
    const ref = item.ref;
    switch (ref.type) {
      case 'start':
        return this.start(now);
      case 'attention':
        this.needsAttention = true;
        this.record('needs-attention', now, {
          text: `Aandacht nodig: niets gemeld sinds ${dutchDate(amsterdamDate(this.lastActivityAt))}`,
          fields: { quietSince: formatIsoDate(amsterdamDate(this.lastActivityAt)) },
          notify: rolesToNotify(this.programme, 'needs-attention'),
          notificationEvent: 'needs-attention',
        });
        return;
      case 'phase-reminder':
      case 'programme-reminder': {
        const sent = ref.type === 'phase-reminder' ? this.phase?.remindersSent : this.deadlines.find((d) => d.id === ref.id)?.remindersSent;
        sent?.push(ref.reminderKey);
        if (now >= deadlinePassesAt(item.date)) return; // caught up after the deadline: the escalation says it all
        const pending = ref.type === 'phase-reminder' && this.phase?.extensionPending === true;
        this.record('deadline-reminder', now, {
          text: `Herinnering: ${item.label} op ${dutchDate(item.date)}${pending ? '; besluit over verlenging nodig' : ''}`,
          fields: { deadline: item.label, dueOn: formatIsoDate(item.date), extensionDecisionPending: pending },
          notify: item.notify,
          notificationEvent: 'deadline-reminder',
        });
        return;
      }
      case 'programme-deadline': {
        const deadline = this.deadlines.find((d) => d.id === ref.id);
        if (deadline) deadline.passed = true;
        this.record('deadline-escalated', now, {
          text: `${item.label}: ${dutchDate(item.date)} verstreken zonder besluit; gemeld aan ${rolesText(item.notify)}`,
          fields: { deadline: item.label, deadlineId: ref.id, dueOn: formatIsoDate(item.date), reason: 'decision-missing' },
          notify: item.notify,
          notificationEvent: 'deadline-escalation',
        });
        return;
      }
      case 'phase-deadline':
        return this.phaseDeadlinePassed(item, now);
    }
  }

  private phaseDeadlinePassed(item: PlannedItem, now: number): void {
    const state = this.phase as PhaseState;
    const phase = getPhase(this.programme, state.id);
    const targets = deadlineEscalationTargets(phase, state.extensionsGranted, state.extensionPending);
    const due = `${item.label}: ${dutchDate(item.date)}`;
    if (targets.length > 0) {
      state.deadlinePassed = true;
      const extension = state.extensionPending && canExtend(phase, state.extensionsGranted);
      this.record('deadline-escalated', now, {
        text: `${due} verstreken zonder besluit${extension ? ' over verlenging' : ''}; gemeld aan ${rolesText(targets)}`,
        fields: { deadline: item.label, dueOn: formatIsoDate(item.date), reason: extension ? 'extension-decision-missing' : 'decision-missing' },
        notify: targets,
        notificationEvent: 'deadline-escalation',
      });
      return;
    }
    const action = phase.onDeadline;
    if (!action || !('advanceTo' in action)) return; // validation forbids a deadline without an action
    const target = resolveTarget(this.programme, action.advanceTo, this.facts);
    this.record('deadline-passed', now, { text: `${due} verstreken; ${'phase' in target ? `door naar ${target.phase.name}` : 'traject afgerond'}` });
    if ('phase' in target) this.enterPhase(target.phase, addDays(item.date, 1), undefined, now);
    else this.end(target.outcome, item.date, now);
  }

  private start(now: number): void {
    this.status = 'active';
    this.lastActivityAt = now;
    const first = firstPhase(this.programme);
    this.record('trajectory-started', now, {
      text: `Traject ${this.programme.name} gestart op ${dutchDate(this.startDate)}`,
      fields: { programmeVersion: this.programme.version, startDate: formatIsoDate(this.startDate), fingerprint: this.context.fingerprint },
      notify: rolesToNotify(this.programme, 'trajectory-started'),
      notificationEvent: 'trajectory-started',
    });
    this.enterPhase(first, this.startDate, undefined, now);
  }

  private enterPhase(phase: Phase, on: CalendarDate, payload: Readonly<Record<string, unknown>> | undefined, now: number): void {
    this.entries += 1;
    this.phase = {
      id: phase.id,
      entry: this.entries,
      enteredOn: on,
      enteringPayload: payload,
      extensionsGranted: 0,
      extensionPending: phase.extension !== undefined,
      deadlinePassed: false,
      remindersSent: [],
    };
    this.visited.push(phase.id);
    for (const definition of deadlinesStartingIn(this.programme, phase.id)) {
      if (this.deadlines.some((d) => d.id === definition.id)) continue;
      this.deadlines.push({ id: definition.id, date: programmeDeadlineDate(definition, on), met: false, passed: false, remindersSent: [] });
    }
    const deadline = currentPhaseDeadline(this);
    this.record('phase-entered', now, {
      text: `${phase.name} vanaf ${dutchDate(on)}${deadline ? `; ${deadline.label} op ${dutchDate(deadline.date)}` : ''}`,
      fields: { phaseId: phase.id, enteredOn: formatIsoDate(on), ...(deadline ? { dueOn: formatIsoDate(deadline.date) } : {}) },
      notify: rolesToNotify(this.programme, 'phase-entered', phase.id),
      notificationEvent: 'phase-entered',
    });
  }

  private end(outcome: Outcome, on: CalendarDate, now: number): void {
    this.status = 'ended';
    this.outcome = outcome;
    this.endedOn = on;
    this.needsAttention = false;
    this.record('trajectory-ended', now, {
      text: `Afgerond op ${dutchDate(on)}: ${outcome.label}`,
      fields: { outcome: outcome.id, category: outcome.category },
      notify: rolesToNotify(this.programme, 'trajectory-ended'),
      notificationEvent: 'trajectory-ended',
    });
  }

  private reject(signal: string, raw: unknown, now: number, reason: string): false {
    this.rejectedTotal += 1;
    this.rejected.push({
      signal,
      at: new Date(now).toISOString(),
      on: formatIsoDate(amsterdamDate(now)),
      phase: this.phase?.id,
      reason,
      payload: payloadText(raw),
    });
    if (this.rejected.length > REJECTED_KEPT) this.rejected.shift();
    return false;
  }

  /** A notification that could not be delivered even after retries (recorded, the trajectory goes on). */
  notificationFailed(notification: PartnerNotification, message: string, now: number): void {
    this.record('notification-failed', now, {
      text: `Melding ${notification.sequence} (${notification.event}) aan ${rolesText(notification.roles)} mislukt: ${message}`,
    });
  }

  private record(kind: TimelineKind, now: number, what: Happening): void {
    this.seq += 1;
    const on = formatIsoDate(amsterdamDate(now));
    const at = new Date(now).toISOString();
    const notify = what.notify ?? [];
    this.timeline.push({
      seq: this.seq,
      kind,
      at,
      on,
      phase: this.phase?.id,
      event: what.event,
      text: what.text,
      fields: what.fields,
      notified: notify.length > 0 ? [...notify] : undefined,
    });
    if (notify.length === 0 || !what.notificationEvent) return;
    const phase = this.phase ? getPhase(this.programme, this.phase.id) : undefined;
    this.outbox.push({
      idempotencyKey: `${this.context.workflowId}/${this.context.runKey}/${this.seq}`,
      workflowId: this.context.workflowId,
      programmeId: this.programme.id,
      participantRef: this.context.input.participantRef,
      sequence: this.seq,
      event: what.notificationEvent,
      roles: [...notify],
      occurredAt: at,
      occurredOn: on,
      phase: phase ? { id: phase.id, name: phase.name } : undefined,
      text: what.text,
      fields: what.fields ?? {},
      // Only when present, so notifications of trajectories without personal data stay as they were.
      ...(this.context.input.personal ? { personal: this.context.input.personal } : {}),
      ...(what.note ? { note: what.note } : {}),
    });
  }
}
