/**
 * `trajectory erase REF`: the right to erasure for one participant, by
 * crypto-shredding (activities/erasure.ts): their running trajectories are
 * withdrawn, their data key deleted, and the erasure log says what went and
 * when. Anonymous figures (programme, phases, dates, outcomes) remain.
 */
import type { Client } from '@temporalio/client';
import { eraseParticipant } from '../activities/erasure';
import { participantRefSchema } from '../workflows/input';
import { EXIT, usageError, type ExitCode } from './errors';
import { stdout } from './output';
import type { PrivacySetup } from './privacy';

export interface EraseOptions {
  readonly json?: boolean;
  /** Seconds a withdrawn trajectory may take to end before it is terminated. */
  readonly withdrawTimeout?: number;
}

export async function eraseCommand(client: Client, privacy: PrivacySetup, ref: string, options: EraseOptions): Promise<ExitCode> {
  if (!participantRefSchema.safeParse(ref).success) throw usageError('REF must be a pseudonymous participant reference (lower-case letters, digits, hyphens)');
  const record = await eraseParticipant(
    { client, keys: privacy.participantKeys, logFile: privacy.erasureLogPath, withdrawTimeoutMs: (options.withdrawTimeout ?? 60) * 1000 },
    ref,
    'request',
  );
  if (options.json) {
    stdout.json(record);
    return EXIT.ok;
  }
  for (const t of record.trajectories) stdout.line(`  ${t.workflowId}: ${t.action}`);
  stdout.line(
    record.keyId
      ? `erased: data key ${record.keyId} deleted; every sealed copy of this participant's personal data is now unreadable (logged in ${privacy.erasureLogPath})`
      : `nothing to erase: no data key for this participant (logged in ${privacy.erasureLogPath})`,
  );
  return EXIT.ok;
}
