/**
 * proto3's canonical JSON mapping, as Temporal's UI server speaks it (protojson through
 * temporalproto): lowerCamelCase names, unset and zero fields left out, int64 as strings, enums by
 * their full names, bytes in base64, RFC 3339 timestamps, durations like "10s", oneof members under
 * their own names, Any with "@type". Both ways, over the protobufjs reflection of @temporalio/proto.
 */
import type * as PB from 'protobufjs';
import { protobuf, root as temporalRoot } from './proto';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export class JsonMappingError extends Error {}

/** protobufjs's int64 representation (the `long` package, as protobufjs loads it). */
const Long = protobuf.util.Long as unknown as {
  fromString(s: string, unsigned?: boolean): PB.Long;
  fromNumber(n: number): PB.Long;
};

const WRAPPERS = new Set(['DoubleValue', 'FloatValue', 'Int64Value', 'UInt64Value', 'Int32Value', 'UInt32Value', 'BoolValue', 'StringValue', 'BytesValue'].map((n) => `google.protobuf.${n}`));
const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const INT_TYPES = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32']);

export function jsonName(fieldName: string): string {
  return fieldName.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function snakeName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function typeName(t: PB.Type): string {
  return t.fullName.replace(/^\./, '');
}

function resolved(field: PB.Field): PB.Type | PB.Enum | null {
  if (!field.resolved) field.resolve();
  return field.resolvedType as PB.Type | PB.Enum | null;
}

function hasPresence(field: PB.Field): boolean {
  return !!field.partOf || (field.options?.proto3_optional ?? false);
}

// ---------------------------------------------------------------- message to JSON

/** The JSON of a decoded message (or a plain object of the same shape). */
export function toJson(type: PB.Type, msg: Record<string, unknown>): Json {
  const wkt = wellKnownToJson(type, msg);
  if (wkt !== undefined) return wkt;
  const out: JsonObject = {};
  for (const field of type.fieldsArray) {
    const v = msg[field.name];
    if (v === undefined || v === null) continue;
    const own = Object.prototype.hasOwnProperty.call(msg, field.name);
    if (field instanceof protobuf.MapField) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (!entries.length) continue;
      const m: JsonObject = {};
      for (const [k, val] of entries) m[k] = valueToJson(field, val);
      out[jsonName(field.name)] = m;
    } else if (field.repeated) {
      const arr = v as unknown[];
      if (!arr.length) continue;
      out[jsonName(field.name)] = arr.map((x) => valueToJson(field, x));
    } else {
      if (!own && !(resolved(field) instanceof protobuf.Type)) continue;
      if (!hasPresence(field) && isDefault(field, v)) continue;
      out[jsonName(field.name)] = valueToJson(field, v);
    }
  }
  return out;
}

function isDefault(field: PB.Field, v: unknown): boolean {
  const t = resolved(field);
  if (t instanceof protobuf.Type) return false;
  if (typeof v === 'object' && v !== null && 'low' in v && 'high' in v) {
    const l = v as PB.Long;
    return l.low === 0 && l.high === 0;
  }
  if (v instanceof Uint8Array) return v.length === 0;
  return v === 0 || v === '' || v === false;
}

function valueToJson(field: PB.Field, v: unknown): Json {
  const t = resolved(field);
  if (t instanceof protobuf.Type) return toJson(t, v as Record<string, unknown>);
  if (t instanceof protobuf.Enum) {
    if (typeof v === 'string') return v;
    const name = t.valuesById[v as number];
    return name ?? (v as number);
  }
  return scalarToJson(field.type, v);
}

function scalarToJson(type: string, v: unknown): Json {
  if (LONG_TYPES.has(type)) return String(v);
  if (type === 'bytes') return Buffer.from(v as Uint8Array).toString('base64');
  if (type === 'double' || type === 'float') {
    const n = v as number;
    if (Number.isNaN(n)) return 'NaN';
    if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
    return n;
  }
  return v as Json;
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v);
  if (v && typeof v === 'object' && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
  return 0;
}

function fraction(nanos: number): string {
  if (!nanos) return '';
  const s = String(nanos).padStart(9, '0');
  if (s.endsWith('000000')) return `.${s.slice(0, 3)}`;
  if (s.endsWith('000')) return `.${s.slice(0, 6)}`;
  return `.${s}`;
}

/** RFC 3339 with 0, 3, 6 or 9 fractional digits, as Go's protojson writes it. */
export function formatTimestamp(seconds: number, nanos: number): string {
  const iso = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return `${iso}${fraction(nanos)}Z`;
}

