/**
 * A completion that leads straight to a new workflow task (signals that came while the task ran,
 * updates admitted meanwhile, a heartbeat) gets that task in its response when the worker asks
 * with returnNewWorkflowTask, as every SDK does for a run it caches: the server starts it for the
 * completing worker instead of queueing it (respondworkflowtaskcompleted/api.go,
 * bypassTaskGeneration), with the history since the worker's last task. The SDK's worker takes
 * such tasks on its own; a stand-in worker over raw gRPC shows what is sent.
 */
import { temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { cfAppend, cfCollector, cfIncrement, cfUpdatable } from '../workflows';
import { NAMESPACE, historyOf, num, typeNames, uid, waitFor, suiteEnv } from './helpers';

const env = suiteEnv(devEnv);
const identity = 'stand-in';
const svc = () => env.client.workflowService;

const poll = (taskQueue: string) => svc().pollWorkflowTaskQueue({ namespace: NAMESPACE, taskQueue: { name: taskQueue }, identity });
type Task = temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse;
const complete = (task: Task, stickyQueue: string, returnNewWorkflowTask: boolean) =>
  svc().respondWorkflowTaskCompleted({
    namespace: NAMESPACE,
    taskToken: task.taskToken,
    identity,
    commands: [],
    returnNewWorkflowTask,
    stickyAttributes: { workerTaskQueue: { name: stickyQueue } },
  }) as Promise<temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedResponse>;
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
  const Stage = temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
  await waitFor(
    () => svc().pollWorkflowExecutionUpdate({ namespace: NAMESPACE, updateRef: { workflowExecution: { workflowId: handle.workflowId }, updateId }, identity, waitPolicy: { lifecycleStage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED } }),
    () => true,
    'the update to be admitted',
  );
  const next = (await complete(first, sticky, true)).workflowTask!;
  expect(next.messages?.map((m) => m.protocolInstanceId)).toEqual([updateId]);
  expect(names(next)).toEqual(['WORKFLOW_TASK_COMPLETED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED']);
  const persisted = typeNames(await historyOf(env, handle.workflowId));
  expect(persisted[persisted.length - 1]).toBe('WORKFLOW_TASK_COMPLETED');
  // The stand-in rejects it by not answering (see updates-unprocessed.test.ts): nothing is written.
  await complete(next, sticky, true);
  await expect(update).rejects.toThrow();
  expect(typeNames(await historyOf(env, handle.workflowId))).toEqual(persisted);
  await handle.terminate();
});
