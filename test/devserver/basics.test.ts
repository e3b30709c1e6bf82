import { Worker } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { devEnv, WORKFLOWS } from '../helpers/engine';
import { greet, counter, addSignal, doneSignal, totalQuery } from './workflows';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await devEnv();
});
afterAll(async () => {
  await env?.teardown();
});

async function withWorker<T>(taskQueue: string, fn: () => Promise<T>): Promise<T> {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: WORKFLOWS,
    activities: { echo: async (s: string) => s },
  });
  return worker.runUntil(fn());
}

test('a workflow runs an activity and returns its result', async () => {
  const result = await withWorker('basics', () =>
    env.client.workflow.execute(greet, { taskQueue: 'basics', workflowId: 'greet-1', args: ['Ada'] }),
  );
  expect(result).toBe('Hello, Ada!');
});

test('signals and queries reach a running workflow', async () => {
  await withWorker('basics-signals', async () => {
    const h = await env.client.workflow.start(counter, { taskQueue: 'basics-signals', workflowId: 'counter-1' });
    await h.signal(addSignal, 2);
    await h.signal(addSignal, 3);
    expect(await h.query(totalQuery)).toBe(5);
    await h.signal(doneSignal);
    expect(await h.result()).toBe(5);
    expect(await h.query(totalQuery)).toBe(5); // closed workflows answer queries too
  });
});

test('concurrent queries on a workflow that just ended are all answered', async () => {
  await withWorker('basics-queries', async () => {
    const h = await env.client.workflow.start(counter, { taskQueue: 'basics-queries', workflowId: 'counter-2' });
    await h.signal(addSignal, 7);
    await h.signal(doneSignal);
    const answers = await Promise.all([h.result(), ...Array.from({ length: 5 }, () => h.query(totalQuery))]);
    expect(answers).toEqual([7, 7, 7, 7, 7, 7]);
  });
});
