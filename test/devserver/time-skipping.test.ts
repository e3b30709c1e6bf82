import { Worker } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { timeSkippingEnv, WORKFLOWS } from '../helpers/engine';
import { sleeper } from './workflows';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const DAY = 86_400_000;

test('23 months of timers pass in virtual time', async () => {
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'skip', workflowsPath: WORKFLOWS });
  const before = await env.currentTimeMs();
  const end = await worker.runUntil(
    env.client.workflow.execute(sleeper, { taskQueue: 'skip', workflowId: 'skip-1', args: [30 * DAY, 23] }),
  );
  expect(end - before).toBeGreaterThanOrEqual(23 * 30 * DAY);
  expect(end - before).toBeLessThan(23 * 30 * DAY + DAY);
});

test('env.sleep moves virtual time forward', async () => {
  const before = await env.currentTimeMs();
  await env.sleep('3 days');
  const after = await env.currentTimeMs();
  expect(after - before).toBeGreaterThanOrEqual(3 * DAY);
  expect(after - before).toBeLessThan(3 * DAY + 60_000);
});
