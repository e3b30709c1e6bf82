/**
 * A message as a comparable plain object: int64, enums and bytes as text, and fields holding their
 * zero value dropped (a sender may put zeros on the wire; proto3 JSON never shows them).
 */
import type * as PB from 'protobufjs';
import { protobuf } from '../../ui/gateway/proto';

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === 0 || x === '0' || x === '' || x === false || (Array.isArray(x) && !x.length)) continue;
      if (typeof x === 'string' && /_UNSPECIFIED$/.test(x)) continue;
      out[k] = strip(x);
    }
    return out;
  }
  return v;
}

export function canonical(type: PB.Type, msg: PB.Message | Record<string, unknown>): unknown {
  const m = msg instanceof protobuf.Message ? msg : type.fromObject(msg);
  return strip(type.toObject(m, { longs: String, enums: String, bytes: String, defaults: false, json: true }));
}
