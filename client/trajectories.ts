/**
 * A typed client for trajectories, used by the commands and by tests: find a
 * trajectory by participant reference or workflow id, ask its queries (with a
 * deadline, so a missing worker is a clear error rather than a hang), read its
 * search attributes.
 */
import type { Client, WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import { builtInProgrammeIds } from '../domain';
import type { trajectory } from '../workflows';
import { participantRefOf, participantRefSchema, trajectoryWorkflowId, WORKFLOW_ID_PREFIX } from '../workflows/input';
import { deadlinesQuery, phaseQuery, programmeQuery, rejectedSignalsQuery, timelineQuery, type PinnedProgramme } from '../workflows/queries';
import type { DeadlineView, PhaseView, RejectedSignal, TimelineEntry } from '../workflows/state';
import { CliError, EXIT, isNotFound, notFoundError, usageError } from './errors';

export { participantRefOf, WORKFLOW_ID_PREFIX };
export const DEFAULT_QUERY_TIMEOUT_MS = 15_000;

export type TrajectoryHandle = WorkflowHandle<typeof trajectory>;

export interface FoundTrajectory {
  readonly workflowId: string;
  readonly handle: TrajectoryHandle;
  readonly description: WorkflowExecutionDescription;
}


async function describe(client: Client, workflowId: string): Promise<FoundTrajectory | undefined> {
  const handle = client.workflow.getHandle<typeof trajectory>(workflowId);
  try {
    return { workflowId, handle, description: await handle.describe() };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * REF is a workflow id (`traject-…`) or a participant reference; with a
 * reference and no programme, every built-in programme is tried.
 */
export async function findTrajectory(client: Client, ref: string, programmeId?: string): Promise<FoundTrajectory> {
  if (ref.startsWith(WORKFLOW_ID_PREFIX)) {
    const found = await describe(client, ref);
    if (!found) throw notFoundError(`no trajectory with workflow id ${ref}`);
    return found;
  }
  if (!participantRefSchema.safeParse(ref).success) {
    throw usageError('REF must be a workflow id (traject-…) or a pseudonymous participant reference (lower-case letters, digits, hyphens)');
  }
  if (programmeId !== undefined) {
    const found = await describe(client, trajectoryWorkflowId(programmeId, ref));
    if (!found) throw notFoundError(`no trajectory for participant ${ref} in programme ${programmeId}`);
    return found;
  }
  const candidates = await Promise.all(builtInProgrammeIds.map((id) => describe(client, trajectoryWorkflowId(id, ref))));
  const found = candidates.filter((c): c is FoundTrajectory => c !== undefined);
  if (found.length === 0) throw notFoundError(`no trajectory for participant ${ref} in any programme`);
  if (found.length > 1) {
    throw usageError(`participant ${ref} has trajectories in several programmes (${found.map((f) => f.workflowId).join(', ')}); pass --programme`);
  }
  return found[0];
}

/** Asks a query, giving up after `timeoutMs` with a message that names the likely cause. */
export async function ask<T>(client: Client, handle: TrajectoryHandle, query: QueryDefinition<T, []>, timeoutMs = DEFAULT_QUERY_TIMEOUT_MS): Promise<T> {
  try {
    return await client.connection.withDeadline(Date.now() + timeoutMs, () => handle.query(query));
  } catch (error) {
    const code = (error as { code?: unknown; cause?: { code?: unknown } }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
    if (code === 4 || /deadline/i.test(String((error as Error).message))) {
      throw new CliError(
        `${handle.workflowId} did not answer the "${query.name}" query within ${Math.round(timeoutMs / 1000)} s: is the worker running (trajectory start)?`,
        EXIT.connection,
      );
    }
    throw error;
  }
}

export interface StatusView {
  readonly workflowId: string;
  readonly participantRef?: string;
  readonly executionStatus: string;
  readonly startTime: string;
  readonly closeTime?: string;
  readonly programme: PinnedProgramme;
  readonly phase: PhaseView;
  readonly deadlines: readonly DeadlineView[];
  readonly timeline: readonly TimelineEntry[];
  /** Without the payloads as received: those may hold what does not belong in a terminal or a file. */
  readonly rejectedSignals: readonly Omit<RejectedSignal, 'payload'>[];
}

/**
 * The queries go one at a time. Two queries at once that reach a trajectory
 * while the workflow task that ends it is in flight leave one unanswered on
 * the embedded engine with SDK 1.24 (the worker logs "There were leftover
 * buffered tasks when evicting run"); one at a time they are all answered.
 */
export async function trajectoryStatus(client: Client, found: FoundTrajectory, timeoutMs?: number): Promise<StatusView> {
  const { handle, description } = found;
  const programme = await ask(client, handle, programmeQuery, timeoutMs);
  const phase = await ask(client, handle, phaseQuery, timeoutMs);
  const deadlines = await ask(client, handle, deadlinesQuery, timeoutMs);
  const timeline = await ask(client, handle, timelineQuery, timeoutMs);
  const rejected = await ask(client, handle, rejectedSignalsQuery, timeoutMs);
  return {
    workflowId: found.workflowId,
    participantRef: participantRefOf(found.workflowId, programme.id),
    executionStatus: description.status.name,
    startTime: description.startTime.toISOString(),
    closeTime: description.closeTime?.toISOString(),
    programme,
    phase,
    deadlines,
    timeline,
    rejectedSignals: rejected.map(({ payload: _payload, ...rest }) => rest),
  };
}
