/**
 * Small histories (issue 3, part 8): a complete trajectory stays under 150
 * history events. Two changes, added while trajectories were already running,
 * so behind the patch `small-histories` (see docs/changing-workflows.md):
 *
 * - Partner notifications run as *local* activities: the same `notifyPartners`
 *   activity with the same input, idempotency key and retries, recorded as one
 *   marker instead of scheduled/started/completed plus the workflow task its
 *   completion wakes (six events). A retry that has to wait is a durable timer
 *   (`localRetryThreshold`), so a partner that is down for hours costs no
 *   worker slot and skips with the test clock.
 * - The "needs attention" timer is kept across reports (timers.ts) instead of
 *   being cancelled and restarted on each one.
 *
 * A history recorded before has no marker: replaying it keeps the old
 * behaviour (activities scheduled on the server, the timer restarted).
 */
import { patched, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';

export const SMALL_HISTORIES_PATCH = 'small-histories';

/** Partner notifications are retried for as long as it takes; a trajectory lives for years. */
export const NOTIFY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '6 hours' },
};

/** The same, as a local activity: every wait between attempts is a durable timer. */
export const NOTIFY_LOCAL_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: NOTIFY_OPTIONS.startToCloseTimeout,
  retry: NOTIFY_OPTIONS.retry,
  localRetryThreshold: '1 second',
};

/** Whether this trajectory runs with the small-histories change (recorded once, at its first workflow task). */
export function smallHistories(): boolean {
  return patched(SMALL_HISTORIES_PATCH);
}
