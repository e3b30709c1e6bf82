/** Shared pieces of the codec endpoint tests: the test codec and token, payloads on the wire, HTTP calls. */
import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { EncryptionCodec, Keyring } from '../../privacy';
import { fetchAnswer, type Answer } from './helpers';

export const NOWHERE = '127.0.0.1:1'; // no frontend: the codec endpoint and settings never call it
export const TOKEN = randomBytes(24).toString('base64url');
export const masterKey = { id: 'k-ui-codec-test', key: randomBytes(32), createdAt: '2026-01-01T00:00:00.000Z' };
export const keyring = new Keyring([masterKey]);
export const codec = new EncryptionCodec(keyring);

export const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
export const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
export const jsonPayload = (value: unknown) => ({ metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify(value)) });
export type JsonPayload = { metadata: Record<string, string>; data?: string };
export const toWire = (ps: Payload[]): JsonPayload[] =>
  ps.map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(p.data!).toString('base64') }));
export const fromWire = (ps: JsonPayload[]): Payload[] =>
  ps.map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])), data: Buffer.from(p.data ?? '', 'base64') }));

export type { Answer };

export function call(base: string, p: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return fetchAnswer(new URL(p, base), { method: init.method ?? 'POST', body: init.body, headers: init.headers, redirect: 'manual' });
}

/** A codec call as the UI makes it, plus whatever headers the test adds. */
export function codecCallAt(base: string, kind: 'decode' | 'encode', payloads: unknown[], headers: Record<string, string> = {}): Promise<Answer> {
  return call(base, `/codec/${kind}`, {
    body: JSON.stringify({ payloads }),
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
  });
}
