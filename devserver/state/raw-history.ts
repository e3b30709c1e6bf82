/**
 * Responses that carry history are assembled from the stored encoded events, never re-encoding
 * them: protobuf lets a message be the concatenation of its fields' encodings.
 */
import { decode, encode, messageType, Pb } from '../proto';
import { putVarint, varintLength } from '../history/varint';

export const RAW_HISTORY = Symbol('rawHistory');

export interface WithRawHistory {
  [RAW_HISTORY]?: Buffer[];
}

/** Encodes `obj` of `typeName` with its `history` field built from raw events, in one buffer. */
export function encodeWithHistory(typeName: string, obj: Pb & WithRawHistory): Buffer {
  const events = obj[RAW_HISTORY];
  const head = encode(typeName, obj);
  if (!events) return head;
  const historyTag = (messageType(typeName).fields.history.id << 3) | 2;
  const EVENT_TAG = (1 << 3) | 2; // History.events
  let inner = 0;
  for (const ev of events) inner += 1 + varintLength(ev.length) + ev.length;
  const out = Buffer.allocUnsafe(head.length + varintLength(historyTag) + varintLength(inner) + inner);
  head.copy(out, 0);
  let at = putVarint(out, head.length, historyTag);
  at = putVarint(out, at, inner);
  for (const ev of events) {
    out[at++] = EVENT_TAG;
    at = putVarint(out, at, ev.length);
    at += ev.copy(out, at);
  }
  return out;
}

/** A poll response nested in another message (eager start, a completion's next task) carries its history as objects. */
export function withDecodedHistory(task: Pb & WithRawHistory): Pb {
  const { [RAW_HISTORY]: raw, ...rest } = task;
  return { ...rest, history: { events: (raw ?? []).map((b: Buffer) => decode('temporal.api.history.v1.HistoryEvent', b)) } };
}
