/** Task tokens: opaque to workers, they name the task a completion is for. */
import { invalidArgument } from '../errors';

export interface WorkflowTaskToken { k: 'w'; n: string; w: string; r: string; s: number; a: number; d: number }
export interface ActivityTaskToken { k: 'a'; n: string; w: string; r: string; s: number; a: number }
export interface QueryTaskToken { k: 'q'; n: string; w: string; r: string; q: string }
export type TaskToken = WorkflowTaskToken | ActivityTaskToken | QueryTaskToken;

export function encodeToken(t: TaskToken): Buffer {
  return Buffer.from(JSON.stringify(t));
}

export function decodeToken<K extends TaskToken['k']>(data: Uint8Array | undefined, kind: K): Extract<TaskToken, { k: K }> {
  let t: TaskToken | undefined;
  try {
    t = data && data.length ? JSON.parse(Buffer.from(data).toString('utf8')) : undefined;
  } catch {
    t = undefined;
  }
  if (!t || t.k !== kind || typeof t.n !== 'string' || typeof t.r !== 'string') {
    throw invalidArgument('Error deserializing task token.');
  }
  return t as Extract<TaskToken, { k: K }>;
}
