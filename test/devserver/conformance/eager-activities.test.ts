/**
 * Eager activity execution, as Temporal's history service does it (respondworkflowtaskcompleted
 * handlePostCommandEagerExecuteActivity): a ScheduleActivityTask command with
 * request_eager_execution has its first attempt started at once for the worker that completed the
 * workflow task, and the task travels back in RespondWorkflowTaskCompletedResponse.activity_tasks.
 * The SDK asks for it (allowEagerDispatch, on by default) when the activity runs on the workflow's
 * own task queue and the worker has a free slot. Each test runs its own engine with
 * --log-level debug, whose exit line tells how every activity attempt reached a worker.
 */
import { spawnSync } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { spawnEngine, SpawnedEngine } from '../../helpers/spawn-engine';
import { ENGINE, quietRuntime } from '../../helpers/engine';
import { cfRunActivity, cfScheduleAndReturn } from '../workflows';
import type { CfActivityOutcome } from '../workflows';
import { EventType, typeNames, uid, workflowBundle } from './helpers';
import { attemptActivities, attempts } from './attempt-activities';

interface Started {
  polled: number;
  eager: number;
}

interface Setup {
  client: Client;
  /** Runs `fn` with a worker (identity "eager-worker") on `taskQueue`, then stops it. */
  withWorker<T>(taskQueue: string, fn: () => Promise<T>): Promise<T>;
  /** Stops the engine and returns how its activity attempts were started. */
  stop(): Promise<Started>;
}

const activities = {
  ...attemptActivities,
  async cfEcho(value: string): Promise<string> {
    return `echo ${value}`;
  },
};

const setups: Setup[] = [];

async function setup(engineArgs: string[] = []): Promise<Setup> {
  quietRuntime();
  const engine: SpawnedEngine = await spawnEngine(['--log-level', 'debug', ...engineArgs]);
  const connection = await Connection.connect({ address: engine.address });
  const native = await NativeConnection.connect({ address: engine.address });
  const s: Setup = {
    client: new Client({ connection }),
    async withWorker(taskQueue, fn) {
      const worker = await Worker.create({ connection: native, taskQueue, identity: 'eager-worker', workflowBundle: await workflowBundle(), activities });
      return worker.runUntil(fn);
    },
    async stop() {
      await connection.close();
      await native.close();
      engine.child.kill('SIGTERM');
      await engine.exited;
      const line = /activity attempts started: (\{.*\})/.exec(engine.stderr());
      if (!line) throw new Error(`no activity counts in the engine's log:\n${engine.stderr()}`);
      return JSON.parse(line[1]) as Started;
    },
  };
  setups.push(s);
  return s;
}

afterAll(async () => {
  for (const s of setups) await s.stop().catch(() => undefined);
});

beforeAll(async () => {
  await workflowBundle();
}, 60_000);

async function runActivity(s: Setup, taskQueue: string, activityType: string, args: unknown[], options: Record<string, unknown>, workflowId = uid('wf')): Promise<CfActivityOutcome> {
  return s.client.workflow.execute(cfRunActivity, { taskQueue, workflowId, args: [activityType, args, options] });
}

test('an activity on the workflow task queue starts in the response to the completion that scheduled it; no poll delivers it', async () => {
  const s = await setup();
  const taskQueue = uid('eager');
  const ids = Array.from({ length: 5 }, () => uid('wf'));
  await s.withWorker(taskQueue, async () => {
    const outs = await Promise.all(ids.map((id, i) => runActivity(s, taskQueue, 'cfEcho', [`v${i}`], { startToCloseTimeout: '10s' }, id)));
    expect(outs).toEqual(ids.map((_, i) => ({ result: `echo v${i}` })));
  });
  const history = (await s.client.workflow.getHandle(ids[0]).fetchHistory()).events ?? [];
  expect(typeNames(history)).toEqual([
    'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED',
    'ACTIVITY_TASK_SCHEDULED', 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_COMPLETED',
    'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'WORKFLOW_EXECUTION_COMPLETED',
  ]);
  const started = history.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)!.activityTaskStartedEventAttributes!;
  expect(started).toMatchObject({ identity: 'eager-worker', attempt: 1 });
  expect(Number(started.scheduledEventId)).toBe(5);
  expect(await s.stop()).toEqual({ eager: 5, polled: 0 });
});

