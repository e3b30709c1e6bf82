/** Enum values used by the engine, read from the proto definitions once. */
import { enumValues } from './proto';

export const EventType = enumValues('EventType');
export const CommandType = enumValues('CommandType');
export const WorkflowStatus = enumValues('WorkflowExecutionStatus');
export const RetryState = enumValues('RetryState');
export const TimeoutType = enumValues('TimeoutType');
export const WftFailedCause = enumValues('WorkflowTaskFailedCause');
export const ReusePolicy = enumValues('WorkflowIdReusePolicy');
export const ConflictPolicy = enumValues('WorkflowIdConflictPolicy');
export const ParentClosePolicy = enumValues('ParentClosePolicy');
export const TaskQueueKind = enumValues('TaskQueueKind');
export const HistoryEventFilter = enumValues('HistoryEventFilterType');
export const IndexedValueType = enumValues('IndexedValueType');
export const ContinueAsNewInitiator = enumValues('ContinueAsNewInitiator');
export const StartChildFailedCause = enumValues('StartChildWorkflowExecutionFailedCause');
export const CancelExternalFailedCause = enumValues('CancelExternalWorkflowExecutionFailedCause');
export const SignalExternalFailedCause = enumValues('SignalExternalWorkflowExecutionFailedCause');
export const UpdateLifecycleStage = enumValues('UpdateWorkflowExecutionLifecycleStage');
export const ResourceExhaustedCause = enumValues('ResourceExhaustedCause');
export const ResourceExhaustedScope = enumValues('ResourceExhaustedScope');
export const QueryResultType = enumValues('QueryResultType');
export const PendingActivityState = enumValues('PendingActivityState');
export const QueryRejectCondition = enumValues('QueryRejectCondition');

/**
 * A value's short name, as the Go API's String() spells it: WORKFLOW_TASK_FAILED_CAUSE_BAD_X
 * is "BadX", EXECUTION_STATUS_RUNNING "Running" (`values` holds the names without their prefix).
 */
export function shortName(values: Record<string, number>, value: number): string {
  const key = Object.keys(values).find((k) => values[k] === value);
  if (key === undefined) return String(value);
  return key.split('_').map((w) => w[0] + w.slice(1).toLowerCase()).join('');
}
