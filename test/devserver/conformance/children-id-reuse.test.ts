/** Behaviour of children / external operations that should match the server. */
import { temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { EventType, HistoryEvent, NAMESPACE, historyOf, num, typeNames, uid, waitFor, suiteEnv } from './helpers';
import { C, Command, standIn, startChildCmd } from './stand-in';

const env = suiteEnv(devEnv);
const { svc, poll, respond, start: startRaw } = standIn(env);
const R = temporal.api.enums.v1.WorkflowIdReusePolicy;
const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
const failCmd: Command = { commandType: C.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION, failWorkflowExecutionCommandAttributes: { failure: { message: 'boom' } } };
const completeCmd: Command = { commandType: C.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION, completeWorkflowExecutionCommandAttributes: {} };
const ofType = (events: HistoryEvent[], t: temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === t);
const settled = (id: string, until: (t: string[]) => boolean) => waitFor(() => historyOf(env, id), (h) => until(typeNames(h)), 'history', 10_000);
const outcome = (t: string[]) => t.includes('CHILD_WORKFLOW_EXECUTION_STARTED') || t.includes('START_CHILD_WORKFLOW_EXECUTION_FAILED');

async function parentStarting(childId: string, extra: Record<string, unknown> = {}) {
  const tq = uid('p');
  const parent = await startRaw(tq);
  await respond(await poll(tq), [startChildCmd(childId, extra)]);
  return { parent, tq, h: await settled(parent.workflowId, outcome) };
}

test.each([
  ['running, default policy', 'open', 0, 'START_CHILD_WORKFLOW_EXECUTION_FAILED'],
  ['completed, REJECT_DUPLICATE', 'completed', R.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE, 'START_CHILD_WORKFLOW_EXECUTION_FAILED'],
  ['completed, ALLOW_DUPLICATE_FAILED_ONLY', 'completed', R.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY, 'START_CHILD_WORKFLOW_EXECUTION_FAILED'],
  ['terminated, ALLOW_DUPLICATE_FAILED_ONLY', 'terminated', R.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY, 'CHILD_WORKFLOW_EXECUTION_STARTED'],
  ['completed, default', 'completed', 0, 'CHILD_WORKFLOW_EXECUTION_STARTED'],
])('child id reuse: existing %s', async (_name, state, policy, expected) => {
  const childId = uid('child');
  const otq = uid('o');
  const existing = await startRaw(otq, childId);
  if (state === 'completed') await respond(await poll(otq), [completeCmd]);
  if (state === 'terminated') await existing.terminate();
  const { parent, h } = await parentStarting(childId, { workflowIdReusePolicy: policy });
  const types = typeNames(h);
  expect(types).toContain(expected);
  if (expected === 'START_CHILD_WORKFLOW_EXECUTION_FAILED') {
    const f = ofType(h, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED)[0].startChildWorkflowExecutionFailedEventAttributes!;
    expect(f.cause).toBe(temporal.api.enums.v1.StartChildWorkflowExecutionFailedCause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS);
    expect({ wid: f.workflowId, type: f.workflowType?.name, ns: f.namespace, init: num(f.initiatedEventId) }).toEqual({ wid: childId, type: 'StandInChild', ns: NAMESPACE, init: 5 });
  }
  await parent.terminate();
  if (state === 'open') await existing.terminate();
});

test('child with a retry policy: the parent sees only the last attempt, with its run id and the retry state', async () => {
  const childId = uid('child');
  const ctq = uid('c');
  const { parent, h } = await parentStarting(childId, { taskQueue: { name: ctq }, retryPolicy: { maximumAttempts: 2, initialInterval: { nanos: 100_000_000 } } });
  const started = ofType(h, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)[0];
  const firstRun = started.childWorkflowExecutionStartedEventAttributes!.workflowExecution!.runId!;
  await respond(await poll(ctq), [failCmd]);
  const second = await poll(ctq);
  await respond(second, [failCmd]);
  const ph = await settled(parent.workflowId, (t) => t.includes('CHILD_WORKFLOW_EXECUTION_FAILED'));
  const types = typeNames(ph);
  expect(types.filter((t) => t.startsWith('CHILD_WORKFLOW_EXECUTION_'))).toEqual(['CHILD_WORKFLOW_EXECUTION_STARTED', 'CHILD_WORKFLOW_EXECUTION_FAILED']);
  const f = ofType(ph, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED)[0].childWorkflowExecutionFailedEventAttributes!;
  expect({ run: f.workflowExecution?.runId, notFirst: f.workflowExecution?.runId !== firstRun, startedEventId: num(f.startedEventId), initiated: num(f.initiatedEventId), retryState: f.retryState }).toEqual({
    run: second.workflowExecution!.runId, notFirst: true, startedEventId: num(started.eventId), initiated: 5,
    retryState: temporal.api.enums.v1.RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED,
  });
  await parent.terminate();
});

// Past its execution timeout a run gets no retry: TIMEOUT (executeWorkflowRunTimeoutTask).
test('child past its execution timeout: ChildWorkflowExecutionTimedOut with retry state TIMEOUT', async () => {
  const childId = uid('child');
  const { parent } = await parentStarting(childId, { taskQueue: { name: uid('nobody') }, workflowExecutionTimeout: { seconds: 1 } });
  const ph = await settled(parent.workflowId, (t) => t.includes('CHILD_WORKFLOW_EXECUTION_TIMED_OUT'));
  const a = ofType(ph, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT)[0].childWorkflowExecutionTimedOutEventAttributes!;
  expect(a.retryState).toBe(temporal.api.enums.v1.RetryState.RETRY_STATE_TIMEOUT);
  await parent.terminate();
});

test('parent continues as new: TERMINATE children are terminated, ABANDON children live on; nested children follow', async () => {
  const tq = uid('p');
  const ctq = uid('c');
  const parent = await startRaw(tq);
  const killed = uid('killed');
  const kept = uid('kept');
  await respond(await poll(tq), [
    startChildCmd(killed, { taskQueue: { name: ctq } }),
    startChildCmd(kept, { taskQueue: { name: uid('nobody') }, parentClosePolicy: temporal.api.enums.v1.ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON }),
  ]);
  await settled(parent.workflowId, (t) => t.filter((x) => x === 'CHILD_WORKFLOW_EXECUTION_STARTED').length === 2);
  // the first child starts a grandchild (TERMINATE by default)
  const grandchild = uid('grand');
  await respond(await poll(ctq), [startChildCmd(grandchild, { taskQueue: { name: uid('nobody') } })]);
  await settled(killed, (t) => t.includes('CHILD_WORKFLOW_EXECUTION_STARTED'));
  const gcStart = (await historyOf(env, grandchild))[0].workflowExecutionStartedEventAttributes!;
  expect(gcStart.rootWorkflowExecution?.workflowId).toBe(parent.workflowId);
  const d = await svc().describeWorkflowExecution({ namespace: NAMESPACE, execution: { workflowId: parent.workflowId } });
  expect(d.pendingChildren?.map((c) => c.workflowId).sort()).toEqual([killed, kept].sort());
  await respond(await poll(tq), [
    { commandType: C.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION, continueAsNewWorkflowExecutionCommandAttributes: { workflowType: { name: 'StandIn' }, taskQueue: { name: tq } } },
  ]);
  const st = async (id: string) => (await env.client.workflow.getHandle(id).describe()).status.code;
  await waitFor(() => st(killed), (s) => s === Status.WORKFLOW_EXECUTION_STATUS_TERMINATED, 'child terminated');
  await waitFor(() => st(grandchild), (s) => s === Status.WORKFLOW_EXECUTION_STATUS_TERMINATED, 'grandchild terminated');
  expect(await st(kept)).toBe(Status.WORKFLOW_EXECUTION_STATUS_RUNNING);
  await env.client.workflow.getHandle(kept).terminate();
  await env.client.workflow.getHandle(parent.workflowId).terminate();
});

test('signal with childWorkflowOnly to a workflow that is not a child fails NOT_FOUND; to a child succeeds', async () => {
  const tq = uid('p');
  const parent = await startRaw(tq);
  const stranger = await startRaw(uid('s'));
  const childId = uid('child');
  await respond(await poll(tq), [startChildCmd(childId, { taskQueue: { name: uid('nobody') } })]);
  await settled(parent.workflowId, (t) => t.includes('CHILD_WORKFLOW_EXECUTION_STARTED'));
  const sig = (workflowId: string): Command => ({
    commandType: C.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION,
    signalExternalWorkflowExecutionCommandAttributes: { namespace: NAMESPACE, execution: { workflowId }, signalName: 's', childWorkflowOnly: true },
  });
  await respond(await poll(tq), [sig(stranger.workflowId), sig(childId)]);
  const h = await settled(parent.workflowId, (t) => t.includes('SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED') && t.includes('EXTERNAL_WORKFLOW_EXECUTION_SIGNALED'));
  expect(ofType(h, EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED)[0].signalExternalWorkflowExecutionFailedEventAttributes?.workflowExecution?.workflowId).toBe(stranger.workflowId);
  await parent.terminate();
  await stranger.terminate();
});
