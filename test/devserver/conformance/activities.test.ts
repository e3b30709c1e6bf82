/**
 * Activities: retry policy, the four timeouts (short real timeouts, outcomes only), heartbeat
 * details across attempts, cancellation, async completion by task token and by id.
 * Reference: Temporal server v1.29 (history/workflow/retry.go, mutable_state_impl.go RetryActivity,
 * timer_queue_active_task_executor.go processSingleActivityTimeoutTask).
 */
import { CompleteAsyncError, Context } from '@temporalio/activity';
import { ActivityNotFoundError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { devEnv } from '../../helpers/engine';
import { cfCancelActivity, cfCancelledActivity, cfRunActivity } from '../workflows';
import type { CfActivityOutcome } from '../workflows';
import { EventType, historyOf, typeNames, uid, waitFor, withWorker, suiteEnv } from './helpers';
import { attemptActivities, attempts, record } from './attempt-activities';

const env = suiteEnv(devEnv);

/** Hooks tests wait on. */
const taskTokens = new Map<string, Uint8Array>();
const started = new Map<string, () => void>();
const sawCancellation = new Set<string>();

function whenStarted(key: string): Promise<void> {
  return new Promise((resolve) => started.set(key, resolve));
}

const activities = {
  ...attemptActivities,
  async cfAlwaysFails(key: string, type: string): Promise<never> {
    const attempt = record(key);
    throw ApplicationFailure.retryable(`attempt ${attempt} failed (${type})`, type);
  },
  async cfCheckpoint(key: string): Promise<{ attempt: number; details: unknown }> {
    const ctx = Context.current();
    const attempt = record(key);
    if (attempt === 1) {
      ctx.heartbeat({ checkpoint: 41 });
      throw new Error('crashed after the checkpoint');
    }
    return { attempt, details: ctx.info.heartbeatDetails };
  },
  async cfHeartbeatUntilCancelled(key: string): Promise<string> {
    const ctx = Context.current();
    record(key);
    started.get(key)?.();
    try {
      for (;;) {
        ctx.heartbeat('alive');
        await ctx.sleep(100);
      }
    } catch (err) {
      if (err instanceof CancelledFailure) sawCancellation.add(key);
      throw err;
    }
  },
  async cfAsync(key: string): Promise<string> {
    record(key);
    taskTokens.set(key, Context.current().info.taskToken);
    started.get(key)?.();
    throw new CompleteAsyncError();
  },
};

async function run(taskQueue: string, activityType: string, args: unknown[], options: Record<string, unknown>, workflowId = uid('wf')): Promise<CfActivityOutcome> {
  return env.client.workflow.execute(cfRunActivity, { taskQueue, workflowId, args: [activityType, args, options] });
}

describe('retry policy', () => {
  test('a failing activity is retried until it succeeds; retries write no events', async () => {
    const taskQueue = uid('act-retry');
    const key = uid('k');
    const workflowId = uid('wf');
    await withWorker(env, { taskQueue, activities }, async () => {
      const out = await run(taskQueue, 'cfFlaky', [key, 3], { startToCloseTimeout: '10s', retry: { initialInterval: '100ms', backoffCoefficient: 1 } }, workflowId);
      expect(out).toEqual({ result: 3 });
    });
    expect(attempts.get(key)).toEqual([1, 2, 3]);
    const events = await historyOf(env, workflowId);
    const types = typeNames(events);
    expect(types.filter((t) => t.startsWith('ACTIVITY_TASK_'))).toEqual(['ACTIVITY_TASK_SCHEDULED', 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_COMPLETED']);
    const startedEv = events.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)!;
    expect(startedEv.activityTaskStartedEventAttributes?.attempt).toBe(3);
    expect(startedEv.activityTaskStartedEventAttributes?.lastFailure?.message).toBe('attempt 2 failed');
  });

  test('maximumAttempts bounds the retries: MAXIMUM_ATTEMPTS_REACHED with the last failure as cause', async () => {
    const taskQueue = uid('act-max');
    const key = uid('k');
    const workflowId = uid('wf');
    await withWorker(env, { taskQueue, activities }, async () => {
      const out = await run(taskQueue, 'cfAlwaysFails', [key, 'Transient'], { startToCloseTimeout: '10s', retry: { initialInterval: '100ms', backoffCoefficient: 1, maximumAttempts: 3 } }, workflowId);
      expect(out.failure?.name).toBe('ActivityFailure');
      expect(out.failure?.retryState).toBe('MAXIMUM_ATTEMPTS_REACHED');
      expect(out.failure?.cause).toMatchObject({ name: 'ApplicationFailure', type: 'Transient', message: 'attempt 3 failed (Transient)' });
    });
    expect(attempts.get(key)).toEqual([1, 2, 3]);
    const events = await historyOf(env, workflowId);
    const failed = events.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED)!;
    expect(failed.activityTaskFailedEventAttributes?.retryState).toBe(4 /* RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED */);
    const startedEv = events.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)!;
    expect(startedEv.activityTaskStartedEventAttributes?.attempt).toBe(3);
  });

  test('nonRetryableErrorTypes stops retrying at once: NON_RETRYABLE_FAILURE', async () => {
    const taskQueue = uid('act-nonretryable');
    const key = uid('k');
    await withWorker(env, { taskQueue, activities }, async () => {
      const out = await run(taskQueue, 'cfAlwaysFails', [key, 'FatalError'], {
        startToCloseTimeout: '10s',
        retry: { initialInterval: '100ms', nonRetryableErrorTypes: ['FatalError'] },
      });
      expect(out.failure?.retryState).toBe('NON_RETRYABLE_FAILURE');
      expect(out.failure?.cause).toMatchObject({ name: 'ApplicationFailure', type: 'FatalError' });
    });
    expect(attempts.get(key)).toEqual([1]);
  });
});

