/** What the reset conformance suites share: the raw reset call and a parent with a started child. */
import { randomUUID } from 'node:crypto';
import Long from 'long';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { cfParentWaitingOnChild } from '../workflows';
import { EventType, HistoryEvent, NAMESPACE, num, uid, waitFor } from './helpers';

export type ResetRequest = Omit<temporal.api.workflowservice.v1.IResetWorkflowExecutionRequest, 'namespace' | 'workflowTaskFinishEventId'> & { workflowTaskFinishEventId: number };

/** ResetWorkflowExecution: the SDK's client has no reset call, so it goes through its WorkflowService stub. */
export function reset(client: Client, req: ResetRequest) {
  const { workflowTaskFinishEventId, ...rest } = req;
  return client.workflowService.resetWorkflowExecution({ namespace: NAMESPACE, requestId: randomUUID(), ...rest, workflowTaskFinishEventId: Long.fromNumber(workflowTaskFinishEventId) });
}

/** A parent waiting on a collector child, once its second task (after the child started) completed. */
export async function parentWithStartedChild(client: Client, taskQueue: string) {
  const childId = uid('child');
  const parent = await client.workflow.start(cfParentWaitingOnChild, { taskQueue, workflowId: uid('parent'), args: [childId] });
  const history = async () => (await client.workflow.getHandle(parent.workflowId, parent.firstExecutionRunId).fetchHistory()).events!;
  const completed = (events: HistoryEvent[]) => events.filter((ev) => ev.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  const events = await waitFor(history, (evs) => completed(evs).length >= 2, 'the child to start');
  const afterChildStarted = num(completed(events)[1].eventId);
  const childStarted = events.findIndex((ev) => ev.eventType === EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED);
  if (childStarted < 0 || childStarted >= afterChildStarted - 1) throw new Error('the child did not start before the second workflow task');
  return { parent, child: client.workflow.getHandle(childId), afterChildStarted };
}
