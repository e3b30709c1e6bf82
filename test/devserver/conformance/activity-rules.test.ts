/**
 * Activities against service/history (HEAD of the temporalio/temporal mirror).
 * Workflows run on an SDK worker; the activity side is a stand-in over raw gRPC where the SDK
 * would not produce the case deterministically.
 */
import { google, temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { cfCancelActivity, cfCancelledActivity, cfRunActivity } from '../workflows';
import { EventType, NAMESPACE, fromPayloads, historyOf, num, settlesWithin, suiteEnv, typeNames, uid, waitFor, withWorker, outcome } from './helpers';

const env = suiteEnv(devEnv);
const identity = 'act-stand-in';
const svc = () => env.client.workflowService;
const RetryState = temporal.api.enums.v1.RetryState;
type Int64 = NonNullable<google.protobuf.IDuration['seconds']>;
const int64 = (n: number) => n as unknown as Int64;

const pollAct = (taskQueue: string) => svc().pollActivityTaskQueue({ namespace: NAMESPACE, taskQueue: { name: taskQueue }, identity });

const describe_ = (workflowId: string) => svc().describeWorkflowExecution({ namespace: NAMESPACE, execution: { workflowId } });
const scheduledSeen = (workflowId: string) =>
  waitFor(() => historyOf(env, workflowId), (ev) => typeNames(ev).includes('ACTIVITY_TASK_SCHEDULED'), 'activity scheduled');

/** Starts cfRunActivity whose activity goes to `actQueue`, polled by the stand-in only. */
async function startOne(taskQueue: string, actQueue: string, options: Record<string, unknown>, workflow = cfRunActivity) {
  const workflowId = uid('wf');
  const handle = await env.client.workflow.start(workflow, { taskQueue, workflowId, args: ['standInActivity', [], { taskQueue: actQueue, ...options }] });
  await scheduledSeen(workflowId);
  return handle;
}

describe('retry decisions', () => {
  test('a started activity that fails after its cancellation was requested is not retried (RETRY_STATE_CANCEL_REQUESTED)', async () => {
    // mutable_state_impl.go RetryActivity: `if ai.CancelRequested { return RETRY_STATE_CANCEL_REQUESTED }`
    const taskQueue = uid('wf-q');
    const actQueue = uid('act-q');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await startOne(taskQueue, actQueue, { startToCloseTimeout: '1 minute', retry: { initialInterval: '100ms' } }, cfCancelledActivity);
      const task = await pollAct(actQueue);
      await handle.signal(cfCancelActivity);
      await waitFor(() => historyOf(env, handle.workflowId), (ev) => typeNames(ev).includes('ACTIVITY_TASK_CANCEL_REQUESTED'), 'cancel requested');
      const hb = await svc().recordActivityTaskHeartbeat({ namespace: NAMESPACE, taskToken: task.taskToken, identity });
      expect(hb.cancelRequested).toBe(true);
      await svc().respondActivityTaskFailed({ namespace: NAMESPACE, taskToken: task.taskToken, identity, failure: { message: 'boom', applicationFailureInfo: { type: 'Boom' } } });
      const pending = (await describe_(handle.workflowId)).pendingActivities ?? [];
      expect(pending.map((p) => p.attempt)).toEqual([]); // not retried
      const events = await historyOf(env, handle.workflowId);
      const failed = events.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED);
      expect(failed?.activityTaskFailedEventAttributes?.retryState).toBe(RetryState.RETRY_STATE_CANCEL_REQUESTED);
      const out = await settlesWithin(handle.result(), 10_000, 'workflow result');
      expect(out.failure?.retryState).toBe('CANCEL_REQUESTED');
    });
  });

  test('"TemporalTimeout:StartToClose" in nonRetryableErrorTypes makes a start-to-close timeout final (NON_RETRYABLE_FAILURE)', async () => {
    // common/retrypolicy IsRetryableFailure: START_TO_CLOSE/HEARTBEAT timeouts are retryable unless
    // TimeoutFailureTypePrefix + timeoutType.String() is among the non-retryable types.
    const taskQueue = uid('wf-q');
    const actQueue = uid('act-q');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await startOne(taskQueue, actQueue, {
        startToCloseTimeout: '1s',
        retry: { initialInterval: '100ms', maximumAttempts: 5, nonRetryableErrorTypes: ['TemporalTimeout:StartToClose'] },
      });
      await pollAct(actQueue); // attempt 1 is taken and never answered
      // After the 1 s timeout: either the activity is closed, or attempt 2 is pending (retried).
      const pending = await waitFor(
        async () => (await describe_(handle.workflowId)).pendingActivities ?? [],
        (p) => p.length === 0 || (p[0].attempt ?? 0) >= 2,
        'attempt 1 timed out',
      );
      expect(pending.map((p) => p.attempt)).toEqual([]);
      const out = await settlesWithin(handle.result(), 15_000, 'workflow result');
      expect(out.failure?.cause).toMatchObject({ name: 'TimeoutFailure', timeoutType: 'START_TO_CLOSE' });
      expect(out.failure?.retryState).toBe('NON_RETRYABLE_FAILURE');
    });
  });

  test('a failure carrying canceledFailureInfo is not retried (NON_RETRYABLE_FAILURE)', async () => {
    // IsRetryableFailure: TerminatedFailureInfo / CanceledFailureInfo are never retryable.
    const taskQueue = uid('wf-q');
    const actQueue = uid('act-q');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await startOne(taskQueue, actQueue, { startToCloseTimeout: '1 minute', retry: { initialInterval: '100ms' } });
      const task = await pollAct(actQueue);
      await svc().respondActivityTaskFailed({ namespace: NAMESPACE, taskToken: task.taskToken, identity, failure: { message: 'gave up', canceledFailureInfo: {} } });
      const pending = (await describe_(handle.workflowId)).pendingActivities ?? [];
      expect(pending.map((p) => p.attempt)).toEqual([]);
      const out = await settlesWithin(handle.result(), 10_000, 'workflow result');
      expect(out.failure?.retryState).toBe('NON_RETRYABLE_FAILURE');
    });
  });

  test('after a start-to-close timeout is retried, lastFailure is the bare timeout (no cause, no heartbeat details)', async () => {
    // RetryActivity stores the timeout failure built by processSingleActivityTimeoutTask
    // (failure.NewTimeoutFailure: message, source, timeoutType only) as RetryLastFailure.
    const taskQueue = uid('wf-q');
    const actQueue = uid('act-q');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await startOne(taskQueue, actQueue, { startToCloseTimeout: '1s', retry: { initialInterval: '100ms', backoffCoefficient: 1 } });
      const t1 = await pollAct(actQueue);
      await svc().respondActivityTaskFailed({ namespace: NAMESPACE, taskToken: t1.taskToken, identity, failure: { message: 'first', applicationFailureInfo: { type: 'First' } } });
      const t2 = await pollAct(actQueue);
      expect(t2.attempt).toBe(2);
      await svc().recordActivityTaskHeartbeat({ namespace: NAMESPACE, taskToken: t2.taskToken, identity, details: { payloads: [{ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode('"hb"') }] } });
      const t3 = await pollAct(actQueue); // attempt 2 times out, attempt 3 comes
      expect(t3.attempt).toBe(3);
      const lastFailure = (await describe_(handle.workflowId)).pendingActivities?.[0]?.lastFailure;
      expect(lastFailure?.timeoutFailureInfo?.timeoutType).toBe(temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
      expect({ cause: lastFailure?.cause ?? null, details: lastFailure?.timeoutFailureInfo?.lastHeartbeatDetails ?? null }).toEqual({ cause: null, details: null });
      await handle.terminate();
    });
  });
});

