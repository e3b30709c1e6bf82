/**
 * The right to erasure, by crypto-shredding. Histories cannot be edited, so a
 * participant's personal values were sealed with a data key of their own
 * (domain/personal.ts); erasing deletes that key. Every copy of the sealed
 * values, in histories and backups alike, then stays unreadable, while the
 * anonymous facts (programme, phases, dates, outcome) that reports count remain.
 *
 * A running trajectory is withdrawn first (the `withdrawal` report, so it ends
 * the way the programme defines; terminated if it cannot take the report, e.g.
 * when it has not started yet); from the start of the erasure nothing sealed for
 * the participant opens any more, so partners hear of the withdrawal without
 * their personal data. Then a line in the erasure log says what is
 * erased and when, without the erased data, and then the key goes: a crash in
 * between leaves a logged erasure that the next attempt completes, never an
 * unlogged one.
 *
 * Retention: a participant whose trajectories all closed longer ago than the
 * retention period is erased the same way (workflows/retention.ts runs it
 * daily). The close date is recorded next to the key while Temporal still lists
 * the trajectory, so retention holds after the namespace has purged the history.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { builtInProgrammeIds } from '../domain';
import { participantRefOf, phaseQuery, ProgrammeAttribute, TRAJECTORY_WORKFLOW_TYPE, trajectoryWorkflowId, withdrawalSignal } from '../workflows/api';
import { CAPACITY_WORKFLOW_TYPE, leaveWaitingListSignal, waitingListQuery } from '../workflows/capacity-api';
import { recordErasure, type ErasureRecord } from './erasure-log';

/** What erasure needs of the participant key store (privacy/participant-keys.ts). */
export interface ErasableKeys {
  readonly dir: string;
  has(participantRef: string): boolean;
  keyIdOf(participantRef: string): string | undefined;
  markErasing(participantRef: string): void;
  erase(participantRef: string): { keyId: string } | undefined;
  list(): readonly { readonly participantRef: string; readonly createdAt: string }[];
  noteClosed(participantRef: string, closedAt: string): void;
  closedAt(participantRef: string): string | undefined;
}

export interface ErasureDeps {
  readonly client: Client;
  readonly keys: ErasableKeys;
  /** The erasure log (default .data/erasures.jsonl). */
  readonly logFile: string;
  /** How long a withdrawn trajectory may take to end before it is terminated (default 60 s). */
  readonly withdrawTimeoutMs?: number;
}

/** The withdrawal reason code a trajectory records when its participant is erased. */
export const ERASURE_REASON = 'erasure-requested';

/** The participant has no data key in the store: there is nothing to erase (and nothing was withdrawn). */
export class NoDataKeyError extends Error {
  constructor(dir: string) {
    super(`this participant has no data key in ${dir}: nothing to erase (is TRAJECTORY_PARTICIPANT_KEYS_DIR or --data-dir the folder the worker uses?)`);
    this.name = 'NoDataKeyError';
  }
}

interface Trajectory {
  readonly workflowId: string;
  readonly participantRef?: string;
  readonly running: boolean;
  readonly closedAt?: Date;
}

/** Every trajectory Temporal lists (one pass; retention groups it by participant). */
async function listTrajectories(client: Client): Promise<Trajectory[]> {
  const out: Trajectory[] = [];
  for await (const info of client.workflow.list({ query: `WorkflowType = '${TRAJECTORY_WORKFLOW_TYPE}'` })) {
    const programme = info.typedSearchAttributes.get(ProgrammeAttribute);
    out.push({ workflowId: info.workflowId, participantRef: participantRefOf(info.workflowId, programme), running: info.status.name === 'RUNNING', closedAt: info.closeTime });
  }
  return out;
}

/**
 * The participant's trajectories: the ids they have in every built-in programme (described
 * directly, so one started a moment ago counts even before visibility lists it) and those listed.
 */
async function trajectoriesOf(client: Client, participantRef: string, listed: readonly Trajectory[]): Promise<Trajectory[]> {
  const ids = new Set([...builtInProgrammeIds.map((id) => trajectoryWorkflowId(id, participantRef)), ...listed.filter((t) => t.participantRef === participantRef).map((t) => t.workflowId)]);
  const found = await Promise.all(
    [...ids].map(async (workflowId): Promise<Trajectory | undefined> => {
      try {
        const d = await client.workflow.getHandle(workflowId).describe();
        return { workflowId, participantRef, running: d.status.name === 'RUNNING', closedAt: d.closeTime };
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      }
    }),
  );
  return found.filter((t): t is Trajectory => t !== undefined);
}

