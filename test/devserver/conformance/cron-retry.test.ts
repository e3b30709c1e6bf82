/**
 * Conformance: run lifecycle (cron, retries, timeouts) against respondworkflowtaskcompleted
 * (workflow_task_completed_handler.go), workflow/retry.go, mutable_state_impl.go and
 * timer_queue_active_task_executor.go. Durations pass in virtual time (time skipping).
 */
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { WorkflowFailedError } from '@temporalio/client';
import { timeSkippingEnv } from '../../helpers/engine';
import { EventType, HistoryEvent, NAMESPACE, fromPayloads, historyOf, num, uid, withWorker, suiteEnv } from './helpers';

const LIFECYCLE = path.resolve(__dirname, '../workflows/conformance-lifecycle.ts');
const env = suiteEnv(timeSkippingEnv, [LIFECYCLE]);
const Initiator = temporal.api.enums.v1.ContinueAsNewInitiator;
const RetryState = temporal.api.enums.v1.RetryState;

const secs = (d: { seconds?: unknown; nanos?: number | null } | null | undefined) => (d ? num(d.seconds) + (d.nanos ?? 0) / 1e9 : 0);
const startedAttrs = (events: HistoryEvent[]) => events[0].workflowExecutionStartedEventAttributes!;

test('a cron workflow: the first task waits for the schedule, and completion starts the next run (initiator CRON_SCHEDULE, lastCompletionResult)', async () => {
  // Start: firstWorkflowTaskBackoff = backoff.GetBackoffForNextScheduleNonNegative(cron, now, now).
  // Completion: handleCommandCompleteWorkflow -> GetCronBackoffDuration -> WorkflowExecutionCompleted with
  // newExecutionRunId, then handleCron -> SetupNewWorkflowForRetryOrCron(..., result, nil, backoff, CRON_SCHEDULE).
  const taskQueue = uid('al-cron');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue, workflowsPath: LIFECYCLE }, async () => {
    const handle = await env.client.workflow.start('lcEcho', { taskQueue, workflowId, args: ['tick'], cronSchedule: '* * * * *' });
    const firstStart = startedAttrs(await historyOf(env, workflowId, handle.firstExecutionRunId));
    const startBackoff = secs(firstStart.firstWorkflowTaskBackoff);
    expect(firstStart.initiator).toBe(Initiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE); // common/util.go
    await env.sleep('3 minutes');
    const firstRun = await historyOf(env, workflowId, handle.firstExecutionRunId);
    const close = firstRun[firstRun.length - 1];
    const newRunId = close.workflowExecutionCompletedEventAttributes?.newExecutionRunId ?? '';
    const current = await env.client.workflow.getHandle(workflowId).describe();
    const summary = {
      startBackoffWithinAMinute: startBackoff > 0 && startBackoff <= 60,
      closeEvent: EventType[close.eventType!],
      closeNamesNewRun: newRunId.length > 0,
      currentRunIsNew: current.runId !== handle.firstExecutionRunId,
    };
    expect(summary).toEqual({ startBackoffWithinAMinute: true, closeEvent: 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED', closeNamesNewRun: true, currentRunIsNew: true });
    const next = startedAttrs(await historyOf(env, workflowId, newRunId));
    expect(next.initiator).toBe(Initiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE);
    expect(next.continuedExecutionRunId).toBe(handle.firstExecutionRunId);
    expect(fromPayloads(next.lastCompletionResult)).toEqual(['tick:1']);
    expect(next.cronSchedule).toBe('* * * * *');
    expect(secs(next.firstWorkflowTaskBackoff)).toBeGreaterThan(0);
    await env.client.workflow.getHandle(workflowId).terminate();
  });
});

test("the execution timeout bounds the whole cron chain: a later run times out at the first run's deadline", async () => {
  // SetupNewWorkflowForRetryOrCron hands WorkflowExecutionExpirationTime on to the next cron run.
  const taskQueue = uid('al-cron-deadline');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue, workflowsPath: LIFECYCLE }, async () => {
    const handle = await env.client.workflow.start('lcEcho', { taskQueue, workflowId, args: ['tick'], cronSchedule: '* * * * *', workflowExecutionTimeout: '150s' });
    const deadline = startedAttrs(await historyOf(env, workflowId, handle.firstExecutionRunId)).workflowExecutionExpirationTime;
    await env.sleep('5 minutes');
    const current = await env.client.workflow.getHandle(workflowId).describe();
    const events = await historyOf(env, workflowId, current.runId);
    const close = events[events.length - 1];
    expect(current.runId).not.toBe(handle.firstExecutionRunId);
    expect(startedAttrs(events).workflowExecutionExpirationTime).toEqual(deadline);
    expect({ type: EventType[close.eventType!], retryState: RetryState[close.workflowExecutionTimedOutEventAttributes?.retryState ?? 0] }).toEqual({
      type: 'EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT',
      retryState: 'RETRY_STATE_TIMEOUT',
    });
  });
});

