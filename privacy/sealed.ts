/**
 * Sealing personal values with the participant's data key (domain/personal.ts
 * describes the form). A sealed value is JSON, AES-256-GCM encrypted, with the
 * key id as additional data, so it cannot be passed off under another key.
 */
import { SEALED_ALGORITHM, sealedValueSchema, type SealedValue } from '../domain/personal';
import { decrypt, encrypt } from './aes-gcm';
import type { ParticipantKeyStore } from './participant-keys';

export type UnsealResult = { ok: true; value: unknown } | { ok: false; reason: 'erased' | 'damaged' };

/**
 * Seals `value` (anything JSON can hold) for `participantRef`, creating its data key on first use.
 * Callers seal only for a trajectory that is running or about to start: an erased participant's
 * trajectories are withdrawn first, so no new key is made for them.
 */
export function seal(store: ParticipantKeyStore, participantRef: string, value: unknown): SealedValue {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('only a JSON value can be sealed');
  const { keyId, key } = store.keyFor(participantRef);
  const { iv, data } = encrypt(key, Buffer.from(json, 'utf8'), Buffer.from(keyId, 'utf8'));
  return { sealed: SEALED_ALGORITHM, keyId, iv: iv.toString('base64'), data: data.toString('base64') };
}

/**
 * Opens a sealed value: `erased` when its participant's key is gone (erased,
 * maybe enrolled again since), `damaged` when it is not a sealed value or fails
 * authentication. A missing master key throws: that is configuration, not data.
 */
export function unseal(store: ParticipantKeyStore, sealed: SealedValue): UnsealResult {
  const parsed = sealedValueSchema.safeParse(sealed);
  if (!parsed.success) return { ok: false, reason: 'damaged' };
  const { keyId, iv, data } = parsed.data;
  const key = store.find(keyId);
  if (!key) return { ok: false, reason: 'erased' };
  const plain = decrypt(key, Buffer.from(iv, 'base64'), Buffer.from(data, 'base64'), Buffer.from(keyId, 'utf8'));
  if (!plain) return { ok: false, reason: 'damaged' };
  try {
    return { ok: true, value: JSON.parse(plain.toString('utf8')) as unknown };
  } catch {
    return { ok: false, reason: 'damaged' };
  }
}

export function isSealedValue(value: unknown): value is SealedValue {
  return sealedValueSchema.safeParse(value).success;
}

/** What openSealedForDisplay puts in place of a sealed value. */
export type DisplayedSealed = { opened: unknown } | { erased: true } | { damaged: true };

/**
 * A copy of `json` with every sealed value replaced by `{ opened: <value> }`,
 * `{ erased: true }` or `{ damaged: true }`: for showing plain text to a user
 * with access (the Web UI's codec endpoint). Everything else is copied as is.
 */
export function openSealedForDisplay(store: ParticipantKeyStore, json: unknown): unknown {
  if (Array.isArray(json)) return json.map((item) => openSealedForDisplay(store, item));
  if (typeof json !== 'object' || json === null) return json;
  if (isSealedValue(json)) {
    const result = unseal(store, json);
    const shown: DisplayedSealed = result.ok ? { opened: result.value } : result.reason === 'erased' ? { erased: true } : { damaged: true };
    return shown;
  }
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(json)) copy[name] = openSealedForDisplay(store, value);
  return copy;
}
