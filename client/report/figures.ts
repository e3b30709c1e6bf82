/**
 * The outcome figures programmes are judged by, per programme and period,
 * each with a plain statement of what it is based on. Pure: from trajectory
 * facts (report/facts.ts) and the programme definitions.
 */
import { formatDurationDutch, OUTCOME_CATEGORIES, type ProgrammeDefinition } from '../../domain';
import { placedWithin, POSITIVE_CATEGORIES, windowClosed, WORKING_CATEGORIES, type TrajectoryFacts } from './facts';

export interface Figure {
  readonly id: string;
  readonly label: string;
  /** A count; null when the programme has no such figure or it is not tracked. */
  readonly value: number | null;
  /** The count it is a share of. */
  readonly of?: number;
  readonly share?: number;
  /** The share the provider expects (e.g. 40% extensions). */
  readonly expected?: number;
  /** What the figure is based on (the same for every period). */
  readonly basis: string;
  /** Details of this period's figure, e.g. how many are still inside their window. */
  readonly note?: string;
}

export interface FunnelStage {
  readonly label: string;
  readonly count: number;
}

export interface ProgrammeReport {
  readonly programme: { readonly id: string; readonly name: string; readonly version: number };
  readonly figures: readonly Figure[];
  readonly funnel: readonly FunnelStage[];
}

export interface Period {
  readonly from?: string;
  readonly to?: string;
}

export function inPeriod(facts: TrajectoryFacts, period: Period): boolean {
  if (!period.from && !period.to) return true;
  if (!facts.startDate) return false;
  return (!period.from || facts.startDate >= period.from) && (!period.to || facts.startDate <= period.to);
}

function figure(id: string, label: string, value: number | null, basis: string, of?: number, expected?: number, note?: string): Figure {
  const share = value !== null && of !== undefined && of > 0 ? value / of : undefined;
  return { id, label, value, of, share, expected, basis, note };
}

function placementFigures(started: readonly TrajectoryFacts[], today: string): Figure[] {
  const figures: Figure[] = [];
  for (const months of [3, 6]) {
    const open = started.filter((f) => !f.firstPlacement && f.status !== 'ended' && !windowClosed(f, months, today)).length;
    for (const withLks of [true, false]) {
      const count = started.filter((f) => placedWithin(f, months) && f.firstPlacement?.withLks === withLks).length;
      figures.push(
        figure(
          `work-within-${months}-months-${withLks ? 'with' : 'without'}-lks`,
          `Work within ${months} months, ${withLks ? 'with' : 'without'} LKS`,
          count,
          `first "placement" report (withLks ${withLks}) on or before the start date + ${months} calendar months, of the started trajectories`,
          started.length,
          undefined,
          open > 0 ? `${open} not placed yet, still inside the ${months} months` : undefined,
        ),
      );
    }
  }
  return figures;
}

function hasExtensionOption(programme: ProgrammeDefinition): boolean {
  return programme.phases.some((p) => p.extension !== undefined);
}

function contractFigures(programme: ProgrammeDefinition, started: readonly TrajectoryFacts[]): Figure[] {
  return programme.deadlines
    .filter((d) => d.satisfiedBy.includes('contract-decided'))
    .map((deadline) => {
      const results = started.flatMap((f) => f.contracts.filter((c) => c.deadlineId === deadline.id));
      const count = (r: string) => results.filter((c) => c.result === r).length;
      const within = formatDurationDutch(deadline.after);
      return figure(
        `contract-within-deadline-${deadline.id}`,
        `Contract offered within ${within}`,
        count('offered-in-time'),
        `"contract-decided" reports with offered true on or before the deadline "${deadline.label}" (${within} after entering ${deadline.startsWhenEntering}), ` +
          'of the trajectories whose deadline clock started',
        results.length,
        undefined,
        `late ${count('offered-late')}, not offered ${count('not-offered')}, passed without decision ${count('passed-without-decision')}, open ${count('open')}`,
      );
    });
}

/** The programme-capacity workflow's own answer: places used this year and the waiting list. */
export interface CapacityFacts {
  placesUsed: number;
  waiting: number;
}

function capacityFigures(programme: ProgrammeDefinition, all: readonly TrajectoryFacts[], capacity?: CapacityFacts): Figure[] {
  if (!programme.capacity) return [];
  const active = all.filter((f) => f.status === 'active').length;
  const scheduled = all.filter((f) => f.status === 'scheduled').length;
  return [
    capacity
      ? figure('places-used', 'Places used', capacity.placesUsed, 'places of this calendar year held, from the programme-capacity workflow', programme.capacity.placesPerYear)
      : figure(
          'places-used',
          'Places used',
          active,
          'trajectories active now (whatever the period), of the places a year in the programme definition',
          programme.capacity.placesPerYear,
        ),
    figure(
      'places-waiting',
      'Waiting for a place',
      capacity ? capacity.waiting : null,
      capacity
        ? 'participants on the waiting list now, from the programme-capacity workflow'
        : 'no programme-capacity workflow runs for this programme, so there is no waiting list',
      undefined,
      undefined,
      `${scheduled} registered with a start date ahead`,
    ),
  ];
}

