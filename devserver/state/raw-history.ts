/**
 * Responses that carry history are assembled from the stored encoded events, never re-encoding
 * them: protobuf lets a message be the concatenation of its fields' encodings.
 */
import { encode, messageType, Pb } from '../proto';

export const RAW_HISTORY = Symbol('rawHistory');

export interface WithRawHistory {
  [RAW_HISTORY]?: Buffer[];
}

function lengthDelimited(fieldNo: number, parts: Buffer[], total: number): Buffer[] {
  return [varint((fieldNo << 3) | 2), varint(total), ...parts];
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  while (n > 127) {
    bytes.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  bytes.push(n);
  return Buffer.from(bytes);
}

/** Encodes `obj` of `typeName` with its `history` field built from raw events. */
export function encodeWithHistory(typeName: string, obj: Pb & WithRawHistory): Buffer {
  const events = obj[RAW_HISTORY];
  const head = encode(typeName, obj);
  if (!events) return head;
  const fieldNo = messageType(typeName).fields.history.id;
  const inner: Buffer[] = [];
  let innerLen = 0;
  for (const ev of events) {
    const tag = varint((1 << 3) | 2);
    const len = varint(ev.length);
    inner.push(tag, len, ev);
    innerLen += tag.length + len.length + ev.length;
  }
  return Buffer.concat([head, ...lengthDelimited(fieldNo, inner, innerLen)]);
}
