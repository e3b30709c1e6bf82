/** Terminate, cancel, continue-as-new (run chaining) and workflow retry policies. */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TerminatedFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { cfCancellable, cfCollector, cfContinuer, cfRetrying } from '../workflows';
import { EventType, fromPayloads, historyOf, typeName, typeNames, uid, withWorker, suiteEnv } from './helpers';

const env = suiteEnv(devEnv);

const Status = temporal.api.enums.v1.WorkflowExecutionStatus;

test('terminate closes the run with its reason and details; the result is a TerminatedFailure', async () => {
  const taskQueue = uid('terminate');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: uid('wf') });
    await handle.terminate('enough');
    const err = await handle.result().catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause).toBeInstanceOf(TerminatedFailure);
    const desc = await handle.describe();
    expect(desc.status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    expect(desc.closeTime).toBeInstanceOf(Date);
    const events = await historyOf(env, handle.workflowId);
    const last = events[events.length - 1];
    expect(typeName(last)).toBe('WORKFLOW_EXECUTION_TERMINATED');
    expect(last.workflowExecutionTerminatedEventAttributes?.reason).toBe('enough');
    // Terminating a closed workflow is NOT_FOUND.
    await expect(handle.terminate('again')).rejects.toThrow();
  });
});

test('cancel: a workflow that does not handle it ends CANCELED, with a CancelledFailure result', async () => {
  const taskQueue = uid('cancel');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfCancellable, { taskQueue, workflowId: uid('wf'), args: [false] });
    await handle.cancel();
    const err = await handle.result().catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause).toBeInstanceOf(CancelledFailure);
    expect((await handle.describe()).status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_CANCELED);
    const types = typeNames(await historyOf(env, handle.workflowId));
    expect(types).toContain('WORKFLOW_EXECUTION_CANCEL_REQUESTED');
    expect(types[types.length - 1]).toBe('WORKFLOW_EXECUTION_CANCELED');
  });
});

test('cancel: the workflow sees a cancellation (isCancellation) and may clean up and complete', async () => {
  const taskQueue = uid('cancel-handled');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfCancellable, { taskQueue, workflowId: uid('wf'), args: [true] });
    await handle.cancel();
    expect(await handle.result()).toBe('cleaned up after cancellation');
    expect((await handle.describe()).status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    const cancelRequests = (await historyOf(env, handle.workflowId)).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED);
    expect(cancelRequests).toHaveLength(1);
  });
});

test('continue-as-new: the result is followed across runs that share the first execution run id', async () => {
  const taskQueue = uid('can');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfContinuer, { taskQueue, workflowId, args: [3] });
    const result = await handle.result();
    expect(result.runs).toHaveLength(4);
    expect(result.runs[0]).toBe(handle.firstExecutionRunId);
    expect(result.firstExecutionRunId).toBe(handle.firstExecutionRunId);
    expect(new Set(result.runs).size).toBe(4);

    const latest = await env.client.workflow.getHandle(workflowId).describe();
    expect(latest.runId).toBe(result.runs[3]);
    expect(latest.status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_COMPLETED);

    for (let i = 0; i < 3; i++) {
      const run = env.client.workflow.getHandle(workflowId, result.runs[i]);
      expect((await run.describe()).status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW);
      const events = await historyOf(env, workflowId, result.runs[i]);
      const close = events[events.length - 1];
      expect(typeName(close)).toBe('WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
      expect(close.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId).toBe(result.runs[i + 1]);
      const nextStart = (await historyOf(env, workflowId, result.runs[i + 1]))[0].workflowExecutionStartedEventAttributes!;
      expect(nextStart.continuedExecutionRunId).toBe(result.runs[i]);
      expect(nextStart.firstExecutionRunId).toBe(result.runs[0]);
      expect(fromPayloads(nextStart.input)).toEqual([2 - i, result.runs.slice(0, i + 1)]);
    }
  });
});

test('workflow retry policy: failed attempts are retried as new runs until one succeeds', async () => {
  const taskQueue = uid('wf-retry');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfRetrying, {
      taskQueue,
      workflowId,
      args: [3],
      retry: { initialInterval: '100ms', backoffCoefficient: 1, maximumAttempts: 5 },
    });
    expect(await handle.result()).toBe(3);
    const first = await historyOf(env, workflowId, handle.firstExecutionRunId);
    const close = first[first.length - 1];
    expect(typeName(close)).toBe('WORKFLOW_EXECUTION_FAILED');
    const attrs = close.workflowExecutionFailedEventAttributes!;
    expect(attrs.retryState).toBe(temporal.api.enums.v1.RetryState.RETRY_STATE_IN_PROGRESS);
    expect(attrs.failure?.message).toBe('attempt 1 fails');
    const second = await historyOf(env, workflowId, attrs.newExecutionRunId!);
    const start = second[0].workflowExecutionStartedEventAttributes!;
    expect(start.attempt).toBe(2);
    expect(start.firstExecutionRunId).toBe(handle.firstExecutionRunId);
    expect(start.continuedExecutionRunId).toBe(handle.firstExecutionRunId);
    expect(start.initiator).toBe(temporal.api.enums.v1.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_RETRY);
    expect(start.continuedFailure?.message).toBe('attempt 1 fails');
    expect(Number(start.firstWorkflowTaskBackoff?.nanos ?? 0) + Number(start.firstWorkflowTaskBackoff?.seconds ?? 0) * 1e9).toBe(100_000_000);
  });
});

test('workflow retry policy: exhausting maximumAttempts fails with MAXIMUM_ATTEMPTS_REACHED', async () => {
  const taskQueue = uid('wf-retry-max');
  await withWorker(env, { taskQueue }, async () => {
    const err = await env.client.workflow
      .execute(cfRetrying, {
        taskQueue,
        workflowId: uid('wf'),
        args: [10],
        retry: { initialInterval: '100ms', backoffCoefficient: 1, maximumAttempts: 2 },
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).retryState).toBe('MAXIMUM_ATTEMPTS_REACHED');
    expect(err.cause).toBeInstanceOf(ApplicationFailure);
    expect(err.cause.message).toBe('attempt 2 fails');
  });
});

test('a workflow failure without a retry policy reports RETRY_POLICY_NOT_SET', async () => {
  const taskQueue = uid('wf-no-retry');
  await withWorker(env, { taskQueue }, async () => {
    const err = await env.client.workflow.execute(cfRetrying, { taskQueue, workflowId: uid('wf'), args: [2] }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).retryState).toBe('RETRY_POLICY_NOT_SET');
  });
});
