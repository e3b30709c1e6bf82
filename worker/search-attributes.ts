/**
 * The setup step that registers the trajectory's search attributes in a
 * namespace, through the operator service: the same call works on the embedded
 * engine and on a self-hosted cluster (Temporal Cloud registers them through
 * its own control plane or `tcld`). Idempotent: only missing ones are added; a
 * name registered with another type is an error.
 */
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TRAJECTORY_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;
type IndexedValueType = temporal.api.enums.v1.IndexedValueType;

/** `{ TrajectoryPhase: INDEXED_VALUE_TYPE_KEYWORD, … }`, as the operator service takes them. */
export function trajectorySearchAttributeTypes(): Record<string, IndexedValueType> {
  const types: Record<string, IndexedValueType> = {};
  for (const key of TRAJECTORY_SEARCH_ATTRIBUTES) {
    types[key.name] = IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}` as keyof typeof IndexedValueType];
  }
  return types;
}

function isAlreadyExists(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 6;
}

/** Registers what is missing; returns the names it added. */
export async function registerTrajectorySearchAttributes(connection: Connection, namespace = 'default'): Promise<string[]> {
  const wanted = trajectorySearchAttributeTypes();
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  const known: Record<string, IndexedValueType> = { ...(listed.systemAttributes ?? {}), ...(listed.customAttributes ?? {}) };
  const missing: Record<string, IndexedValueType> = {};
  for (const [name, type] of Object.entries(wanted)) {
    const have = known[name];
    if (have === undefined) missing[name] = type;
    else if (have !== type) {
      throw new Error(`search attribute ${name} is registered as ${IndexedValueType[have]}, trajectories need ${IndexedValueType[type]}`);
    }
  }
  if (Object.keys(missing).length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    return registerTrajectorySearchAttributes(connection, namespace);
  }
  return Object.keys(missing);
}
