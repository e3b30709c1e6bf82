/** Workflows the benchmarks run. */
import { proxyActivities, sleep } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(n: number): Promise<number> }>({ startToCloseTimeout: '10s' });

export async function oneActivity(n: number): Promise<number> {
  return await noop(n);
}

export async function sleepSteps(ms: number, steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) await sleep(ms);
}

export async function waitLong(): Promise<void> {
  await sleep('3650 days');
}