describe('worker responses', () => {
  test('RespondActivityTaskCanceled for an activity whose cancellation was never requested is refused (InvalidArgument)', async () => {
    // respondactivitytaskcanceled/api.go: `if !ai.CancelRequested { return ErrActivityTaskNotCancelRequested }`
    const taskQueue = uid('wf-q');
    const actQueue = uid('act-q');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await startOne(taskQueue, actQueue, { startToCloseTimeout: '1 minute' });
      const task = await pollAct(actQueue);
      expect(await outcome(svc().respondActivityTaskCanceled({ namespace: NAMESPACE, taskToken: task.taskToken, identity }))).toBe(3 /* INVALID_ARGUMENT */);
      expect(typeNames(await historyOf(env, handle.workflowId))).not.toContain('ACTIVITY_TASK_CANCELED');
      await handle.terminate();
    });
  });

  test('a heartbeat without details clears the recorded details', async () => {
    // UpdateActivityProgress: `ai.LastHeartbeatDetails = request.Details` (nil included).
    const taskQueue = uid('wf-q');
    const actQueue = uid('act-q');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await startOne(taskQueue, actQueue, { startToCloseTimeout: '1 minute' });
      const task = await pollAct(actQueue);
      const details = { payloads: [{ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode('"d1"') }] };
      await svc().recordActivityTaskHeartbeat({ namespace: NAMESPACE, taskToken: task.taskToken, identity, details });
      await svc().recordActivityTaskHeartbeat({ namespace: NAMESPACE, taskToken: task.taskToken, identity });
      const pending = (await describe_(handle.workflowId)).pendingActivities![0];
      expect(pending.lastHeartbeatTime).toBeTruthy();
      expect(fromPayloads(pending.heartbeatDetails)).toEqual([]);
      await handle.terminate();
    });
  });
});

