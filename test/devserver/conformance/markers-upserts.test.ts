/**
 * Upserting search attributes and memo from a workflow; patches and local activities (markers)
 * replay correctly. Workers here keep no workflow cache, so every task replays the full history
 * the engine serves (markers and SDK metadata flags included).
 */
import { Worker } from '@temporalio/worker';
import { devEnv } from '../../helpers/engine';
import { CF_INT, CF_KEYWORD, cfLocalActivities, cfPatches, cfRelease, cfUpserter } from '../workflows';
import { EventType, historyOf, typeNames, uid, waitFor, withWorker, workflowBundle, suiteEnv } from './helpers';

const env = suiteEnv(() => devEnv({ searchAttributes: [CF_KEYWORD, CF_INT] }));

test('upsertSearchAttributes and upsertMemo change what describe and the workflow see', async () => {
  const taskQueue = uid('upsert');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue, maxCachedWorkflows: 0 }, async () => {
    const handle = await env.client.workflow.start(cfUpserter, {
      taskQueue,
      workflowId,
      memo: { note: 'initial', gone: 'to be removed', kept: 'untouched' },
      typedSearchAttributes: [{ key: CF_KEYWORD, value: 'initial' }],
    });
    const desc = await waitFor(
      () => handle.describe(),
      (d) => d.typedSearchAttributes.get(CF_KEYWORD) === 'upserted',
      'upserted search attribute visible in describe',
    );
    expect(desc.typedSearchAttributes.get(CF_INT)).toBe(42);
    expect(desc.memo).toEqual({ note: 'upserted', kept: 'untouched' });
    const types = typeNames(await historyOf(env, workflowId));
    expect(types).toContain('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES');
    expect(types).toContain('WORKFLOW_PROPERTIES_MODIFIED');

    await handle.signal(cfRelease);
    expect(await handle.result()).toEqual({ keyword: 'upserted', int: 42, memo: { note: 'upserted', kept: 'untouched' } });
    const history = await handle.fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId);
  });
});

test('patches: patched/deprecatePatch record markers and replay deterministically', async () => {
  const taskQueue = uid('patches');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue, maxCachedWorkflows: 0 }, async () => {
    const result = await env.client.workflow.execute(cfPatches, { taskQueue, workflowId });
    expect(result).toEqual(['new', 'new-again']);
  });
  const events = await historyOf(env, workflowId);
  const markers = events.filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED);
  expect(markers.map((m) => m.markerRecordedEventAttributes?.markerName)).toEqual(['core_patch', 'core_patch']);
  expect(typeNames(events)).not.toContain('WORKFLOW_TASK_FAILED');
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId);
});

test('local activities record markers whose results come back on replay', async () => {
  const taskQueue = uid('local-activities');
  const workflowId = uid('wf');
  let calls = 0;
  const activities = {
    async cfLocalAdd(a: number, b: number): Promise<number> {
      calls++;
      return a + b;
    },
  };
  await withWorker(env, { taskQueue, maxCachedWorkflows: 0, activities }, async () => {
    expect(await env.client.workflow.execute(cfLocalActivities, { taskQueue, workflowId })).toBe(13);
  });
  // Replays of later tasks took the results from the markers instead of running the activities again.
  expect(calls).toBe(2);
  const events = await historyOf(env, workflowId);
  const markers = events.filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED);
  expect(markers.map((m) => m.markerRecordedEventAttributes?.markerName)).toEqual(['core_local_activity', 'core_local_activity']);
  expect(typeNames(events)).not.toContain('WORKFLOW_TASK_FAILED');
  expect(typeNames(events)).not.toContain('ACTIVITY_TASK_SCHEDULED');
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId);
});
