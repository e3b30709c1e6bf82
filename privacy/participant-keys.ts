/**
 * Per-participant data keys, for crypto-shredding: every personal value of a
 * participant is sealed (privacy/sealed.ts) with that participant's own data
 * key, and erasing the participant deletes the key, so every sealed copy (in
 * workflow histories, logs, backups of the engine) becomes unreadable.
 *
 * One file per participant, `<participantRef>.json` (mode 0600):
 *   { version: 1, keyId: "<participantRef>.<16 random base64url chars>", participantRef, createdAt,
 *     wrapped: { masterKeyId, iv, data } }
 * The 32-byte data key is wrapped (AES-256-GCM, AAD = keyId) by a master key of
 * the Keyring: the newest when created, any known one when read. Writes are
 * atomic and fsynced (file and folder), so a crash never leaves half a key.
 * Keep this folder out of long-lived backups: a restored key undoes an erasure.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { base64Schema, DATA_KEY_ID_PATTERN, PARTICIPANT_REF_PATTERN } from '../domain/personal';
import { decrypt, encrypt, KEY_BYTES } from './aes-gcm';
import { createFileExclusive, ensureDir, removeFileDurable, writeFileAtomic } from './atomic-file';
import { DecryptionError } from './errors';
import type { Keyring } from './master-key';

type Env = Readonly<Record<string, string | undefined>>;

export { PARTICIPANT_REF_PATTERN };
const KEY_ID_PATTERN = DATA_KEY_ID_PATTERN;

/** TRAJECTORY_PARTICIPANT_KEYS_DIR, else `<dataDir>/participant-keys`. */
export function participantKeysDir(env: Env = process.env, dataDir = '.data'): string {
  const dir = env.TRAJECTORY_PARTICIPANT_KEYS_DIR;
  return dir !== undefined && dir.trim() !== '' ? dir : path.join(dataDir, 'participant-keys');
}

const keyFileSchema = z.strictObject({
  version: z.literal(1),
  keyId: z.string().regex(KEY_ID_PATTERN),
  participantRef: z.string().regex(PARTICIPANT_REF_PATTERN),
  createdAt: z.iso.datetime({ offset: true }),
  wrapped: z.strictObject({ masterKeyId: z.string().min(1), iv: base64Schema, data: base64Schema }),
});
type ParticipantKeyFile = z.infer<typeof keyFileSchema>;

export interface ParticipantKey {
  keyId: string;
  key: Buffer;
}

export interface ParticipantKeyInfo {
  participantRef: string;
  keyId: string;
  createdAt: string;
}

interface CacheEntry extends ParticipantKey {
  /** The file's text the key came from: a replaced file (erased, re-enrolled) differs, if only by its keyId. */
  text: string;
}

function checkRef(participantRef: string): void {
  // The value itself stays out of the message: a wrong reference may be a name or a BSN.
  if (!PARTICIPANT_REF_PATTERN.test(participantRef)) throw new TypeError('not a participant reference (3–40 lower-case letters, digits and hyphens)');
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseKeyFile(text: string, name: string): ParticipantKeyFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`participant key file ${name} is damaged (not valid JSON)`);
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`participant key file ${name} is damaged (${issue.path.join('.') || 'top level'}: ${issue.message})`);
  }
  return parsed.data;
}

export class ParticipantKeyStore {
  readonly #cache = new Map<string, CacheEntry>();

  private constructor(
    readonly dir: string,
    private readonly keyring: Keyring,
  ) {}

  /** The store over `dir` (created, mode 0700, when missing). */
  static open(dir: string, keyring: Keyring): ParticipantKeyStore {
    ensureDir(dir);
    return new ParticipantKeyStore(dir, keyring);
  }

  private file(participantRef: string): string {
    return path.join(this.dir, `${participantRef}.json`);
  }

  /** The participant's data key, created on first use. */
  keyFor(participantRef: string): ParticipantKey {
    checkRef(participantRef);
    const existing = this.load(participantRef);
    if (existing) return { keyId: existing.keyId, key: existing.key };
    const key = randomBytes(KEY_BYTES);
    const keyId = `${participantRef}.${randomBytes(12).toString('base64url')}`;
    const master = this.keyring.newest;
    const { iv, data } = encrypt(master.key, key, Buffer.from(keyId, 'utf8'));
    const content: ParticipantKeyFile = {
      version: 1,
      keyId,
      participantRef,
      createdAt: new Date().toISOString(),
      wrapped: { masterKeyId: master.id, iv: iv.toString('base64'), data: data.toString('base64') },
    };
    if (createFileExclusive(this.file(participantRef), `${JSON.stringify(content, null, 2)}\n`, 0o600)) {
      return { keyId, key };
    }
    // Another process created it first: use theirs.
    const theirs = this.load(participantRef);
    if (!theirs) throw new Error(`participant key file ${path.basename(this.file(participantRef))} vanished while being created`);
    return { keyId: theirs.keyId, key: theirs.key };
  }

