/**
 * Access to the Temporal API as `@temporalio/proto` ships it (a protobufjs reflection root).
 * Messages travel as protobufjs objects: int64 fields decode as Long, enums as numbers.
 */
import type * as protobuf from 'protobufjs';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const root: protobuf.Root = require('@temporalio/proto/protos/root');

export { root };

/** A protobuf message as a plain object (decoded request, or an object to encode). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Pb = any;

const typeCache = new Map<string, protobuf.Type>();
export function messageType(fullName: string): protobuf.Type {
  let t = typeCache.get(fullName);
  if (!t) {
    t = root.lookupType(fullName);
    typeCache.set(fullName, t);
  }
  return t;
}

/**
 * protobufjs writes each message type's encoder and decoder the first time the type is used
 * (about 1 ms of CPU a type). A fresh engine's first workflow paid that for the ~180 types of
 * the calls it takes, some 100 ms. This prepares `roots` and every message type inside them
 * ahead of that, one type per turn of the event loop so that a call arriving meanwhile waits for
 * one type at most. Resolves when done, or at once when `stopped()` says so.
 */
export function prepareCodecs(roots: protobuf.Type[], stopped: () => boolean = () => false): Promise<void> {
  const seen = new Set<protobuf.Type>();
  const pending = [...roots];
  return new Promise((resolve) => {
    const step = () => {
      let t: protobuf.Type | undefined;
      while ((t = pending.pop()) && seen.has(t));
      if (!t || stopped()) return resolve();
      seen.add(t);
      t.setup();
      for (const f of t.fieldsArray) {
        f.resolve();
        if (f.resolvedType && 'fieldsArray' in f.resolvedType && !seen.has(f.resolvedType)) pending.push(f.resolvedType);
      }
      setImmediate(step);
    };
    setImmediate(step);
  });
}

export function encode(fullName: string, obj: Pb): Buffer {
  const bytes = messageType(fullName).encode(obj).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function decode(fullName: string, data: Uint8Array): Pb {
  return messageType(fullName).decode(data);
}

/** Values of a Temporal enum by short name: enumValues('EventType').WORKFLOW_EXECUTION_STARTED. */
export function enumValues(enumName: string): Record<string, number> {
  const e = root.lookupEnum(`temporal.api.enums.v1.${enumName}`);
  const prefix = enumName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase() + '_';
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(e.values)) {
    out[name.startsWith(prefix) ? name.slice(prefix.length) : name] = value;
  }
  return out;
}

export function enumName(enumName: string, value: number): string {
  const e = root.lookupEnum(`temporal.api.enums.v1.${enumName}`);
  return e.valuesById[value] ?? String(value);
}

/** A number from an int64 that may arrive as Long, number or string. */
export function num(v: unknown): number {
  if (v == null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  if (typeof v === 'object' && 'toNumber' in (v as object)) return (v as { toNumber(): number }).toNumber();
  return Number(v);
}

/** google.protobuf.Timestamp from epoch milliseconds. */
export function timestamp(ms: number): Pb {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

export function timestampMs(ts: Pb): number | undefined {
  if (!ts) return undefined;
  return num(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

/** google.protobuf.Duration from milliseconds. */
export function duration(ms: number): Pb {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** Milliseconds of a google.protobuf.Duration; 0 when unset. */
export function durationMs(d: Pb): number {
  if (!d) return 0;
  return num(d.seconds) * 1000 + Math.floor((d.nanos ?? 0) / 1e6);
}

export function isSet(d: Pb): boolean {
  return durationMs(d) > 0;
}

/** A payload holding `value` as json/plain, which every SDK reads (the server's payloads.EncodeString). */
export function jsonPayload(value: unknown): Pb {
  return { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) };
}