async function endWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Withdraws a running trajectory; terminates it when it refused the report or has not ended within the timeout. */
async function withdraw(deps: ErasureDeps, workflowId: string): Promise<'withdrawn' | 'terminated'> {
  const handle = deps.client.workflow.getHandle(workflowId);
  await handle.signal(withdrawalSignal, { reason: ERASURE_REASON, reportId: `erasure-${Date.now()}` });
  // A query is answered after the signals before it: still running means the report was refused (not started yet).
  const ended = await handle.query(phaseQuery).then((view) => view.status === 'ended', () => undefined);
  if (ended !== false && (await endWithin(handle.result(), deps.withdrawTimeoutMs ?? 60_000))) {
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') return status.name === 'COMPLETED' ? 'withdrawn' : 'terminated';
  }
  await handle.terminate("withdrawn: the participant's personal data was erased");
  return 'terminated';
}

/** Takes the participant off every programme's waiting list they are on; returns those capacity workflows. */
async function leaveWaitingLists(client: Client, participantRef: string): Promise<string[]> {
  const left: string[] = [];
  for await (const info of client.workflow.list({ query: `WorkflowType = '${CAPACITY_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'` })) {
    const handle = client.workflow.getHandle(info.workflowId);
    // Without an answer (no worker), leave anyway: the signal is harmless for someone not waiting.
    const waiting = await handle.query(waitingListQuery).then((list) => list.some((entry) => entry.participantRef === participantRef), () => true);
    if (!waiting) continue;
    await handle.signal(leaveWaitingListSignal, { participantRef });
    left.push(info.workflowId);
  }
  return left;
}

/**
 * Erases one participant: takes them off waiting lists, withdraws their running trajectories, logs the erasure, deletes their
 * data key. Throws NoDataKeyError, before touching anything, when the store has no key for them.
 */
export async function eraseParticipant(deps: ErasureDeps, participantRef: string, reason: ErasureRecord['reason'], listed?: readonly Trajectory[]): Promise<ErasureRecord> {
  const keyId = deps.keys.keyIdOf(participantRef);
  if (keyId === undefined) throw new NoDataKeyError(deps.keys.dir);
  // From here on nothing of theirs opens, not even for the notifications of the withdrawal.
  deps.keys.markErasing(participantRef);
  const theirs = await trajectoriesOf(deps.client, participantRef, listed ?? (await listTrajectories(deps.client)));
  const trajectories: ErasureRecord['trajectories'] = [];
  for (const t of theirs) {
    trajectories.push({ workflowId: t.workflowId, action: t.running ? await withdraw(deps, t.workflowId) : 'was-closed' });
  }
  const leftWaitingLists = await leaveWaitingLists(deps.client, participantRef);
  const record = await recordErasure(deps.logFile, { erasedAt: new Date().toISOString(), reason, keyId, trajectories, ...(leftWaitingLists.length > 0 ? { leftWaitingLists } : {}) });
  deps.keys.erase(participantRef);
  return record;
}

export interface RetentionResult {
  readonly erased: number;
  /** Participants with a key that are still within the retention period (or have a trajectory running). */
  readonly kept: number;
}

/**
 * Erases every participant with a data key whose trajectories all closed more than
 * `retentionDays` before `now`. Without any trajectory on record (never started, or purged
 * before a close date was noted), the key's creation counts as the last sign of life.
 */
export async function eraseExpired(deps: ErasureDeps, retentionDays: number, now: Date): Promise<RetentionResult> {
  const cutoff = now.getTime() - retentionDays * 86_400_000;
  const listed = await listTrajectories(deps.client);
  const byParticipant = new Map<string, Trajectory[]>();
  for (const t of listed) if (t.participantRef) byParticipant.set(t.participantRef, [...(byParticipant.get(t.participantRef) ?? []), t]);
  let erased = 0;
  let kept = 0;
  for (const { participantRef, createdAt } of deps.keys.list()) {
    const theirs = byParticipant.get(participantRef) ?? [];
    if (theirs.some((t) => t.running)) {
      kept += 1;
      continue;
    }
    const closes = theirs.flatMap((t) => (t.closedAt ? [t.closedAt.getTime()] : []));
    if (closes.length > 0) deps.keys.noteClosed(participantRef, new Date(Math.max(...closes)).toISOString());
    const lastSign = Date.parse(deps.keys.closedAt(participantRef) ?? createdAt);
    if (lastSign >= cutoff) {
      kept += 1;
      continue;
    }
    await eraseParticipant(deps, participantRef, 'retention', listed);
    erased += 1;
  }
  return { erased, kept };
}
