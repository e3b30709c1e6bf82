/** Conformance workflows: upserts of search attributes and memo, patches, local activities. */
import {
  condition,
  defineSignal,
  deprecatePatch,
  patched,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { CF_INT, CF_KEYWORD } from './conformance-keys';

export const cfRelease = defineSignal('cfRelease');

/** Upserts search attributes and memo, waits to be released, then reports what it sees. */
export async function cfUpserter(): Promise<{ keyword: string | undefined; int: number | undefined; memo: Record<string, unknown> }> {
  let released = false;
  setHandler(cfRelease, () => void (released = true));
  upsertSearchAttributes([
    { key: CF_KEYWORD, value: 'upserted' },
    { key: CF_INT, value: 42 },
  ]);
  upsertMemo({ note: 'upserted', gone: null });
  await condition(() => released);
  const info = workflowInfo();
  return {
    keyword: info.typedSearchAttributes.get(CF_KEYWORD),
    int: info.typedSearchAttributes.get(CF_INT),
    memo: (info.memo ?? {}) as Record<string, unknown>,
  };
}

/** Takes patched branches around a timer, so that each task replays the markers. */
export async function cfPatches(): Promise<string[]> {
  const path: string[] = [];
  path.push(patched('cf-new-path') ? 'new' : 'old');
  deprecatePatch('cf-deprecated');
  await sleep(10);
  path.push(patched('cf-new-path') ? 'new-again' : 'old-again');
  await sleep(10);
  return path;
}

const { cfLocalAdd } = proxyLocalActivities<{ cfLocalAdd(a: number, b: number): Promise<number> }>({
  startToCloseTimeout: '10s',
});

/** Two local activities around a timer: their results come back from markers on replay. */
export async function cfLocalActivities(): Promise<number> {
  const a = await cfLocalAdd(1, 2);
  await sleep(10);
  const b = await cfLocalAdd(a, 10);
  await sleep(10);
  return b;
}
