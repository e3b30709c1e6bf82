/** Workflows the UI tests run: a named timer, current details, a query, a signal and an activity. */
import { condition, defineQuery, defineSignal, proxyActivities, setCurrentDetails, setHandler, sleep } from '@temporalio/workflow';

export const statusQuery = defineQuery<{ name: string; stage: string }>('status');
export const advanceSignal = defineSignal<[string]>('advance');

const { shout } = proxyActivities<{ shout(s: string): Promise<string> }>({ startToCloseTimeout: '1 minute' });

/** Waits on a named one-hour timer until signalled, then runs an activity and returns. */
export async function uiProbe(name: string): Promise<string> {
  let stage = 'waiting';
  let note = '';
  setHandler(statusQuery, () => ({ name, stage }));
  setHandler(advanceSignal, (n) => {
    note = n;
    stage = 'advanced';
  });
  setCurrentDetails(`Waiting for **${name}**`);
  await Promise.race([sleep('1 hour', { summary: `deadline of ${name}` }), condition(() => stage === 'advanced')]);
  setCurrentDetails(`Advanced with ${note}`);
  return shout(`${name} ${note}`);
}
