/**
 * Starting workflows: id reuse and conflict policies, request-id idempotency, memo, search
 * attributes, user metadata, start delay. Reference: Temporal server v1.29
 * (service/history/api/workflow_id_dedup.go, startworkflow/api.go, signalworkflow/api.go).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { CF_INT, CF_KEYWORD, cfAppend, cfCollector, cfEcho, cfFail, cfFinish, cfStartInfo } from '../workflows';
import { EventType, NAMESPACE, fromPayload, historyOf, num, typeNames, uid, withWorker, suiteEnv } from './helpers';

const env = suiteEnv(() => devEnv({ searchAttributes: [CF_KEYWORD, CF_INT] }));

const Status = temporal.api.enums.v1.WorkflowExecutionStatus;

async function statusOf(workflowId: string, runId?: string): Promise<number> {
  const d = await env.client.workflow.getHandle(workflowId, runId).describe();
  return d.status.code;
}

describe('workflow id reuse policy (closed runs)', () => {
  test('ALLOW_DUPLICATE starts a new run after a completed one', async () => {
    const taskQueue = uid('reuse-allow');
    const workflowId = uid('wf');
    await withWorker(env, { taskQueue }, async () => {
      const first = await env.client.workflow.start(cfEcho, { taskQueue, workflowId, args: ['one'] });
      expect(await first.result()).toBe('one');
      const second = await env.client.workflow.start(cfEcho, {
        taskQueue,
        workflowId,
        args: ['two'],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      });
      expect(second.firstExecutionRunId).not.toBe(first.firstExecutionRunId);
      expect(await second.result()).toBe('two');
    });
  });

  test('ALLOW_DUPLICATE_FAILED_ONLY rejects after a completed run and allows after a failed or terminated one', async () => {
    const taskQueue = uid('reuse-failed-only');
    await withWorker(env, { taskQueue }, async () => {
      const completedId = uid('completed');
      await env.client.workflow.execute(cfEcho, { taskQueue, workflowId: completedId, args: ['done'] });
      await expect(
        env.client.workflow.start(cfEcho, {
          taskQueue,
          workflowId: completedId,
          args: ['again'],
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        }),
      ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);

      const failedId = uid('failed');
      await expect(env.client.workflow.execute(cfFail, { taskQueue, workflowId: failedId, args: ['boom'] })).rejects.toThrow();
      const retry = await env.client.workflow.start(cfEcho, {
        taskQueue,
        workflowId: failedId,
        args: ['after failure'],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      });
      expect(await retry.result()).toBe('after failure');

      const terminatedId = uid('terminated');
      const t = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: terminatedId });
      await t.terminate('make room');
      const afterTerminate = await env.client.workflow.start(cfEcho, {
        taskQueue,
        workflowId: terminatedId,
        args: ['after terminate'],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      });
      expect(await afterTerminate.result()).toBe('after terminate');
    });
  });

  test('REJECT_DUPLICATE rejects after any closed run', async () => {
    const taskQueue = uid('reuse-reject');
    await withWorker(env, { taskQueue }, async () => {
      const completedId = uid('completed');
      await env.client.workflow.execute(cfEcho, { taskQueue, workflowId: completedId, args: ['x'] });
      await expect(
        env.client.workflow.start(cfEcho, {
          taskQueue,
          workflowId: completedId,
          args: ['y'],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        }),
      ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);

      const failedId = uid('failed');
      await expect(env.client.workflow.execute(cfFail, { taskQueue, workflowId: failedId, args: ['boom'] })).rejects.toThrow();
      await expect(
        env.client.workflow.start(cfEcho, {
          taskQueue,
          workflowId: failedId,
          args: ['y'],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        }),
      ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    });
  });

  test('TERMINATE_IF_RUNNING terminates the running run and starts a new one', async () => {
    const taskQueue = uid('reuse-terminate');
    const workflowId = uid('wf');
    await withWorker(env, { taskQueue }, async () => {
      const old = await env.client.workflow.start(cfCollector, { taskQueue, workflowId });
      const fresh = await env.client.workflow.start(cfCollector, {
        taskQueue,
        workflowId,
        workflowIdReusePolicy: WorkflowIdReusePolicy.TERMINATE_IF_RUNNING,
      });
      expect(fresh.firstExecutionRunId).not.toBe(old.firstExecutionRunId);
      expect(await statusOf(workflowId, old.firstExecutionRunId)).toBe(Status.WORKFLOW_EXECUTION_STATUS_TERMINATED);
      expect(await statusOf(workflowId)).toBe(Status.WORKFLOW_EXECUTION_STATUS_RUNNING);
      await fresh.signal(cfFinish);
      expect(await fresh.result()).toEqual([]);
    });
  });
});

describe('workflow id conflict policy (running runs)', () => {
  test('starting a running id fails with WorkflowExecutionAlreadyStartedError (default FAIL)', async () => {
    const taskQueue = uid('conflict-fail');
    const workflowId = uid('wf');
    const running = await env.client.workflow.start(cfCollector, { taskQueue, workflowId });
    const err = await env.client.workflow.start(cfCollector, { taskQueue, workflowId }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    expect((err as WorkflowExecutionAlreadyStartedError).workflowId).toBe(workflowId);
    const explicit = await env.client.workflow
      .start(cfCollector, { taskQueue, workflowId, workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL })
      .catch((e) => e);
    expect(explicit).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    await running.terminate();
  });

  test('USE_EXISTING returns the running run instead of starting one', async () => {
    const taskQueue = uid('conflict-use-existing');
    const workflowId = uid('wf');
    const running = await env.client.workflow.start(cfCollector, { taskQueue, workflowId });
    const again = await env.client.workflow.start(cfCollector, {
      taskQueue,
      workflowId,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
    expect(again.firstExecutionRunId).toBe(running.firstExecutionRunId);
    expect(await statusOf(workflowId, running.firstExecutionRunId)).toBe(Status.WORKFLOW_EXECUTION_STATUS_RUNNING);
    const types = typeNames(await historyOf(env, workflowId, running.firstExecutionRunId));
    expect(types.filter((t) => t === 'WORKFLOW_EXECUTION_STARTED')).toHaveLength(1);
    expect(types).not.toContain('WORKFLOW_EXECUTION_TERMINATED');
    await running.terminate();
  });

  test('TERMINATE_EXISTING terminates the running run and starts a new one', async () => {
    const taskQueue = uid('conflict-terminate');
    const workflowId = uid('wf');
    const running = await env.client.workflow.start(cfCollector, { taskQueue, workflowId });
    const fresh = await env.client.workflow.start(cfCollector, {
      taskQueue,
      workflowId,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.TERMINATE_EXISTING,
    });
    expect(fresh.firstExecutionRunId).not.toBe(running.firstExecutionRunId);
    expect(await statusOf(workflowId, running.firstExecutionRunId)).toBe(Status.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    expect(await statusOf(workflowId)).toBe(Status.WORKFLOW_EXECUTION_STATUS_RUNNING);
    await fresh.terminate();
  });
});

test('the same request id started twice (raw gRPC) yields the same run', async () => {
  const workflowId = uid('idempotent');
  const requestId = randomUUID();
  const req: temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest = {
    namespace: NAMESPACE,
    workflowId,
    workflowType: { name: 'cfCollector' },
    taskQueue: { name: uid('idempotent-q') },
    requestId,
    identity: 'conformance',
  };
  const first = await env.connection.workflowService.startWorkflowExecution(req);
  const second = await env.connection.workflowService.startWorkflowExecution(req);
  expect(first.runId).toBeTruthy();
  expect(second.runId).toBe(first.runId);
  const started = (await historyOf(env, workflowId)).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
  expect(started).toHaveLength(1);
  // A different request id is a different start: it conflicts with the running run.
  await expect(env.connection.workflowService.startWorkflowExecution({ ...req, requestId: randomUUID() })).rejects.toMatchObject({ code: 6 });
  await env.client.workflow.getHandle(workflowId).terminate();
});

test('memo is stored, described and visible to the workflow', async () => {
  const taskQueue = uid('memo');
  const workflowId = uid('wf');
  const memo = { owner: 'ada', nested: { level: 2, tags: ['a', 'b'] } };
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfStartInfo, { taskQueue, workflowId, memo });
    const info = await handle.result();
    expect(info.memo).toEqual(memo);
    const desc = await handle.describe();
    expect(desc.memo).toEqual(memo);
  });
});

test('search attributes registered at runtime can be set on start, described and read by the workflow', async () => {
  await env.connection.operatorService.addSearchAttributes({
    namespace: NAMESPACE,
    searchAttributes: { CfRegisteredAtRuntime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD },
  });
  const listed = await env.connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
  expect(listed.customAttributes?.CfRegisteredAtRuntime).toBe(temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
  expect(listed.customAttributes?.CfKeyword).toBe(temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
  expect(listed.customAttributes?.CfInt).toBe(temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT);

  const taskQueue = uid('sa');
  const workflowId = uid('wf');
  await withWorker(env, { taskQueue }, async () => {
    const handle = await env.client.workflow.start(cfStartInfo, {
      taskQueue,
      workflowId,
      typedSearchAttributes: [
        { key: CF_KEYWORD, value: 'kw-value' },
        { key: CF_INT, value: 7 },
      ],
      searchAttributes: { CfRegisteredAtRuntime: ['runtime'] },
    });
    const info = await handle.result();
    expect(info.keyword).toBe('kw-value');
    const desc = await handle.describe();
    expect(desc.typedSearchAttributes.get(CF_KEYWORD)).toBe('kw-value');
    expect(desc.typedSearchAttributes.get(CF_INT)).toBe(7);
    expect(desc.searchAttributes.CfRegisteredAtRuntime).toEqual(['runtime']);
  });
});

test('starting with an unregistered search attribute is INVALID_ARGUMENT', async () => {
  const err = await env.client.workflow
    .start(cfCollector, { taskQueue: uid('sa-bad'), workflowId: uid('wf'), searchAttributes: { CfNeverRegistered: ['x'] } })
    .catch((e) => e);
  // The SDK wraps the gRPC status in a ServiceError; the status is its cause.
  expect(err.cause).toMatchObject({ code: 3, details: 'Namespace default has no mapping defined for search attribute CfNeverRegistered' });
});

test('user metadata (static summary and details) is kept on the start event and in describe', async () => {
  const workflowId = uid('metadata');
  const handle = await env.client.workflow.start(cfCollector, {
    taskQueue: uid('metadata-q'),
    workflowId,
    staticSummary: 'a **summary**',
    staticDetails: 'details\nover two lines',
  });
  const desc = await handle.describe();
  expect(await desc.staticSummary()).toBe('a **summary**');
  expect(await desc.staticDetails()).toBe('details\nover two lines');
  const [started] = await historyOf(env, workflowId);
  expect(fromPayload(started.userMetadata?.summary)).toBe('a **summary**');
  expect(fromPayload(started.userMetadata?.details)).toBe('details\nover two lines');
  await handle.terminate();
});

describe('start delay', () => {
  test('the first workflow task waits for the delay: no task is scheduled, execution time is start + delay', async () => {
    const taskQueue = uid('delay');
    const workflowId = uid('wf');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId, startDelay: '1 hour' });
      const events = await historyOf(env, workflowId);
      expect(typeNames(events)).toEqual(['WORKFLOW_EXECUTION_STARTED']);
      const backoff = events[0].workflowExecutionStartedEventAttributes?.firstWorkflowTaskBackoff;
      expect(num(backoff?.seconds)).toBe(3600);
      const desc = await handle.describe();
      expect(desc.executionTime!.getTime() - desc.startTime.getTime()).toBe(3_600_000);
      expect(desc.raw.pendingWorkflowTask).toBeFalsy();
      await handle.terminate();
    });
  });

  test('a signal during the start delay is recorded but does not dispatch a workflow task', async () => {
    // Temporal: signalworkflow/api.go skips the workflow task while IsWorkflowPendingOnWorkflowTaskBackoff().
    const taskQueue = uid('delay-signal');
    const workflowId = uid('wf');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId, startDelay: '1 hour' });
      await handle.signal(cfAppend, 'early');
      expect(typeNames(await historyOf(env, workflowId))).toEqual(['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_EXECUTION_SIGNALED']);
      await handle.terminate();
    });
  });

  test('signal-with-start with a start delay delivers the signal with the first (delayed) workflow task', async () => {
    const taskQueue = uid('delay-sws');
    const workflowId = uid('wf');
    await withWorker(env, { taskQueue }, async () => {
      const handle = await env.client.workflow.signalWithStart(cfCollector, {
        taskQueue,
        workflowId,
        signal: cfAppend,
        signalArgs: ['with start'],
        startDelay: '1 hour',
      });
      expect(typeNames(await historyOf(env, workflowId))).toEqual(['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_EXECUTION_SIGNALED']);
      await handle.terminate();
    });
  });
});