  /** The id of the participant's data key, when there is one (never creates one). */
  keyIdOf(participantRef: string): string | undefined {
    checkRef(participantRef);
    return this.load(participantRef)?.keyId;
  }

  /**
   * Records when the participant's last trajectory closed (the retention schedule does, while
   * Temporal still lists it), so retention holds even after the namespace has purged the history.
   */
  noteClosed(participantRef: string, closedAt: string): void {
    checkRef(participantRef);
    if (!this.has(participantRef) || this.closedAt(participantRef) === closedAt) return;
    writeFileAtomic(this.closedFile(participantRef), `${closedAt}\n`);
  }

  /** When the participant's last trajectory closed, as last recorded by `noteClosed`. */
  closedAt(participantRef: string): string | undefined {
    checkRef(participantRef);
    return readText(this.closedFile(participantRef))?.trim() || undefined;
  }

  private closedFile(participantRef: string): string {
    return path.join(this.dir, `${participantRef}.closed`);
  }

  /**
   * Marks the participant as being erased: from now on nothing sealed for them opens (so the
   * notifications of their withdrawal carry no personal data), while the key itself stays until
   * `erase` once their trajectories are withdrawn.
   */
  markErasing(participantRef: string): void {
    checkRef(participantRef);
    if (this.has(participantRef)) writeFileAtomic(this.erasingFile(participantRef), `${new Date().toISOString()}\n`);
  }

  private erasingFile(participantRef: string): string {
    return path.join(this.dir, `${participantRef}.erasing`);
  }

  /** The data key with this id; undefined when that participant was erased (and maybe enrolled again since) or is being erased. */
  find(keyId: string): Buffer | undefined {
    const match = KEY_ID_PATTERN.exec(keyId);
    if (!match || fs.existsSync(this.erasingFile(match[1]))) return undefined;
    const entry = this.load(match[1]);
    return entry && entry.keyId === keyId ? entry.key : undefined;
  }

  has(participantRef: string): boolean {
    checkRef(participantRef);
    return fs.existsSync(this.file(participantRef));
  }

  /** Deletes the participant's data key: every value sealed with it is unreadable from now on. */
  erase(participantRef: string): { keyId: string } | undefined {
    checkRef(participantRef);
    const file = this.file(participantRef);
    let keyId = 'unreadable';
    try {
      const text = readText(file);
      if (text !== undefined) keyId = parseKeyFile(text, path.basename(file)).keyId;
    } catch {
      // A damaged key file is erased all the same.
    }
    this.#cache.delete(participantRef);
    const removed = removeFileDurable(file);
    removeFileDurable(this.closedFile(participantRef));
    removeFileDurable(this.erasingFile(participantRef));
    return removed ? { keyId } : undefined;
  }

  /** Every participant that has a data key, by reference. */
  list(): ParticipantKeyInfo[] {
    const names = fs.readdirSync(this.dir).filter((name) => name.endsWith('.json') && !name.startsWith('.'));
    const result: ParticipantKeyInfo[] = [];
    for (const name of names.sort()) {
      const text = readText(path.join(this.dir, name));
      if (text === undefined) continue; // erased meanwhile
      const content = parseKeyFile(text, name);
      result.push({ participantRef: content.participantRef, keyId: content.keyId, createdAt: content.createdAt });
    }
    return result;
  }

  /**
   * The key of a participant, from the cache when the file still holds the same
   * text (another process may have erased or replaced it; reading a small file
   * is cheap, and unlike a stat it cannot be fooled by a reused inode).
   */
  private load(participantRef: string): CacheEntry | undefined {
    const file = this.file(participantRef);
    const text = readText(file);
    if (text === undefined) {
      this.#cache.delete(participantRef);
      return undefined;
    }
    const cached = this.#cache.get(participantRef);
    if (cached && cached.text === text) return cached;
    const name = path.basename(file);
    const content = parseKeyFile(text, name);
    if (content.participantRef !== participantRef || !content.keyId.startsWith(`${participantRef}.`)) {
      throw new Error(`participant key file ${name} belongs to another participant`);
    }
    const entry: CacheEntry = { keyId: content.keyId, key: this.unwrap(content, name), text };
    this.#cache.set(participantRef, entry);
    return entry;
  }

  private unwrap(content: ParticipantKeyFile, name: string): Buffer {
    const { masterKeyId, iv, data } = content.wrapped;
    const master = this.keyring.byId(masterKeyId);
    if (!master) throw new DecryptionError(`participant key file ${name} is wrapped by unknown master key "${masterKeyId}"; add that key to the keyring`);
    const key = decrypt(master.key, Buffer.from(iv, 'base64'), Buffer.from(data, 'base64'), Buffer.from(content.keyId, 'utf8'));
    if (!key || key.length !== KEY_BYTES) {
      throw new DecryptionError(`participant key file ${name} cannot be unwrapped with master key "${masterKeyId}": authentication failed (damaged or altered)`);
    }
    return key;
  }
}
