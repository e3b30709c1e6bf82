/**
 * Cross-field checks of a programme definition: every reference points at
 * something declared, deadlines and reminders fit together, every phase can be
 * entered and left. Each problem is reported with the path of the offending field.
 */
import { maximumDays, minimumDays } from './duration';
import type { ProgrammeShape } from './programme-schema';

export type IssuePath = (string | number)[];
export type ReportIssue = (path: IssuePath, message: string) => void;

type Target = ProgrammeShape['phases'][number]['transitions'][number]['to'];
type TransitionList = ProgrammeShape['phases'][number]['transitions'];

function listed(values: readonly string[]): string {
  return values.length === 0 ? '(none)' : values.map((v) => `"${v}"`).join(', ');
}

function checkUnique(items: readonly { id: string }[], path: IssuePath, what: string, report: ReportIssue): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.id)) report([...path, index, 'id'], `duplicate ${what} id "${item.id}"`);
    seen.add(item.id);
  });
}

export function checkProgrammeReferences(programme: ProgrammeShape, report: ReportIssue): void {
  const roles = programme.partners.map((p) => p.role);
  const phaseIds = programme.phases.map((p) => p.id);
  const outcomeIds = programme.outcomes.map((o) => o.id);
  const regionIds = programme.regions.map((r) => r.id);
  const roleSet = new Set(roles);
  const phaseSet = new Set(phaseIds);

  roles.forEach((value, index) => {
    if (roles.indexOf(value) !== index) report(['partners', index, 'role'], `duplicate partner role "${value}"`);
  });
  checkUnique(programme.phases, ['phases'], 'phase', report);
  checkUnique(programme.outcomes, ['outcomes'], 'outcome', report);
  checkUnique(programme.deadlines, ['deadlines'], 'deadline', report);
  checkUnique(programme.regions, ['regions'], 'region', report);
  checkUnique(programme.targetGroups, ['targetGroups'], 'target group', report);
  checkUnique(programme.variants, ['variants'], 'variant', report);
  if (programme.intake.mode === 'cohorts') {
    checkUnique(programme.intake.cohorts, ['intake', 'cohorts'], 'cohort', report);
  }

  const role = (path: IssuePath, value: string): void => {
    if (!roleSet.has(value)) {
      report(path, `unknown partner role "${value}"; declared roles: ${listed(roles)}`);
    }
  };
  const roleList = (path: IssuePath, values: readonly string[]): void =>
    values.forEach((value, index) => role([...path, index], value));
  const phase = (path: IssuePath, value: string): void => {
    if (!phaseSet.has(value)) report(path, `unknown phase "${value}"; declared phases: ${listed(phaseIds)}`);
  };
  const outcome = (path: IssuePath, value: string): boolean => {
    if (outcomeIds.includes(value)) return true;
    report(path, `unknown outcome "${value}"; declared outcomes: ${listed(outcomeIds)}`);
    return false;
  };
  const target = (path: IssuePath, to: Target): void => {
    if ('phase' in to) phase([...path, 'phase'], to.phase);
    else if ('outcome' in to) outcome([...path, 'outcome'], to.outcome);
    else {
      to.outcomeFrom.forEach((id, index) => outcome([...path, 'outcomeFrom', index], id));
      const last = programme.outcomes.find((o) => o.id === to.outcomeFrom[to.outcomeFrom.length - 1]);
      if (last?.criteria) {
        report(
          [...path, 'outcomeFrom', to.outcomeFrom.length - 1],
          `the last outcome in outcomeFrom ("${last.id}") must have no criteria, so that a result is always chosen`,
        );
      }
    }
  };
  const transitions = (path: IssuePath, list: TransitionList): void => {
    list.forEach((transition, index) => {
      target([...path, index, 'to'], transition.to);
      const catchAll = list.findIndex((t, k) => k < index && t.on === transition.on && t.when === undefined);
      if (catchAll >= 0) {
        report(
          [...path, index],
          `this transition is never used: ${path.join('.')}[${catchAll}] already takes every "${transition.on}" event`,
        );
      }
    });
  };

  role(['operator'], programme.operator);
  transitions(['transitionsInAnyPhase'], programme.transitionsInAnyPhase);

  programme.phases.forEach((p, i) => {
    const at = (...rest: IssuePath): IssuePath => ['phases', i, ...rest];
    const hasDeadline = p.duration !== undefined || p.endsOnPayloadDate !== undefined;
    if (p.responsibleRole !== undefined) role(at('responsibleRole'), p.responsibleRole);
    p.weeklySchedule?.forEach((w, j) => role(at('weeklySchedule', j, 'at'), w.at));
    transitions(at('transitions'), p.transitions);

    if (p.duration !== undefined && p.endsOnPayloadDate !== undefined) {
      report(at('endsOnPayloadDate'), 'a phase has either a duration or endsOnPayloadDate, not both');
    }
    if (p.extension) {
      role(at('extension', 'approverRole'), p.extension.approverRole);
      if (p.extension.escalateTo) roleList(at('extension', 'escalateTo'), p.extension.escalateTo);
      if (p.duration === undefined) {
        report(at('extension'), 'an extension needs the phase to have a duration to extend');
      }
      const usesDecision =
        p.transitions.some((t) => t.on === 'extension-decided') || p.accepts.includes('extension-decided');
      if (usesDecision) {
        report(at('extension'), '"extension-decided" is handled by the extension option; remove it from transitions and accepts');
      }
    }
    p.reminders.forEach((reminder, j) => {
      roleList(at('reminders', j, 'notify'), reminder.notify);
      if (!hasDeadline) report(at('reminders', j), 'a reminder needs the phase to have a deadline (duration or endsOnPayloadDate)');
      else if (p.duration && maximumDays(reminder.before) >= minimumDays(p.duration)) {
        report(at('reminders', j, 'before'), 'the reminder would fall before the phase starts; make it shorter than the phase');
      }
    });
    if (p.onDeadline && !hasDeadline) {
      report(at('onDeadline'), 'onDeadline needs the phase to have a deadline (duration or endsOnPayloadDate)');
    }
    if (!p.onDeadline && hasDeadline) {
      report(at('onDeadline'), 'a phase with a deadline must say what happens when it passes (advanceTo or escalateTo)');
    }
    if (p.onDeadline) {
      if ('advanceTo' in p.onDeadline) target(at('onDeadline', 'advanceTo'), p.onDeadline.advanceTo);
      else roleList(at('onDeadline', 'escalateTo'), p.onDeadline.escalateTo);
    }
    p.accepts.forEach((event, j) => {
      if (p.transitions.some((t) => t.on === event)) {
        report(at('accepts', j), `"${event}" already has a transition in this phase; list it in one place only`);
      }
    });
    const advances = p.onDeadline !== undefined && 'advanceTo' in p.onDeadline;
    if (p.transitions.length === 0 && !advances) {
      report(at('transitions'), `phase "${p.id}" has no way out: add a transition or onDeadline.advanceTo`);
    }
  });

  checkPayloadDatePhases(programme, report);
  checkReachability(programme, report);

  programme.deadlines.forEach((d, i) => {
    phase(['deadlines', i, 'startsWhenEntering'], d.startsWhenEntering);
    roleList(['deadlines', i, 'escalateTo'], d.escalateTo);
    d.reminders.forEach((reminder, j) => {
      roleList(['deadlines', i, 'reminders', j, 'notify'], reminder.notify);
      if (maximumDays(reminder.before) >= minimumDays(d.after)) {
        report(['deadlines', i, 'reminders', j, 'before'], 'the reminder would fall before the deadline starts counting');
      }
    });
  });

  programme.notifications.forEach((n, i) => {
    roleList(['notifications', i, 'notify'], n.notify);
    if (n.phase !== undefined) {
      phase(['notifications', i, 'phase'], n.phase);
      if (n.event !== 'phase-entered') {
        report(['notifications', i, 'phase'], 'a phase filter only applies to the event "phase-entered"');
      }
    }
  });

  programme.variants.forEach((v, i) =>
    v.regions?.forEach((r, j) => {
      if (!regionIds.includes(r)) {
        report(['variants', i, 'regions', j], `unknown region "${r}"; declared regions: ${listed(regionIds)}`);
      }
    }),
  );
  if (programme.intake.mode === 'cohorts' && programme.intake.perRegion && regionIds.length === 0) {
    report(['intake', 'perRegion'], 'cohorts per region need at least one region in "regions"');
  }
  const extensionRate = programme.expectations?.extensionRate;
  if (extensionRate !== undefined && !programme.phases.some((p) => p.extension)) {
    report(['expectations', 'extensionRate'], 'an expected extension rate needs a phase with an extension option');
  }
}

