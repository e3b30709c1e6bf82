/** Child workflows, parent close policies, and signal / cancel of external workflows. */
import { temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import {
  cfCancelExternal,
  cfCancellable,
  cfChildFailure,
  cfChildResult,
  cfCollector,
  cfParentClose,
  cfSignalExternal,
  cfSignalMissing,
} from '../workflows';
import { EventType, historyOf, typeName, typeNames, uid, waitFor, withWorker, suiteEnv } from './helpers';

const env = suiteEnv(devEnv);

const Status = temporal.api.enums.v1.WorkflowExecutionStatus;

async function statusOf(workflowId: string): Promise<number> {
  return (await env.client.workflow.getHandle(workflowId).describe()).status.code;
}

describe('child workflows', () => {
  test('a child result reaches the parent; the child records its parent', async () => {
    const taskQueue = uid('child-result');
    const parentId = uid('parent');
    const childId = uid('child');
    await withWorker(env, { taskQueue }, async () => {
      const parent = await env.client.workflow.start(cfChildResult, { taskQueue, workflowId: parentId, args: [childId, 'from child'] });
      expect(await parent.result()).toBe('from child');
      const types = typeNames(await historyOf(env, parentId));
      expect(types).toEqual(
        expect.arrayContaining(['START_CHILD_WORKFLOW_EXECUTION_INITIATED', 'CHILD_WORKFLOW_EXECUTION_STARTED', 'CHILD_WORKFLOW_EXECUTION_COMPLETED']),
      );
      const childStart = (await historyOf(env, childId))[0].workflowExecutionStartedEventAttributes!;
      expect(childStart.parentWorkflowExecution?.workflowId).toBe(parentId);
      expect(childStart.parentWorkflowExecution?.runId).toBe(parent.firstExecutionRunId);
      const initiated = (await historyOf(env, parentId)).find((e) => e.eventType === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)!;
      expect(Number(childStart.parentInitiatedEventId)).toBe(Number(initiated.eventId));
    });
  });

  test('a child failure reaches the parent as a ChildWorkflowFailure with the cause', async () => {
    const taskQueue = uid('child-failure');
    const parentId = uid('parent');
    await withWorker(env, { taskQueue }, async () => {
      const result = await env.client.workflow.execute(cfChildFailure, { taskQueue, workflowId: parentId, args: [uid('child')] });
      expect(result).toBe('CfFailure: child broke');
      expect(typeNames(await historyOf(env, parentId))).toContain('CHILD_WORKFLOW_EXECUTION_FAILED');
    });
  });

  test('parent close policy TERMINATE terminates the child when the parent closes', async () => {
    const taskQueue = uid('pcp-terminate');
    const childId = uid('child');
    await withWorker(env, { taskQueue }, async () => {
      await env.client.workflow.execute(cfParentClose, { taskQueue, workflowId: uid('parent'), args: [childId, 'TERMINATE'] });
      await waitFor(() => statusOf(childId), (s) => s !== Status.WORKFLOW_EXECUTION_STATUS_RUNNING, 'child closed by parent close policy');
      expect(await statusOf(childId)).toBe(Status.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    });
  });

  test('parent close policy REQUEST_CANCEL cancels the child when the parent closes', async () => {
    const taskQueue = uid('pcp-cancel');
    const childId = uid('child');
    await withWorker(env, { taskQueue }, async () => {
      await env.client.workflow.execute(cfParentClose, { taskQueue, workflowId: uid('parent'), args: [childId, 'REQUEST_CANCEL'] });
      await waitFor(() => statusOf(childId), (s) => s !== Status.WORKFLOW_EXECUTION_STATUS_RUNNING, 'child closed by parent close policy');
      expect(await statusOf(childId)).toBe(Status.WORKFLOW_EXECUTION_STATUS_CANCELED);
      expect(typeNames(await historyOf(env, childId))).toContain('WORKFLOW_EXECUTION_CANCEL_REQUESTED');
    });
  });

  test('parent close policy ABANDON leaves the child running', async () => {
    const taskQueue = uid('pcp-abandon');
    const childId = uid('child');
    await withWorker(env, { taskQueue }, async () => {
      const parent = await env.client.workflow.start(cfParentClose, { taskQueue, workflowId: uid('parent'), args: [childId, 'ABANDON'] });
      await parent.result();
      // The parent is closed; give any (wrong) close policy a chance to act, then check the child.
      expect((await parent.describe()).status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_COMPLETED);
      await new Promise((r) => setTimeout(r, 500));
      expect(await statusOf(childId)).toBe(Status.WORKFLOW_EXECUTION_STATUS_RUNNING);
      const types = typeNames(await historyOf(env, childId));
      expect(types).not.toContain('WORKFLOW_EXECUTION_CANCEL_REQUESTED');
      await env.client.workflow.getHandle(childId).terminate('cleanup');
    });
  });
});

describe('external workflows', () => {
  test('a workflow signals another workflow (getExternalWorkflowHandle().signal)', async () => {
    const taskQueue = uid('ext-signal');
    const targetId = uid('target');
    const senderId = uid('sender');
    await withWorker(env, { taskQueue }, async () => {
      const target = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: targetId });
      expect(await env.client.workflow.execute(cfSignalExternal, { taskQueue, workflowId: senderId, args: [targetId, 'hello'] })).toBe('signalled');
      expect(await target.result()).toEqual(['hello']);
      const senderTypes = typeNames(await historyOf(env, senderId));
      expect(senderTypes.filter((t) => t === 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED')).toHaveLength(2);
      expect(senderTypes.filter((t) => t === 'EXTERNAL_WORKFLOW_EXECUTION_SIGNALED')).toHaveLength(2);
      const signaled = (await historyOf(env, targetId)).find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)!;
      expect(signaled.workflowExecutionSignaledEventAttributes?.externalWorkflowExecution?.workflowId).toBe(senderId);
    });
  });

  test('a workflow cancels another workflow (getExternalWorkflowHandle().cancel)', async () => {
    const taskQueue = uid('ext-cancel');
    const targetId = uid('target');
    const senderId = uid('sender');
    await withWorker(env, { taskQueue }, async () => {
      const target = await env.client.workflow.start(cfCancellable, { taskQueue, workflowId: targetId, args: [true] });
      expect(await env.client.workflow.execute(cfCancelExternal, { taskQueue, workflowId: senderId, args: [targetId] })).toBe('cancel requested');
      expect(await target.result()).toBe('cleaned up after cancellation');
      const requested = (await historyOf(env, targetId)).find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED)!;
      expect(requested.workflowExecutionCancelRequestedEventAttributes?.externalWorkflowExecution?.workflowId).toBe(senderId);
      expect(typeNames(await historyOf(env, senderId))).toContain('EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED');
    });
  });

  test('signalling a workflow that does not exist fails inside the workflow', async () => {
    const taskQueue = uid('ext-missing');
    const senderId = uid('sender');
    await withWorker(env, { taskQueue }, async () => {
      const seen = await env.client.workflow.execute(cfSignalMissing, { taskQueue, workflowId: senderId, args: [uid('nobody')] });
      expect(seen).toBe('Unable to signal external workflow because it was not found');
      const failed = (await historyOf(env, senderId)).find((e) => e.eventType === EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED)!;
      expect(typeName(failed)).toBe('SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED');
      expect(failed.signalExternalWorkflowExecutionFailedEventAttributes?.cause).toBe(
        temporal.api.enums.v1.SignalExternalWorkflowExecutionFailedCause.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
      );
    });
  });
});
