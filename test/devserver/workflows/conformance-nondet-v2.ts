/** Version 2 of cfNondeterministic: its first command is an activity, not a timer (see v1). */
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';

export const cfNondetGo = defineSignal('cfNondetGo');

const { cfNoop } = proxyActivities<{ cfNoop(): Promise<void> }>({ startToCloseTimeout: '1 minute' });

export async function cfNondeterministic(): Promise<string> {
  let go = false;
  setHandler(cfNondetGo, () => void (go = true));
  await cfNoop(); // first command: ScheduleActivityTask
  await condition(() => go);
  return 'v2';
}
