/** Conformance workflows: start, signals, queries, describe, history, lifecycle. */
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  isCancellation,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { CF_KEYWORD } from './conformance-keys';

export const cfAppend = defineSignal<[string]>('cfAppend');
export const cfFinish = defineSignal('cfFinish');
export const cfValues = defineQuery<string[]>('cfValues');

/** Collects appended values until finished, then returns them. Answers `cfValues` at any time. */
export async function cfCollector(): Promise<string[]> {
  const values: string[] = [];
  let done = false;
  setHandler(cfAppend, (v) => void values.push(v));
  setHandler(cfFinish, () => void (done = true));
  setHandler(cfValues, () => values);
  await condition(() => done);
  return values;
}

export async function cfEcho(value: string): Promise<string> {
  return value;
}

export async function cfFail(message: string): Promise<string> {
  throw ApplicationFailure.nonRetryable(message, 'CfFailure');
}

export interface CfStartInfo {
  memo: Record<string, unknown>;
  keyword: string | undefined;
  runId: string;
  firstExecutionRunId: string;
  attempt: number;
}

/** What the workflow itself sees of its start. */
export async function cfStartInfo(): Promise<CfStartInfo> {
  const info = workflowInfo();
  return {
    memo: (info.memo ?? {}) as Record<string, unknown>,
    keyword: info.typedSearchAttributes.get(CF_KEYWORD),
    runId: info.runId,
    firstExecutionRunId: info.firstExecutionRunId,
    attempt: info.attempt,
  };
}

/** Continues as new `remaining` times, collecting each run's id; the last run returns them. */
export async function cfContinuer(remaining: number, seen: string[] = []): Promise<{ runs: string[]; firstExecutionRunId: string }> {
  const info = workflowInfo();
  const runs = [...seen, info.runId];
  if (remaining > 0) await continueAsNew<typeof cfContinuer>(remaining - 1, runs);
  return { runs, firstExecutionRunId: info.firstExecutionRunId };
}

/** Fails retryably until attempt `succeedOn`, then returns the attempt. */
export async function cfRetrying(succeedOn: number): Promise<number> {
  const { attempt } = workflowInfo();
  if (attempt < succeedOn) throw ApplicationFailure.retryable(`attempt ${attempt} fails`, 'CfRetry');
  return attempt;
}

/** Waits for cancellation; with `handle`, cleans up and completes normally. */
export async function cfCancellable(handle: boolean): Promise<string> {
  try {
    await condition(() => false);
    return 'not reached';
  } catch (err) {
    if (!handle || !isCancellation(err)) throw err;
    await CancellationScope.nonCancellable(() => sleep(1));
    return 'cleaned up after cancellation';
  }
}
