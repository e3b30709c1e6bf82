/**
 * Activity commands against the server's validator and history (command_attr_validator.go,
 * chasm/lib/activity/validator.go, AddActivityTaskCancelRequestedEvent): a stand-in worker over
 * raw gRPC sends commands the SDK would not.
 */
import type { Duration } from '@temporalio/common';
import { google, temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { EventType, NAMESPACE, historyOf, num, outcome, suiteEnv, typeNames, uid } from './helpers';
import { C, Command, STAND_IN_IDENTITY as identity } from './stand-in';

const env = suiteEnv(devEnv);
const svc = () => env.client.workflowService;
type Int64 = NonNullable<google.protobuf.IDuration['seconds']>;
const int64 = (n: number) => n as unknown as Int64;
const pollAct = (taskQueue: string) => svc().pollActivityTaskQueue({ namespace: NAMESPACE, taskQueue: { name: taskQueue }, identity });
const Cause = temporal.api.enums.v1.WorkflowTaskFailedCause;
type ScheduleAttrs = temporal.api.command.v1.IScheduleActivityTaskCommandAttributes;
const pollWf = (taskQueue: string) => svc().pollWorkflowTaskQueue({ namespace: NAMESPACE, taskQueue: { name: taskQueue }, identity });
const completeWf = (taskToken: Uint8Array | null | undefined, commands: Command[]) =>
  svc().respondWorkflowTaskCompleted({ namespace: NAMESPACE, identity, taskToken, commands });
const schedule = (attrs: ScheduleAttrs): Command => ({ commandType: C.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK, scheduleActivityTaskCommandAttributes: attrs });
const requestCancel = (scheduledEventId: number): Command => ({ commandType: C.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK, requestCancelActivityTaskCommandAttributes: { scheduledEventId: int64(scheduledEventId) } });
const secs = (s: number) => ({ seconds: int64(s) });

/** A run of a workflow type no SDK worker knows, with its first workflow task polled. */
async function standInRun(opts: { workflowRunTimeout?: Duration } = {}) {
  const taskQueue = uid('raw-wf');
  const handle = await env.client.workflow.start('StandIn', { taskQueue, workflowId: uid('wf'), ...opts });
  const task = await pollWf(taskQueue);
  return { taskQueue, handle, task };
}

function wftFailed(events: Awaited<ReturnType<typeof historyOf>>) {
  const ev = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
  return ev?.workflowTaskFailedEventAttributes;
}

describe('ScheduleActivityTask validation', () => {
  test('a second activity with the id of a pending one fails the task: SCHEDULE_ACTIVITY_DUPLICATE_ID', async () => {
    // handleCommandScheduleActivity: AddActivityTaskScheduledEvent refuses a pending ActivityID ->
    // failWorkflowTaskOnInvalidArgument(WORKFLOW_TASK_FAILED_CAUSE_SCHEDULE_ACTIVITY_DUPLICATE_ID)
    const { handle, task } = await standInRun();
    const attrs = { activityId: 'same', activityType: { name: 'a' }, taskQueue: { name: uid('nobody') }, startToCloseTimeout: secs(10) };
    const res = await outcome(completeWf(task.taskToken, [schedule(attrs), schedule(attrs)]));
    const events = await historyOf(env, handle.workflowId);
    expect({ res, cause: wftFailed(events)?.cause, scheduled: typeNames(events).filter((t) => t === 'ACTIVITY_TASK_SCHEDULED').length }).toEqual({
      res: 3,
      cause: Cause.WORKFLOW_TASK_FAILED_CAUSE_SCHEDULE_ACTIVITY_DUPLICATE_ID,
      scheduled: 0,
    });
    await handle.terminate();
  });

  test.each([
    ['backoffCoefficient below 1', { retryPolicy: { backoffCoefficient: 0.5 } }],
    ['maximumInterval below initialInterval', { retryPolicy: { initialInterval: secs(10), maximumInterval: secs(1) } }],
    ['negative maximumAttempts', { retryPolicy: { maximumAttempts: -1 } }],
    ['unknown TemporalTimeout: type', { retryPolicy: { nonRetryableErrorTypes: ['TemporalTimeout:Bogus'] } }],
    ['negative startToCloseTimeout', { startToCloseTimeout: { seconds: int64(-5) }, scheduleToCloseTimeout: secs(10) }],
  ] as Array<[string, ScheduleAttrs]>)('an invalid command (%s) fails the task: BAD_SCHEDULE_ACTIVITY_ATTRIBUTES', async (_name, bad) => {
    // retrypolicy.Validate / timestamp.ValidateAndCapProtoDuration in validateAndNormalizeActivityAttributes
    const { handle, task } = await standInRun();
    const attrs = { activityId: 'a', activityType: { name: 'a' }, taskQueue: { name: uid('nobody') }, startToCloseTimeout: secs(10), ...bad };
    const res = await outcome(completeWf(task.taskToken, [schedule(attrs)]));
    const events = await historyOf(env, handle.workflowId);
    expect({ res, cause: wftFailed(events)?.cause }).toEqual({ res: 3, cause: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES });
    await handle.terminate();
  });

  test('the WorkflowTaskFailed event of a bad command carries a server failure "<Cause>: <error>"', async () => {
    // respondworkflowtaskcompleted/api.go failWorkflowTask: failure.NewServerFailure(fmt.Sprintf("%v: %v", cause, err), false).
    const { handle, task } = await standInRun();
    await outcome(completeWf(task.taskToken, [schedule({ activityType: { name: 'a' }, taskQueue: { name: 'q' }, startToCloseTimeout: secs(10) })]));
    const failure = wftFailed(await historyOf(env, handle.workflowId))?.failure;
    expect({ message: failure?.message, server: !!failure?.serverFailureInfo, application: !!failure?.applicationFailureInfo }).toEqual({
      message: 'BadScheduleActivityAttributes: ActivityId is not set on ScheduleActivityTaskCommand.',
      server: true,
      application: false,
    });
    await handle.terminate();
  });

  test('timeouts are bounded by the run timeout; startToClose only: scheduleToClose and scheduleToStart become the run timeout', async () => {
    // validateAndNormalizeTimeouts: `else if startToCloseSet { ScheduleToClose = runTimeout; ScheduleToStart = runTimeout }`
    // and "ensure activity timeout never exceeds runTimeout".
    const { handle, task } = await standInRun({ workflowRunTimeout: '1 minute' });
    const q = { name: uid('nobody') };
    await completeWf(task.taskToken, [
      schedule({ activityId: 'short', activityType: { name: 'a' }, taskQueue: q, startToCloseTimeout: secs(10) }),
      schedule({ activityId: 'long', activityType: { name: 'a' }, taskQueue: q, startToCloseTimeout: secs(120), heartbeatTimeout: secs(90) }),
    ]);
    const scheduled = (await historyOf(env, handle.workflowId))
      .filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
      .map((e) => e.activityTaskScheduledEventAttributes!)
      .map((a) => ({
        id: a.activityId,
        scheduleToClose: num(a.scheduleToCloseTimeout?.seconds),
        scheduleToStart: num(a.scheduleToStartTimeout?.seconds),
        startToClose: num(a.startToCloseTimeout?.seconds),
        heartbeat: num(a.heartbeatTimeout?.seconds),
      }));
    expect(scheduled).toEqual([
      { id: 'short', scheduleToClose: 60, scheduleToStart: 60, startToClose: 10, heartbeat: 0 },
      { id: 'long', scheduleToClose: 60, scheduleToStart: 60, startToClose: 60, heartbeat: 60 },
    ]);
    await handle.terminate();
  });
});

describe('RequestCancelActivityTask', () => {
  test('for an activity whose completion waits in the buffer, the cancel request is still written', async () => {
    // AddActivityTaskCancelRequestedEvent: no ActivityInfo, but hBuilder.HasActivityFinishEvent -> the
    // ActivityTaskCancelRequested event is written (the SDK's state machine expects it on replay).
    const { taskQueue, handle, task } = await standInRun();
    const actQueue = uid('act-q');
    await completeWf(task.taskToken, [schedule({ activityId: 'a', activityType: { name: 'a' }, taskQueue: { name: actQueue }, startToCloseTimeout: secs(60) })]);
    const scheduledId = num((await historyOf(env, handle.workflowId)).find((e) => e.activityTaskScheduledEventAttributes)!.eventId);
    const act = await pollAct(actQueue);
    await handle.signal('poke');
    const second = await pollWf(taskQueue);
    await svc().respondActivityTaskCompleted({ namespace: NAMESPACE, taskToken: act.taskToken, identity });
    await completeWf(second.taskToken, [requestCancel(scheduledId)]);
    const types = typeNames(await historyOf(env, handle.workflowId));
    expect(types.slice(types.lastIndexOf('WORKFLOW_TASK_COMPLETED'))).toEqual([
      'WORKFLOW_TASK_COMPLETED',
      'ACTIVITY_TASK_CANCEL_REQUESTED',
      'ACTIVITY_TASK_STARTED',
      'ACTIVITY_TASK_COMPLETED',
      'WORKFLOW_TASK_SCHEDULED',
    ]);
    await handle.terminate();
  });

  test('for no such activity, the task fails: BAD_REQUEST_CANCEL_ACTIVITY_ATTRIBUTES', async () => {
    // AddActivityTaskCancelRequestedEvent -> createCallerError (InvalidArgument) ->
    // failWorkflowTaskOnInvalidArgument(WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_ACTIVITY_ATTRIBUTES)
    const { handle, task } = await standInRun();
    const res = await outcome(completeWf(task.taskToken, [requestCancel(999)]));
    const events = await historyOf(env, handle.workflowId);
    expect({ res, cause: wftFailed(events)?.cause }).toEqual({ res: 3, cause: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_ACTIVITY_ATTRIBUTES });
    await handle.terminate();
  });

  test('a second cancel request for the same started activity fails the task: BAD_REQUEST_CANCEL_ACTIVITY_ATTRIBUTES', async () => {
    // AddActivityTaskCancelRequestedEvent: "Check for duplicate cancellation" -> createCallerError
    const { taskQueue, handle, task } = await standInRun();
    const actQueue = uid('act-q');
    await completeWf(task.taskToken, [schedule({ activityId: 'a', activityType: { name: 'a' }, taskQueue: { name: actQueue }, startToCloseTimeout: secs(60) })]);
    const scheduledId = num((await historyOf(env, handle.workflowId)).find((e) => e.activityTaskScheduledEventAttributes)!.eventId);
    await pollAct(actQueue);
    await handle.signal('poke');
    await completeWf((await pollWf(taskQueue)).taskToken, [requestCancel(scheduledId)]);
    await handle.signal('poke');
    const res = await outcome(completeWf((await pollWf(taskQueue)).taskToken, [requestCancel(scheduledId)]));
    const events = await historyOf(env, handle.workflowId);
    expect({ res, cause: wftFailed(events)?.cause, cancelRequests: typeNames(events).filter((t) => t === 'ACTIVITY_TASK_CANCEL_REQUESTED').length }).toEqual({
      res: 3,
      cause: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_ACTIVITY_ATTRIBUTES,
      cancelRequests: 1,
    });
    await handle.terminate();
  });
});
