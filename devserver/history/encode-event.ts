/**
 * Encoding of history events, byte for byte what protobufjs's HistoryEvent encoder writes.
 *
 * That generated encoder tests each of the ~70 fields of HistoryEvent (one per attributes type)
 * on every event; events of many shapes pass through it, so each test is a megamorphic property
 * lookup and one small event costs 10-40 µs. Here the few header fields are written by hand and
 * the one attributes message present goes through its own type's encoder. Anything unexpected
 * (an unknown key, two attributes, an int64 given as a Long or a string) takes the generic path.
 */
import type * as protobuf from 'protobufjs';
import { messageType, Pb } from '../proto';
import { putVarint, varintBytes, varintLength } from './varint';

const HISTORY_EVENT = 'temporal.api.history.v1.HistoryEvent';
const HE = messageType(HISTORY_EVENT);

interface AttrField {
  /** Tag and wire type of the field, as varint bytes. */
  tag: number[];
  type: protobuf.Type;
}

const attrFields = new Map<string, AttrField>();
const attrNames = new Set<string>(HE.oneofs.attributes.oneof);
let firstAttrId = Infinity;
let lastAttrId = 0;
for (const f of HE.fieldsArray) {
  if (!attrNames.has(f.name)) continue;
  f.resolve();
  firstAttrId = Math.min(firstAttrId, f.id);
  lastAttrId = Math.max(lastAttrId, f.id);
  attrFields.set(f.name, { tag: varintBytes((f.id << 3) | 2), type: f.resolvedType as protobuf.Type });
}

/** Header fields written by hand (all before the attributes), and fields after them. */
const field = (name: string) => HE.fields[name];
const HEAD = { eventId: field('eventId'), eventTime: field('eventTime'), eventType: field('eventType'), version: field('version'), taskId: field('taskId') };
const headNames = new Set(Object.keys(HEAD));
const tailNames = new Set(HE.fieldsArray.filter((f) => f.id > lastAttrId).map((f) => f.name));
const expected: Record<string, [number, string]> = { eventId: [1, 'int64'], eventTime: [2, 'google.protobuf.Timestamp'], eventType: [3, 'temporal.api.enums.v1.EventType'], version: [4, 'int64'], taskId: [5, 'int64'] };
/** The hand-written part holds only while the proto is laid out as it was written for. */
const layoutKnown =
  Object.entries(expected).every(([name, [id, type]]) => HEAD[name as keyof typeof HEAD]?.id === id && HEAD[name as keyof typeof HEAD]?.type === type) &&
  firstAttrId > 5 &&
  HE.fieldsArray.every((f) => headNames.has(f.name) || attrNames.has(f.name) || f.id > lastAttrId);

const BAD = Symbol('generic');

/**
 * A scalar field written by hand: undefined when left out (unset or zero), the number when it is a
 * non-negative safe integer (written as a plain varint for int64, int32 and enums alike), else BAD.
 */
function scalar(v: unknown): number | undefined | typeof BAD {
  if (v == null || v === 0) return undefined;
  return typeof v === 'number' && v > 0 && Number.isSafeInteger(v) ? v : BAD;
}

function generic(ev: Pb): Buffer {
  const b = HE.encode(ev).finish();
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** Encodes a HistoryEvent; the bytes equal those of messageType('…HistoryEvent').encode(ev). */
export function encodeHistoryEvent(ev: Pb): Buffer {
  // Decoded messages carry defaults on their prototype: only plain objects are read field by field.
  if (!layoutKnown || Object.getPrototypeOf(ev) !== Object.prototype) return generic(ev);
  let attrName: string | undefined;
  let hasTail = false;
  for (const k in ev) {
    if (ev[k] == null || headNames.has(k)) continue;
    if (attrFields.has(k)) {
      if (attrName !== undefined) return generic(ev);
      attrName = k;
    } else if (tailNames.has(k)) {
      hasTail = true;
    } else {
      return generic(ev);
    }
  }
  const { eventTime } = ev;
  // Scalars equal to zero are left out (proto3 implicit presence), as the generated code does.
  const eventId = scalar(ev.eventId);
  const eventType = scalar(ev.eventType);
  const version = scalar(ev.version);
  const taskId = scalar(ev.taskId);
  if (eventId === BAD || eventType === BAD || version === BAD || taskId === BAD) return generic(ev);
  let seconds: number | undefined;
  let nanos: number | undefined;
  let timeLen = 0;
  if (eventTime != null) {
    if (Object.getPrototypeOf(eventTime) !== Object.prototype) return generic(ev);
    for (const k in eventTime) if (k !== 'seconds' && k !== 'nanos' && eventTime[k] != null) return generic(ev);
    const s = scalar(eventTime.seconds);
    const n = scalar(eventTime.nanos);
    if (s === BAD || n === BAD) return generic(ev);
    seconds = s;
    nanos = n;
    if (seconds !== undefined) timeLen += 1 + varintLength(seconds);
    if (nanos !== undefined) timeLen += 1 + varintLength(nanos);
  }
  const attr = attrName !== undefined ? attrFields.get(attrName)! : undefined;
  const attrBytes = attr ? attr.type.encode(ev[attrName!]).finish() : undefined;
  let tailBytes: Uint8Array | undefined;
  if (hasTail) {
    const tail: Pb = {};
    for (const k of tailNames) if (ev[k] != null) tail[k] = ev[k];
    tailBytes = HE.encode(tail).finish();
  }
  let len = 0;
  if (eventId !== undefined) len += 1 + varintLength(eventId);
  if (eventTime != null) len += 1 + varintLength(timeLen) + timeLen;
  if (eventType !== undefined) len += 1 + varintLength(eventType);
  if (version !== undefined) len += 1 + varintLength(version);
  if (taskId !== undefined) len += 1 + varintLength(taskId);
  if (attr) len += attr.tag.length + varintLength(attrBytes!.length) + attrBytes!.length;
  if (tailBytes) len += tailBytes.length;
  const out = Buffer.allocUnsafe(len);
  let at = 0;
  if (eventId !== undefined) {
    out[at++] = (1 << 3) | 0;
    at = putVarint(out, at, eventId);
  }
  if (eventTime != null) {
    out[at++] = (2 << 3) | 2;
    at = putVarint(out, at, timeLen);
    if (seconds !== undefined) {
      out[at++] = (1 << 3) | 0;
      at = putVarint(out, at, seconds);
    }
    if (nanos !== undefined) {
      out[at++] = (2 << 3) | 0;
      at = putVarint(out, at, nanos);
    }
  }
  if (eventType !== undefined) {
    out[at++] = (3 << 3) | 0;
    at = putVarint(out, at, eventType);
  }
  if (version !== undefined) {
    out[at++] = (4 << 3) | 0;
    at = putVarint(out, at, version);
  }
  if (taskId !== undefined) {
    out[at++] = (5 << 3) | 0;
    at = putVarint(out, at, taskId);
  }
  if (attr) {
    for (const b of attr.tag) out[at++] = b;
    at = putVarint(out, at, attrBytes!.length);
    out.set(attrBytes!, at);
    at += attrBytes!.length;
  }
  if (tailBytes) {
    out.set(tailBytes, at);
    at += tailBytes.length;
  }
  return out;
}
