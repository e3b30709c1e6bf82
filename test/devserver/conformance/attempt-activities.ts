/** Activities that record which attempt of them ran, per key, for the activity conformance tests. */
import { ApplicationFailure, Context } from '@temporalio/activity';

/** Attempt numbers seen per key, in the order they ran. */
export const attempts = new Map<string, number[]>();

export function record(key: string): number {
  const { attempt } = Context.current().info;
  attempts.set(key, [...(attempts.get(key) ?? []), attempt]);
  return attempt;
}

export const attemptActivities = {
  /** Fails (retryably) until attempt `succeedOn`, which returns its number. */
  async cfFlaky(key: string, succeedOn: number): Promise<number> {
    const attempt = record(key);
    if (attempt < succeedOn) throw ApplicationFailure.retryable(`attempt ${attempt} failed`, 'Flaky');
    return attempt;
  },
  /** Sleeps (cancellably) on the attempts listed, returns at once on the others. */
  async cfSlow(key: string, ms: number, slowAttempts: number[]): Promise<string> {
    const attempt = record(key);
    if (slowAttempts.includes(attempt)) await Context.current().sleep(ms);
    return `attempt ${attempt} done`;
  },
  async cfHeartbeatOnceThenStall(key: string, detail: string): Promise<string> {
    record(key);
    Context.current().heartbeat(detail);
    await Context.current().sleep(20_000);
    return 'not reached';
  },
};