export function formatDuration(seconds: number, nanos: number): string {
  const negative = seconds < 0 || nanos < 0;
  return `${negative ? '-' : ''}${Math.abs(seconds)}${fraction(Math.abs(nanos))}s`;
}

function wellKnownToJson(type: PB.Type, msg: Record<string, unknown>): Json | undefined {
  const name = typeName(type);
  switch (name) {
    case 'google.protobuf.Timestamp':
      return formatTimestamp(num(msg.seconds), num(msg.nanos));
    case 'google.protobuf.Duration':
      return formatDuration(num(msg.seconds), num(msg.nanos));
    case 'google.protobuf.Empty':
      return {};
    case 'google.protobuf.FieldMask':
      return ((msg.paths as string[]) ?? []).map((p) => p.split('.').map(jsonName).join('.')).join(',');
    case 'google.protobuf.Struct':
      return Object.fromEntries(Object.entries((msg.fields as Record<string, Record<string, unknown>>) ?? {}).map(([k, v]) => [k, structValue(v)]));
    case 'google.protobuf.Value':
      return structValue(msg);
    case 'google.protobuf.ListValue':
      return ((msg.values as Record<string, unknown>[]) ?? []).map(structValue);
    case 'google.protobuf.Any':
      return anyToJson(type, msg);
  }
  if (WRAPPERS.has(name)) return scalarToJson(type.fields.value.type, msg.value ?? type.fields.value.typeDefault);
  return undefined;
}

function structValue(v: Record<string, unknown>): Json {
  if (v.structValue) return wellKnownToJson(lookup('google.protobuf.Struct'), v.structValue as Record<string, unknown>)!;
  if (v.listValue) return wellKnownToJson(lookup('google.protobuf.ListValue'), v.listValue as Record<string, unknown>)!;
  if (typeof v.numberValue === 'number') return v.numberValue;
  if (typeof v.stringValue === 'string') return v.stringValue;
  if (typeof v.boolValue === 'boolean') return v.boolValue;
  return null;
}

function lookup(name: string, root?: PB.Root): PB.Type {
  return (root ?? defaultRoot()).lookupType(name);
}

export function defaultRoot(): PB.Root {
  return temporalRoot;
}

function anyToJson(anyType: PB.Type, msg: Record<string, unknown>): Json {
  const url = String(msg.type_url ?? msg.typeUrl ?? '');
  const inner = anyType.root.lookup(url.slice(url.lastIndexOf('/') + 1));
  if (!(inner instanceof protobuf.Type)) return { '@type': url, value: Buffer.from((msg.value as Uint8Array) ?? []).toString('base64') };
  const decoded = inner.decode((msg.value as Uint8Array) ?? new Uint8Array()) as unknown as Record<string, unknown>;
  const json = toJson(inner, decoded);
  if (json !== null && typeof json === 'object' && !Array.isArray(json) && wellKnownToJson(inner, decoded) === undefined) {
    return { '@type': url, ...json };
  }
  return { '@type': url, value: json };
}

// ---------------------------------------------------------------- JSON to message

/** A protobufjs message from its JSON (names in lowerCamelCase or as in the .proto). */
export function fromJson(type: PB.Type, json: unknown): PB.Message {
  return type.fromObject(objectFromJson(type, json, type.name));
}

function fieldByJsonKey(type: PB.Type, key: string): PB.Field | undefined {
  return type.fields[key] ?? type.fields[jsonName(key)] ?? type.fields[snakeName(key)];
}

function objectFromJson(type: PB.Type, json: unknown, path: string): Record<string, unknown> {
  const wkt = wellKnownFromJson(type, json, path);
  if (wkt !== undefined) return wkt;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new JsonMappingError(`${path}: expected an object for ${typeName(type)}`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    const field = fieldByJsonKey(type, key);
    if (!field || value === null) continue; // unknown fields are ignored, as the UI may send extras
    const at = `${path}.${key}`;
    if (field instanceof protobuf.MapField) {
      if (typeof value !== 'object' || Array.isArray(value)) throw new JsonMappingError(`${at}: expected an object`);
      out[field.name] = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, valueFromJson(field, v, `${at}.${k}`)]));
    } else if (field.repeated) {
      const arr = Array.isArray(value) ? value : [value];
      out[field.name] = arr.map((v, i) => valueFromJson(field, v, `${at}[${i}]`));
    } else {
      out[field.name] = valueFromJson(field, value, at);
    }
  }
  return out;
}

function valueFromJson(field: PB.Field, v: unknown, path: string): unknown {
  const t = resolved(field);
  if (t instanceof protobuf.Type) return objectFromJson(t, v, path);
  if (t instanceof protobuf.Enum) return enumFromJson(t, v, path);
  return scalarFromJson(field.type, v, path);
}

