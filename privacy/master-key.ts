/**
 * Master keys: the keys that encrypt Temporal payloads and wrap participant
 * data keys. The newest encrypts; every key in the ring still decrypts, so
 * rotation is adding a key. Key bytes never appear in a listing, a log or an
 * error message (a Keyring prints as its key ids).
 */
import { inspect } from 'node:util';
import { KEY_BYTES } from './aes-gcm';

export interface MasterKey {
  /** Names the key in payload metadata and wrapped data keys, e.g. `k-20261122-1a2b3c`. */
  id: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
  /** ISO date-time it was created. */
  createdAt: string;
}

/** A key id: letters, digits, `.`, `_`, `-`; at most 64 characters. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class Keyring {
  /** The key that encrypts: the last created (on equal dates, the last listed). */
  readonly newest: MasterKey;
  /** Every key id, in the order given. */
  readonly ids: string[];
  readonly #byId: ReadonlyMap<string, MasterKey>;

  constructor(keys: readonly MasterKey[]) {
    if (keys.length === 0) throw new Error('a keyring needs at least one key');
    const byId = new Map<string, MasterKey>();
    for (const [index, k] of keys.entries()) {
      if (!KEY_ID_PATTERN.test(k.id)) throw new Error(`key ${index + 1}: id must be 1–64 letters, digits, ".", "_" or "-"`);
      if (byId.has(k.id)) throw new Error(`duplicate key id "${k.id}"`);
      if (!Buffer.isBuffer(k.key) || k.key.length !== KEY_BYTES) throw new Error(`key "${k.id}" is not ${KEY_BYTES} bytes`);
      if (Number.isNaN(Date.parse(k.createdAt))) throw new Error(`key "${k.id}": createdAt is not a date`);
      byId.set(k.id, { id: k.id, key: Buffer.from(k.key), createdAt: k.createdAt });
    }
    this.#byId = byId;
    this.ids = [...byId.keys()];
    let newest = byId.get(this.ids[0]) as MasterKey;
    for (const k of byId.values()) if (Date.parse(k.createdAt) >= Date.parse(newest.createdAt)) newest = k;
    this.newest = newest;
  }

  byId(id: string): MasterKey | undefined {
    return this.#byId.get(id);
  }

  /** Every key, in the order given. */
  keys(): MasterKey[] {
    return [...this.#byId.values()];
  }

  toJSON(): { keys: KeyDescription[] } {
    return { keys: describeKeys(this) };
  }

  [inspect.custom](): string {
    return `Keyring(${this.ids.join(', ')}; newest ${this.newest.id})`;
  }
}

export interface KeyDescription {
  id: string;
  createdAt: string;
  /** The key that encrypts new data. */
  newest: boolean;
}

/** Ids and dates of the keys, for a listing; never key bytes. */
export function describeKeys(keyring: Keyring): KeyDescription[] {
  return keyring.ids.map((id) => {
    const key = keyring.byId(id) as MasterKey;
    return { id, createdAt: key.createdAt, newest: id === keyring.newest.id };
  });
}