describe('by-id calls', () => {
  test('heartbeat, fail and cancel by id are refused (NotFound) for an activity not started yet', async () => {
    // IsActivityTaskNotFoundForToken(token, ai, nil): StartedEventId == EmptyEventID -> not found.
    // (Only RespondActivityTaskCompleted passes isCompletedByID=true and fabricates a started event.)
    const taskQueue = uid('wf-q');
    const actQueue = uid('nobody-polls');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await startOne(taskQueue, actQueue, { startToCloseTimeout: '1 minute', activityId: 'by-id' });
      const ids = { namespace: NAMESPACE, workflowId: handle.workflowId, activityId: 'by-id', identity };
      const heartbeat = await outcome(svc().recordActivityTaskHeartbeatById({ ...ids }));
      const fail = await outcome(svc().respondActivityTaskFailedById({ ...ids, failure: { message: 'x', applicationFailureInfo: {} } }));
      const cancel = await outcome(svc().respondActivityTaskCanceledById({ ...ids }));
      expect({ heartbeat, fail, cancel }).toEqual({ heartbeat: 5, fail: 5, cancel: 5 });
      const pending = (await describe_(handle.workflowId)).pendingActivities ?? [];
      expect(pending.map((p) => ({ attempt: p.attempt, state: p.state }))).toEqual([{ attempt: 1, state: temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED }]);
      await handle.terminate();
    });
  });

  test('complete by id works for an activity waiting out its retry backoff', async () => {
    // respondactivitytaskcompleted/api.go: isCompletedByID skips the started check and fabricates
    // the started event (AddActivityTaskStartedEvent) for an activity that is not started.
    const taskQueue = uid('wf-q');
    const actQueue = uid('act-q');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await startOne(taskQueue, actQueue, { startToCloseTimeout: '1 minute', activityId: 'in-backoff', retry: { initialInterval: '1 hour' } });
      const task = await pollAct(actQueue);
      await svc().respondActivityTaskFailed({ namespace: NAMESPACE, taskToken: task.taskToken, identity, failure: { message: 'retry me', applicationFailureInfo: {} } });
      const done = await outcome(
        svc().respondActivityTaskCompletedById({ namespace: NAMESPACE, workflowId: handle.workflowId, activityId: 'in-backoff', identity, result: { payloads: [{ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode('"by id"') }] } }),
      );
      expect(done).toBe('ok');
      expect(await settlesWithin(handle.result(), 10_000, 'workflow result')).toEqual({ result: 'by id' });
      const started = (await historyOf(env, handle.workflowId)).find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
      expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(2);
    });
  });
});

describe('describe: pending activity info', () => {
  test('no lastHeartbeatTime before the first heartbeat', async () => {
    // GetPendingActivityInfo: LastHeartbeatTime only when LastHeartbeatUpdateTime is set (by a heartbeat).
    const taskQueue = uid('wf-q');
    const actQueue = uid('act-q');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await startOne(taskQueue, actQueue, { startToCloseTimeout: '1 minute' });
      await pollAct(actQueue);
      const pending = (await describe_(handle.workflowId)).pendingActivities![0];
      expect(pending.state).toBe(temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
      expect(pending.lastHeartbeatTime ?? null).toBeNull();
      await handle.terminate();
    });
  });

  test('during retry backoff: no lastStartedTime, scheduledTime is the next attempt, retry timing fields set', async () => {
    // UpdateActivityInfoForRetries: ScheduledTime = now + backoff, ClearActivityStartedState (StartedTime = nil);
    // GetPendingActivityInfo: NextAttemptScheduleTime / CurrentRetryInterval / LastAttemptCompleteTime.
    const taskQueue = uid('wf-q');
    const actQueue = uid('act-q');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await startOne(taskQueue, actQueue, { startToCloseTimeout: '1 minute', retry: { initialInterval: '1 hour' } });
      const task = await pollAct(actQueue);
      const before = Date.now();
      await svc().respondActivityTaskFailed({ namespace: NAMESPACE, taskToken: task.taskToken, identity, failure: { message: 'retry me', applicationFailureInfo: {} } });
      const p = (await describe_(handle.workflowId)).pendingActivities![0];
      const ms = (t: google.protobuf.ITimestamp | null | undefined) => (t ? num(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : null);
      expect(p.attempt).toBe(2);
      expect(p.state).toBe(temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED);
      expect({
        lastStartedTime: p.lastStartedTime ?? null,
        scheduledInTheFuture: (ms(p.scheduledTime) ?? 0) > before + 30 * 60_000,
        nextAttemptScheduleTime: ms(p.nextAttemptScheduleTime) !== null,
        lastAttemptCompleteTime: ms(p.lastAttemptCompleteTime) !== null,
        currentRetryIntervalSeconds: p.currentRetryInterval ? num(p.currentRetryInterval.seconds) : null,
      }).toEqual({ lastStartedTime: null, scheduledInTheFuture: true, nextAttemptScheduleTime: true, lastAttemptCompleteTime: true, currentRetryIntervalSeconds: 3600 });
      await handle.terminate();
    });
  });
});

