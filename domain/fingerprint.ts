/**
 * A stable fingerprint of a programme definition, so a trajectory can record
 * exactly which definition it started with (a running trajectory keeps its
 * definition; an edited file gets a new fingerprint). Pure: no crypto APIs.
 */

/** JSON with object keys sorted, so equal definitions give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function fnv1a32(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** 16 hex characters identifying the content of a definition. */
export function programmeFingerprint(definition: unknown): string {
  const text = canonicalJson(definition);
  const hex = (n: number): string => n.toString(16).padStart(8, '0');
  return hex(fnv1a32(text, 0x811c9dc5)) + hex(fnv1a32(text, 0x050c5d1f));
}
