/**
 * Sends one partner report to a trajectory and, unless told not to, asks the
 * trajectory what it made of it: the timeline entries it added, or the reason
 * it recorded the signal as rejected (out of phase, duplicate report, …).
 */
import type { Client } from '@temporalio/client';
import type { PartnerEventType } from '../../domain';
import { rejectedSignalsQuery, timelineQuery } from '../../workflows/queries';
import { partnerSignals } from '../../workflows/signals';
import type { RejectedSignal, TimelineEntry } from '../../workflows/state';
import { NOTE_FIELD } from '../../domain';
import { ProgrammeAttribute } from '../../workflows/search-attributes';
import { CliError, EXIT } from '../errors';
import type { Sealer } from '../intake/start';
import { ask, participantRefOf, type FoundTrajectory } from '../trajectories';

export type SendResult =
  | { readonly result: 'accepted'; readonly workflowId: string; readonly signal: PartnerEventType; readonly entries: readonly Pick<TimelineEntry, 'seq' | 'kind' | 'on' | 'text'>[] }
  | { readonly result: 'rejected'; readonly workflowId: string; readonly signal: PartnerEventType; readonly reason: string }
  | { readonly result: 'sent'; readonly workflowId: string; readonly signal: PartnerEventType; readonly note: string };

interface Seen {
  readonly timeline: readonly TimelineEntry[];
  readonly rejected: readonly RejectedSignal[];
}

/** One query at a time: see `trajectoryStatus` in trajectories.ts for why. */
async function seen(client: Client, found: FoundTrajectory, timeoutMs: number): Promise<Seen> {
  const timeline = await ask(client, found.handle, timelineQuery, timeoutMs);
  const rejected = await ask(client, found.handle, rejectedSignalsQuery, timeoutMs);
  return { timeline, rejected };
}

function newRejections(before: readonly RejectedSignal[], after: readonly RejectedSignal[]): RejectedSignal[] {
  const last = before.at(-1);
  if (!last) return [...after];
  const key = (r: RejectedSignal) => `${r.at}|${r.signal}|${r.reason}`;
  const index = after.map(key).lastIndexOf(key(last));
  return index < 0 ? [...after] : after.slice(index + 1);
}

export interface SendOptions {
  /** Ask the trajectory what it did with the signal (needs a running worker). Default true. */
  readonly confirm?: boolean;
  readonly queryTimeoutMs?: number;
  /** Seals a text `note` with the participant's own key; a payload with a note is refused without it. */
  readonly seal?: Sealer;
}

/**
 * The payload as the workflow takes it: a text note sealed with the participant's key. Called
 * only once the trajectory is known to run, so an erased participant never gets a new key.
 */
function sealedPayload(found: FoundTrajectory, payload: Record<string, unknown>, seal: Sealer | undefined): Record<string, unknown> {
  const note = payload[NOTE_FIELD];
  if (typeof note !== 'string') return payload;
  const participantRef = participantRefOf(found.workflowId, found.description.typedSearchAttributes.get(ProgrammeAttribute));
  if (!seal || !participantRef) throw new CliError(`${found.workflowId}: a note can only be sent sealed with the participant's key, and none is available`, EXIT.usage);
  try {
    return { ...payload, [NOTE_FIELD]: seal(participantRef, note) };
  } catch (error) {
    throw new CliError(`${found.workflowId}: the note was not sent: ${error instanceof Error ? error.message : String(error)}`, EXIT.rejected);
  }
}

export async function sendReport(
  client: Client,
  found: FoundTrajectory,
  type: PartnerEventType,
  payload: Record<string, unknown>,
  options: SendOptions = {},
): Promise<SendResult> {
  const workflowId = found.workflowId;
  if (found.description.status.name !== 'RUNNING') {
    return { result: 'rejected', workflowId, signal: type, reason: `the trajectory is no longer running (${found.description.status.name.toLowerCase()}); signals cannot reach it` };
  }
  const timeoutMs = options.queryTimeoutMs ?? 15_000;
  const confirm = options.confirm !== false;
  let before: Seen | undefined;
  if (confirm) {
    try {
      before = await seen(client, found, timeoutMs);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
    }
  }
  await found.handle.signal(partnerSignals[type], sealedPayload(found, payload, options.seal) as never);
  if (!before) {
    return { result: 'sent', workflowId, signal: type, note: confirm ? 'sent; not confirmed: the trajectory did not answer queries (is the worker running?)' : 'sent (not confirmed: --no-confirm)' };
  }
  // A query is answered after the signals that arrived before it, so this sees the effect.
  const after = await seen(client, found, timeoutMs);
  const rejected = newRejections(before.rejected, after.rejected).filter((r) => r.signal === type);
  if (rejected.length > 0) return { result: 'rejected', workflowId, signal: type, reason: rejected[rejected.length - 1].reason };
  const lastSeq = before.timeline.at(-1)?.seq ?? 0;
  const entries = after.timeline.filter((e) => e.seq > lastSeq).map(({ seq, kind, on, text }) => ({ seq, kind, on, text }));
  return { result: 'accepted', workflowId, signal: type, entries };
}
