/**
 * A completion that leads straight to a new workflow task (signals that came while the task ran,
 * updates admitted meanwhile, a heartbeat) gets that task in its response when the worker asks
 * with returnNewWorkflowTask, as every SDK does for a run it caches: the server starts it for the
 * completing worker instead of queueing it (respondworkflowtaskcompleted/api.go,
 * bypassTaskGeneration), with the history since the worker's last task. The SDK's worker takes
 * such tasks on its own; a stand-in worker over raw gRPC shows what is sent.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { google, temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { cfAppend, cfCollector, cfIncrement, cfUpdatable } from '../workflows';
import { NAMESPACE, historyOf, num, typeNames, uid, updateAdmitted, suiteEnv } from './helpers';

const env = suiteEnv(devEnv);
const identity = 'stand-in';
const svc = () => env.client.workflowService;

const poll = (taskQueue: string) => svc().pollWorkflowTaskQueue({ namespace: NAMESPACE, taskQueue: { name: taskQueue }, identity });
type Task = temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse;
type Completion = Omit<temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedRequest, 'namespace' | 'identity'>;
/** The stand-in's RespondWorkflowTaskCompleted. */
const respond = (req: Completion) =>
  svc().respondWorkflowTaskCompleted({ namespace: NAMESPACE, identity, ...req }) as unknown as Promise<temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedResponse>;
const stickyOn = (name: string) => ({ workerTaskQueue: { name } });
/** Completes `task` with no commands, asking for the next task or not. */
const complete = (task: Task, stickyQueue: string, returnNewWorkflowTask: boolean) =>
  respond({ taskToken: task.taskToken, commands: [], returnNewWorkflowTask, stickyAttributes: stickyOn(stickyQueue) });
const names = (task: Task | null | undefined) => typeNames((task?.history?.events ?? []) as Parameters<typeof typeNames>[0]);

test('signals that came while the task ran: the next task comes back in the response, with the history since the last one', async () => {
  const taskQueue = uid('returned');
  const sticky = `${taskQueue}-sticky`;
  const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: uid('wf') });
  const first = await poll(taskQueue);
  await handle.signal(cfAppend, 'during the task');
  const res = await complete(first, sticky, true);
  const next = res.workflowTask!;
  expect(names(next)).toEqual(['WORKFLOW_TASK_COMPLETED', 'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED']);
  expect({ previous: num(next.previousStartedEventId), started: num(next.startedEventId), attempt: next.attempt }).toEqual({ previous: 3, started: 7, attempt: 1 });
  const [scheduled, started] = next.history!.events!.slice(2);
  expect(scheduled.workflowTaskScheduledEventAttributes?.taskQueue?.name).toBe(sticky);
  expect(started.workflowTaskStartedEventAttributes?.identity).toBe(identity);
  // It is started, not queued: its token completes it, and the history matches what was sent.
  await complete(next, sticky, true);
  expect(typeNames(await historyOf(env, handle.workflowId)).slice(3)).toEqual([...names(next), 'WORKFLOW_TASK_COMPLETED']);
  await handle.terminate();
});

test('without returnNewWorkflowTask the next task goes to the sticky queue', async () => {
  const taskQueue = uid('not-returned');
  const sticky = `${taskQueue}-sticky`;
  const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: uid('wf') });
  const first = await poll(taskQueue);
  await handle.signal(cfAppend, 'during the task');
  const next = poll(sticky); // the worker's poll on its sticky queue
  const res = await complete(first, sticky, false);
  expect(res.workflowTask).toBeFalsy();
  expect(names(await next)).toEqual(['WORKFLOW_TASK_COMPLETED', 'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED']);
  await handle.terminate();
});

test('an update admitted while the task ran comes back on a speculative task, which a rejection leaves out of history', async () => {
  const taskQueue = uid('returned-update');
  const sticky = `${taskQueue}-sticky`;
  const handle = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId: uid('wf') });
  const first = await poll(taskQueue);
  const updateId = uid('upd');
  const update = handle.executeUpdate(cfIncrement, { args: [1], updateId });
  await updateAdmitted(env, handle.workflowId, updateId);
  const next = (await complete(first, sticky, true)).workflowTask!;
  expect(next.messages?.map((m) => m.protocolInstanceId)).toEqual([updateId]);
  expect(names(next)).toEqual(['WORKFLOW_TASK_COMPLETED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED']);
  const persisted = typeNames(await historyOf(env, handle.workflowId));
  expect(persisted[persisted.length - 1]).toBe('WORKFLOW_TASK_COMPLETED');
  // The stand-in rejects it by not answering (see updates-unprocessed.test.ts): nothing is written.
  await complete(next, sticky, true);
  await expect(update).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
  expect(typeNames(await historyOf(env, handle.workflowId))).toEqual(persisted);
  await handle.terminate();
});

