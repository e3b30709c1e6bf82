/**
 * Durations under time skipping (the test-server form): start delay, activity retry backoff and
 * its bounds, workflow run timeout, an update that waits on a timer, env.sleep with an abandoned
 * child. Every assertion on time is on virtual time (env.currentTimeMs), never wall time.
 */
import { Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, TimeoutFailure } from '@temporalio/common';
import { timeSkippingEnv } from '../../helpers/engine';
import { cfCollector, cfEcho, cfParentClose, cfRunActivity, cfSleepyUpdate, cfStop, cfUpdatable } from '../workflows';
import { historyOf, settlesWithin, typeNames, uid, waitFor, withWorker, suiteEnv } from './helpers';

const env = suiteEnv(timeSkippingEnv);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const attempts = new Map<string, number[]>();
const activities = {
  async cfFlaky(key: string, succeedOn: number): Promise<number> {
    const { attempt } = Context.current().info;
    attempts.set(key, [...(attempts.get(key) ?? []), attempt]);
    if (attempt < succeedOn) throw ApplicationFailure.retryable(`attempt ${attempt} failed`, 'Flaky');
    return attempt;
  },
};

test('a start delay passes in virtual time before the first workflow task', async () => {
  const taskQueue = uid('ts-delay');
  await withWorker(env, { taskQueue }, async () => {
    const before = await env.currentTimeMs();
    const result = await env.client.workflow.execute(cfEcho, { taskQueue, workflowId: uid('wf'), args: ['after delay'], startDelay: '2 days' });
    expect(result).toBe('after delay');
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(2 * DAY);
  });
});

test('activity retry backoff follows the policy (initial interval x coefficient) in virtual time', async () => {
  const taskQueue = uid('ts-backoff');
  const key = uid('k');
  await withWorker(env, { taskQueue, activities }, async () => {
    const before = await env.currentTimeMs();
    const out = await env.client.workflow.execute(cfRunActivity, {
      taskQueue,
      workflowId: uid('wf'),
      args: ['cfFlaky', [key, 4], { startToCloseTimeout: '1 minute', retry: { initialInterval: '1 hour', backoffCoefficient: 2, maximumAttempts: 5 } }],
    });
    const elapsed = (await env.currentTimeMs()) - before;
    expect(out).toEqual({ result: 4 });
    // Backoffs 1 h + 2 h + 4 h.
    expect(elapsed).toBeGreaterThanOrEqual(7 * HOUR);
    expect(elapsed).toBeLessThan(7 * HOUR + 10 * MINUTE);
  });
  expect(attempts.get(key)).toEqual([1, 2, 3, 4]);
});

test('maximumInterval caps the retry backoff', async () => {
  const taskQueue = uid('ts-max-interval');
  const key = uid('k');
  await withWorker(env, { taskQueue, activities }, async () => {
    const before = await env.currentTimeMs();
    const out = await env.client.workflow.execute(cfRunActivity, {
      taskQueue,
      workflowId: uid('wf'),
      args: ['cfFlaky', [key, 4], { startToCloseTimeout: '1 minute', retry: { initialInterval: '1 hour', backoffCoefficient: 10, maximumInterval: '2 hours' } }],
    });
    const elapsed = (await env.currentTimeMs()) - before;
    expect(out).toEqual({ result: 4 });
    // Backoffs 1 h, then min(10 h, 2 h) twice.
    expect(elapsed).toBeGreaterThanOrEqual(5 * HOUR);
    expect(elapsed).toBeLessThan(5 * HOUR + 10 * MINUTE);
  });
});

test('schedule-to-close bounds the retries: no attempt is scheduled past it (retry state TIMEOUT)', async () => {
  const taskQueue = uid('ts-s2c');
  const key = uid('k');
  await withWorker(env, { taskQueue, activities }, async () => {
    const out = await env.client.workflow.execute(cfRunActivity, {
      taskQueue,
      workflowId: uid('wf'),
      args: ['cfFlaky', [key, 100], { scheduleToCloseTimeout: '210 minutes', retry: { initialInterval: '1 hour', backoffCoefficient: 2 } }],
    });
    expect(out.failure?.retryState).toBe('TIMEOUT');
    expect(out.failure?.cause).toMatchObject({ name: 'ApplicationFailure', message: 'attempt 3 failed' });
  });
  // Attempts at 0 h, 1 h and 3 h; the next would be at 7 h, past 3.5 h.
  expect(attempts.get(key)).toEqual([1, 2, 3]);
});

test('a workflow run timeout passes in virtual time (no retry policy: RETRY_POLICY_NOT_SET)', async () => {
  const taskQueue = uid('ts-run-timeout');
  await withWorker(env, { taskQueue }, async () => {
    const before = await env.currentTimeMs();
    const err = await env.client.workflow.execute(cfCollector, { taskQueue, workflowId: uid('wf'), workflowRunTimeout: '1 day' }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause).toBeInstanceOf(TimeoutFailure);
    // timer_queue_active_task_executor.go executeWorkflowRunTimeoutTask: GetRetryBackoffDuration without a policy.
    expect((err as WorkflowFailedError).retryState).toBe('RETRY_POLICY_NOT_SET');
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(DAY);
  });
});

test('an update whose handler sleeps completes: waiting on it lets virtual time skip', async () => {
  const taskQueue = uid('ts-update');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfUpdatable, { taskQueue, workflowId: uid('wf') });
    await waitFor(() => historyOf(env, handle.workflowId), (ev) => typeNames(ev).includes('WORKFLOW_TASK_COMPLETED'), 'first task completed');
    try {
      const before = await env.currentTimeMs();
      const result = await settlesWithin(handle.executeUpdate(cfSleepyUpdate, { args: [DAY] }), 10_000, 'update waiting on a one-day timer');
      expect(result).toBe(`slept ${DAY} ms`);
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(DAY);
      await handle.signal(cfStop);
      await handle.result();
    } finally {
      // Leave no timer behind: later tests skip time through whatever is still pending.
      await handle.terminate('cleanup').catch(() => undefined);
    }
  });
});

test('env.sleep returns while an abandoned child keeps running', async () => {
  const taskQueue = uid('ts-abandon');
  const childId = uid('child');
  await withWorker(env, { taskQueue }, async () => {
    await env.client.workflow.execute(cfParentClose, { taskQueue, workflowId: uid('parent'), args: [childId, 'ABANDON'] });
    const child = env.client.workflow.getHandle(childId);
    try {
      const before = await env.currentTimeMs();
      await settlesWithin(env.sleep('1 hour'), 15_000, 'env.sleep with an abandoned child');
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(HOUR);
      expect((await child.describe()).status.name).toBe('RUNNING');
    } finally {
      await child.terminate('cleanup').catch(() => undefined);
    }
  });
});
