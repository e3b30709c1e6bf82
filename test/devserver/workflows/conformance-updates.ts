/** Conformance workflows: updates. */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  setHandler,
  sleep,
} from '@temporalio/workflow';

export const cfIncrement = defineUpdate<number, [number]>('cfIncrement');
export const cfSleepyUpdate = defineUpdate<string, [number]>('cfSleepyUpdate');
export const cfGatedUpdate = defineUpdate<string, [string]>('cfGatedUpdate');
export const cfFailingUpdate = defineUpdate<string, []>('cfFailingUpdate');
export const cfOpenGate = defineSignal('cfOpenGate');
export const cfStop = defineSignal('cfStop');
export const cfTotal = defineQuery<number>('cfTotal');

/** Holds a total that updates change; stops on `cfStop` once every handler finished. */
export async function cfUpdatable(): Promise<number> {
  let total = 0;
  let gateOpen = false;
  let stop = false;
  setHandler(
    cfIncrement,
    (n: number) => {
      total += n;
      return total;
    },
    {
      validator: (n: number) => {
        if (n < 0) throw new Error(`negative increment ${n} rejected`);
      },
    },
  );
  setHandler(cfSleepyUpdate, async (ms: number) => {
    await sleep(ms);
    return `slept ${ms} ms`;
  });
  setHandler(cfGatedUpdate, async (tag: string) => {
    await condition(() => gateOpen);
    return `gate passed by ${tag}`;
  });
  setHandler(cfFailingUpdate, async () => {
    throw ApplicationFailure.nonRetryable('update handler failed', 'CfUpdateFailure');
  });
  setHandler(cfOpenGate, () => void (gateOpen = true));
  setHandler(cfStop, () => void (stop = true));
  setHandler(cfTotal, () => total);
  await condition(() => stop && allHandlersFinished());
  return total;
}

/** Takes increments until `cfStop`, then continues as new `runs` more times (each run its own updates). */
export async function cfUpdatableRuns(runs: number): Promise<number> {
  let total = 0;
  let stop = false;
  setHandler(cfIncrement, (n: number) => (total += n));
  setHandler(cfStop, () => void (stop = true));
  await condition(() => stop && allHandlersFinished());
  if (runs > 0) await continueAsNew<typeof cfUpdatableRuns>(runs - 1);
  return total;
}