describe('timeouts', () => {
  test('start-to-close: a too slow attempt times out (START_TO_CLOSE)', async () => {
    const taskQueue = uid('act-stc');
    const key = uid('k');
    await withWorker(env, { taskQueue, activities }, async () => {
      const out = await run(taskQueue, 'cfSlow', [key, 10_000, [1]], { startToCloseTimeout: '1s', retry: { maximumAttempts: 1 } });
      expect(out.failure?.retryState).toBe('MAXIMUM_ATTEMPTS_REACHED');
      expect(out.failure?.cause).toMatchObject({ name: 'TimeoutFailure', timeoutType: 'START_TO_CLOSE' });
    });
  });

  test('start-to-close timeouts are retried: the next attempt may succeed', async () => {
    const taskQueue = uid('act-stc-retry');
    const key = uid('k');
    await withWorker(env, { taskQueue, activities }, async () => {
      const out = await run(taskQueue, 'cfSlow', [key, 10_000, [1]], { startToCloseTimeout: '1s', retry: { initialInterval: '100ms', maximumAttempts: 3 } });
      expect(out).toEqual({ result: 'attempt 2 done' });
    });
    expect(attempts.get(key)).toEqual([1, 2]);
  });

  test('heartbeat: an activity that stops heartbeating times out (HEARTBEAT) with its last details', async () => {
    const taskQueue = uid('act-hb');
    const key = uid('k');
    await withWorker(env, { taskQueue, activities }, async () => {
      const out = await run(taskQueue, 'cfHeartbeatOnceThenStall', [key, 'progress-1'], {
        startToCloseTimeout: '20s',
        heartbeatTimeout: '1s',
        retry: { maximumAttempts: 1 },
      });
      expect(out.failure?.retryState).toBe('MAXIMUM_ATTEMPTS_REACHED');
      expect(out.failure?.cause).toMatchObject({ name: 'TimeoutFailure', timeoutType: 'HEARTBEAT', lastHeartbeatDetails: 'progress-1' });
    });
  });

  test('schedule-to-start: a task nobody polls times out (SCHEDULE_TO_START, not retried)', async () => {
    const taskQueue = uid('act-sts');
    await withWorker(env, { taskQueue, activities }, async () => {
      const out = await run(taskQueue, 'cfFlaky', [uid('k'), 1], {
        taskQueue: uid('nobody-polls'),
        scheduleToStartTimeout: '1s',
        startToCloseTimeout: '10s',
      });
      expect(out.failure?.cause).toMatchObject({ name: 'TimeoutFailure', timeoutType: 'SCHEDULE_TO_START' });
      // isRetryable(): a SCHEDULE_TO_START timeout is not retryable.
      expect(out.failure?.retryState).toBe('NON_RETRYABLE_FAILURE');
    });
  });

  test('schedule-to-close: when the next retry would pass it, the activity times out with SCHEDULE_TO_CLOSE', async () => {
    const taskQueue = uid('act-stc-bound');
    const key = uid('k');
    await withWorker(env, { taskQueue, activities }, async () => {
      // Attempt 1 times out (start-to-close) after 1 s; the retry would start at 2 s, past the 1.5 s bound.
      const out = await run(taskQueue, 'cfSlow', [key, 10_000, [1, 2, 3]], {
        startToCloseTimeout: '1s',
        scheduleToCloseTimeout: '1500ms',
        retry: { initialInterval: '1s' },
      });
      expect(out.failure?.retryState).toBe('TIMEOUT');
      expect(out.failure?.cause).toMatchObject({ name: 'TimeoutFailure', timeoutType: 'SCHEDULE_TO_CLOSE' });
    });
    expect(attempts.get(key)).toEqual([1]);
  });
});

