/**
 * The trajectory's side of capacity: a trajectory that a capacity workflow
 * started (as its child) tells it, when it ends, that its place is free.
 *
 * Added while trajectories were already running, so behind the patch
 * `capacity-release`: a history recorded before it has no patch marker, and
 * replaying it skips the signal (see docs/changing-workflows.md). Only
 * trajectories of a programme with capacity and a parent reach `patched()`, so
 * nothing changes in any other history.
 */
import { getExternalWorkflowHandle, patched, type WorkflowInfo } from '@temporalio/workflow';
import type { ProgrammeDefinition } from '../domain';
import { placeReleasedSignal } from './capacity-api';
import type { TrajectoryResult } from './state';

export const CAPACITY_RELEASE_PATCH = 'capacity-release';

/** Signals the parent capacity workflow (by workflow id, so the run current after continue-as-new gets it). */
export async function releaseCapacityPlace(info: WorkflowInfo, programme: ProgrammeDefinition, result: TrajectoryResult): Promise<void> {
  if (programme.capacity === undefined || info.parent === undefined) return;
  if (!patched(CAPACITY_RELEASE_PATCH)) return;
  try {
    await getExternalWorkflowHandle(info.parent.workflowId).signal(placeReleasedSignal, {
      workflowId: info.workflowId,
      participantRef: result.participantRef,
      outcome: result.outcome.id,
      endedOn: result.endedOn,
    });
  } catch {
    // The capacity workflow is gone (terminated or reset): there is no place to give back.
  }
}
