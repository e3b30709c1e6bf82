/** Conformance workflows: workflow task behaviour (buffered events, failures). */
import { CancellationScope, condition, defineSignal, isCancellation, setHandler, sleep } from '@temporalio/workflow';
import { cfAppend } from './conformance-core';

export const cfTick = defineSignal('cfTick');
export const cfFix = defineSignal('cfFix');

/** Deterministic CPU work that keeps a workflow task busy (started) for a while. */
function spin(iterations: number): number {
  let x = 1;
  for (let i = 0; i < iterations; i++) x = (x * 31 + i) % 1_000_003;
  return x;
}

/** Counts ticks; every activation does some CPU work, so ticks arrive while tasks are started. */
export async function cfBusyCounter(expected: number, spinIterations: number): Promise<number> {
  let count = 0;
  setHandler(cfTick, () => void count++);
  while (count < expected) {
    spin(spinIterations);
    const seen = count;
    await condition(() => count > seen);
  }
  return count;
}

/** Completes in the task that delivers the first value, after a long computation. */
export async function cfCompleteOnFirst(spinIterations: number): Promise<string[]> {
  const got: string[] = [];
  setHandler(cfAppend, (v) => void got.push(v));
  await condition(() => got.length > 0);
  spin(spinIterations);
  return [...got];
}

/** Throws a non-Temporal error (a workflow task failure) until it has received `cfFix`. */
export async function cfBrokenUntilFixed(): Promise<string> {
  let fixed = false;
  setHandler(cfFix, () => void (fixed = true));
  // Resolves after every job of the activation ran, so a cfFix delivered with it counts.
  await condition(() => true);
  if (!fixed) throw new TypeError('workflow code is broken until fixed');
  return 'fixed';
}

/**
 * Two timers, the second due `gapMs` after the first; when the first fires the task computes for a
 * while (so the second fires while it is started) and then cancels the second. Returns whether the
 * second timer's sleep ended by firing (false: canceled).
 */
export async function cfCancelLateTimer(firstMs: number, gapMs: number, spinIterations: number): Promise<boolean> {
  const late = new CancellationScope();
  const second = late.run(() => sleep(firstMs + gapMs)).then(() => true, (error: unknown) => {
    if (isCancellation(error)) return false;
    throw error;
  });
  await sleep(firstMs);
  spin(spinIterations);
  late.cancel();
  const fired = await second;
  await sleep(gapMs * 3); // one more task after the buffer was flushed
  return fired;
}
