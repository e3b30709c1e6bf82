/** Workflows the conformance suite drives through the official SDK. */
import { proxyActivities, sleep, defineSignal, defineQuery, setHandler, condition, workflowInfo } from '@temporalio/workflow';

const { echo } = proxyActivities<{ echo(s: string): Promise<string> }>({ startToCloseTimeout: '10s' });

export async function greet(name: string): Promise<string> {
  return await echo(`Hello, ${name}!`);
}

export async function sleeper(ms: number, steps: number): Promise<number> {
  for (let i = 0; i < steps; i++) await sleep(ms);
  return Date.now();
}

export const addSignal = defineSignal<[number]>('add');
export const doneSignal = defineSignal('done');
export const totalQuery = defineQuery<number>('total');

export async function counter(): Promise<number> {
  let total = 0;
  let done = false;
  setHandler(addSignal, (n) => void (total += n));
  setHandler(doneSignal, () => void (done = true));
  setHandler(totalQuery, () => total);
  await condition(() => done);
  return total;
}

export async function whoAmI(): Promise<string> {
  return workflowInfo().workflowId;
}
