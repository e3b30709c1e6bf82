/** AES-256-GCM with Node's own crypto: a random 12-byte IV and a 16-byte tag. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const KEY_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

export interface Encrypted {
  iv: Buffer;
  /** Ciphertext followed by the tag. */
  data: Buffer;
}

export function encrypt(key: Buffer, plaintext: Uint8Array, aad?: Uint8Array): Encrypted {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  if (aad) cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { iv, data };
}

/** The plaintext, or undefined when the data fails authentication (wrong key, damaged, altered). */
export function decrypt(key: Buffer, iv: Uint8Array, data: Uint8Array, aad?: Uint8Array): Buffer | undefined {
  if (iv.length !== IV_BYTES || data.length < TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    if (aad) decipher.setAAD(aad);
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}
