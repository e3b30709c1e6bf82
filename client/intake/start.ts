/**
 * Starts validated intake rows, idempotently: the workflow id comes from the
 * programme and the participant reference, the reuse policy refuses a second
 * run of an id that exists (running or ended), so a file run twice starts
 * nothing twice. Starts run with bounded concurrency.
 */
import type { Client } from '@temporalio/client';
import type { SealedValue } from '../../domain';
import type { trajectory } from '../../workflows';
import { TRAJECTORY_WORKFLOW_TYPE } from '../../workflows/start-options';
import { isAlreadyStarted, isConnectionFailure } from '../errors';
import { mapPool } from '../pool';
import type { ValidIntakeRow } from './rows';

/** Memo key with the trajectory's first day (reports use it before the trajectory has started). */
export const START_DATE_MEMO = 'startDate';

export type RowOutcome =
  | { readonly kind: 'started'; readonly line: number; readonly workflowId: string; readonly runId: string }
  | { readonly kind: 'already-running'; readonly line: number; readonly workflowId: string }
  | { readonly kind: 'already-ended'; readonly line: number; readonly workflowId: string; readonly status: string }
  | { readonly kind: 'failed'; readonly line: number; readonly workflowId: string; readonly reason: string; readonly unreachable: boolean };

export const DEFAULT_CONCURRENCY = 32;

/** Seals a participant's details with their own data key (client/privacy.ts). */
export type Sealer = (participantRef: string, value: unknown) => SealedValue;

export interface StartRowsOptions {
  readonly concurrency?: number;
  readonly onOutcome?: (outcome: RowOutcome) => void;
  /** Required when a row carries personal details. */
  readonly seal?: Sealer;
}

function startArgs(row: ValidIntakeRow, seal: Sealer | undefined): ValidIntakeRow['options']['args'] {
  if (!row.personal) return row.options.args;
  if (!seal) throw new Error('intake rows with personal details need a participant key store to seal them');
  return [{ ...row.options.args[0], personal: seal(row.participantRef, row.personal) }];
}

export async function startTrajectory(client: Client, row: ValidIntakeRow, seal?: Sealer): Promise<RowOutcome> {
  const { options } = row;
  try {
    const handle = await client.workflow.start<typeof trajectory>(TRAJECTORY_WORKFLOW_TYPE, {
      taskQueue: options.taskQueue,
      workflowId: options.workflowId,
      args: startArgs(row, seal),
      typedSearchAttributes: options.typedSearchAttributes,
      staticSummary: options.staticSummary,
      staticDetails: options.staticDetails,
      memo: { ...options.memo, [START_DATE_MEMO]: row.startDate },
      // An id that exists, running or ended, is never started again.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
    });
    return { kind: 'started', line: row.line, workflowId: row.workflowId, runId: handle.firstExecutionRunId };
  } catch (error) {
    if (!isAlreadyStarted(error)) {
      return failed(row, error);
    }
  }
  try {
    const description = await client.workflow.getHandle(row.workflowId).describe();
    if (description.status.name === 'RUNNING') return { kind: 'already-running', line: row.line, workflowId: row.workflowId };
    return { kind: 'already-ended', line: row.line, workflowId: row.workflowId, status: description.status.name };
  } catch (error) {
    return failed(row, error);
  }
}

function failed(row: ValidIntakeRow, error: unknown): RowOutcome {
  const reason = error instanceof Error ? error.message : String(error);
  return { kind: 'failed', line: row.line, workflowId: row.workflowId, reason, unreachable: isConnectionFailure(error) };
}

export function startIntakeRows(client: Client, rows: readonly ValidIntakeRow[], options: StartRowsOptions = {}): Promise<RowOutcome[]> {
  return mapPool(rows, options.concurrency ?? DEFAULT_CONCURRENCY, (row) => startTrajectory(client, row, options.seal), (outcome) => options.onOutcome?.(outcome));
}
