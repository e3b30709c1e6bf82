/** Workflows of the lifecycle conformance tests: failing tasks, retries with a delay, long sleeps, echoes. */
import { ApplicationFailure, condition, defineQuery, defineSignal, setHandler, sleep, workflowInfo } from '@temporalio/workflow';

export const lcBreak = defineSignal('lcBreak');
export const lcState = defineQuery<string>('lcState');

/** Completes its first task; a later `lcBreak` signal makes every following task fail (TypeError). */
export async function lcBreakOnSignal(): Promise<string> {
  let broken = false;
  setHandler(lcBreak, () => void (broken = true));
  setHandler(lcState, () => (broken ? 'broken' : 'ok'));
  await condition(() => broken);
  throw new TypeError('workflow code broken on signal');
}

/** Returns its attempt number. */
export async function lcEcho(value: string): Promise<string> {
  return `${value}:${workflowInfo().attempt}`;
}

/** Attempt 1 fails asking for a 30s retry delay (nextRetryDelay); attempt 2 succeeds. */
export async function lcNextRetryDelay(): Promise<number> {
  const { attempt } = workflowInfo();
  if (attempt === 1) throw ApplicationFailure.create({ message: 'retry me later', type: 'LcRetry', nextRetryDelay: '30s' });
  return attempt;
}

/** Sleeps longer than any timeout the tests give it. */
export async function lcSleeper(): Promise<void> {
  await sleep('1 day');
}
