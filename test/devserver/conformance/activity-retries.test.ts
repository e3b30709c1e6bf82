/** An activity past its start-to-close timeout on its last attempt: the timeout ends it, and its token is gone. */
import { temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { cfRunActivity } from '../workflows';
import { NAMESPACE, historyOf, suiteEnv, typeNames, uid, waitFor, withWorker, outcome } from './helpers';

const env = suiteEnv(devEnv);
const svc = () => env.client.workflowService;
const identity = 'x';

test('heartbeat after a start-to-close timeout, and on a garbage token', async () => {
  const taskQueue = uid('wf-q');
  const actQueue = uid('act-q');
  await withWorker(env, { taskQueue }, async () => {
    const workflowId = uid('wf');
    const handle = await env.client.workflow.start(cfRunActivity, { taskQueue, workflowId, args: ['a', [], { taskQueue: actQueue, startToCloseTimeout: '1s', retry: { maximumAttempts: 1 } }] });
    await waitFor(() => historyOf(env, workflowId), (ev) => typeNames(ev).includes('ACTIVITY_TASK_SCHEDULED'), 'sched');
    const task = await svc().pollActivityTaskQueue({ namespace: NAMESPACE, taskQueue: { name: actQueue }, identity });
    const out = await handle.result();
    expect(out.failure?.retryState).toBe('MAXIMUM_ATTEMPTS_REACHED');
    expect(await outcome(svc().recordActivityTaskHeartbeat({ namespace: NAMESPACE, taskToken: task.taskToken, identity }))).toBe(5);
    expect(await outcome(svc().recordActivityTaskHeartbeat({ namespace: NAMESPACE, taskToken: new Uint8Array([1, 2, 3]), identity }))).toBe(3);
    const failed = (await historyOf(env, workflowId)).find((e) => e.activityTaskTimedOutEventAttributes);
    expect(failed?.activityTaskTimedOutEventAttributes?.failure?.message).toBe('activity StartToClose timeout');
    expect(temporal.api.enums.v1.RetryState[failed!.activityTaskTimedOutEventAttributes!.retryState!]).toBe('RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED');
  });
});