/** A phase that ends on a payload date can only be entered by an event that carries it. */
function checkPayloadDatePhases(programme: ProgrammeShape, report: ReportIssue): void {
  programme.phases.forEach((p, i) => {
    if (p.endsOnPayloadDate === undefined) return;
    if (i === 0) {
      report(['phases', 0, 'endsOnPayloadDate'], 'the first phase is entered without an event, so it cannot end on a payload date');
    }
    programme.phases.forEach((other, k) => {
      const action = other.onDeadline;
      if (action && 'advanceTo' in action && 'phase' in action.advanceTo && action.advanceTo.phase === p.id) {
        report(
          ['phases', k, 'onDeadline', 'advanceTo', 'phase'],
          `phase "${p.id}" ends on the payload date "${p.endsOnPayloadDate}", so it must be entered by an event, not by a passed deadline`,
        );
      }
    });
  });
}

/** Every phase must be reachable from the first one. */
function checkReachability(programme: ProgrammeShape, report: ReportIssue): void {
  const byId = new Map(programme.phases.map((p) => [p.id, p]));
  const next = (to: Target): string | undefined => ('phase' in to ? to.phase : undefined);
  const reached = new Set<string>();
  const queue: string[] = [programme.phases[0].id];
  for (const t of programme.transitionsInAnyPhase) {
    const id = next(t.to);
    if (id !== undefined) queue.push(id);
  }
  while (queue.length > 0) {
    const id = queue.shift() as string;
    const p = byId.get(id);
    if (reached.has(id) || p === undefined) continue;
    reached.add(id);
    for (const t of p.transitions) {
      const to = next(t.to);
      if (to !== undefined) queue.push(to);
    }
    if (p.onDeadline && 'advanceTo' in p.onDeadline) {
      const to = next(p.onDeadline.advanceTo);
      if (to !== undefined) queue.push(to);
    }
  }
  programme.phases.forEach((p, i) => {
    if (!reached.has(p.id)) {
      report(['phases', i, 'id'], `phase "${p.id}" can never be entered: no transition or onDeadline from the first phase leads to it`);
    }
  });
}
