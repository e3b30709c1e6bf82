/**
 * Privacy settings from the environment, in one place for the command line,
 * the worker and the Web UI: the master keys (TRAJECTORY_KEYS or a key file,
 * never the repository), the payload codec made from them, the participant
 * data keys that seal personal values (crypto-shredding), the erasure log and
 * the retention period. Without a master key nothing that reads or writes
 * trajectories starts: the error says how to create one.
 */
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { z } from 'zod';
import { DEFAULT_ERASURE_LOG } from '../activities/erasure-log';
import type { SealedOpener } from '../activities/personal-data';
import { KeyFileError, loadKeyring, MissingKeyError, ParticipantKeyStore, participantKeysDir, seal, trajectoryDataConverter, unseal, type Keyring } from '../privacy';
import type { SealedValue } from '../domain';
import { CliError, EXIT, usageError } from './errors';

/** Closed trajectories are erased this many days after they closed, unless TRAJECTORY_RETENTION_DAYS says otherwise. */
export const DEFAULT_RETENTION_DAYS = 730;

export interface PrivacySetup {
  readonly keyring: Keyring;
  /** Encrypts every payload (inputs, signals, results, memos) for Client, Worker and tests. */
  readonly dataConverter: DataConverter;
  readonly participantKeys: ParticipantKeyStore;
  readonly opener: SealedOpener;
  /** Seals a value with the participant's own data key (created on first use). */
  seal(participantRef: string, value: unknown): SealedValue;
  readonly erasureLogPath: string;
  readonly retentionDays: number;
}

const retentionSchema = z.coerce.number().int().min(1).max(36_500);

function retentionDays(env: NodeJS.ProcessEnv): number {
  const raw = env.TRAJECTORY_RETENTION_DAYS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_RETENTION_DAYS;
  const parsed = retentionSchema.safeParse(raw);
  if (!parsed.success) throw usageError(`TRAJECTORY_RETENTION_DAYS: expected a whole number of days from 1 to 36500, got "${raw}"`);
  return parsed.data;
}

/**
 * Key errors as the command line reports them, in one place: a missing or broken key is a
 * setting to fix (usage, exit 2), with the message that says how (`trajectory keys create`).
 */
export function cliKeyError(error: unknown): unknown {
  if (error instanceof MissingKeyError || error instanceof KeyFileError) return new CliError(error.message, EXIT.usage);
  return error;
}

/** Loads the keys; throws a CliError (usage) naming `trajectory keys create` when there is none. */
export function loadPrivacy(env: NodeJS.ProcessEnv, dataDir: string): PrivacySetup {
  let keyring: Keyring;
  try {
    keyring = loadKeyring(env);
  } catch (error) {
    throw cliKeyError(error);
  }
  const participantKeys = ParticipantKeyStore.open(participantKeysDir(env, dataDir), keyring);
  return {
    keyring,
    dataConverter: trajectoryDataConverter(keyring),
    participantKeys,
    opener: { open: (sealed) => unseal(participantKeys, sealed) },
    seal: (participantRef, value) => seal(participantKeys, participantRef, value),
    erasureLogPath: env.TRAJECTORY_ERASURE_LOG?.trim() || path.join(dataDir, path.basename(DEFAULT_ERASURE_LOG)),
    retentionDays: retentionDays(env),
  };
}
