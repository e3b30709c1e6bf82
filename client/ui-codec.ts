/**
 * The Web UI's codec endpoint for trajectories: the gateway (ui/gateway/codec.ts) decodes payloads
 * with the workers' EncryptionCodec, and for display opens the sealed personal fields inside JSON
 * payloads with the participants' data keys, so a user with access reads a trajectory in plain
 * text (`{ opened: … }`), and `{ erased: true }` after erasure. Access takes a token: from
 * TRAJECTORY_CODEC_TOKEN, else a fresh random one that the command prints once as a login link
 * (to the terminal only, never to a log).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { z } from 'zod';
import { EncryptionCodec, loadKeyring, openSealedForDisplay, ParticipantKeyStore, participantKeysDir, type Keyring } from '../privacy';
import { usageError } from './errors';
import type { Logger } from './logger';

export const CODEC_TOKEN_ENV = 'TRAJECTORY_CODEC_TOKEN';

const tokenSchema = z
  .string()
  .min(16, 'must be at least 16 characters')
  .max(512, 'must be at most 512 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

export interface TrajectoryCodecGateway {
  readonly codec: EncryptionCodec;
  /** Decoded payloads for display: sealed values in JSON payloads opened (or marked erased). */
  display(payloads: Payload[]): Promise<Payload[]>;
  readonly token: string;
  /** True when the token came from TRAJECTORY_CODEC_TOKEN (the user knows it), false when made here. */
  readonly tokenFromEnv: boolean;
  /** `<base>/codec/login?token=…`: opening it once gives a browser access. */
  loginUrl(base: string): string;
}

const utf8 = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

/**
 * The gateway's `codec` option for trajectories. Throws privacy's MissingKeyError when no master
 * key is configured, KeyFileError when it is invalid, a usage error for a bad token.
 */
export function trajectoryCodecGateway(env: NodeJS.ProcessEnv, dataDir: string, logger: Logger, keyring: Keyring = loadKeyring(env)): TrajectoryCodecGateway {
  const fromEnv = env[CODEC_TOKEN_ENV];
  let token: string;
  if (fromEnv !== undefined && fromEnv !== '') {
    const parsed = tokenSchema.safeParse(fromEnv);
    if (!parsed.success) throw usageError(`${CODEC_TOKEN_ENV} ${parsed.error.issues[0].message}`);
    token = parsed.data;
  } else {
    token = randomBytes(32).toString('base64url');
  }
  const keysDir = participantKeysDir(env, dataDir);
  return {
    codec: new EncryptionCodec(keyring),
    display: sealedOpener(keyring, keysDir, logger),
    token,
    tokenFromEnv: fromEnv !== undefined && fromEnv !== '',
    loginUrl: (base) => new URL(`/codec/login?token=${encodeURIComponent(token)}`, base).toString(),
  };
}

/**
 * Opens sealed values in JSON payloads. The participant key store is opened on first use, and
 * only when its folder exists (the UI may run where no participant keys are, e.g. against a
 * remote cluster): without it, sealed values stay sealed, which is said once in the log.
 */
function sealedOpener(keyring: Keyring, keysDir: string, logger: Logger): (payloads: Payload[]) => Promise<Payload[]> {
  let store: ParticipantKeyStore | undefined;
  let warned = false;
  const openStore = (): ParticipantKeyStore | undefined => {
    if (store) return store;
    if (!fs.existsSync(keysDir)) {
      if (!warned) logger.warn({ dir: keysDir }, 'no participant keys folder: the Web UI shows sealed personal fields sealed');
      warned = true;
      return undefined;
    }
    store = ParticipantKeyStore.open(keysDir, keyring);
    return store;
  };
  return async (payloads) => {
    if (!payloads.some(isJson)) return payloads;
    const keys = openStore();
    if (!keys) return payloads;
    return payloads.map((payload) => (isJson(payload) ? openInPayload(keys, payload) : payload));
  };
}

function isJson(payload: Payload): boolean {
  return utf8(payload.metadata?.[METADATA_ENCODING_KEY]) === 'json/plain';
}

function openInPayload(store: ParticipantKeyStore, payload: Payload): Payload {
  const text = utf8(payload.data) ?? '';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return payload;
  }
  const shown = JSON.stringify(openSealedForDisplay(store, json));
  // nothing sealed: the payload as it was, byte for byte (large integers and all)
  if (shown === JSON.stringify(json)) return payload;
  return { metadata: payload.metadata, data: Buffer.from(shown, 'utf8') };
}
