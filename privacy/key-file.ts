/**
 * The master key file and the inline TRAJECTORY_KEYS value.
 *
 * File (JSON, mode 0600, in a folder of mode 0700):
 *   { "version": 1, "keys": [ { "id": "k-20261122-1a2b3c", "key": "<base64 of 32 bytes>", "createdAt": "<ISO>" } ] }
 * Inline: the same JSON, or `id=base64,id=base64` (oldest first; the last encrypts).
 *
 * Keep the file outside the repository (the default is under ~/.config), and
 * out of backups of the data it protects. Errors name the file and the field,
 * never key material.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { KEY_BYTES } from './aes-gcm';
import { ensureDir, withFileLock, writeFileAtomic } from './atomic-file';
import { KeyFileError } from './errors';
import { KEY_ID_PATTERN, Keyring, type MasterKey } from './master-key';

const keyBase64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, `must be base64 of ${KEY_BYTES} bytes`)
  .refine((text) => Buffer.from(text, 'base64').length === KEY_BYTES, { message: `must be base64 of ${KEY_BYTES} bytes` });

const keyEntrySchema = z.strictObject({
  id: z.string().regex(KEY_ID_PATTERN, 'must be 1–64 letters, digits, ".", "_" or "-"'),
  key: keyBase64,
  createdAt: z.iso.datetime({ offset: true, error: 'must be an ISO date-time' }),
});

export const keyFileSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }),
  keys: z
    .array(keyEntrySchema)
    .min(1, 'must hold at least one key')
    .superRefine((keys, ctx) => {
      const seen = new Set<string>();
      keys.forEach((k, i) => {
        if (seen.has(k.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate key id "${k.id}"` });
        seen.add(k.id);
      });
    }),
});
export type KeyFile = z.infer<typeof keyFileSchema>;

function fieldPath(segments: readonly PropertyKey[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i > 0 ? '.' : ''}${String(s)}`)).join('') || '(top level)';
}

/** Validates a key file's JSON text; `source` (file or variable name) goes into every error. */
export function parseKeyFile(text: string, source: string): MasterKey[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text, which holds key material.
    throw new KeyFileError(source, 'not valid JSON');
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KeyFileError(source, `${fieldPath(issue.path)}: ${issue.message}`);
  }
  return parsed.data.keys.map((k) => ({ id: k.id, key: Buffer.from(k.key, 'base64'), createdAt: k.createdAt }));
}

/** TRAJECTORY_KEYS: the key file's JSON, or `id=base64,id=base64` (oldest first). */
export function parseInlineKeys(value: string, source = 'TRAJECTORY_KEYS'): MasterKey[] {
  const text = value.trim();
  if (text.startsWith('{')) return parseKeyFile(text, source);
  const pairs = text.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  if (pairs.length === 0) throw new KeyFileError(source, 'holds no key');
  const entries = pairs.map((pair, i) => {
    const at = pair.indexOf('=');
    return { id: at < 0 ? '' : pair.slice(0, at), key: at < 0 ? '' : pair.slice(at + 1), createdAt: new Date(i).toISOString() };
  });
  return parseKeyFile(JSON.stringify({ version: 1, keys: entries }), source);
}

/** The keys of a key file; undefined when the file does not exist. */
export function readKeyFile(file: string): MasterKey[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new KeyFileError(file, code === 'EACCES' ? 'not readable (permission denied)' : code === 'EISDIR' ? 'is a folder' : 'cannot be read');
  }
  return parseKeyFile(text, file);
}

function toKeyFile(keys: readonly MasterKey[]): KeyFile {
  return { version: 1, keys: keys.map((k) => ({ id: k.id, key: k.key.toString('base64'), createdAt: k.createdAt })) };
}

function newKeyId(now: Date, taken: ReadonlySet<string>): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  for (;;) {
    const id = `k-${day}-${randomBytes(3).toString('hex')}`;
    if (!taken.has(id)) return id;
  }
}

/**
 * Appends a fresh random key to `file` (creating the file, mode 0600, and its
 * folder, mode 0700), atomically; from then on it is the newest and encrypts.
 * Rotation is creating another. Refuses to touch a file that is invalid.
 */
export function createKey(file: string, now: Date = new Date()): MasterKey {
  ensureDir(path.dirname(file));
  return withFileLock(file, () => {
    const existing = readKeyFile(file) ?? [];
    const key: MasterKey = { id: newKeyId(now, new Set(existing.map((k) => k.id))), key: randomBytes(KEY_BYTES), createdAt: now.toISOString() };
    const keys = [...existing, key];
    new Keyring(keys); // the result must load
    writeFileAtomic(file, `${JSON.stringify(toKeyFile(keys), null, 2)}\n`, 0o600);
    return key;
  });
}
