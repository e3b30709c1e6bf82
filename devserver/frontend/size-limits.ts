/**
 * What Temporal's frontend does with oversized payloads from workers (service/frontend/
 * workflow_handler.go): the call succeeds, but the activity fails with a non-retryable server
 * failure naming the problem (common/util.go FailureReason*), and oversized failures are replaced
 * by one whose cause is the original cut down to the warn limit.
 */
import { Pb } from '../proto';
import { Engine } from '../state/engine';
import { ActivityState as Activity, Run } from '../state/run';
import { cancelActivity, completeActivity, failActivity, heartbeat } from '../state/activities';
import { QueryResultType } from '../enums';
import { BLOB_TOO_LARGE, FAILURE, PAYLOADS, blobOverLimit, serverFailure, truncateFailure } from '../state/payload-size';

const COMPLETE_RESULT_EXCEEDS = 'Complete result exceeds size limit.';
const FAILURE_EXCEEDS = 'Failure exceeds size limit.';
const CANCEL_DETAILS_EXCEED = 'Cancel details exceed size limit.';
const HEARTBEAT_EXCEEDS = 'Heartbeat details exceed size limit.';

export function completeWithinLimits(e: Engine, run: Run, act: Activity, result: Pb, identity: string): void {
  if (blobOverLimit(e.limits, PAYLOADS, result)) failActivity(e, run, act, serverFailure(COMPLETE_RESULT_EXCEEDS, true), identity);
  else completeActivity(e, run, act, result, identity);
}

export function cancelWithinLimits(e: Engine, run: Run, act: Activity, details: Pb, identity: string): void {
  if (blobOverLimit(e.limits, PAYLOADS, details)) failActivity(e, run, act, serverFailure(CANCEL_DETAILS_EXCEED, true), identity);
  else cancelActivity(e, run, act, details, identity);
}

/** Oversized heartbeat details fail the activity; the worker is told to cancel it. */
export function heartbeatWithinLimits(e: Engine, run: Run, act: Activity, details: Pb, identity: string): Pb {
  if (!blobOverLimit(e.limits, PAYLOADS, details)) return heartbeat(e, run, act, details);
  failActivity(e, run, act, serverFailure(HEARTBEAT_EXCEEDS, true), identity);
  return { cancelRequested: true, activityPaused: false, activityReset: false };
}

/** RespondActivityTaskFailed: oversized parts are replaced and reported in the response's failures. */
export function failWithinLimits(e: Engine, run: Run, act: Activity, req: Pb): Pb {
  const failures: Pb[] = [];
  let details = req.lastHeartbeatDetails;
  if (details && blobOverLimit(e.limits, PAYLOADS, details)) {
    failures.push(serverFailure(HEARTBEAT_EXCEEDS, true));
    details = undefined;
  }
  const failure = oversizedFailureReplaced(e, req.failure);
  if (failure !== req.failure) failures.push(failure);
  failActivity(e, run, act, failure, req.identity ?? '', details);
  return { failures };
}

/** A failure above the blob limit becomes a server failure with the original, cut down, as cause. */
export function oversizedFailureReplaced(e: Engine, failure: Pb): Pb {
  if (!blobOverLimit(e.limits, FAILURE, failure)) return failure;
  return { ...serverFailure(FAILURE_EXCEEDS, true), cause: truncateFailure(failure, e.limits.blobSizeWarn) };
}

/** RespondQueryTaskCompleted: an oversized answer reaches the caller as a failed query. */
export function queryAnswerWithinLimits(e: Engine, req: Pb): Pb {
  if (!blobOverLimit(e.limits, PAYLOADS, req.queryResult)) return req;
  return { taskToken: req.taskToken, completedType: QueryResultType.FAILED, errorMessage: BLOB_TOO_LARGE };
}
