/**
 * DeleteWorkflowExecution as Temporal's history service does it: a closed run is deleted, a running
 * one is terminated first ("Delete workflow execution", identity history-service) and then deleted.
 * A deleted run is gone from describe, history and visibility, and stays gone after a restart.
 * The SDK's client has no delete call, so it goes through the SDK's own WorkflowService stub.
 */
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { Client, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { ChildWorkflowFailure, TerminatedFailure } from '@temporalio/common';
import { devEnv } from '../../helpers/engine';
import { connect, spawnEngine } from '../../helpers/spawn-engine';
import { cfCollector, cfEcho, cfParentWaitingOnChild } from '../workflows';
import { NAMESPACE, grpcFailure, historyOf, typeName, uid, waitFor, withWorker, scratchDir, suiteEnv } from './helpers';

const tmp = scratchDir('engine-delete-');
const env = suiteEnv(devEnv);

function deleteRun(client: Client, workflowId: string, runId?: string) {
  return client.workflowService.deleteWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId, runId } });
}

async function listedIds(client: Client, workflowId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) ids.push(w.runId);
  return ids;
}

test('a deleted closed run is gone from describe, history and visibility, and its id starts afresh', async () => {
  const taskQueue = uid('delete-closed');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfEcho, { taskQueue, workflowId, args: ['x'] });
    expect(await handle.result()).toBe('x');
    expect(await listedIds(env.client, workflowId)).toEqual([handle.firstExecutionRunId]);

    await deleteRun(env.client, workflowId, handle.firstExecutionRunId);

    await expect(handle.describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    const history = await grpcFailure(env.client.workflowService.getWorkflowExecutionHistory({ namespace: NAMESPACE, execution: { workflowId } }));
    expect(history.code).toBe(status.NOT_FOUND);
    expect(await listedIds(env.client, workflowId)).toEqual([]);
    expect((await env.client.workflow.count(`WorkflowId = '${workflowId}'`)).count).toBe(0);
    // No current run is left to refuse the id: even REJECT_DUPLICATE starts a new run.
    const again = await env.client.workflow.start(cfEcho, { taskQueue, workflowId, args: ['y'], workflowIdReusePolicy: 'REJECT_DUPLICATE' });
    expect(await again.result()).toBe('y');
    expect(again.firstExecutionRunId).not.toBe(handle.firstExecutionRunId);
  });
});

test('a running child that is deleted is terminated first: its parent sees the termination', async () => {
  const taskQueue = uid('delete-running');
  const childId = uid('child');
  await withWorker(env, { taskQueue }, async () => {
    const parent = await env.client.workflow.start(cfParentWaitingOnChild, { taskQueue, workflowId: uid('parent'), args: [childId] });
    const child = env.client.workflow.getHandle(childId);
    // The child has run its first task, so the parent waits on its result.
    await waitFor(() => historyOf(env, childId).catch(() => []), (events) => events.length >= 4, 'the child to run its first task');

    await deleteRun(env.client, childId);

    const err = await parent.result().catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause).toBeInstanceOf(ChildWorkflowFailure);
    expect(err.cause.cause).toBeInstanceOf(TerminatedFailure);
    await expect(child.describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    const parentEvents = await historyOf(env, parent.workflowId);
    expect(parentEvents.map(typeName)).toContain('CHILD_WORKFLOW_EXECUTION_TERMINATED');
  });
});

test('deleting one run by its run id leaves the workflow id\'s other runs, and the current run stays current', async () => {
  const taskQueue = uid('delete-one');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue }, async () => {
    const first = await env.client.workflow.start(cfEcho, { taskQueue, workflowId, args: ['1'] });
    await first.result();
    const second = await env.client.workflow.start(cfEcho, { taskQueue, workflowId, args: ['2'] });
    await second.result();

    await deleteRun(env.client, workflowId, first.firstExecutionRunId);

    expect(await listedIds(env.client, workflowId)).toEqual([second.firstExecutionRunId]);
    expect((await env.client.workflow.getHandle(workflowId).describe()).runId).toBe(second.firstExecutionRunId);
    await expect(env.client.workflow.getHandle(workflowId, first.firstExecutionRunId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });
});

test('bad delete requests get the real server\'s status and message', async () => {
  const svc = env.client.workflowService;
  const noExecution = await grpcFailure(svc.deleteWorkflowExecution({ namespace: NAMESPACE }));
  expect(noExecution).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'Execution is not set on request.' });
  const noId = await grpcFailure(svc.deleteWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId: '' } }));
  expect(noId).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'WorkflowId is not set on request.' });
  const badRunId = await grpcFailure(svc.deleteWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId: 'w', runId: 'not-a-uuid' } }));
  expect(badRunId).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'Invalid RunId.' });
  const unknown = await grpcFailure(deleteRun(env.client, uid('never-started')));
  expect(unknown.code).toBe(status.NOT_FOUND);
});

test('a deletion acknowledged before kill -9 holds after the restart; other runs are kept', async () => {
  const db = path.join(tmp, 'delete.db');
  const engine = await spawnEngine(['--db-filename', db]);
  const conn = await connect(engine.address);
  const client = new Client({ connection: conn });
  const gone = await client.workflow.start(cfCollector, { taskQueue: 'nobody', workflowId: 'gone' });
  const kept = await client.workflow.start(cfCollector, { taskQueue: 'nobody', workflowId: 'kept' });
  await deleteRun(client, 'gone');
  engine.child.kill('SIGKILL');
  await engine.exited;
  await conn.close();

  const again = await spawnEngine(['--db-filename', db]);
  const conn2 = await connect(again.address);
  const client2 = new Client({ connection: conn2 });
  try {
    await expect(client2.workflow.getHandle('gone', gone.firstExecutionRunId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect((await client2.workflow.getHandle('kept').describe()).runId).toBe(kept.firstExecutionRunId);
    expect(await listedIds(client2, 'gone')).toEqual([]);
    // The id is free again after the restart too.
    const fresh = await client2.workflow.start(cfCollector, { taskQueue: 'nobody', workflowId: 'gone', workflowIdReusePolicy: 'REJECT_DUPLICATE' });
    expect(fresh.firstExecutionRunId).not.toBe(gone.firstExecutionRunId);
  } finally {
    await conn2.close();
    again.child.kill('SIGKILL');
    await again.exited;
  }
}, 30_000);
