/** The retention schedule's contract: its id, its type and the activity it runs. */
export const RETENTION_WORKFLOW_ID = 'trajectory-retention';
export const RETENTION_WORKFLOW_TYPE = 'retentionSchedule';

export interface RetentionRun {
  readonly erased: number;
  readonly kept: number;
}

export interface RetentionActivities {
  /** Erases every participant past the worker's retention period, as of the workflow's time `asOf` (ISO 8601). */
  eraseExpiredParticipants(asOf: string): Promise<RetentionRun>;
}
