/**
 * Payload limits on a workflow task's commands and messages, as Temporal's history service checks
 * them (service/history/api/respondworkflowtaskcompleted/workflow_task_completed_handler.go): a
 * payload above the limit fails the task and terminates the workflow, naming the field. The
 * causes are the server's, including its BAD_SCHEDULE_ACTIVITY_ATTRIBUTES for an oversized result.
 */
import { CommandType as C, WftFailedCause } from '../enums';
import { Limits } from '../limits';
import { enumName, Pb } from '../proto';
import { FAILURE, PAYLOAD, PAYLOADS, blobMapOverLimit, blobOverLimit, memoOverLimit } from './payload-size';
import { Run } from './run';
import { varintLength } from '../history/varint';

export interface SizeProblem {
  cause: number;
  /** As the server words it: "<Cause>: <field> exceeds size limit." */
  message: string;
}

type Check = [tooBig: boolean, cause: number, field: string];

function first(checks: Array<() => Check>): SizeProblem | undefined {
  for (const check of checks) {
    const [tooBig, cause, field] = check();
    if (tooBig) return { cause, message: `${causeName(cause)}: ${field}` };
  }
  return undefined;
}

/** The Go API's name of a cause: BAD_SCHEDULE_ACTIVITY_ATTRIBUTES is "BadScheduleActivityAttributes". */
function causeName(cause: number): string {
  return enumName('WorkflowTaskFailedCause', cause)
    .replace(/^WORKFLOW_TASK_FAILED_CAUSE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z0-9])/g, (_m, _u, c: string) => c.toUpperCase());
}

export function commandSizeProblem(limits: Limits, run: Run, cmd: Pb): SizeProblem | undefined {
  const blob = (type: string, v: Pb) => blobOverLimit(limits, type, v);
  switch (cmd.commandType) {
    case C.SCHEDULE_ACTIVITY_TASK: {
      const a = cmd.scheduleActivityTaskCommandAttributes ?? {};
      return first([() => [blob(PAYLOADS, a.input), WftFailedCause.BAD_SCHEDULE_ACTIVITY_ATTRIBUTES, 'ScheduleActivityTaskCommandAttributes.Input exceeds size limit.']]);
    }
    case C.COMPLETE_WORKFLOW_EXECUTION: {
      const a = cmd.completeWorkflowExecutionCommandAttributes ?? {};
      return first([() => [blob(PAYLOADS, a.result), WftFailedCause.BAD_SCHEDULE_ACTIVITY_ATTRIBUTES, 'CompleteWorkflowExecutionCommandAttributes.Result exceeds size limit.']]);
    }
    case C.FAIL_WORKFLOW_EXECUTION: {
      const a = cmd.failWorkflowExecutionCommandAttributes ?? {};
      return first([() => [blob(FAILURE, a.failure), WftFailedCause.BAD_FAIL_WORKFLOW_EXECUTION_ATTRIBUTES, 'FailWorkflowExecutionCommandAttributes.Failure exceeds size limit.']]);
    }
    case C.RECORD_MARKER: {
      const a = cmd.recordMarkerCommandAttributes ?? {};
      return first([() => [blobMapOverLimit(limits, PAYLOADS, a.details), WftFailedCause.BAD_RECORD_MARKER_ATTRIBUTES, 'RecordMarkerCommandAttributes.Details exceeds size limit.']]);
    }
    case C.CONTINUE_AS_NEW_WORKFLOW_EXECUTION: {
      const a = cmd.continueAsNewWorkflowExecutionCommandAttributes ?? {};
      const cause = WftFailedCause.BAD_CONTINUE_AS_NEW_ATTRIBUTES;
      return first([
        () => [blob(PAYLOADS, a.input), cause, 'ContinueAsNewWorkflowExecutionCommandAttributes. Input exceeds size limit.'],
        () => [memoOverLimit(limits, a.memo), cause, 'ContinueAsNewWorkflowExecutionCommandAttributes. Memo exceeds size limit.'],
      ]);
    }
    case C.START_CHILD_WORKFLOW_EXECUTION: {
      const a = cmd.startChildWorkflowExecutionCommandAttributes ?? {};
      const cause = WftFailedCause.BAD_START_CHILD_EXECUTION_ATTRIBUTES;
      return first([
        () => [blob(PAYLOADS, a.input), cause, 'StartChildWorkflowExecutionCommandAttributes. Input exceeds size limit.'],
        () => [memoOverLimit(limits, a.memo), cause, 'StartChildWorkflowExecutionCommandAttributes.Memo exceeds size limit.'],
      ]);
    }
    case C.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION: {
      const a = cmd.signalExternalWorkflowExecutionCommandAttributes ?? {};
      return first([() => [blob(PAYLOADS, a.input), WftFailedCause.BAD_SIGNAL_WORKFLOW_EXECUTION_ATTRIBUTES, 'SignalExternalWorkflowExecutionCommandAttributes.Input exceeds size limit.']]);
    }
    case C.MODIFY_WORKFLOW_PROPERTIES: {
      const fields = cmd.modifyWorkflowPropertiesCommandAttributes?.upsertedMemo?.fields;
      const cause = WftFailedCause.BAD_MODIFY_WORKFLOW_PROPERTIES_ATTRIBUTES;
      return first([
        () => [blobMapOverLimit(limits, PAYLOAD, fields), cause, 'ModifyWorkflowPropertiesCommandAttributes exceeds size limit.'],
        () => [memoOverLimit(limits, { fields: { ...run.memo, ...fields } }), cause, 'ModifyWorkflowPropertiesCommandAttributes. Memo exceeds size limit.'],
      ]);
    }
    default:
      return undefined;
  }
}

/** A protocol message (update acceptance, response...) whose body is above the blob limit. */
export function messageSizeProblem(limits: Limits, msg: Pb): SizeProblem | undefined {
  const body = msg?.body;
  if (!body) return undefined;
  const typeUrl = String(body.type_url ?? '');
  const size = field(Buffer.byteLength(typeUrl)) + field(body.value?.length ?? 0);
  if (size <= limits.blobSizeWarn || size <= limits.blobSizeError) return undefined;
  const cause = WftFailedCause.BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE;
  return { cause, message: `${causeName(cause)}: Message type ${typeUrl.replace(/^.*\//, '')} exceeds size limit.` };
}

/** Encoded size of a length-delimited field of `n` bytes (absent when empty). */
function field(n: number): number {
  return n === 0 ? 0 : 1 + varintLength(n) + n;
}
