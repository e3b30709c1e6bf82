/**
 * Workflow updates: executeUpdate, validators, startUpdate + result, failures, dedupe by update id,
 * update-with-start (ExecuteMultiOperation). Reference: Temporal server v1.29
 * (docs/architecture/speculative-workflow-task.md: a rejected update writes nothing to history).
 */
import { WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateStage } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { cfFailingUpdate, cfGatedUpdate, cfIncrement, cfOpenGate, cfStop, cfTotal, cfUpdatable } from '../workflows';
import { EventType, historyOf, settlesWithin, typeNames, uid, waitFor, withWorker, suiteEnv } from './helpers';

const env = suiteEnv(devEnv);
const Stage = temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;

async function idleUpdatable(taskQueue: string) {
  const handle = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId: uid('wf') });
  await waitFor(() => historyOf(env, handle.workflowId), (ev) => typeNames(ev).includes('WORKFLOW_TASK_COMPLETED'), 'first task completed');
  return handle;
}

test('executeUpdate returns the handler result and records acceptance and completion', async () => {
  const taskQueue = uid('update');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await idleUpdatable(taskQueue);
    expect(await handle.executeUpdate(cfIncrement, { args: [5] })).toBe(5);
    expect(await handle.executeUpdate(cfIncrement, { args: [2] })).toBe(7);
    expect(await handle.query(cfTotal)).toBe(7);
    const types = typeNames(await historyOf(env, handle.workflowId));
    expect(types.filter((t) => t === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED')).toHaveLength(2);
    expect(types.filter((t) => t === 'WORKFLOW_EXECUTION_UPDATE_COMPLETED')).toHaveLength(2);
    await handle.signal(cfStop);
    expect(await handle.result()).toBe(7);
  });
});

test('a validator rejection fails the update and leaves no trace in history', async () => {
  const taskQueue = uid('update-reject');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await idleUpdatable(taskQueue);
    const before = await historyOf(env, handle.workflowId);
    const err = await handle.executeUpdate(cfIncrement, { args: [-1] }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(err.cause).toBeInstanceOf(ApplicationFailure);
    expect(err.cause.message).toBe('negative increment -1 rejected');
    const after = await historyOf(env, handle.workflowId);
    expect(typeNames(after)).not.toContain('WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    expect(typeNames(after)).not.toContain('WORKFLOW_EXECUTION_UPDATE_REJECTED');
    // The speculative workflow task that carried the rejected update is not persisted.
    expect(typeNames(after)).toEqual(typeNames(before));
    expect(await handle.executeUpdate(cfIncrement, { args: [1] })).toBe(1);
    await handle.signal(cfStop);
    expect(await handle.result()).toBe(1);
  });
});

test('startUpdate returns once accepted; result() and getUpdateHandle() wait for completion', async () => {
  const taskQueue = uid('update-start');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await idleUpdatable(taskQueue);
    const upd = await handle.startUpdate(cfGatedUpdate, { args: ['tester'], waitForStage: WorkflowUpdateStage.ACCEPTED, updateId: uid('upd') });
    const accepted = typeNames(await historyOf(env, handle.workflowId));
    expect(accepted).toContain('WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    expect(accepted).not.toContain('WORKFLOW_EXECUTION_UPDATE_COMPLETED');
    const pending = upd.result();
    await handle.signal(cfOpenGate);
    expect(await pending).toBe('gate passed by tester');
    expect(await handle.getUpdateHandle<string>(upd.updateId).result()).toBe('gate passed by tester');
    await handle.signal(cfStop);
    await handle.result();
  });
});

test('a handler failure is reported as a failed update after acceptance', async () => {
  const taskQueue = uid('update-fail');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await idleUpdatable(taskQueue);
    const err = await handle.executeUpdate(cfFailingUpdate).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(err.cause).toBeInstanceOf(ApplicationFailure);
    expect(err.cause.message).toBe('update handler failed');
    const events = await historyOf(env, handle.workflowId);
    const completed = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
    expect(completed?.workflowExecutionUpdateCompletedEventAttributes?.outcome?.failure?.message).toBe('update handler failed');
    await handle.signal(cfStop);
    await handle.result();
  });
});

test('an update id used twice runs the update once and returns the same outcome', async () => {
  const taskQueue = uid('update-dedupe');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await idleUpdatable(taskQueue);
    const updateId = uid('same-update');
    expect(await handle.executeUpdate(cfIncrement, { args: [5], updateId })).toBe(5);
    expect(await handle.executeUpdate(cfIncrement, { args: [5], updateId })).toBe(5);
    expect(await handle.query(cfTotal)).toBe(5);
    const types = typeNames(await historyOf(env, handle.workflowId));
    expect(types.filter((t) => t === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED')).toHaveLength(1);
    await handle.signal(cfStop);
    await handle.result();
  });
});

