/**
 * An HTTP call to a gRPC request, as grpc-gateway builds it: path variables, then the body ("*"
 * or one field) or, without a body, the query parameters (`a.b=1`, repeated by repetition).
 */
import type * as PB from 'protobufjs';
import { HttpRule } from './http-rules';
import { fromJson, JsonMappingError, jsonName } from './proto-json';

type Obj = Record<string, unknown>;

function fieldOf(type: PB.Type, key: string): PB.Field | undefined {
  return type.fields[key] ?? type.fields[jsonName(key)];
}

/** Sets `value` at a dotted field path inside a JSON-shaped object, following the message types. */
function setPath(type: PB.Type, target: Obj, path: string[], value: unknown, append: boolean): void {
  let t: PB.Type = type;
  let obj = target;
  for (let i = 0; i < path.length; i++) {
    const field = fieldOf(t, path[i]);
    if (!field) return; // grpc-gateway ignores parameters that name no field
    if (!field.resolved) field.resolve();
    if (i === path.length - 1) {
      if (field.repeated && append) {
        const arr = Array.isArray(obj[field.name]) ? (obj[field.name] as unknown[]) : [];
        arr.push(value);
        obj[field.name] = arr;
      } else {
        obj[field.name] = value;
      }
      return;
    }
    const next = field.resolvedType;
    if (!next || !('fieldsArray' in next)) return;
    const child = obj[field.name];
    obj = (obj[field.name] = child && typeof child === 'object' ? (child as Obj) : {}) as Obj;
    t = next as PB.Type;
  }
}

export function buildRequest(rule: HttpRule, params: Array<[string[], string]>, query: URLSearchParams, body: unknown): PB.Message {
  let json: Obj = {};
  if (rule.body === '*') {
    if (body !== undefined && body !== null) {
      if (typeof body !== 'object' || Array.isArray(body)) throw new JsonMappingError('the request body must be a JSON object');
      json = { ...(body as Obj) };
    }
  } else if (rule.body) {
    if (body !== undefined) setPath(rule.requestType, json, rule.body.split('.'), body, false);
  }
  if (!rule.body) {
    for (const key of new Set(query.keys())) {
      for (const v of query.getAll(key)) setPath(rule.requestType, json, key.split('.'), v, true);
    }
  }
  for (const [path, value] of params) setPath(rule.requestType, json, path, value, false);
  return fromJson(rule.requestType, json);
}