test('heartbeat details of a failed attempt are handed to the next attempt', async () => {
  const taskQueue = uid('act-checkpoint');
  const key = uid('k');
  await withWorker(env, { taskQueue, activities }, async () => {
    const out = await run(taskQueue, 'cfCheckpoint', [key], { startToCloseTimeout: '10s', retry: { initialInterval: '100ms' } });
    expect(out).toEqual({ result: { attempt: 2, details: { checkpoint: 41 } } });
  });
});

describe('cancellation', () => {
  test('cancelling the scope of a running activity cancels it through its heartbeat', async () => {
    const taskQueue = uid('act-cancel');
    const key = uid('k');
    const workflowId = uid('wf');
    const running = whenStarted(key);
    await withWorker(env, { taskQueue, activities }, async () => {
      const handle = await env.client.workflow.start(cfCancelledActivity, {
        taskQueue,
        workflowId,
        args: ['cfHeartbeatUntilCancelled', [key], { startToCloseTimeout: '1 minute', heartbeatTimeout: '2s', retry: { maximumAttempts: 1 } }],
      });
      await running;
      await handle.signal(cfCancelActivity);
      const out = await handle.result();
      expect(out.failure?.cancelled).toBe(true);
    });
    expect(sawCancellation.has(key)).toBe(true);
    const types = typeNames(await historyOf(env, workflowId));
    const acts = types.filter((t) => t.startsWith('ACTIVITY_TASK_'));
    expect(acts).toEqual(['ACTIVITY_TASK_SCHEDULED', 'ACTIVITY_TASK_CANCEL_REQUESTED', 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_CANCELED']);
  });

  test('cancelling an activity that has not started cancels it at once', async () => {
    const taskQueue = uid('act-cancel-unstarted');
    const workflowId = uid('wf');
    await withWorker(env, { taskQueue, activities }, async () => {
      const handle = await env.client.workflow.start(cfCancelledActivity, {
        taskQueue,
        workflowId,
        args: ['cfFlaky', [uid('k'), 1], { taskQueue: uid('nobody-polls'), startToCloseTimeout: '1 minute' }],
      });
      await waitFor(() => historyOf(env, workflowId), (ev) => typeNames(ev).includes('ACTIVITY_TASK_SCHEDULED'), 'activity scheduled');
      await handle.signal(cfCancelActivity);
      const out = await handle.result();
      expect(out.failure?.cancelled).toBe(true);
    });
    const acts = typeNames(await historyOf(env, workflowId)).filter((t) => t.startsWith('ACTIVITY_TASK_'));
    expect(acts).toEqual(['ACTIVITY_TASK_SCHEDULED', 'ACTIVITY_TASK_CANCEL_REQUESTED', 'ACTIVITY_TASK_CANCELED']);
  });
});

describe('asynchronous completion', () => {
  test('an activity that throws CompleteAsyncError is completed by task token', async () => {
    const taskQueue = uid('act-async-token');
    const key = uid('k');
    const ready = whenStarted(key);
    await withWorker(env, { taskQueue, activities }, async () => {
      const handle = await env.client.workflow.start(cfRunActivity, { taskQueue, workflowId: uid('wf'), args: ['cfAsync', [key], { startToCloseTimeout: '1 minute' }] });
      await ready;
      await env.client.activity.complete(taskTokens.get(key)!, 'done by token');
      expect(await handle.result()).toEqual({ result: 'done by token' });
    });
  });

  test('an activity that throws CompleteAsyncError is completed by workflow id and activity id', async () => {
    const taskQueue = uid('act-async-id');
    const key = uid('k');
    const workflowId = uid('wf');
    const ready = whenStarted(key);
    await withWorker(env, { taskQueue, activities }, async () => {
      const handle = await env.client.workflow.start(cfRunActivity, {
        taskQueue,
        workflowId,
        args: ['cfAsync', [key], { startToCloseTimeout: '1 minute', activityId: 'async-by-id' }],
      });
      await ready;
      await env.client.activity.complete({ workflowId, activityId: 'async-by-id' }, 'done by id');
      expect(await handle.result()).toEqual({ result: 'done by id' });
      await expect(env.client.activity.complete({ workflowId, activityId: 'no-such-activity' }, 'x')).rejects.toBeInstanceOf(ActivityNotFoundError);
    });
  });
});