test('retries of an eagerly started activity go through the task queue; history as for any activity', async () => {
  const s = await setup();
  const taskQueue = uid('eager-retry');
  const key = uid('k');
  const workflowId = uid('wf');
  await s.withWorker(taskQueue, async () => {
    const out = await runActivity(s, taskQueue, 'cfFlaky', [key, 3], { startToCloseTimeout: '10s', retry: { initialInterval: '100ms', backoffCoefficient: 1 } }, workflowId);
    expect(out).toEqual({ result: 3 });
  });
  expect(attempts.get(key)).toEqual([1, 2, 3]);
  const history = (await s.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  expect(typeNames(history).filter((t) => t.startsWith('ACTIVITY_TASK_'))).toEqual(['ACTIVITY_TASK_SCHEDULED', 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_COMPLETED']);
  const started = history.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)!.activityTaskStartedEventAttributes!;
  expect(started.attempt).toBe(3);
  expect(started.lastFailure?.message).toBe('attempt 2 failed');
  expect(await s.stop()).toEqual({ eager: 1, polled: 2 });
});

test('timeouts of an eagerly started attempt: start-to-close is retried, a missed heartbeat fails it with its details', async () => {
  const s = await setup();
  const taskQueue = uid('eager-timeouts');
  const slow = uid('k');
  const stall = uid('k');
  await s.withWorker(taskQueue, async () => {
    const [retried, timedOut] = await Promise.all([
      runActivity(s, taskQueue, 'cfSlow', [slow, 10_000, [1]], { startToCloseTimeout: '1s', retry: { initialInterval: '100ms', maximumAttempts: 3 } }),
      runActivity(s, taskQueue, 'cfHeartbeatOnceThenStall', [stall, 'progress-1'], { startToCloseTimeout: '20s', heartbeatTimeout: '1s', retry: { maximumAttempts: 1 } }),
    ]);
    expect(retried).toEqual({ result: 'attempt 2 done' });
    expect(timedOut.failure?.retryState).toBe('MAXIMUM_ATTEMPTS_REACHED');
    expect(timedOut.failure?.cause).toMatchObject({ name: 'TimeoutFailure', timeoutType: 'HEARTBEAT', lastHeartbeatDetails: 'progress-1' });
  });
  expect(attempts.get(slow)).toEqual([1, 2]);
  expect(attempts.get(stall)).toEqual([1]);
  expect(await s.stop()).toEqual({ eager: 2, polled: 1 });
});

test('an activity scheduled by the completion that also closes the workflow is not handed out', async () => {
  const s = await setup();
  const taskQueue = uid('eager-closed');
  const workflowId = uid('wf');
  await s.withWorker(taskQueue, async () => {
    const out = await s.client.workflow.execute(cfScheduleAndReturn, { taskQueue, workflowId, args: ['cfEcho', ['x'], { startToCloseTimeout: '10s' }] });
    expect(out).toBe('returned');
  });
  const types = typeNames((await s.client.workflow.getHandle(workflowId).fetchHistory()).events ?? []);
  expect(types.slice(-2)).toEqual(['ACTIVITY_TASK_SCHEDULED', 'WORKFLOW_EXECUTION_COMPLETED']);
  expect(await s.stop()).toEqual({ eager: 0, polled: 0 });
});

test('without eager dispatch (allowEagerDispatch: false, or system.enableActivityEagerExecution=false) activities go through the task queue', async () => {
  const s = await setup();
  const taskQueue = uid('not-eager');
  await s.withWorker(taskQueue, async () => {
    expect(await runActivity(s, taskQueue, 'cfEcho', ['a'], { startToCloseTimeout: '10s', allowEagerDispatch: false })).toEqual({ result: 'echo a' });
  });
  expect(await s.stop()).toEqual({ eager: 0, polled: 1 });

  const off = await setup(['--dynamic-config-value', 'system.enableActivityEagerExecution=false']);
  await off.withWorker(taskQueue, async () => {
    const outs = await Promise.all(['b', 'c'].map((v) => runActivity(off, taskQueue, 'cfEcho', [v], { startToCloseTimeout: '10s' })));
    expect(outs).toEqual([{ result: 'echo b' }, { result: 'echo c' }]);
  });
  expect(await off.stop()).toEqual({ eager: 0, polled: 2 });
});

test('the switch takes true or false only', () => {
  const r = spawnSync(process.execPath, [ENGINE, 'server', 'start-dev', '--headless', '--port', '0', '--dynamic-config-value', 'system.enableActivityEagerExecution=sometimes'], { encoding: 'utf8', timeout: 30_000 });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--dynamic-config-value system.enableActivityEagerExecution wants true or false, got "sometimes"');
});
