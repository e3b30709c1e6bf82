/** Workflows: a workflow that signals / cancels itself through an external handle. */
import { condition, defineSignal, getExternalWorkflowHandle, setHandler, workflowInfo } from '@temporalio/workflow';

export const extPing = defineSignal('extPing');

/** Signals itself; reports whether the signal call failed and whether the signal arrived. */
export async function extSignalSelf(): Promise<{ error: string; received: boolean }> {
  let received = false;
  setHandler(extPing, () => void (received = true));
  let error = '';
  try {
    await getExternalWorkflowHandle(workflowInfo().workflowId).signal(extPing);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  await condition(() => received, 500);
  return { error, received };
}

/** Requests cancel of a (closed) workflow; reports the error the workflow saw, if any. */
export async function extCancelOther(targetId: string): Promise<string> {
  try {
    await getExternalWorkflowHandle(targetId).cancel();
    return 'cancel requested';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
