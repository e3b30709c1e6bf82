/**
 * Version 1 of a workflow whose code changes incompatibly in conformance-nondet-v2.ts.
 * Not exported from index.ts: the two versions share a workflow type name; each is bundled alone.
 */
import { condition, defineSignal, setHandler } from '@temporalio/workflow';

export const cfNondetGo = defineSignal('cfNondetGo');

export async function cfNondeterministic(): Promise<string> {
  let go = false;
  setHandler(cfNondetGo, () => void (go = true));
  await condition(() => go, '1 day'); // first command: StartTimer
  return 'v1';
}
