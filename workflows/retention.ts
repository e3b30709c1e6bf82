/**
 * The retention schedule: once a day, at night in Amsterdam, erase the
 * participants whose trajectories all closed longer ago than the retention
 * period (activities/erasure.ts, by crypto-shredding). A plain workflow with a
 * durable timer, so it runs on any Temporal cluster and on the embedded engine
 * alike; it continues as new every few weeks to keep its history short. The
 * retention period is the worker's setting, read by the activity, so changing
 * it needs no new workflow.
 */
import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import { addDays, amsterdamDate, amsterdamInstant } from '../domain';
import type { RetentionActivities } from './retention-api';

const { eraseExpiredParticipants } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 minute', maximumInterval: '1 hour' },
});

/** Runs before continuing as new. */
const RUNS_PER_HISTORY = 28;

/** The next instant at `hour`:00 Amsterdam time after `now`. */
export function nextRunAt(now: number, hour: number): number {
  const today = amsterdamDate(now);
  const todayAt = amsterdamInstant(today, { hour });
  return todayAt > now ? todayAt : amsterdamInstant(addDays(today, 1), { hour });
}

export async function retentionSchedule(options: { readonly hour?: number } = {}): Promise<void> {
  const hour = options.hour ?? 3;
  for (let run = 0; run < RUNS_PER_HISTORY; run++) {
    await sleep(nextRunAt(Date.now(), hour) - Date.now());
    // The workflow's clock, so that retention follows Temporal time (and time skipping in tests).
    await eraseExpiredParticipants(new Date(Date.now()).toISOString());
  }
  await continueAsNew<typeof retentionSchedule>(options);
}
