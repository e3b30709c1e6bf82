/**
 * Reset with children pending at the reset point, as the server allows by default
 * (history.allowResetWithPendingChildren): the base run's children stay running, their outcomes
 * after the point are written again, and a child that closes later reports to the reset run.
 */
import path from 'node:path';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { untilKilled } from '../../helpers/spawn-engine';
import { cfAppend, cfFinish } from '../workflows';
import { EventType, eventsOf, fromPayloads, historyOf, num, typeName, uid, waitFor, withWorker, workflowBundle, scratchDir, suiteEnv } from './helpers';
import { parentWithStartedChild, reset } from './reset-helpers';

const Cause = temporal.api.enums.v1.WorkflowTaskFailedCause;
const ReapplyType = temporal.api.enums.v1.ResetReapplyType;
const Status = temporal.api.enums.v1.WorkflowExecutionStatus;

const tmp = scratchDir('engine-reset-children-');
const env = suiteEnv(devEnv);

test('a child pending at the reset point stays running and reports to the new run', async () => {
  const taskQueue = uid('reset-child');
  await withWorker(env, { taskQueue }, async () => {
    const { parent, child, afterChildStarted } = await parentWithStartedChild(env.client, taskQueue);
    const { runId } = await reset(env.client, { workflowExecution: { workflowId: parent.workflowId }, reason: 'take the child over', workflowTaskFinishEventId: afterChildStarted });
    // The base run's parent close policy (terminate) is not applied: the new run takes the child over.
    expect((await child.describe()).status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_RUNNING);
    const base = await env.client.workflow.getHandle(parent.workflowId, parent.firstExecutionRunId).describe();
    expect(base.status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    expect(base.raw.workflowExtendedInfo?.resetRunId).toBe(runId);
    const pending = (await env.client.workflow.getHandle(parent.workflowId, runId).describe()).raw.pendingChildren ?? [];
    expect(pending.map((c) => c.workflowId)).toEqual([child.workflowId]);

    await child.signal(cfAppend, 'after the reset');
    await child.signal(cfFinish);
    expect(await env.client.workflow.getHandle(parent.workflowId).result()).toEqual(['after the reset']);
    const fresh = await historyOf(env, parent.workflowId, runId);
    const done = eventsOf(fresh, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED);
    expect(done.map((ev) => num(ev.childWorkflowExecutionCompletedEventAttributes?.initiatedEventId))).toEqual([5]);
    // The base run heard nothing: it was closed, and its reset run took the result.
    expect(eventsOf(await historyOf(env, parent.workflowId, parent.firstExecutionRunId), EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED)).toEqual([]);
  });
});

test('the outcome of a child pending at the reset point is applied again when it came after the point', async () => {
  const taskQueue = uid('reset-child-done');
  await withWorker(env, { taskQueue }, async () => {
    const { parent, child, afterChildStarted } = await parentWithStartedChild(env.client, taskQueue);
    await child.signal(cfAppend, 'once');
    await child.signal(cfFinish);
    expect(await parent.result()).toEqual(['once']);
    const { runId } = await reset(env.client, { workflowExecution: { workflowId: parent.workflowId }, reason: 'again', workflowTaskFinishEventId: afterChildStarted });
    expect(await env.client.workflow.getHandle(parent.workflowId, runId).result()).toEqual(['once']);
    const fresh = await historyOf(env, parent.workflowId, runId);
    const [failed, reapplied] = fresh.slice(afterChildStarted - 1, afterChildStarted + 1);
    expect(failed.workflowTaskFailedEventAttributes?.cause).toBe(Cause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW);
    expect(typeName(reapplied)).toBe('CHILD_WORKFLOW_EXECUTION_COMPLETED');
    const started = eventsOf(fresh, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED);
    expect(num(reapplied.childWorkflowExecutionCompletedEventAttributes?.startedEventId)).toBe(num(started[0].eventId));
    expect(fromPayloads(reapplied.childWorkflowExecutionCompletedEventAttributes?.result)).toEqual([['once']]);
  });
});

test('resetting a child does not tell its parent that the child ended: the parent waits on the new run', async () => {
  const taskQueue = uid('reset-of-child');
  await withWorker(env, { taskQueue }, async () => {
    const { parent, child } = await parentWithStartedChild(env.client, taskQueue);
    await child.signal(cfAppend, 'lost by the reset');
    await waitFor(() => historyOf(env, child.workflowId), (evs) => eventsOf(evs, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length >= 2, 'the child to take the value');
    await reset(env.client, { workflowExecution: { workflowId: child.workflowId }, reason: 'child again', workflowTaskFinishEventId: 4, resetReapplyType: ReapplyType.RESET_REAPPLY_TYPE_NONE });
    const parentEvents = await historyOf(env, parent.workflowId);
    expect(eventsOf(parentEvents, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED)).toEqual([]);
    await child.signal(cfAppend, 'kept');
    await child.signal(cfFinish);
    expect(await parent.result()).toEqual(['kept']);
  });
});

test('after kill -9 a reset parent still takes over its child', async () => {
  const db = path.join(tmp, 'reset-child.db');
  const taskQueue = 'reset-child-durable';
  const bundle = await workflowBundle();
  /** Against an engine on `db` with a worker beside it, killed with SIGKILL afterwards. */
  const withEngine = <T>(fn: (client: Client) => Promise<T>) =>
    untilKilled(db, async (client, address) => {
      const native = await NativeConnection.connect({ address });
      try {
        const worker = await Worker.create({ connection: native, taskQueue, workflowBundle: bundle });
        return await worker.runUntil(fn(client));
      } finally {
        await native.close();
      }
    });
  const { workflowId, childId, runId } = await withEngine(async (client) => {
    const { parent, child, afterChildStarted } = await parentWithStartedChild(client, taskQueue);
    const reply = await reset(client, { workflowExecution: { workflowId: parent.workflowId }, reason: 'before the crash', workflowTaskFinishEventId: afterChildStarted });
    return { workflowId: parent.workflowId, childId: child.workflowId, runId: reply.runId };
  });
  const result = await withEngine(async (client) => {
    await client.workflow.getHandle(childId).signal(cfAppend, 'after the restart');
    await client.workflow.getHandle(childId).signal(cfFinish);
    return client.workflow.getHandle(workflowId, runId).result();
  });
  expect(result).toEqual(['after the restart']);
}, 60_000);

test('a run that took a child over leaves it alone when it closes: the child is not its own', async () => {
  const taskQueue = uid('reset-child-close');
  await withWorker(env, { taskQueue }, async () => {
    const { parent, child, afterChildStarted } = await parentWithStartedChild(env.client, taskQueue);
    const { runId } = await reset(env.client, { workflowExecution: { workflowId: parent.workflowId }, reason: 'take over', workflowTaskFinishEventId: afterChildStarted });
    // The child's parent is still the base run: the new run's close policy (terminate) skips it.
    await env.client.workflow.getHandle(parent.workflowId, runId).terminate('done');
    expect((await child.describe()).status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_RUNNING);
    await child.terminate('tidy up');
  });
});

test('a base reset twice hands its child to the latest reset run', async () => {
  const taskQueue = uid('reset-child-twice');
  await withWorker(env, { taskQueue }, async () => {
    const { parent, child, afterChildStarted } = await parentWithStartedChild(env.client, taskQueue);
    const base = { workflowId: parent.workflowId, runId: parent.firstExecutionRunId };
    await reset(env.client, { workflowExecution: base, reason: 'first', workflowTaskFinishEventId: afterChildStarted });
    const { runId } = await reset(env.client, { workflowExecution: base, reason: 'second', workflowTaskFinishEventId: afterChildStarted });
    expect((await child.describe()).status.code).toBe(Status.WORKFLOW_EXECUTION_STATUS_RUNNING);
    await child.signal(cfAppend, 'for the second');
    await child.signal(cfFinish);
    expect(await env.client.workflow.getHandle(parent.workflowId, runId).result()).toEqual(['for the second']);
  });
});
