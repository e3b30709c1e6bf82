/**
 * Partner report payloads from the command line (`--field key=value`, a JSON
 * file) or a CSV cell, typed by the workflow's own zod schemas
 * (workflows/signals.ts) and validated with them before anything is sent.
 */
import { z } from 'zod';
import { isPartnerEventType, NOTE_FIELD, NOTE_MAX_LENGTH, PARTNER_EVENT_TYPES, type PartnerEventType } from '../../domain';
import { reportSchemas } from '../../workflows/signals';
import { usageError } from '../errors';
import type { Problem } from '../records';

export type FieldProblem = Omit<Problem, 'line'>;

type FieldKind = 'boolean' | 'text';

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 5; i++) {
    const def = current.def as { type: string; innerType?: z.ZodType };
    if ((def.type === 'optional' || def.type === 'default') && def.innerType) current = def.innerType;
    else break;
  }
  return current;
}

function shapeOf(type: PartnerEventType): Record<string, z.ZodType> {
  return (reportSchemas[type] as unknown as { shape: Record<string, z.ZodType> }).shape;
}

/** The payload fields of an event, with their kind, in schema order. */
export function payloadFields(type: PartnerEventType): { name: string; kind: FieldKind; optional: boolean }[] {
  return Object.entries(shapeOf(type)).map(([name, schema]) => ({
    name,
    kind: unwrap(schema).def.type === 'boolean' ? 'boolean' : 'text',
    optional: schema.def.type === 'optional' || schema.def.type === 'default',
  }));
}

/** Every payload field any event has (the columns a batch CSV may carry). */
export const ALL_PAYLOAD_FIELDS: readonly string[] = [...new Set(PARTNER_EVENT_TYPES.flatMap((t) => Object.keys(shapeOf(t))))];

const TRUE = new Set(['true', 'yes', 'ja', 'y', 'j', '1']);
const FALSE = new Set(['false', 'no', 'nee', 'n', '0']);

/** A text value for a field, typed as the schema wants it (booleans from true/false/ja/nee/1/0). */
export function typedValue(type: PartnerEventType, field: string, text: string): unknown {
  const schema = shapeOf(type)[field];
  if (!schema || unwrap(schema).def.type !== 'boolean') return text;
  const lower = text.trim().toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  return text; // left for the schema to reject with its own message
}

export function eventType(name: string): PartnerEventType {
  if (!isPartnerEventType(name)) {
    throw usageError(`unknown signal "${name}"; partner signals: ${PARTNER_EVENT_TYPES.join(', ')}`);
  }
  return name;
}

/** `--field key=value` flags into a payload (a later flag overrides an earlier one). */
export function payloadFromFlags(type: PartnerEventType, flags: readonly string[], base: Record<string, unknown> = {}): Record<string, unknown> {
  const payload: Record<string, unknown> = { ...base };
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw usageError(`--field wants key=value, e.g. --field conclusion=ready-for-placement`);
    const key = flag.slice(0, eq).trim();
    payload[key] = typedValue(type, key, flag.slice(eq + 1));
  }
  return payload;
}

export type PayloadCheck =
  | { readonly ok: true; readonly payload: Record<string, unknown> }
  | { readonly ok: false; readonly problems: FieldProblem[] };

/** A note as a partner writes it: plain text, sealed with the participant's key when sent (send.ts). */
const noteTextSchema = z.string().trim().min(1, 'must not be empty').max(NOTE_MAX_LENGTH, `at most ${NOTE_MAX_LENGTH} characters`);

/**
 * Validates with the workflow's schema; each problem names its field, never the
 * value. A `note` is checked as text here (the workflow receives it sealed).
 */
export function checkPayload(type: PartnerEventType, raw: Record<string, unknown>): PayloadCheck {
  const { [NOTE_FIELD]: note, ...rest } = raw;
  const problems: FieldProblem[] = [];
  if (note !== undefined) {
    const checked = noteTextSchema.safeParse(note);
    if (!checked.success) problems.push({ field: NOTE_FIELD, reason: checked.error.issues.map((i) => i.message).join('; ') });
  }
  const result = reportSchemas[type].safeParse(rest);
  if (result.success && problems.length === 0) return { ok: true, payload: raw };
  for (const issue of result.error?.issues ?? []) {
    if (issue.code === 'unrecognized_keys') {
      const known = payloadFields(type).map((f) => f.name).join(', ');
      for (const key of issue.keys) problems.push({ field: key, reason: `"${type}" has no field ${key}; its fields: ${known}` });
    } else {
      const field = issue.path.map(String).join('.') || undefined;
      problems.push({ field, reason: issue.message });
    }
  }
  return { ok: false, problems };
}

/** "conclusion (text), reportId (text, optional)" for help texts and errors. */
export function describeFields(type: PartnerEventType): string {
  const fields = payloadFields(type);
  if (fields.length === 0) return '(no fields)';
  return fields.map((f) => `${f.name} (${f.kind === 'boolean' ? 'true/false' : 'text'}${f.optional ? ', optional' : ''})`).join(', ');
}