test('an invalid cron schedule is INVALID_ARGUMENT "invalid CronSchedule."', async () => {
  // frontend/workflow_handler.go StartWorkflowExecution -> backoff.ValidateSchedule
  const workflowId = uid('wf');
  const start = env.client.workflowService.startWorkflowExecution({
    namespace: NAMESPACE,
    workflowId,
    workflowType: { name: 'lcEcho' },
    taskQueue: { name: uid('al-badcron') },
    requestId: uid('req'),
    cronSchedule: 'not a cron schedule',
  });
  const outcome = await start.then(
    () => ({ code: 0, details: 'started' }),
    (e: { code: number; details: string }) => ({ code: e.code, details: e.details }),
  );
  // A run the engine started would hold time skipping for the other tests (no worker polls its queue).
  if (outcome.code === 0) await env.client.workflow.getHandle(workflowId).terminate();
  expect(outcome).toEqual({ code: 3, details: 'invalid CronSchedule.' });
});

test('an execution timeout (no retry policy) closes the run with retry state TIMEOUT', async () => {
  // timer_queue_active_task_executor.go executeWorkflowRunTimeoutTask: retryState starts as RETRY_STATE_TIMEOUT and
  // is only recomputed (GetRetryBackoffDuration) while WorkflowExecutionExpirationTime is after now.
  const taskQueue = uid('al-exec-timeout');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue, workflowsPath: LIFECYCLE }, async () => {
    const handle = await env.client.workflow.start('lcSleeper', { taskQueue, workflowId, workflowExecutionTimeout: '1 minute' });
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const events = await historyOf(env, workflowId);
    const close = events[events.length - 1];
    expect(EventType[close.eventType!]).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT');
    expect(RetryState[close.workflowExecutionTimedOutEventAttributes!.retryState!]).toBe('RETRY_STATE_TIMEOUT');
  });
});

test('a run timeout retried by the retry policy carries the timeout failure to the next run (continuedFailure)', async () => {
  // executeWorkflowRunTimeoutTask: SetupNewWorkflowForRetryOrCron(..., startAttr.LastCompletionResult, timeoutFailure, ...)
  // with timeoutFailure = failure.NewTimeoutFailure("workflow timeout", TIMEOUT_TYPE_START_TO_CLOSE).
  const taskQueue = uid('al-run-timeout-retry');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue, workflowsPath: LIFECYCLE }, async () => {
    const handle = await env.client.workflow.start('lcSleeper', {
      taskQueue,
      workflowId,
      workflowRunTimeout: '1 minute',
      retry: { maximumAttempts: 2, initialInterval: '1s' },
    });
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const first = await historyOf(env, workflowId, handle.firstExecutionRunId);
    const close = first[first.length - 1].workflowExecutionTimedOutEventAttributes!;
    expect(RetryState[close.retryState!]).toBe('RETRY_STATE_IN_PROGRESS');
    const second = startedAttrs(await historyOf(env, workflowId, close.newExecutionRunId!));
    expect(second.initiator).toBe(Initiator.CONTINUE_AS_NEW_INITIATOR_RETRY);
    expect(second.attempt).toBe(2);
    expect({ message: second.continuedFailure?.message, timeoutType: second.continuedFailure?.timeoutFailureInfo?.timeoutType }).toEqual({
      message: 'workflow timeout',
      timeoutType: temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE,
    });
  });
});

test("a workflow failure's nextRetryDelay sets the retry's backoff", async () => {
  // workflow/retry.go getBackoffInterval: nextRetryDelayFrom(failure) -> backoff.MakeBackoffAlgorithm(delay)
  const taskQueue = uid('al-next-retry-delay');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue, workflowsPath: LIFECYCLE }, async () => {
    const handle = await env.client.workflow.start('lcNextRetryDelay', { taskQueue, workflowId, retry: { initialInterval: '1s', maximumAttempts: 3 } });
    expect(await handle.result()).toBe(2);
    const first = await historyOf(env, workflowId, handle.firstExecutionRunId);
    const newRunId = first[first.length - 1].workflowExecutionFailedEventAttributes!.newExecutionRunId!;
    const second = startedAttrs(await historyOf(env, workflowId, newRunId));
    expect(secs(second.firstWorkflowTaskBackoff)).toBe(30);
  });
});
