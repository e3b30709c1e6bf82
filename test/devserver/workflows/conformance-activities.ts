/** Conformance workflows: activities run with given options, outcomes reported as data. */
import {
  ActivityCancellationType,
  ActivityFailure,
  ActivityOptions,
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  condition,
  defineSignal,
  isCancellation,
  proxyActivities,
  setHandler,
  TimeoutFailure,
} from '@temporalio/workflow';

export interface CfFailureInfo {
  name: string;
  message: string;
  retryState?: string;
  cancelled: boolean;
  cause?: { name: string; message: string; type?: string; timeoutType?: string; lastHeartbeatDetails?: unknown };
}

export interface CfActivityOutcome {
  result?: unknown;
  failure?: CfFailureInfo;
}

function describeFailure(err: unknown): CfFailureInfo {
  const e = err as Error;
  const info: CfFailureInfo = { name: e?.name ?? typeof err, message: e?.message ?? String(err), cancelled: isCancellation(err) };
  if (err instanceof ActivityFailure) {
    info.retryState = err.retryState;
    const c = err.cause;
    if (c) {
      info.cause = { name: c.name, message: c.message };
      if (c instanceof ApplicationFailure) info.cause.type = c.type ?? undefined;
      if (c instanceof TimeoutFailure) {
        info.cause.timeoutType = c.timeoutType;
        info.cause.lastHeartbeatDetails = c.lastHeartbeatDetails;
      }
      if (c instanceof CancelledFailure) info.cause.type = 'cancelled';
    }
  }
  return info;
}

type AnyActivities = Record<string, (...args: unknown[]) => Promise<unknown>>;

/** Runs one activity by name with the given options; reports its result or failure. */
export async function cfRunActivity(activityType: string, args: unknown[], options: ActivityOptions): Promise<CfActivityOutcome> {
  const acts = proxyActivities<AnyActivities>(options);
  try {
    return { result: await acts[activityType](...args) };
  } catch (err) {
    return { failure: describeFailure(err) };
  }
}

export const cfCancelActivity = defineSignal('cfCancelActivity');

/** Runs an activity in a cancellation scope and cancels the scope when told to. */
export async function cfCancelledActivity(activityType: string, args: unknown[], options: ActivityOptions): Promise<CfActivityOutcome> {
  let cancel = false;
  setHandler(cfCancelActivity, () => void (cancel = true));
  const acts = proxyActivities<AnyActivities>({ cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED, ...options });
  const scope = new CancellationScope();
  const running = scope.run(() => acts[activityType](...args));
  await condition(() => cancel);
  scope.cancel();
  try {
    return { result: await running };
  } catch (err) {
    return { failure: describeFailure(err) };
  }
}

/** Schedules an activity and completes at once, in the same workflow task, without waiting for it. */
export async function cfScheduleAndReturn(activityType: string, args: unknown[], options: ActivityOptions): Promise<string> {
  const acts = proxyActivities<AnyActivities>(options);
  acts[activityType](...args).catch(() => undefined);
  return 'returned';
}
