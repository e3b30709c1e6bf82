/**
 * The domain of re-integration trajectories: calendar arithmetic in
 * Europe/Amsterdam, programme definitions as validated data, the five built-in
 * programmes, and the rules for walking a definition. Pure (no I/O, no Node
 * APIs, no clock): safe inside the Temporal workflow sandbox.
 */
import { loadProgramme } from './load-programme';
import type { ProgrammeDefinition } from './programme-schema';
import { builtInProgrammeDefinitions } from './programmes';

export * from './calendar';
export * from './events';
export * from './programme-schema-parts';
export * from './programme-schema';
export * from './load-programme';
export * from './programme-rules';
export * from './cohorts';
export * from './fingerprint';
export * from './programme-json-schema';
export * from './personal';
export { builtInProgrammeDefinitions } from './programmes';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

/** The five programmes of DOMAIN.md, validated and frozen. */
export const builtInProgrammes: readonly ProgrammeDefinition[] = Object.freeze(
  builtInProgrammeDefinitions.map((definition) => deepFreeze(loadProgramme(definition))),
);

export const builtInProgrammeIds: readonly string[] = Object.freeze(builtInProgrammes.map((p) => p.id));

/** A programme by id from a list (built-ins plus an organisation's own, for example). */
export function findProgramme(
  programmes: readonly ProgrammeDefinition[],
  id: string,
): ProgrammeDefinition | undefined {
  return programmes.find((p) => p.id === id);
}

export function findBuiltInProgramme(id: string): ProgrammeDefinition | undefined {
  return findProgramme(builtInProgrammes, id);
}

/** A built-in programme by id; throws naming the known ids otherwise. */
export function getBuiltInProgramme(id: string): ProgrammeDefinition {
  const programme = findBuiltInProgramme(id);
  if (!programme) {
    throw new Error(`unknown programme "${id}"; built-in programmes: ${builtInProgrammeIds.join(', ')}`);
  }
  return programme;
}