const C = temporal.api.enums.v1.CommandType;
type Int64 = NonNullable<google.protobuf.IDuration['seconds']>;
const int64 = (n: number) => n as unknown as Int64;
test('cancelling an activity that has not started leads straight to a task, handed back', async () => {
  const taskQueue = uid('returned-cancel');
  const sticky = `${taskQueue}-sticky`;
  const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: uid('wf') });
  const first = await poll(taskQueue);
  const scheduleActivity = { activityId: 'a', activityType: { name: 'nobodyRunsThis' }, taskQueue: { name: uid('no-worker') }, startToCloseTimeout: { seconds: int64(10) } };
  const second = await respond({
    taskToken: first.taskToken, returnNewWorkflowTask: true, stickyAttributes: stickyOn(sticky),
    commands: [{ commandType: C.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK, scheduleActivityTaskCommandAttributes: scheduleActivity }],
  });
  expect(second.workflowTask).toBeFalsy(); // nothing to do until the activity ends
  const scheduled = num((await historyOf(env, handle.workflowId)).find((ev) => ev.activityTaskScheduledEventAttributes)!.eventId);
  const stickyPoll = poll(sticky);
  await handle.signal(cfAppend, 'cancel it');
  const third = await stickyPoll;
  const res = await respond({
    taskToken: third.taskToken, returnNewWorkflowTask: true, stickyAttributes: stickyOn(sticky),
    commands: [{ commandType: C.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK, requestCancelActivityTaskCommandAttributes: { scheduledEventId: int64(scheduled) } }],
  });
  expect(names(res.workflowTask)).toEqual(['WORKFLOW_TASK_COMPLETED', 'ACTIVITY_TASK_CANCEL_REQUESTED', 'ACTIVITY_TASK_CANCELED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED']);
  await handle.terminate();
});

test('after a heartbeat the handed-back task carries no update the worker already has', async () => {
  const taskQueue = uid('returned-heartbeat');
  const sticky = `${taskQueue}-sticky`;
  const handle = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId: uid('wf') });
  await complete(await poll(taskQueue), sticky, false);
  const update = handle.executeUpdate(cfIncrement, { args: [1] });
  const withUpdate = await poll(taskQueue);
  expect(withUpdate.messages).toHaveLength(1);
  const res = await respond({ taskToken: withUpdate.taskToken, commands: [], returnNewWorkflowTask: true, forceCreateNewWorkflowTask: true, stickyAttributes: stickyOn(sticky) });
  expect(res.workflowTask?.messages ?? []).toEqual([]);
  // Completed without an answer, the update the worker held is rejected as unprocessed.
  await complete(res.workflowTask!, sticky, true);
  await expect(update).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
  await handle.terminate();
});

test('a dropped speculative task hands back the next one for updates admitted meanwhile, and rolls the worker back to its last task', async () => {
  const taskQueue = uid('returned-dropped');
  const sticky = `${taskQueue}-sticky`;
  const handle = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId: uid('wf') });
  await complete(await poll(taskQueue), sticky, false);
  const rejected = handle.executeUpdate(cfIncrement, { args: [-1], updateId: uid('first') });
  const speculative = await poll(taskQueue);
  const [request] = speculative.messages!;
  const second = uid('second');
  const pending = handle.executeUpdate(cfIncrement, { args: [1], updateId: second });
  await updateAdmitted(env, handle.workflowId, second);
  const rejection = temporal.api.update.v1.Rejection.encode({ rejectedRequestMessageId: request.id, rejectedRequestSequencingEventId: request.eventId, failure: { message: 'no' } }).finish();
  const res = await respond({
    taskToken: speculative.taskToken, commands: [], returnNewWorkflowTask: true, stickyAttributes: stickyOn(sticky),
    messages: [{ id: `${request.protocolInstanceId}/reject`, protocolInstanceId: request.protocolInstanceId, body: { type_url: 'type.googleapis.com/temporal.api.update.v1.Rejection', value: rejection } }],
  });
  await expect(rejected).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
  expect(num(res.resetHistoryEventId)).toBe(3); // the started event of the last task written
  expect(res.workflowTask?.messages?.map((m: temporal.api.protocol.v1.IMessage) => m.protocolInstanceId)).toEqual([second]);
  // History since the task the worker rolled back to.
  expect(names(res.workflowTask)).toEqual(['WORKFLOW_TASK_COMPLETED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED']);
  await complete(res.workflowTask!, sticky, true);
  await expect(pending).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
  await handle.terminate();
});