const enumAliases = new WeakMap<PB.Enum, Map<string, number>>();

/** Enum values by full name, by number, or by Temporal's short PascalCase form ("Running"). */
export function enumFromJson(e: PB.Enum, v: unknown, path = e.name): number {
  if (typeof v === 'number') return v;
  const s = String(v);
  if (/^-?\d+$/.test(s)) return Number(s);
  let aliases = enumAliases.get(e);
  if (!aliases) {
    aliases = new Map();
    const prefix = e.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase() + '_';
    for (const [name, value] of Object.entries(e.values)) {
      aliases.set(name, value);
      const short = name.startsWith(prefix) ? name.slice(prefix.length) : name;
      aliases.set(short.toLowerCase().replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()), value);
    }
    enumAliases.set(e, aliases);
  }
  const value = aliases.get(s);
  if (value === undefined) throw new JsonMappingError(`${path}: invalid value "${s}" for enum ${e.name}`);
  return value;
}

function scalarFromJson(type: string, v: unknown, path: string): unknown {
  if (type === 'string') return String(v);
  if (type === 'bool') {
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0' || v === '') return false;
    throw new JsonMappingError(`${path}: invalid value "${String(v)}" for bool`);
  }
  if (type === 'bytes') {
    if (typeof v !== 'string') throw new JsonMappingError(`${path}: expected base64 text`);
    return Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  }
  if (LONG_TYPES.has(type)) {
    const s = String(v);
    if (!/^-?\d+$/.test(s)) throw new JsonMappingError(`${path}: invalid value "${s}" for ${type}`);
    return Long.fromString(s, type.startsWith('u') || type === 'fixed64');
  }
  const n = typeof v === 'number' ? v : Number(v);
  if (v === '' || (Number.isNaN(n) && v !== 'NaN')) throw new JsonMappingError(`${path}: invalid value "${String(v)}" for ${type}`);
  if (INT_TYPES.has(type) && !Number.isInteger(n)) throw new JsonMappingError(`${path}: invalid value "${String(v)}" for ${type}`);
  return n;
}

export function parseTimestamp(s: string, path = 'timestamp'): { seconds: PB.Long; nanos: number } {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(s);
  const ms = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
  if (!m || Number.isNaN(ms)) throw new JsonMappingError(`${path}: invalid RFC 3339 timestamp "${s}"`);
  return { seconds: Long.fromNumber(ms / 1000), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

export function parseDuration(s: string, path = 'duration'): { seconds: PB.Long; nanos: number } {
  const m = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(s);
  if (!m) throw new JsonMappingError(`${path}: invalid duration "${s}"`);
  const sign = m[1] ? -1 : 1;
  return { seconds: Long.fromString(`${m[1] ?? ''}${m[2]}`), nanos: sign * Number((m[3] ?? '').padEnd(9, '0')) };
}

function wellKnownFromJson(type: PB.Type, json: unknown, path: string): Record<string, unknown> | undefined {
  const name = typeName(type);
  switch (name) {
    case 'google.protobuf.Timestamp':
      return parseTimestamp(String(json), path);
    case 'google.protobuf.Duration':
      return parseDuration(String(json), path);
    case 'google.protobuf.FieldMask':
      return { paths: String(json).split(',').filter(Boolean).map((p) => p.split('.').map(snakeName).join('.')) };
    case 'google.protobuf.Struct':
      return { fields: Object.fromEntries(Object.entries(json as object).map(([k, v]) => [k, structFromJson(v)])) };
    case 'google.protobuf.Value':
      return structFromJson(json);
    case 'google.protobuf.ListValue':
      return { values: (json as unknown[]).map(structFromJson) };
    case 'google.protobuf.Any': {
      const { '@type': url, ...rest } = json as { '@type'?: string; value?: unknown };
      const inner = type.root.lookupType(String(url).slice(String(url).lastIndexOf('/') + 1));
      const body = wellKnownFromJson(inner, rest.value, path) !== undefined ? rest.value : rest;
      return { type_url: url, value: inner.encode(fromJson(inner, body)).finish() };
    }
  }
  if (WRAPPERS.has(name)) return { value: scalarFromJson(type.fields.value.type, json, path) };
  return undefined;
}

function structFromJson(v: unknown): Record<string, unknown> {
  if (v === null) return { nullValue: 0 };
  if (typeof v === 'number') return { numberValue: v };
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (Array.isArray(v)) return { listValue: { values: v.map(structFromJson) } };
  return { structValue: { fields: Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, structFromJson(x)])) } };
}
