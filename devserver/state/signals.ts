/** Signals: written to history (or held while a task is started) and waking the workflow. */
import { EventType as E } from '../enums';
import { Pb } from '../proto';
import { Engine } from './engine';
import { Run } from './run';
import { scheduleWorkflowTask } from './workflow-task';

/** Returns false when a signal with this request id was already delivered. */
export function signalRun(e: Engine, run: Run, attrs: Pb, requestId?: string): boolean {
  if (requestId && run.signalRequestIds.has(requestId)) return false;
  e.appendOrBuffer(run, e.event(E.WORKFLOW_EXECUTION_SIGNALED, 'workflowExecutionSignaledEventAttributes', attrs));
  if (requestId) e.rememberSignalRequestId(run, requestId);
  scheduleWorkflowTask(e, run);
  return true;
}
