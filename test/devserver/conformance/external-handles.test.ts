/** Through the SDK: what a workflow sees when it signals itself or cancels a closed workflow. */
import { timeSkippingEnv } from '../../helpers/engine';
import { uid, withWorker, suiteEnv } from './helpers';

const workflowsPath = require.resolve('../workflows/external-handles');
const env = suiteEnv(timeSkippingEnv, [workflowsPath]);

test('signalling itself through an external handle fails in the workflow and delivers nothing', async () => {
  // transfer_queue_active_task_executor.go processSignalExecution: "handle workflow signal itself" -> EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND
  const taskQueue = uid('self-signal');
  await withWorker(env, { taskQueue, workflowsPath }, async () => {
    const r = await env.client.workflow.execute('extSignalSelf', { taskQueue, workflowId: uid('self') });
    expect(r).toEqual({ error: 'Unable to signal external workflow because it was not found', received: false });
  });
});

test('cancelling a workflow that already closed succeeds in the workflow', async () => {
  // api/requestcancelworkflow/api.go: a closed target is a success (Noop)
  const taskQueue = uid('cancel-closed');
  const target = await env.client.workflow.start('nobodyRunsThis', { taskQueue: uid('nobody'), workflowId: uid('target') });
  await target.terminate();
  await withWorker(env, { taskQueue, workflowsPath }, async () => {
    expect(await env.client.workflow.execute('extCancelOther', { taskQueue, workflowId: uid('canceller'), args: [target.workflowId] })).toBe('cancel requested');
  });
});
