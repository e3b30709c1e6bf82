/** Conformance workflows: child workflows, parent close policies, external signal and cancel. */
import {
  ApplicationFailure,
  ChildWorkflowFailure,
  executeChild,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  startChild,
} from '@temporalio/workflow';
import { cfAppend, cfCollector, cfEcho, cfFail, cfFinish } from './conformance-core';

export async function cfChildResult(childId: string, value: string): Promise<string> {
  return await executeChild(cfEcho, { workflowId: childId, args: [value] });
}

/** Runs a failing child and reports what the parent saw. */
export async function cfChildFailure(childId: string): Promise<string> {
  try {
    await executeChild(cfFail, { workflowId: childId, args: ['child broke'] });
    return 'no failure';
  } catch (err) {
    if (err instanceof ChildWorkflowFailure && err.cause instanceof ApplicationFailure) {
      return `${err.cause.type}: ${err.cause.message}`;
    }
    throw err;
  }
}

/** Waits on a child that collects values: the parent stays open while the child runs. */
export async function cfParentWaitingOnChild(childId: string): Promise<string[]> {
  return await executeChild(cfCollector, { workflowId: childId });
}

/** Starts a child with the given parent close policy and closes at once. */
export async function cfParentClose(childId: string, policy: ParentClosePolicy): Promise<string> {
  const child = await startChild(cfCollector, { workflowId: childId, parentClosePolicy: policy });
  return child.firstExecutionRunId;
}

export async function cfSignalExternal(targetId: string, value: string): Promise<string> {
  const target = getExternalWorkflowHandle(targetId);
  await target.signal(cfAppend, value);
  await target.signal(cfFinish);
  return 'signalled';
}

export async function cfCancelExternal(targetId: string): Promise<string> {
  await getExternalWorkflowHandle(targetId).cancel();
  return 'cancel requested';
}

/** Signals a workflow that does not exist; returns the error the workflow saw. */
export async function cfSignalMissing(targetId: string): Promise<string> {
  try {
    await getExternalWorkflowHandle(targetId).signal(cfFinish);
    return 'signal delivered';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
