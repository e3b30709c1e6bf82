/**
 * `trajectory erase REF`: the right to erasure for one participant, by
 * crypto-shredding (activities/erasure.ts): their running trajectories are
 * withdrawn, their data key deleted, and the erasure log says what went and
 * when. Anonymous figures (programme, phases, dates, outcomes) remain.
 */
import type { Client } from '@temporalio/client';
import { eraseParticipant, NoDataKeyError } from '../activities/erasure';
import { participantRefSchema } from '../workflows/input';
import { CliError, EXIT, usageError, type ExitCode } from './errors';
import { stdout } from './output';
import type { PrivacySetup } from './privacy';

export interface EraseOptions {
  readonly json?: boolean;
  /** Seconds a withdrawn trajectory may take to end before it is terminated. */
  readonly withdrawTimeout?: number;
}

export async function eraseCommand(client: Client, privacy: PrivacySetup, ref: string, options: EraseOptions): Promise<ExitCode> {
  if (!participantRefSchema.safeParse(ref).success) throw usageError('REF must be a pseudonymous participant reference (lower-case letters, digits, hyphens)');
  const deps = { client, keys: privacy.participantKeys, logFile: privacy.erasureLogPath, withdrawTimeoutMs: (options.withdrawTimeout ?? 60) * 1000 };
  const record = await eraseParticipant(deps, ref, 'request').catch((error: unknown) => {
    if (error instanceof NoDataKeyError) throw new CliError(error.message, EXIT.notFound);
    throw error;
  });
  if (options.json) {
    stdout.json(record);
    return EXIT.ok;
  }
  for (const t of record.trajectories) stdout.line(`  ${t.workflowId}: ${t.action}`);
  stdout.line(`erased: data key ${record.keyId} deleted; every sealed copy of this participant's personal data is now unreadable (logged in ${privacy.erasureLogPath})`);
  return EXIT.ok;
}
