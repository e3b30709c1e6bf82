/**
 * What a report needs to know of one trajectory, read from its timeline (the
 * `timeline` query): start, first placement, extensions, dropouts and
 * re-placements, diplomas, contract decisions against programme deadlines, the
 * phases visited and the outcome. Pure: tests feed it timelines directly.
 */
import {
  addDuration,
  compareDates,
  formatIsoDate,
  findOutcome,
  parseIsoDate,
  programmeDeadlineDate,
  tryParseIsoDate,
  type OutcomeCategory,
  type ProgrammeDefinition,
} from '../../domain';
import type { TimelineEntry } from '../../workflows/state';

export interface TrajectoryFacts {
  readonly workflowId: string;
  readonly programmeId: string;
  /** First day (YYYY-MM-DD), when known. */
  readonly startDate?: string;
  readonly status: 'scheduled' | 'active' | 'ended';
  readonly firstPlacement?: { readonly on: string; readonly withLks: boolean };
  readonly extensionGranted: boolean;
  readonly dropouts: number;
  /** Placements reported after a dropout. */
  readonly replacements: number;
  readonly diplomas: number;
  /** Per programme deadline met by a contract decision: offered in time, offered late, refused, or passed without one. */
  readonly contracts: readonly { readonly deadlineId: string; readonly result: 'offered-in-time' | 'offered-late' | 'not-offered' | 'passed-without-decision' | 'open' }[];
  readonly phasesVisited: readonly string[];
  readonly outcome?: { readonly id: string; readonly category: OutcomeCategory };
  readonly endedOn?: string;
  /** The phase the trajectory was in when it ended. */
  readonly endedInPhase?: string;
}

/** Outcome categories that mean the participant is in work (or a work-based education) at the end. */
export const WORKING_CATEGORIES: ReadonlySet<OutcomeCategory> = new Set(['work-within-3-months', 'work-within-6-months', 'work', 'permanent-contract']);
export const POSITIVE_CATEGORIES: ReadonlySet<OutcomeCategory> = new Set([...WORKING_CATEGORIES, 'education']);

function text(fields: TimelineEntry['fields'], key: string): string | undefined {
  const value = fields?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function trajectoryFacts(
  workflowId: string,
  programme: ProgrammeDefinition,
  timeline: readonly TimelineEntry[],
  memoStartDate?: string,
): TrajectoryFacts {
  let startDate = memoStartDate && tryParseIsoDate(memoStartDate) ? memoStartDate : undefined;
  let status: TrajectoryFacts['status'] = 'scheduled';
  let firstPlacement: TrajectoryFacts['firstPlacement'];
  let extensionGranted = false;
  let dropouts = 0;
  let replacements = 0;
  let diplomas = 0;
  let outcome: TrajectoryFacts['outcome'];
  let endedOn: string | undefined;
  let endedInPhase: string | undefined;
  const phasesVisited: string[] = [];
  const entered = new Map<string, string>();
  const decisions = new Map<string, { on: string; offered: boolean }>();
  const escalated = new Set<string>();

  for (const entry of timeline) {
    switch (entry.kind) {
      case 'trajectory-started':
        status = 'active';
        startDate = text(entry.fields, 'startDate') ?? startDate;
        break;
      case 'phase-entered': {
        const phaseId = text(entry.fields, 'phaseId');
        if (phaseId) {
          phasesVisited.push(phaseId);
          if (!entered.has(phaseId)) entered.set(phaseId, text(entry.fields, 'enteredOn') ?? entry.on);
        }
        break;
      }
      case 'reported':
        if (entry.event === 'placement') {
          if (!firstPlacement) firstPlacement = { on: entry.on, withLks: entry.fields?.withLks === true };
          if (dropouts > 0) replacements++;
        } else if (entry.event === 'extension-decided' && entry.fields?.granted === true) extensionGranted = true;
        else if (entry.event === 'dropout') dropouts++;
        else if (entry.event === 'diploma-obtained') diplomas++;
        else if (entry.event === 'contract-decided') {
          for (const deadline of programme.deadlines) {
            if (deadline.satisfiedBy.includes('contract-decided') && !decisions.has(deadline.id)) {
              decisions.set(deadline.id, { on: entry.on, offered: entry.fields?.offered === true });
            }
          }
        }
        break;
      case 'deadline-escalated': {
        const id = text(entry.fields, 'deadlineId');
        if (id) escalated.add(id);
        break;
      }
      case 'trajectory-ended': {
        status = 'ended';
        endedOn = entry.on;
        endedInPhase = entry.phase;
        const id = text(entry.fields, 'outcome');
        const known = id ? findOutcome(programme, id) : undefined;
        if (known) outcome = { id: known.id, category: known.category };
        break;
      }
      default:
        break;
    }
  }

  const contracts = programme.deadlines
    .filter((d) => d.satisfiedBy.includes('contract-decided'))
    .flatMap((deadline) => {
      const anchor = entered.get(deadline.startsWhenEntering);
      if (!anchor) return [];
      const due = programmeDeadlineDate(deadline, parseIsoDate(anchor));
      const decision = decisions.get(deadline.id);
      let result: TrajectoryFacts['contracts'][number]['result'] = 'open';
      if (decision && !decision.offered) result = 'not-offered';
      else if (decision) result = compareDates(parseIsoDate(decision.on), due) <= 0 ? 'offered-in-time' : 'offered-late';
      else if (escalated.has(deadline.id)) result = 'passed-without-decision';
      return [{ deadlineId: deadline.id, result }];
    });

  return {
    workflowId,
    programmeId: programme.id,
    startDate,
    status,
    firstPlacement,
    extensionGranted,
    dropouts,
    replacements,
    diplomas,
    contracts,
    phasesVisited,
    outcome,
    endedOn,
    endedInPhase,
  };
}

/** Whether the first placement came within `months` calendar months of the start (inclusive). */
export function placedWithin(facts: TrajectoryFacts, months: number): boolean {
  if (!facts.firstPlacement || !facts.startDate) return false;
  const limit = addDuration(parseIsoDate(facts.startDate), { months });
  return compareDates(parseIsoDate(facts.firstPlacement.on), limit) <= 0;
}

/** Whether the window of `months` after the start is over on `today` (so the figure is final). */
export function windowClosed(facts: TrajectoryFacts, months: number, today: string): boolean {
  if (!facts.startDate) return false;
  return formatIsoDate(addDuration(parseIsoDate(facts.startDate), { months })) < today;
}
