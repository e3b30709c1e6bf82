/** Loading programme definitions from untrusted data (a JSON file, an object) with zod. */
import type { z } from 'zod';
import { programmeDefinitionSchema, type ProgrammeDefinition } from './programme-schema';

export interface ProgrammeIssue {
  /** Where the problem is, e.g. `phases[0].transitions[1].to.phase`; `(root)` for the whole. */
  readonly path: string;
  readonly message: string;
}

/** A definition that failed validation; the message lists every problem with its path. */
export class ProgrammeDefinitionError extends Error {
  readonly issues: readonly ProgrammeIssue[];
  readonly programmeId: string | undefined;

  constructor(issues: readonly ProgrammeIssue[], programmeId?: string) {
    const name = programmeId ? `programme definition "${programmeId}"` : 'programme definition';
    super(`invalid ${name}:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'ProgrammeDefinitionError';
    this.issues = issues;
    this.programmeId = programmeId;
  }
}

export type LoadResult =
  | { readonly ok: true; readonly programme: ProgrammeDefinition }
  | { readonly ok: false; readonly error: ProgrammeDefinitionError };

/** `['phases', 0, 'transitions', 1, 'to']` → `phases[0].transitions[1].to` */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(root)' : text;
}

function issuesOf(error: z.ZodError): ProgrammeIssue[] {
  return error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }));
}

function idOf(json: unknown): string | undefined {
  if (json && typeof json === 'object' && 'id' in json) {
    const id = (json as { id: unknown }).id;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

/**
 * Validates a definition without throwing. A string is read as JSON text (the
 * contents of a definition file).
 */
export function safeLoadProgramme(json: unknown): LoadResult {
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json) as unknown;
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      return { ok: false, error: new ProgrammeDefinitionError([{ path: '(root)', message: `not valid JSON: ${message}` }]) };
    }
  }
  const result = programmeDefinitionSchema.safeParse(data);
  if (result.success) return { ok: true, programme: result.data };
  return { ok: false, error: new ProgrammeDefinitionError(issuesOf(result.error), idOf(data)) };
}

/**
 * Validates a definition (an object, or JSON text) and returns it with defaults
 * applied; throws a {@link ProgrammeDefinitionError} naming the path of every problem.
 */
export function loadProgramme(json: unknown): ProgrammeDefinition {
  const result = safeLoadProgramme(json);
  if (!result.ok) throw result.error;
  return result.programme;
}
