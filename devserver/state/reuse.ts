/** Workflow id reuse and conflict policies: may a new run start beside an existing one? */
import { ConflictPolicy, ReusePolicy, WorkflowStatus } from '../enums';
import { Run } from './run';

export type ReuseDecision = 'start' | 'reject' | 'use-existing' | 'terminate-existing';

export function checkReuse(existing: Run, reusePolicy: number, conflictPolicy: number): ReuseDecision {
  if (existing.isOpen) {
    if (reusePolicy === ReusePolicy.TERMINATE_IF_RUNNING) return 'terminate-existing';
    if (conflictPolicy === ConflictPolicy.USE_EXISTING) return 'use-existing';
    if (conflictPolicy === ConflictPolicy.TERMINATE_EXISTING) return 'terminate-existing';
    return 'reject';
  }
  switch (reusePolicy) {
    case ReusePolicy.REJECT_DUPLICATE:
      return 'reject';
    case ReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY:
      return existing.status === WorkflowStatus.COMPLETED ? 'reject' : 'start';
    default:
      return 'start';
  }
}
