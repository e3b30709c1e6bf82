/**
 * Failing workflow tasks, and the updates they carry. A bad completion of a retried task is only
 * refused, and the task times out (respondworkflowtaskcompleted/api.go). A completion the server fails (a bad command, or a closing
 * command over events the task did not see) aborts the updates not yet accepted, with
 * AbortReasonWorkflowTaskFailed (history/workflow/update/abort_reason.go): one the worker was sent
 * fails with WorkflowNotReady, so the retried task does not carry it again; one only admitted gets
 * a retryable Unavailable, and the client's retry admits it anew. And a workflow whose task has
 * failed twice refuses new updates at once (updateworkflow/api.go). A stand-in worker drives the
 * tasks over raw gRPC.
 */
import { temporal } from '@temporalio/proto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { devEnv } from '../../helpers/engine';
import { cfIncrement, cfStop, cfUpdatable } from '../workflows';
import { NAMESPACE, grpcFailure, settlesWithin, uid, updateAdmitted, suiteEnv } from './helpers';

const env = suiteEnv(devEnv);
const identity = 'stand-in-worker';
const CommandType = temporal.api.enums.v1.CommandType;
const FAILED_PRECONDITION = 9;

const poll = (taskQueue: string) => env.client.workflowService.pollWorkflowTaskQueue({ namespace: NAMESPACE, taskQueue: { name: taskQueue }, identity });
type Task = Awaited<ReturnType<typeof poll>>;
type Command = temporal.api.command.v1.ICommand;
type Message = temporal.api.protocol.v1.IMessage;
const complete = (task: Task, commands: Command[], messages: Message[] = []) =>
  env.client.workflowService.respondWorkflowTaskCompleted({ namespace: NAMESPACE, taskToken: task.taskToken, identity, commands, messages });
const fail = (task: Task) =>
  env.client.workflowService.respondWorkflowTaskFailed({ namespace: NAMESPACE, taskToken: task.taskToken, identity, failure: { message: 'stand-in failure' } });
/** An activity without a type: the server fails the task with BAD_SCHEDULE_ACTIVITY_ATTRIBUTES. */
const badCommand: Command = { commandType: CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK, scheduleActivityTaskCommandAttributes: { activityId: 'a', taskQueue: { name: 'q' } } };
const completeWorkflow: Command = { commandType: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION, completeWorkflowExecutionCommandAttributes: {} };
/** A result over the 2 MiB blob limit: the engine terminates the workflow on a first attempt. */
const oversizeResult: Command = {
  commandType: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
  completeWorkflowExecutionCommandAttributes: { result: { payloads: [{ metadata: { encoding: Buffer.from('binary/plain') }, data: Buffer.alloc(2 * 1024 * 1024 + 10) }] } },
};
const Update = temporal.api.update.v1;
const body = (type: string, value: Uint8Array) => ({ type_url: `type.googleapis.com/temporal.api.update.v1.${type}`, value });

/** A worker's acceptance of an update request and its response with `result`, as messages. */
function acceptAndAnswer(request: Message, result: string): Message[] {
  const updateId = request.protocolInstanceId!;
  const payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(result) };
  return [
    { id: `${updateId}/accept`, protocolInstanceId: updateId, body: body('Acceptance', Update.Acceptance.encode({ acceptedRequestMessageId: request.id, acceptedRequestSequencingEventId: request.eventId, acceptedRequest: Update.Request.decode(request.body!.value!) }).finish()) },
    { id: `${updateId}/complete`, protocolInstanceId: updateId, body: body('Response', Update.Response.encode({ meta: { updateId }, outcome: { success: { payloads: [payload] } } }).finish()) },
  ];
}

/** Resolves once the engine holds `poll` as a waiting poller (it answers nothing until a task comes). */
const pollerWaiting = () => new Promise((resolve) => setTimeout(resolve, 300));

/** The error an update call ended with. */
const outcomeOf = (update: Promise<unknown>) => settlesWithin(update.then(() => undefined, (e) => e), 10_000, 'the update');

async function idleWorkflow(taskQueue: string) {
  const handle = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId: uid('wf') });
  await complete(await poll(taskQueue), []);
  return handle;
}

/** An idle workflow, an update, and the task that carries it, held by the stand-in. */
async function updateSentWithTask(taskQueue: string) {
  const handle = await idleWorkflow(taskQueue);
  const updateId = uid('upd');
  const update = handle.executeUpdate(cfIncrement, { args: [1], updateId });
  update.catch(() => undefined); // awaited by the test
  const task = await poll(taskQueue);
  expect(task.messages?.map((m) => m.protocolInstanceId)).toEqual([updateId]);
  return { handle, update, task };
}

test('an update sent with a task whose completion the engine fails is aborted with WorkflowNotReady, and the retry does not carry it', async () => {
  const taskQueue = uid('fail-sent');
  const { handle, update, task } = await updateSentWithTask(taskQueue);
  expect((await grpcFailure(complete(task, [badCommand]))).code).toBe(3);
  const err = await outcomeOf(update);
  expect({ code: err.cause?.code, details: err.cause?.details }).toEqual({
    code: FAILED_PRECONDITION,
    details: 'Unable to perform workflow execution update due to unexpected workflow task failure.',
  });
  const retry = await poll(taskQueue);
  expect({ attempt: retry.attempt, messages: retry.messages ?? [] }).toEqual({ attempt: 2, messages: [] });
  await complete(retry, []);
  await handle.terminate();
});

