/**
 * DescribeWorkflowExecution (pending activities, children, search attributes, memo) and
 * GetWorkflowExecutionHistory (paging, reverse, long poll, close-event filter, replay).
 */
import { Context } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { CF_INT, CF_KEYWORD, cfAppend, cfCollector, cfFinish, cfParentWaitingOnChild, cfRunActivity } from '../workflows';
import { EventType, HistoryEvent, NAMESPACE, fromPayloads, historyOf, num, settlesWithin, typeName, uid, waitFor, withWorker, workflowBundle, suiteEnv } from './helpers';

const env = suiteEnv(() => devEnv({ searchAttributes: [CF_KEYWORD, CF_INT] }));

const PendingActivityState = temporal.api.enums.v1.PendingActivityState;
const FilterType = temporal.api.enums.v1.HistoryEventFilterType;

describe('describe', () => {
  test('a pending activity shows its attempt, last failure and heartbeat details', async () => {
    const taskQueue = uid('describe-activity');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const activities = {
      async cfGate(tag: string): Promise<string> {
        const { attempt } = Context.current().info;
        Context.current().heartbeat({ tag, attempt });
        if (attempt === 1) throw new Error('first attempt fails');
        await gate;
        return `${tag} passed on attempt ${attempt}`;
      },
    };
    await withWorker(env, { taskQueue, activities }, async () => {
      const handle = await env.client.workflow.start(cfRunActivity, {
        taskQueue,
        workflowId: uid('wf'),
        args: ['cfGate', ['t1'], { startToCloseTimeout: '1 minute', retry: { initialInterval: '100ms', backoffCoefficient: 1 } }],
      });
      const desc = await waitFor(
        () => handle.describe(),
        (d) => {
          const a = d.raw.pendingActivities?.[0];
          return !!a && a.attempt === 2 && !!a.heartbeatDetails && (fromPayloads(a.heartbeatDetails)[0] as { attempt: number }).attempt === 2;
        },
        'pending activity on attempt 2 with its heartbeat',
      );
      const pending = desc.raw.pendingActivities!;
      expect(pending).toHaveLength(1);
      const a = pending[0];
      expect(a.activityType?.name).toBe('cfGate');
      expect(a.state).toBe(PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
      expect(fromPayloads(a.heartbeatDetails)).toEqual([{ tag: 't1', attempt: 2 }]);
      expect(a.lastFailure?.message).toBe('first attempt fails');
      expect(a.lastHeartbeatTime).toBeTruthy();
      expect(a.lastStartedTime).toBeTruthy();
      release();
      expect(await handle.result()).toEqual({ result: 't1 passed on attempt 2' });
      expect((await handle.describe()).raw.pendingActivities ?? []).toHaveLength(0);
    });
  });

  test('a pending child is listed on the parent, and the child names its parent', async () => {
    const taskQueue = uid('describe-child');
    const parentId = uid('parent');
    const childId = uid('child');
    await withWorker(env, { taskQueue }, async () => {
      const parent = await env.client.workflow.start(cfParentWaitingOnChild, { taskQueue, workflowId: parentId, args: [childId] });
      const desc = await waitFor(() => parent.describe(), (d) => !!d.raw.pendingChildren?.[0]?.runId, 'pending child with a run id');
      const child = desc.raw.pendingChildren![0];
      expect(child.workflowId).toBe(childId);
      expect(child.workflowTypeName).toBe('cfCollector');
      expect(child.parentClosePolicy).toBe(temporal.api.enums.v1.ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE);
      const childDesc = await env.client.workflow.getHandle(childId).describe();
      expect(childDesc.runId).toBe(child.runId);
      expect(childDesc.parentExecution).toEqual({ workflowId: parentId, runId: parent.firstExecutionRunId });
      expect(childDesc.rootExecution).toEqual({ workflowId: parentId, runId: parent.firstExecutionRunId });
      const childHandle = env.client.workflow.getHandle(childId);
      await childHandle.signal(cfAppend, 'from test');
      await childHandle.signal(cfFinish);
      expect(await parent.result()).toEqual(['from test']);
      expect((await parent.describe()).raw.pendingChildren ?? []).toHaveLength(0);
    });
  });

  test('search attributes and memo are described', async () => {
    const taskQueue = uid('describe-sa');
    const handle = await env.client.workflow.start(cfCollector, {
      taskQueue,
      workflowId: uid('wf'),
      memo: { purpose: 'describe', n: 3 },
      typedSearchAttributes: [
        { key: CF_KEYWORD, value: 'described' },
        { key: CF_INT, value: 11 },
      ],
    });
    const desc = await handle.describe();
    expect(desc.memo).toEqual({ purpose: 'describe', n: 3 });
    expect(desc.typedSearchAttributes.get(CF_KEYWORD)).toBe('described');
    expect(desc.typedSearchAttributes.get(CF_INT)).toBe(11);
    expect(desc.status.name).toBe('RUNNING');
    expect(desc.type).toBe('cfCollector');
    expect(desc.taskQueue).toBe(taskQueue);
    await handle.terminate();
  });
});

describe('history', () => {
  async function finishedCollector(values: string[]): Promise<{ workflowId: string; runId: string; events: HistoryEvent[] }> {
    const taskQueue = uid('history');
    const workflowId = uid('wf');
    return withWorker(env, { taskQueue }, async () => {
      const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId });
      for (const v of values) await handle.signal(cfAppend, v);
      await handle.signal(cfFinish);
      await handle.result();
      return { workflowId, runId: handle.firstExecutionRunId, events: await historyOf(env, workflowId) };
    });
  }

  test('pages of maximumPageSize events chain through nextPageToken to the full history', async () => {
    const { workflowId, events } = await finishedCollector(['a', 'b', 'c', 'd']);
    expect(events.length).toBeGreaterThan(7);
    const paged: HistoryEvent[] = [];
    let nextPageToken: Uint8Array | undefined;
    let pages = 0;
    do {
      const res = await env.connection.workflowService.getWorkflowExecutionHistory({
        namespace: NAMESPACE,
        execution: { workflowId },
        maximumPageSize: 3,
        nextPageToken,
      });
      const page = res.history?.events ?? [];
      expect(page.length).toBeLessThanOrEqual(3);
      paged.push(...page);
      nextPageToken = res.nextPageToken?.length ? res.nextPageToken : undefined;
      pages++;
      expect(pages).toBeLessThan(100);
    } while (nextPageToken);
    expect(paged.map((e) => num(e.eventId))).toEqual(events.map((_, i) => i + 1));
    expect(paged.map(typeName)).toEqual(events.map(typeName));
  });

  test('reverse history returns the events newest first, paged', async () => {
    const { workflowId, events } = await finishedCollector(['x', 'y']);
    const reversed: HistoryEvent[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const res = await env.connection.workflowService.getWorkflowExecutionHistoryReverse({
        namespace: NAMESPACE,
        execution: { workflowId },
        maximumPageSize: 4,
        nextPageToken,
      });
      const page = res.history?.events ?? [];
      expect(page.length).toBeLessThanOrEqual(4);
      reversed.push(...page);
      nextPageToken = res.nextPageToken?.length ? res.nextPageToken : undefined;
    } while (nextPageToken);
    expect(reversed.map((e) => num(e.eventId))).toEqual(events.map((_, i) => events.length - i));
    expect(typeName(reversed[0])).toBe('WORKFLOW_EXECUTION_COMPLETED');
  });

  test('a waitNewEvent long poll returns when a signal arrives', async () => {
    const taskQueue = uid('history-longpoll');
    const workflowId = uid('wf');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId });
      // Let the first workflow task complete so that the history is quiet.
      await waitFor(() => historyOf(env, workflowId), (ev) => ev.some((e) => typeName(e) === 'WORKFLOW_TASK_COMPLETED'), 'first task completed');
      // Without a token the call answers at once with everything so far; a running workflow's
      // answer always carries a token to continue from.
      const first = await env.connection.workflowService.getWorkflowExecutionHistory({ namespace: NAMESPACE, execution: { workflowId }, waitNewEvent: true });
      const seen = first.history?.events ?? [];
      expect(seen.length).toBeGreaterThan(0);
      const lastId = num(seen[seen.length - 1].eventId);
      expect(first.nextPageToken?.length).toBeTruthy();
      const nextPageToken = first.nextPageToken!;
      let signalled = false;
      const poll = env.connection.workflowService.getWorkflowExecutionHistory({ namespace: NAMESPACE, execution: { workflowId }, waitNewEvent: true, nextPageToken });
      const polled = poll.then((res) => ({ res, signalledBefore: signalled }));
      await new Promise((r) => setTimeout(r, 300));
      signalled = true;
      await handle.signal(cfAppend, 'wake up');
      const { res, signalledBefore } = await settlesWithin(polled, 20_000, 'long poll');
      expect(signalledBefore).toBe(true);
      const page = res.history?.events ?? [];
      expect(page.length).toBeGreaterThan(0);
      expect(num(page[0].eventId)).toBe(lastId + 1);
      expect(typeName(page[0])).toBe('WORKFLOW_EXECUTION_SIGNALED');
      await handle.signal(cfFinish);
      await handle.result();
    });
  });

  test('the close-event filter returns only the close event, and waits for it with waitNewEvent', async () => {
    const taskQueue = uid('history-close');
    const workflowId = uid('wf');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId });
      const waiting = env.connection.workflowService.getWorkflowExecutionHistory({
        namespace: NAMESPACE,
        execution: { workflowId },
        waitNewEvent: true,
        historyEventFilterType: FilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
      });
      await handle.signal(cfAppend, 'last');
      await handle.signal(cfFinish);
      await handle.result();
      const res = await settlesWithin(waiting, 20_000, 'close-event long poll');
      const events = res.history?.events ?? [];
      expect(events.map(typeName)).toEqual(['WORKFLOW_EXECUTION_COMPLETED']);
      expect(fromPayloads(events[0].workflowExecutionCompletedEventAttributes?.result)).toEqual([['last']]);

      const again = await env.connection.workflowService.getWorkflowExecutionHistory({
        namespace: NAMESPACE,
        execution: { workflowId },
        historyEventFilterType: FilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
      });
      expect((again.history?.events ?? []).map(typeName)).toEqual(['WORKFLOW_EXECUTION_COMPLETED']);
      const all = await historyOf(env, workflowId);
      expect(num(again.history!.events![0].eventId)).toBe(all.length);
    });
  });

  test('handle.fetchHistory() replays with Worker.runReplayHistory without nondeterminism', async () => {
    const { workflowId } = await finishedCollector(['r1', 'r2', 'r3']);
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId);
    // The recorded SDK metadata (flags, sdk name) survives on WorkflowTaskCompleted events.
    const completed = (history.events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    expect(completed.some((e) => !!e.workflowTaskCompletedEventAttributes?.sdkMetadata)).toBe(true);
  });
});
