/**
 * The trajectory's search attributes, in one place: typed keys for the
 * workflow and starters, and the list with types for the setup step that
 * registers them (worker/search-attributes.ts). No personal data: programme,
 * phase, region and outcome are ids from the definition, the municipality a
 * place name.
 */
import {
  defineSearchAttributeKey,
  SearchAttributeType,
  type SearchAttributePair,
  type SearchAttributeUpdatePair,
  type TypedSearchAttributes,
} from '@temporalio/common';

/** A typed key, as `defineSearchAttributeKey` returns it. */
export type SearchAttributeKey = ReturnType<typeof defineSearchAttributeKey<SearchAttributeType>>;

export const ProgrammeAttribute = defineSearchAttributeKey('TrajectoryProgramme', SearchAttributeType.KEYWORD);
export const PhaseAttribute = defineSearchAttributeKey('TrajectoryPhase', SearchAttributeType.KEYWORD);
export const RegionAttribute = defineSearchAttributeKey('TrajectoryRegion', SearchAttributeType.KEYWORD);
export const MunicipalityAttribute = defineSearchAttributeKey('TrajectoryMunicipality', SearchAttributeType.KEYWORD);
/** The earliest open deadline: the instant it passes (end of its day in Amsterdam); overdue ones stay until decided. */
export const NextDeadlineAttribute = defineSearchAttributeKey('TrajectoryNextDeadline', SearchAttributeType.DATETIME);
export const OutcomeAttribute = defineSearchAttributeKey('TrajectoryOutcome', SearchAttributeType.KEYWORD);
export const NeedsAttentionAttribute = defineSearchAttributeKey('TrajectoryNeedsAttention', SearchAttributeType.BOOL);

/** Every attribute the trajectory workflow sets, with its type: register these before starting trajectories. */
export const TRAJECTORY_SEARCH_ATTRIBUTES: readonly SearchAttributeKey[] = [
  ProgrammeAttribute,
  PhaseAttribute,
  RegionAttribute,
  MunicipalityAttribute,
  NextDeadlineAttribute,
  OutcomeAttribute,
  NeedsAttentionAttribute,
];

/** The values a trajectory should show; `undefined` means "not set". */
export interface TrajectoryAttributeValues {
  readonly programme: string;
  readonly phase: string;
  readonly region?: string;
  readonly municipality?: string;
  readonly nextDeadline?: Date;
  readonly outcome?: string;
  readonly needsAttention: boolean;
}

function pairs(values: TrajectoryAttributeValues): SearchAttributeUpdatePair[] {
  return [
    { key: ProgrammeAttribute, value: values.programme },
    { key: PhaseAttribute, value: values.phase },
    { key: RegionAttribute, value: values.region ?? null },
    { key: MunicipalityAttribute, value: values.municipality ?? null },
    { key: NextDeadlineAttribute, value: values.nextDeadline ?? null },
    { key: OutcomeAttribute, value: values.outcome ?? null },
    { key: NeedsAttentionAttribute, value: values.needsAttention },
  ];
}

/** The attributes to set when starting (values that are known). */
export function startSearchAttributes(values: TrajectoryAttributeValues): SearchAttributePair[] {
  return pairs(values).filter((p): p is SearchAttributePair => p.value !== null);
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/** Remembers what was last set, so the workflow only upserts what changed (small histories). */
export class SearchAttributeTracker {
  private readonly current = new Map<string, unknown>();

  constructor(initial: TypedSearchAttributes) {
    for (const key of TRAJECTORY_SEARCH_ATTRIBUTES) {
      const value: unknown = initial.get(key);
      if (value !== undefined) this.current.set(key.name, value);
    }
  }

  /** The updates that bring the attributes to `values` (empty when nothing changed). */
  changes(values: TrajectoryAttributeValues): SearchAttributeUpdatePair[] {
    const updates = pairs(values).filter((p) => {
      const before = this.current.get(p.key.name);
      if (p.value === null) return before !== undefined;
      return !same(before, p.value);
    });
    for (const p of updates) {
      if (p.value === null) this.current.delete(p.key.name);
      else this.current.set(p.key.name, p.value);
    }
    return updates;
  }
}
