/**
 * The right to erasure, by crypto-shredding. Histories cannot be edited, so a
 * participant's personal values were sealed with a data key of their own
 * (domain/personal.ts); erasing deletes that key. Every copy of the sealed
 * values, in histories and backups alike, then stays unreadable, while the
 * anonymous facts (programme, phases, dates, outcome) that reports count remain.
 *
 * A running trajectory is withdrawn first (the `withdrawal` report, so it ends
 * the way the programme defines; terminated if it cannot take the report, e.g.
 * when it has not started yet). Then the key goes, then a line in the erasure
 * log says what was erased and when, without the erased data.
 *
 * Retention: closed trajectories whose close lies further back than the
 * retention period are erased the same way (workflows/retention.ts runs it daily).
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { participantRefOf, phaseQuery, ProgrammeAttribute, TRAJECTORY_WORKFLOW_TYPE, withdrawalSignal } from '../workflows/api';
import { recordErasure, type ErasureRecord } from './erasure-log';

/** What erasure needs of the participant key store (privacy/participant-keys.ts). */
export interface ErasableKeys {
  has(participantRef: string): boolean;
  erase(participantRef: string): { keyId: string } | undefined;
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

interface Listed {
  readonly workflowId: string;
  readonly participantRef?: string;
  readonly running: boolean;
  readonly closedAt?: Date;
}

function listed(info: WorkflowExecutionInfo): Listed {
  const programme = info.typedSearchAttributes.get(ProgrammeAttribute);
  return { workflowId: info.workflowId, participantRef: participantRefOf(info.workflowId, programme), running: info.status.name === 'RUNNING', closedAt: info.closeTime };
}

async function listTrajectories(client: Client, filter: string): Promise<Listed[]> {
  const out: Listed[] = [];
  for await (const info of client.workflow.list({ query: `WorkflowType = '${TRAJECTORY_WORKFLOW_TYPE}'${filter ? ` AND ${filter}` : ''}` })) out.push(listed(info));
  return out;
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

/** Erases one participant: withdraws their running trajectories, deletes their data key, logs it. */
export async function eraseParticipant(deps: ErasureDeps, participantRef: string, reason: ErasureRecord['reason']): Promise<ErasureRecord> {
  const theirs = (await listTrajectories(deps.client, '')).filter((t) => t.participantRef === participantRef);
  const trajectories: ErasureRecord['trajectories'] = [];
  for (const t of theirs) {
    trajectories.push({ workflowId: t.workflowId, action: t.running ? await withdraw(deps, t.workflowId) : 'was-closed' });
  }
  const erased = deps.keys.erase(participantRef);
  return recordErasure(deps.logFile, { erasedAt: new Date().toISOString(), reason, ...(erased ? { keyId: erased.keyId } : {}), trajectories });
}

export interface RetentionResult {
  readonly erased: number;
  /** Participants past retention on one trajectory but with another running or closed more recently. */
  readonly kept: number;
}

/**
 * Erases every participant whose trajectories all closed more than
 * `retentionDays` before `now` and whose data key still exists.
 */
export async function eraseExpired(deps: ErasureDeps, retentionDays: number, now: Date): Promise<RetentionResult> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const all = await listTrajectories(deps.client, '');
  const recent = new Set(all.filter((t) => t.running || (t.closedAt !== undefined && t.closedAt >= cutoff)).map((t) => t.participantRef));
  const expired = new Set(all.filter((t) => !t.running && t.closedAt !== undefined && t.closedAt < cutoff).map((t) => t.participantRef));
  let erased = 0;
  let kept = 0;
  for (const ref of expired) {
    if (ref === undefined || !deps.keys.has(ref)) continue;
    if (recent.has(ref)) {
      kept += 1;
      continue;
    }
    await eraseParticipant(deps, ref, 'retention');
    erased += 1;
  }
  return { erased, kept };
}
