/**
 * Updates the workflow has not accepted when its run closes. The server lets the run close over
 * them (its check for admitted updates on closing commands is commented out in
 * respondworkflowtaskcompleted/api.go) and aborts them (update/abort_reason.go): with NotFound
 * "workflow update was aborted by closing workflow", or, when a new run follows, with a retryable
 * RESOURCE_EXHAUSTED so that the client's retry lands on the new run. A stand-in worker drives the
 * tasks over raw gRPC, so that the update arrives exactly where each test wants it.
 */
import { WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { cfIncrement, cfUpdatable } from '../workflows';
import { NAMESPACE, historyOf, settlesWithin, typeNames, uid, updateAdmitted, suiteEnv } from './helpers';

const env = suiteEnv(devEnv);
const identity = 'stand-in-worker';
const CommandType = temporal.api.enums.v1.CommandType;
const ABORTED = 'workflow update was aborted by closing workflow';

const poll = (taskQueue: string) => env.client.workflowService.pollWorkflowTaskQueue({ namespace: NAMESPACE, taskQueue: { name: taskQueue }, identity });
type Task = Awaited<ReturnType<typeof poll>>;
type Command = temporal.api.command.v1.ICommand;
const complete = (task: Task, commands: Command[]) =>
  env.client.workflowService.respondWorkflowTaskCompleted({ namespace: NAMESPACE, taskToken: task.taskToken, identity, commands });
const completeWorkflow: Command = { commandType: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION, completeWorkflowExecutionCommandAttributes: {} };

async function expectAborted(update: Promise<unknown>): Promise<void> {
  const err = await settlesWithin(update.then(() => undefined, (e) => e), 10_000, 'the aborted update');
  expect(err).toBeInstanceOf(WorkflowNotFoundError);
  expect(err.message).toBe(ABORTED);
}

/** A workflow whose first task the stand-in has polled and holds, and an update admitted meanwhile. */
async function updateDuringTask(taskQueue: string) {
  const handle = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId: uid('wf') });
  const task = await poll(taskQueue);
  const updateId = uid('upd');
  const update = handle.executeUpdate(cfIncrement, { args: [1], updateId });
  update.catch(() => undefined); // awaited by the test
  await updateAdmitted(env, handle.workflowId, updateId);
  return { handle, task, update, updateId };
}

test('a task that completes the workflow while an update waits closes the run, and the update is aborted', async () => {
  const taskQueue = uid('close-admitted');
  const { handle, task, update, updateId } = await updateDuringTask(taskQueue);
  await complete(task, [completeWorkflow]);
  await expectAborted(update);
  expect(typeNames(await historyOf(env, handle.workflowId)).slice(-2)).toEqual(['WORKFLOW_TASK_COMPLETED', 'WORKFLOW_EXECUTION_COMPLETED']);
  // Asked again, the closed run answers the same.
  await expectAborted(handle.executeUpdate(cfIncrement, { args: [1], updateId }));
  await expectAborted(handle.getUpdateHandle(updateId).result());
});

test('an update sent with the task that completes the workflow and left unanswered is aborted, not rejected', async () => {
  const taskQueue = uid('close-sent');
  const handle = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId: uid('wf') });
  await complete(await poll(taskQueue), []);
  const update = handle.executeUpdate(cfIncrement, { args: [1], updateId: uid('upd') });
  const task = await poll(taskQueue);
  expect(task.messages).toHaveLength(1);
  await complete(task, [completeWorkflow]);
  await expectAborted(update);
  expect(typeNames(await historyOf(env, handle.workflowId)).at(-1)).toBe('WORKFLOW_EXECUTION_COMPLETED');
});

test('an update waiting when the workflow continues as new is retried by the client and lands on the new run', async () => {
  const taskQueue = uid('close-continued');
  const { handle, task, update, updateId } = await updateDuringTask(taskQueue);
  const firstRunId = task.workflowExecution!.runId!;
  await complete(task, [
    {
      commandType: CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION,
      continueAsNewWorkflowExecutionCommandAttributes: { workflowType: { name: 'cfUpdatable' }, taskQueue: { name: taskQueue } },
    },
  ]);
  const next = await poll(taskQueue);
  expect(next.workflowExecution!.runId).not.toBe(firstRunId);
  // The first task of the new run may come before the client's retry (it backs off 1 s on
  // RESOURCE_EXHAUSTED): the update then rides on the task after it.
  let carrying = next;
  if (!next.messages?.length) {
    await complete(next, []);
    carrying = await poll(taskQueue);
  }
  expect(carrying.workflowExecution!.runId).toBe(next.workflowExecution!.runId);
  expect(carrying.messages?.map((m) => m.protocolInstanceId)).toEqual([updateId]);
  // The stand-in leaves it unanswered: the new run rejects it, which shows it was that run's.
  await complete(carrying, []);
  const err = await settlesWithin(update.then(() => undefined, (e) => e), 10_000, 'the update on the new run');
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(err.cause.type).toBe('UnprocessedUpdate');
  expect(typeNames(await historyOf(env, handle.workflowId, firstRunId)).at(-1)).toBe('WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
  await handle.terminate();
});

test('terminating a workflow aborts the updates it had not accepted', async () => {
  const taskQueue = uid('close-terminated');
  const handle = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId: uid('wf') });
  await complete(await poll(taskQueue), []);
  const updateId = uid('upd');
  const update = handle.executeUpdate(cfIncrement, { args: [1], updateId });
  update.catch(() => undefined);
  await updateAdmitted(env, handle.workflowId, updateId);
  await handle.terminate('closed first');
  await expectAborted(update);
});

test('update-with-start onto a run that closes over its update is tried once more, and the new run it starts gets the update', async () => {
  const taskQueue = uid('close-uws');
  const workflowId = uid('wf');
  const first = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId });
  const held = await poll(taskQueue);
  const updateId = uid('upd');
  const startOp = new WithStartWorkflowOperation(cfUpdatable, { taskQueue, workflowId, workflowIdConflictPolicy: 'USE_EXISTING' });
  const update = env.client.workflow.executeUpdateWithStart(cfIncrement, { args: [1], updateId, startWorkflowOperation: startOp });
  update.catch(() => undefined);
  await updateAdmitted(env, workflowId, updateId);
  await complete(held, [completeWorkflow]);
  const next = await poll(taskQueue);
  expect(next.workflowExecution!.runId).not.toBe(first.firstExecutionRunId);
  expect(next.messages?.map((m) => m.protocolInstanceId)).toEqual([updateId]);
  // Left unanswered, the new run rejects it: the update was that run's.
  await complete(next, []);
  const err = await settlesWithin(update.then(() => undefined, (e) => e), 10_000, 'the update on the new run');
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(err.cause.type).toBe('UnprocessedUpdate');
  expect(typeNames(await historyOf(env, workflowId, first.firstExecutionRunId)).at(-1)).toBe('WORKFLOW_EXECUTION_COMPLETED');
  await env.client.workflow.getHandle(workflowId).terminate();
});