function aftercareFigure(programme: ProgrammeDefinition, started: readonly TrajectoryFacts[]): Figure[] {
  const aftercare = programme.phases.find((p) => p.id === 'nazorg');
  if (!aftercare) return [];
  const finished = started.filter((f) => f.status === 'ended' && f.phasesVisited.includes(aftercare.id));
  const working = finished.filter((f) => f.outcome && WORKING_CATEGORIES.has(f.outcome.category)).length;
  return [
    figure(
      'in-work-after-aftercare',
      'Still in work at the end of aftercare',
      working,
      `finished trajectories that went through "${aftercare.name}" and ended with a work outcome (not dropout or withdrawal)`,
      finished.length,
    ),
  ];
}

export function programmeReport(programme: ProgrammeDefinition, all: readonly TrajectoryFacts[], period: Period, today: string, capacity?: CapacityFacts): ProgrammeReport {
  const mine = all.filter((f) => f.programmeId === programme.id);
  const facts = mine.filter((f) => inPeriod(f, period));
  const started = facts.filter((f) => f.status !== 'scheduled');
  const ended = started.filter((f) => f.status === 'ended');
  const unknownStart = mine.filter((f) => !f.startDate).length;
  const periodText = period.from || period.to ? `start date ${period.from ?? '…'} to ${period.to ?? '…'}` : 'all start dates';
  const figures: Figure[] = [
    figure(
      'trajectories',
      'Trajectories',
      facts.length,
      'trajectories whose start date (timeline "trajectory-started", or the intake memo) falls in the period',
      undefined,
      undefined,
      [periodText, period.from || period.to ? (unknownStart ? `${unknownStart} without a known start date left out` : '') : ''].filter(Boolean).join('; '),
    ),
    figure('started', 'Started', started.length, 'trajectories whose start date has come (timeline "trajectory-started")', facts.length),
    figure('ended', 'Ended', ended.length, 'trajectories with an outcome (timeline "trajectory-ended")', started.length),
    ...placementFigures(started, today),
  ];
  if (hasExtensionOption(programme)) {
    const granted = started.filter((f) => f.extensionGranted).length;
    const expected = programme.expectations?.extensionRate;
    figures.push(
      figure(
        'extension-rate',
        'Extension granted',
        granted,
        '"extension-decided" reports with granted true, of the started trajectories; expected: the provider\'s figure in the programme definition',
        started.length,
        expected,
      ),
    );
  }
  const dropoutReports = started.reduce((sum, f) => sum + f.dropouts, 0);
  figures.push(
    figure(
      'dropouts',
      'Dropped out',
      started.filter((f) => f.dropouts > 0).length,
      'trajectories with at least one "dropout" report, of the started trajectories',
      started.length,
      undefined,
      `${dropoutReports} dropout reports in all`,
    ),
    figure('re-placements', 'Re-placed after dropout', started.reduce((sum, f) => sum + f.replacements, 0), '"placement" reports that came after a "dropout" report in the same trajectory'),
    figure('diplomas', 'Diploma obtained', started.filter((f) => f.diplomas > 0).length, 'trajectories with a "diploma-obtained" report, of the started trajectories', started.length),
    ...contractFigures(programme, started),
    ...capacityFigures(programme, mine, capacity),
    ...aftercareFigure(programme, started),
  );
  const categories = new Set(programme.outcomes.map((o) => o.category));
  for (const category of OUTCOME_CATEGORIES.filter((c) => categories.has(c))) {
    figures.push(
      figure(`outcome-${category}`, `Outcome: ${category}`, ended.filter((f) => f.outcome?.category === category).length, `ended trajectories whose outcome has category ${category}`, ended.length),
    );
  }
  const placedOrPositive = started.filter((f) => f.firstPlacement || (f.outcome && POSITIVE_CATEGORIES.has(f.outcome.category))).length;
  const endedPositive = ended.filter((f) => f.outcome && POSITIVE_CATEGORIES.has(f.outcome.category)).length;
  return {
    programme: { id: programme.id, name: programme.name, version: programme.version },
    figures,
    funnel: [
      { label: 'In period', count: facts.length },
      { label: 'Started', count: started.length },
      { label: 'Placed or positive outcome', count: placedOrPositive },
      { label: 'Ended in work or education', count: endedPositive },
    ],
  };
}
