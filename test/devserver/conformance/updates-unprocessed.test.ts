/**
 * An update the worker was sent and neither accepted nor rejected (an SDK without updates, or a
 * bug) is rejected by the server with its UnprocessedUpdate failure once the task completes,
 * instead of going out again with every task (service/history/api/respondworkflowtaskcompleted:
 * rejectUnprocessedUpdates; update/errors_failures.go). The official SDK always answers, so a
 * stand-in worker drives the tasks over raw gRPC.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { devEnv } from '../../helpers/engine';
import { cfAppend, cfCollector, cfIncrement, cfUpdatable } from '../workflows';
import { temporal } from '@temporalio/proto';
import { NAMESPACE, historyOf, settlesWithin, typeNames, uid, updateAdmitted, suiteEnv } from './helpers';

const env = suiteEnv(devEnv);
const identity = 'worker-without-updates';

const poll = (taskQueue: string) => env.client.workflowService.pollWorkflowTaskQueue({ namespace: NAMESPACE, taskQueue: { name: taskQueue }, identity });
type Task = Awaited<ReturnType<typeof poll>>;
/** Completes a task with no commands and no messages: the update it carried is left unanswered. */
const completeIgnoring = (task: Task, forceCreateNewWorkflowTask = false) =>
  env.client.workflowService.respondWorkflowTaskCompleted({ namespace: NAMESPACE, taskToken: task.taskToken, identity, commands: [], forceCreateNewWorkflowTask });

async function expectUnprocessed(update: Promise<number>): Promise<void> {
  const err = await settlesWithin(update, 10_000, 'the unanswered update').catch((e) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(err.cause).toBeInstanceOf(ApplicationFailure);
  expect({ type: err.cause.type, nonRetryable: err.cause.nonRetryable, message: err.cause.message }).toEqual({
    type: 'UnprocessedUpdate',
    nonRetryable: true,
    message: "Workflow Update is rejected because it wasn't processed by worker. Probably, Workflow Update is not supported by the worker.",
  });
}

/** A workflow of `workflow` whose first task the stand-in completed: idle, with no task in flight. */
async function idle(workflow: typeof cfUpdatable | typeof cfCollector, taskQueue: string) {
  const handle = await env.client.workflow.start(workflow, { taskQueue, workflowId: uid('wf') });
  await completeIgnoring(await poll(taskQueue));
  return handle;
}

test('an update left unanswered on an idle workflow is rejected, and its speculative task leaves no trace', async () => {
  const taskQueue = uid('unprocessed');
  const handle = await idle(cfUpdatable, taskQueue);
  const before = typeNames(await historyOf(env, handle.workflowId));
  const updateId = uid('upd');
  const update = handle.executeUpdate(cfIncrement, { args: [1], updateId });
  const task = await poll(taskQueue);
  expect(task.messages?.map((m) => m.protocolInstanceId)).toEqual([updateId]);
  await completeIgnoring(task);
  await expectUnprocessed(update);
  expect(typeNames(await historyOf(env, handle.workflowId))).toEqual(before);
  // The run goes on: the same id starts a new update, sent again to the worker.
  const again = handle.executeUpdate(cfIncrement, { args: [1], updateId });
  const next = await poll(taskQueue);
  expect(next.messages?.map((m) => m.protocolInstanceId)).toEqual([updateId]);
  await completeIgnoring(next);
  await expectUnprocessed(again);
  await handle.terminate();
});

test('an update left unanswered on a task that also carried a signal is rejected; the task is written', async () => {
  const taskQueue = uid('unprocessed-signal');
  const handle = await idle(cfCollector, taskQueue);
  await handle.signal(cfAppend, 'x');
  const updateId = uid('upd');
  const update = handle.executeUpdate(cfIncrement, { args: [1], updateId });
  await updateAdmitted(env, handle.workflowId, updateId);
  const task = await poll(taskQueue);
  expect(task.messages?.map((m) => m.protocolInstanceId)).toEqual([updateId]);
  await completeIgnoring(task);
  await expectUnprocessed(update);
  const types = typeNames(await historyOf(env, handle.workflowId));
  expect(types.slice(-4)).toEqual(['WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED']);
  expect(types.filter((t) => t.startsWith('WORKFLOW_EXECUTION_UPDATE'))).toEqual([]);
  await handle.terminate();
});

test('a heartbeat completion (forceCreateNewWorkflowTask) sends the update again with the next task', async () => {
  const taskQueue = uid('unprocessed-heartbeat');
  const handle = await idle(cfUpdatable, taskQueue);
  const updateId = uid('upd');
  const update = handle.executeUpdate(cfIncrement, { args: [1], updateId });
  const before = typeNames(await historyOf(env, handle.workflowId)).length;
  await completeIgnoring(await poll(taskQueue), true);
  const next = await poll(taskQueue);
  expect(next.messages?.map((m) => m.protocolInstanceId)).toEqual([updateId]);
  // The speculative task is written, as a heartbeat always is, and a normal task follows it.
  const written = typeNames(await historyOf(env, handle.workflowId)).slice(before);
  expect(written).toEqual(['WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED']);
  await completeIgnoring(next);
  await expectUnprocessed(update);
  await handle.terminate();
});

test('acceptance and response messages with no PROTOCOL_MESSAGE command are taken after the commands, each one', async () => {
  const taskQueue = uid('unprocessed-messages');
  const handle = await idle(cfUpdatable, taskQueue);
  const updateId = uid('upd');
  const update = handle.executeUpdate(cfIncrement, { args: [1], updateId });
  const task = await poll(taskQueue);
  const request = task.messages![0];
  const any = (type: string, value: Uint8Array) => ({ type_url: `type.googleapis.com/temporal.api.update.v1.${type}`, value });
  const Update = temporal.api.update.v1;
  const answer = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('41') };
  await env.client.workflowService.respondWorkflowTaskCompleted({
    namespace: NAMESPACE,
    taskToken: task.taskToken,
    identity,
    commands: [],
    messages: [
      // One id for both: messages are taken one by one, not by id.
      { id: `${updateId}/answer`, protocolInstanceId: updateId, body: any('Acceptance', Update.Acceptance.encode({ acceptedRequestMessageId: request.id, acceptedRequestSequencingEventId: request.eventId }).finish()) },
      { id: `${updateId}/answer`, protocolInstanceId: updateId, body: any('Response', Update.Response.encode({ meta: { updateId }, outcome: { success: { payloads: [answer] } } }).finish()) },
    ],
  });
  expect(await settlesWithin(update, 10_000, 'the answered update')).toBe(41);
  const types = typeNames(await historyOf(env, handle.workflowId));
  expect(types.slice(-2)).toEqual(['WORKFLOW_EXECUTION_UPDATE_ACCEPTED', 'WORKFLOW_EXECUTION_UPDATE_COMPLETED']);
  await handle.terminate();
});