describe('cancellation', () => {
  test('cancelling an activity not started yet: ACTIVITY_TASK_CANCELED carries "ACTIVITY_ID_NOT_STARTED" and the worker identity', async () => {
    // handleCommandRequestCancelActivity: AddActivityTaskCanceledEvent(..., payloads.EncodeString(
    // activityCancellationMsgActivityNotStarted), handler.identity)
    const taskQueue = uid('wf-q');
    const workerIdentity = uid('worker');
    await withWorker(env, { taskQueue, identity: workerIdentity }, async () => {
      const handle = await startOne(taskQueue, uid('nobody-polls'), { startToCloseTimeout: '1 minute' }, cfCancelledActivity);
      await handle.signal(cfCancelActivity);
      await handle.result();
      const canceled = (await historyOf(env, handle.workflowId)).find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED)!;
      const attrs = canceled.activityTaskCanceledEventAttributes!;
      expect({ details: fromPayloads(attrs.details), identity: attrs.identity }).toEqual({ details: ['ACTIVITY_ID_NOT_STARTED'], identity: workerIdentity });
    });
  });
});

describe('more', () => {
  test('describe reports the activity options of a pending activity', async () => {
    // GetPendingActivityInfo: p.ActivityOptions = { TaskQueue, the four timeouts, RetryPolicy }
    const taskQueue = uid('wf-q');
    const actQueue = uid('nobody-polls');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await startOne(taskQueue, actQueue, { startToCloseTimeout: '10s', heartbeatTimeout: '5s', retry: { initialInterval: '2s', maximumAttempts: 7 } });
      const p = (await describe_(handle.workflowId)).pendingActivities![0];
      const o = p.activityOptions;
      expect({
        taskQueue: o?.taskQueue?.name,
        startToClose: num(o?.startToCloseTimeout?.seconds),
        heartbeat: num(o?.heartbeatTimeout?.seconds),
        initialInterval: num(o?.retryPolicy?.initialInterval?.seconds),
        maximumAttempts: o?.retryPolicy?.maximumAttempts,
      }).toEqual({ taskQueue: actQueue, startToClose: 10, heartbeat: 5, initialInterval: 2, maximumAttempts: 7 });
      await handle.terminate();
    });
  });

  test('the ActivityTaskStarted event written at completion carries the attempt\'s start time', async () => {
    // addStartedEventForTransientActivity: `if ai.StartedTime != nil { event.EventTime = ai.StartedTime }`
    const taskQueue = uid('wf-q');
    const actQueue = uid('act-q');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await startOne(taskQueue, actQueue, { startToCloseTimeout: '1 minute' });
      const task = await pollAct(actQueue);
      await new Promise((r) => setTimeout(r, 1500)); // the attempt runs for a while
      await svc().respondActivityTaskCompleted({ namespace: NAMESPACE, taskToken: task.taskToken, identity });
      await handle.result();
      const events = await historyOf(env, handle.workflowId);
      const at = (type: number) => {
        const t = events.find((e) => e.eventType === type)!.eventTime!;
        return num(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
      };
      // Started is stamped when the task was handed out, i.e. at least the 1.5 s the test waited before completing.
      expect(at(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) - at(EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)).toBeGreaterThanOrEqual(1400);
    });
  });

  test('an explicit nextRetryDelay of zero ends the activity (retryState TIMEOUT)', async () => {
    // RetryActivity: delay != nil -> retryMaxInterval = delay (0); nextBackoffInterval: interval 0 and
    // maxInterval 0 -> RETRY_STATE_TIMEOUT.
    const taskQueue = uid('wf-q');
    const actQueue = uid('act-q');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await startOne(taskQueue, actQueue, { startToCloseTimeout: '1 minute', retry: { initialInterval: '100ms' } });
      const task = await pollAct(actQueue);
      await svc().respondActivityTaskFailed({
        namespace: NAMESPACE, taskToken: task.taskToken, identity,
        failure: { message: 'now', applicationFailureInfo: { type: 'Now', nextRetryDelay: { seconds: int64(0), nanos: 0 } } },
      });
      const pending = (await describe_(handle.workflowId)).pendingActivities ?? [];
      expect(pending.map((p) => p.attempt)).toEqual([]);
      const failed = (await historyOf(env, handle.workflowId)).find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED);
      expect(failed?.activityTaskFailedEventAttributes?.retryState).toBe(RetryState.RETRY_STATE_TIMEOUT);
    });
  });
});
