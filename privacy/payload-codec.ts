/**
 * Encrypts every Temporal payload (workflow inputs, signals, queries, results,
 * memos, failures' details) before it leaves the process, as Temporal's
 * encryption sample does: the whole serialized Payload proto is encrypted with
 * the keyring's newest key (AES-256-GCM, random 12-byte IV) into a payload
 *   metadata: { encoding: "binary/encrypted", "encryption-key-id": <key id> }
 *   data:     iv ‖ ciphertext ‖ tag
 * Decoding opens it with the key its metadata names (old keys still decrypt
 * after rotation) and passes any other payload through unchanged, so histories
 * written before encryption was switched on still read.
 */
import { METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { FAILURE_CONVERTER_PATH } from './failure-converter';
import { decrypt, encrypt, IV_BYTES } from './aes-gcm';
import { DecryptionError } from './errors';
import type { Keyring } from './master-key';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_ENCRYPTION_KEY_ID = 'encryption-key-id';

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const text = (bytes: Uint8Array | null | undefined): string | undefined => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

export function isEncryptedPayload(payload: Payload): boolean {
  return text(payload.metadata?.[METADATA_ENCODING_KEY]) === ENCRYPTED_ENCODING;
}

/** The key id an encrypted payload names (undefined for any other payload). */
export function payloadKeyId(payload: Payload): string | undefined {
  return isEncryptedPayload(payload) ? text(payload.metadata?.[METADATA_ENCRYPTION_KEY_ID]) : undefined;
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keyring.newest;
    return payloads.map((payload) => {
      const { iv, data } = encrypt(key, temporal.api.common.v1.Payload.encode(payload).finish());
      return {
        metadata: { [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING), [METADATA_ENCRYPTION_KEY_ID]: utf8(id) },
        data: Buffer.concat([iv, data]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncryptedPayload(payload) ? this.decrypt(payload) : payload));
  }

  private decrypt(payload: Payload): Payload {
    const keyId = text(payload.metadata?.[METADATA_ENCRYPTION_KEY_ID]);
    if (!keyId) throw new DecryptionError(`encrypted payload names no ${METADATA_ENCRYPTION_KEY_ID}`);
    const master = this.keyring.byId(keyId);
    if (!master) {
      throw new DecryptionError(`payload encrypted with unknown key "${keyId}" (keyring holds ${this.keyring.ids.join(', ')}); add that key to the keyring`);
    }
    const data = payload.data ?? new Uint8Array();
    const plain = decrypt(master.key, data.subarray(0, IV_BYTES), data.subarray(IV_BYTES));
    if (!plain) throw new DecryptionError(`payload encrypted with key "${keyId}" cannot be opened: authentication failed (damaged or altered)`);
    try {
      return temporal.api.common.v1.Payload.decode(plain);
    } catch {
      throw new DecryptionError(`payload encrypted with key "${keyId}" holds no valid payload`);
    }
  }
}

/** The data converter for Client, Worker and TestWorkflowEnvironment: every payload encrypted. */
export function trajectoryDataConverter(keyring: Keyring): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keyring)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