/**
 * An update admitted while a task runs that completes the workflow over a signal it did not see
 * (UNHANDLED_COMMAND). The engine admits the update again, as the server's frontend retries that
 * Unavailable: it rides on the next task, or on the one after it; that task is returned.
 */
async function updateAdmittedDuringFailingTask(taskQueue: string, withPollerWaiting: boolean) {
  const handle = await idleWorkflow(taskQueue);
  await handle.signal(cfStop);
  const task = await poll(taskQueue);
  const updateId = uid('upd');
  const update = handle.executeUpdate(cfIncrement, { args: [1], updateId });
  update.catch(() => undefined); // awaited by the test
  await updateAdmitted(env, handle.workflowId, updateId);
  await handle.signal(cfStop); // held back while the task runs
  const waiting = withPollerWaiting ? poll(taskQueue) : undefined;
  if (waiting) await pollerWaiting();
  expect((await grpcFailure(complete(task, [completeWorkflow]))).details).toBe('UnhandledCommand');
  let carrying = await (waiting ?? poll(taskQueue));
  if (!carrying.messages?.length) {
    await complete(carrying, []);
    carrying = await poll(taskQueue);
  }
  expect(carrying.messages?.map((m) => m.protocolInstanceId)).toEqual([updateId]);
  return { handle, update, carrying };
}

test('an update admitted while a task runs whose completion the engine fails is admitted again and reaches the next task', async () => {
  const { handle, update, carrying } = await updateAdmittedDuringFailingTask(uid('fail-admitted'), false);
  // The stand-in leaves it unanswered, so it is rejected: it was admitted again, not lost.
  await complete(carrying, []);
  const err = await outcomeOf(update);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(err.cause.type).toBe('UnprocessedUpdate');
  await handle.terminate();
});

test('with a poller already waiting, the retried task does not carry the update the failed completion aborted', async () => {
  const taskQueue = uid('fail-sent-poller');
  const { handle, update, task } = await updateSentWithTask(taskQueue);
  const waiting = poll(taskQueue); // SDK workers keep a poller waiting: it takes the retry at once
  await pollerWaiting();
  await grpcFailure(complete(task, [badCommand]));
  expect((await outcomeOf(update)).cause?.code).toBe(FAILED_PRECONDITION);
  const retry = await waiting;
  expect({ attempt: retry.attempt, messages: retry.messages ?? [] }).toEqual({ attempt: 2, messages: [] });
  await handle.terminate();
});

test('with a poller already waiting, an update admitted during a task that fails with UNHANDLED_COMMAND reaches the next task and completes', async () => {
  const { handle, update, carrying } = await updateAdmittedDuringFailingTask(uid('fail-admitted-poller'), true);
  await complete(carrying, [], acceptAndAnswer(carrying.messages![0], '41'));
  expect(await settlesWithin(update, 10_000, 'the update')).toBe(41);
  await handle.terminate();
});

test('a completion over the size limit aborts the sent update with WorkflowNotReady before it terminates the workflow', async () => {
  const { handle, update, task } = await updateSentWithTask(uid('fail-size'));
  await grpcFailure(complete(task, [oversizeResult]));
  const err = await outcomeOf(update);
  expect({ code: err.cause?.code, details: err.cause?.details }).toEqual({
    code: FAILED_PRECONDITION,
    details: 'Unable to perform workflow execution update due to unexpected workflow task failure.',
  });
  expect((await handle.describe()).status.name).toBe('TERMINATED');
});

test('a workflow whose task has failed twice refuses new updates at once', async () => {
  const taskQueue = uid('fail-twice');
  const handle = await idleWorkflow(taskQueue);
  await handle.signal(cfStop);
  await fail(await poll(taskQueue));
  const second = await poll(taskQueue);
  expect(second.attempt).toBe(2);
  await fail(second);
  const err = await outcomeOf(handle.executeUpdate(cfIncrement, { args: [1] }));
  expect({ code: err.cause?.code, details: err.cause?.details }).toEqual({
    code: FAILED_PRECONDITION,
    details: 'Unable to perform workflow execution update due to Workflow Task in failed state.',
  });
  await handle.terminate();
});

test('a retried task whose completion carries a bad command is refused and left to time out, not failed at once', async () => {
  const taskQueue = uid('fail-retried');
  const handle = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId: uid('wf'), workflowTaskTimeout: '1s' });
  await fail(await poll(taskQueue));
  const second = await poll(taskQueue);
  expect(second.attempt).toBe(2);
  expect((await grpcFailure(complete(second, [badCommand]))).code).toBe(3);
  const { pendingWorkflowTask } = await env.client.workflowService.describeWorkflowExecution({ namespace: NAMESPACE, execution: { workflowId: handle.workflowId } });
  const STARTED = temporal.api.enums.v1.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED;
  expect({ state: pendingWorkflowTask?.state, attempt: pendingWorkflowTask?.attempt }).toEqual({ state: STARTED, attempt: 2 });
  // The task's one-second timeout ends it; the next attempt follows.
  expect((await poll(taskQueue)).attempt).toBe(3);
  await handle.terminate();
});