test('without a wait stage an update call waits for the outcome, and a poll answers at once with the stage reached', async () => {
  const taskQueue = uid('update-default-stage');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await idleUpdatable(taskQueue);
    const updateId = uid('upd');
    const args = { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('4') }] };
    const done = await env.client.workflowService.updateWorkflowExecution({
      namespace: 'default',
      workflowExecution: { workflowId: handle.workflowId },
      request: { meta: { updateId }, input: { name: 'cfIncrement', args } },
    });
    expect({ stage: done.stage, result: done.outcome?.success?.payloads?.[0]?.data?.toString() }).toEqual({ stage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED, result: '4' });
    const gated = handle.startUpdate(cfGatedUpdate, { args: ['poll'], waitForStage: WorkflowUpdateStage.ACCEPTED });
    const { updateId: gatedId } = await gated;
    const polled = await settlesWithin(
      env.client.workflowService.pollWorkflowExecutionUpdate({ namespace: 'default', updateRef: { workflowExecution: { workflowId: handle.workflowId }, updateId: gatedId } }),
      5_000,
      'a poll without a stage',
    );
    expect({ stage: polled.stage, outcome: polled.outcome ?? null }).toEqual({ stage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED, outcome: null });
    await handle.signal(cfOpenGate);
    await handle.signal(cfStop);
    await handle.result();
  });
});

test('an update on a closed workflow fails with WorkflowNotFoundError', async () => {
  const taskQueue = uid('update-closed');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await idleUpdatable(taskQueue);
    await handle.signal(cfStop);
    await handle.result();
    await expect(handle.executeUpdate(cfIncrement, { args: [1] })).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });
});

describe('update-with-start', () => {
  test('starts the workflow and runs the update in its first task', async () => {
    const taskQueue = uid('uws-new');
    const workflowId = uid('wf');
    await withWorker(env, { taskQueue }, async () => {
      const startOp = new WithStartWorkflowOperation(cfUpdatable, { taskQueue, workflowId, workflowIdConflictPolicy: 'FAIL' });
      expect(await env.client.workflow.executeUpdateWithStart(cfIncrement, { args: [3], startWorkflowOperation: startOp })).toBe(3);
      const handle = await startOp.workflowHandle();
      expect(handle.workflowId).toBe(workflowId);
      const types = typeNames(await historyOf(env, workflowId));
      expect(types[0]).toBe('WORKFLOW_EXECUTION_STARTED');
      expect(types).toContain('WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
      await handle.signal(cfStop);
      expect(await handle.result()).toBe(3);
    });
  });

  test('with USE_EXISTING it updates the running workflow instead of starting one', async () => {
    const taskQueue = uid('uws-existing');
    await withWorker(env, { taskQueue }, async () => {
      const running = await idleUpdatable(taskQueue);
      await running.executeUpdate(cfIncrement, { args: [10] });
      const startOp = new WithStartWorkflowOperation(cfUpdatable, {
        taskQueue,
        workflowId: running.workflowId,
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      expect(await env.client.workflow.executeUpdateWithStart(cfIncrement, { args: [1], startWorkflowOperation: startOp })).toBe(11);
      const handle = await startOp.workflowHandle();
      expect((await handle.describe()).runId).toBe(running.firstExecutionRunId);
      const types = typeNames(await historyOf(env, running.workflowId));
      expect(types.filter((t) => t === 'WORKFLOW_EXECUTION_STARTED')).toHaveLength(1);
      await running.signal(cfStop);
      expect(await running.result()).toBe(11);
    });
  });
});

test('an accepted update whose workflow closes before it completes gets the server\'s failure outcome', async () => {
  const taskQueue = uid('update-abort');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await idleUpdatable(taskQueue);
    const upd = await handle.startUpdate(cfGatedUpdate, { args: ['late'], waitForStage: WorkflowUpdateStage.ACCEPTED, updateId: uid('upd') });
    const waiting = upd.result().catch((err) => err);
    await handle.terminate('closed first');
    // Answered as the run closes, not when the client's poll runs out.
    const failure = await settlesWithin(waiting, 10_000, 'the waiting update to be answered');
    expect(failure).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(failure.cause).toBeInstanceOf(ApplicationFailure);
    expect(failure.cause).toMatchObject({ type: 'AcceptedUpdateCompletedWorkflow', nonRetryable: true, message: 'Workflow Update failed because the Workflow completed before the Update completed.' });
    // Asked again later, the closed run gives the same outcome, also to the update sent again.
    const again = await handle.getUpdateHandle<string>(upd.updateId).result().catch((err) => err);
    expect(again).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(again.cause.type).toBe('AcceptedUpdateCompletedWorkflow');
    const resent = await handle.executeUpdate(cfGatedUpdate, { args: ['late'], updateId: upd.updateId }).catch((err) => err);
    expect(resent).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(resent.cause.type).toBe('AcceptedUpdateCompletedWorkflow');
  });
});
