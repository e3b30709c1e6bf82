/**
 * Conformance: child workflows and external operations, against service/history (transfer queue
 * active task executor, workflow task completed handler, mutable state). A stand-in worker
 * over raw gRPC drives the parent so that each command is exactly what the test sends.
 */
import { temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { cfParentClose } from '../workflows';
import { EventType, HistoryEvent, NAMESPACE, fromPayloads, historyOf, num, typeNames, uid, waitFor, withWorker, suiteEnv } from './helpers';
import { C, Command, standIn, startChildCmd } from './stand-in';

const env = suiteEnv(devEnv);
const { svc, poll, respond, start: startRaw } = standIn(env);
const Status = temporal.api.enums.v1.WorkflowExecutionStatus;

/** Starts a workflow and completes its first task with `commands`; returns the handle. */
async function runCommands(commands: (wfId: string) => Command[]) {
  const taskQueue = uid('cmd');
  const handle = await startRaw(taskQueue);
  const task = await poll(taskQueue);
  // A command the server rejects fails the task and the call answers InvalidArgument: either way is fine here.
  await respond(task, commands(handle.workflowId)).catch(() => undefined);
  return { handle, taskQueue };
}

const signalCmd = (workflowId: string, extra: Record<string, unknown> = {}): Command => ({
  commandType: C.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION,
  signalExternalWorkflowExecutionCommandAttributes: { namespace: NAMESPACE, execution: { workflowId }, signalName: 'sig', ...extra },
});
const cancelCmd = (workflowId: string, extra: Record<string, unknown> = {}): Command => ({
  commandType: C.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION,
  requestCancelExternalWorkflowExecutionCommandAttributes: { namespace: NAMESPACE, workflowId, ...extra },
});
const ofType = (events: HistoryEvent[], t: temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === t);

async function settledHistory(workflowId: string, until: (types: string[]) => boolean, what: string): Promise<HistoryEvent[]> {
  return waitFor(() => historyOf(env, workflowId), (h) => until(typeNames(h)), what, 10_000);
}

const namespaceId = async () => (await svc().describeNamespace({ namespace: NAMESPACE })).namespaceInfo!.id!;

describe('signal / cancel of external workflows', () => {
  test('a workflow that signals itself gets SignalExternalWorkflowExecutionFailed (EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND), no signal', async () => {
    // transfer_queue_active_task_executor.go processSignalExecution: "handle workflow signal itself"
    const { handle } = await runCommands((self) => [signalCmd(self)]);
    const h = await settledHistory(handle.workflowId, (t) => t.includes('SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED') || t.includes('EXTERNAL_WORKFLOW_EXECUTION_SIGNALED'), 'signal outcome');
    expect(typeNames(h)).not.toContain('WORKFLOW_EXECUTION_SIGNALED');
    const failed = ofType(h, EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED);
    expect(failed).toHaveLength(1);
    expect(failed[0].signalExternalWorkflowExecutionFailedEventAttributes?.cause).toBe(
      temporal.api.enums.v1.SignalExternalWorkflowExecutionFailedCause.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
    );
    await handle.terminate();
  });

  test('a workflow that requests cancel of itself gets RequestCancelExternalWorkflowExecutionFailed (NOT_FOUND), no cancel request', async () => {
    // transfer_queue_active_task_executor.go processCancelExecution: "handle workflow cancel itself"
    const { handle } = await runCommands((self) => [cancelCmd(self)]);
    const h = await settledHistory(handle.workflowId, (t) => t.includes('REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED') || t.includes('EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED'), 'cancel outcome');
    expect(typeNames(h)).not.toContain('WORKFLOW_EXECUTION_CANCEL_REQUESTED');
    const failed = ofType(h, EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED);
    expect(failed).toHaveLength(1);
    expect(failed[0].requestCancelExternalWorkflowExecutionFailedEventAttributes?.cause).toBe(
      temporal.api.enums.v1.CancelExternalWorkflowExecutionFailedCause.CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
    );
    await handle.terminate();
  });

  test('requesting cancel of a workflow that already closed succeeds (ExternalWorkflowExecutionCancelRequested)', async () => {
    // api/requestcancelworkflow/api.go: "the request to cancel this workflow is a success even if the target workflow has already finished"
    const target = await startRaw(uid('target-q'));
    await target.terminate('closed before the cancel request');
    const { handle } = await runCommands(() => [cancelCmd(target.workflowId)]);
    const h = await settledHistory(handle.workflowId, (t) => t.includes('REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED') || t.includes('EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED'), 'cancel outcome');
    expect(typeNames(h)).toContain('EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED');
    expect(typeNames(h)).not.toContain('REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED');
    await handle.terminate();
  });

  test('a second cancel request to a workflow already asked to cancel writes no second WorkflowExecutionCancelRequested', async () => {
    // api/requestcancelworkflow/api.go: isCancelRequested -> Noop ("cancellation is idempotent")
    const target = await startRaw(uid('target-q'));
    const { handle } = await runCommands(() => [cancelCmd(target.workflowId), cancelCmd(target.workflowId)]);
    const h = await settledHistory(handle.workflowId, (t) => t.filter((x) => x.startsWith('EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED') || x.startsWith('REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED')).length === 2, 'both cancel outcomes');
    expect(ofType(h, EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED)).toHaveLength(2);
    const targetTypes = typeNames(await historyOf(env, target.workflowId));
    expect(targetTypes.filter((t) => t === 'WORKFLOW_EXECUTION_CANCEL_REQUESTED')).toHaveLength(1);
    await handle.terminate();
    await target.terminate();
  });

  test('the target records an external signal and cancel request in the history service name, with the request id and the reason', async () => {
    // signalExternalExecution / requestCancelExternalExecution: Identity consts.IdentityHistoryService, RequestId of the
    // signal info; CreateWorkflowExecutionCancelRequestedEvent: Cause = CancelRequest.Reason.
    const target = await startRaw(uid('target-q'));
    const { handle } = await runCommands(() => [signalCmd(target.workflowId), cancelCmd(target.workflowId, { reason: 'because' })]);
    const th = await settledHistory(target.workflowId, (t) => t.includes('WORKFLOW_EXECUTION_SIGNALED') && t.includes('WORKFLOW_EXECUTION_CANCEL_REQUESTED'), 'signal and cancel at the target');
    const signaled = ofType(th, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)[0].workflowExecutionSignaledEventAttributes!;
    const requested = ofType(th, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED)[0].workflowExecutionCancelRequestedEventAttributes!;
    expect({
      signalIdentity: signaled.identity,
      signalHasRequestId: !!signaled.requestId,
      cancelIdentity: requested.identity,
      cancelCause: requested.cause,
    }).toEqual({ signalIdentity: 'history-service', signalHasRequestId: true, cancelIdentity: 'history-service', cancelCause: 'because' });
    await handle.terminate();
    await target.terminate();
  });

  test('events of external operations carry the target namespace id', async () => {
    // event_factory.go: NamespaceId on SignalExternal*/RequestCancelExternal*/External* events
    const nsId = await namespaceId();
    const target = await startRaw(uid('target-q'));
    const { handle } = await runCommands(() => [signalCmd(target.workflowId), cancelCmd(target.workflowId)]);
    const h = await settledHistory(handle.workflowId, (t) => t.includes('EXTERNAL_WORKFLOW_EXECUTION_SIGNALED') && t.includes('EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED'), 'outcomes');
    expect({
      signalInitiated: ofType(h, EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED)[0].signalExternalWorkflowExecutionInitiatedEventAttributes?.namespaceId,
      signaled: ofType(h, EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED)[0].externalWorkflowExecutionSignaledEventAttributes?.namespaceId,
      cancelInitiated: ofType(h, EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED)[0].requestCancelExternalWorkflowExecutionInitiatedEventAttributes?.namespaceId,
      cancelRequested: ofType(h, EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED)[0].externalWorkflowExecutionCancelRequestedEventAttributes?.namespaceId,
    }).toEqual({ signalInitiated: nsId, signaled: nsId, cancelInitiated: nsId, cancelRequested: nsId });
    await handle.terminate();
    await target.terminate();
  });

  test('a SignalExternalWorkflowExecution command without a signal name fails the workflow task', async () => {
    // command_attr_validator.go ValidateSignalExternalWorkflowExecutionAttributes: "SignalName is not set"
    const target = await startRaw(uid('target-q'));
    const { handle } = await runCommands(() => [signalCmd(target.workflowId, { signalName: '' })]);
    const h = await historyOf(env, handle.workflowId);
    const failed = ofType(h, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    expect(typeNames(h)).not.toContain('SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED');
    expect(failed[0]?.workflowTaskFailedEventAttributes?.cause).toBe(
      temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SIGNAL_WORKFLOW_EXECUTION_ATTRIBUTES,
    );
    await handle.terminate();
    await target.terminate();
  });
});

describe('child workflows', () => {
  test('StartChildWorkflowExecutionInitiated records the defaults history applies (close policy, reuse policy, task timeout) and the namespace id', async () => {
    // handleCommandStartChildWorkflow: SetDefaultParentClosePolicy (TERMINATE), SetDefaultWorkflowIdReusePolicy (ALLOW_DUPLICATE);
    // ValidateStartChildExecutionAttributes: WorkflowTaskTimeout defaulted (10s); event_factory: NamespaceId.
    const nsId = await namespaceId();
    const childId = uid('child');
    const { handle } = await runCommands(() => [startChildCmd(childId)]);
    const h = await settledHistory(handle.workflowId, (t) => t.includes('CHILD_WORKFLOW_EXECUTION_STARTED'), 'child started');
    const initiated = ofType(h, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)[0].startChildWorkflowExecutionInitiatedEventAttributes!;
    const started = ofType(h, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)[0].childWorkflowExecutionStartedEventAttributes!;
    expect({
      parentClosePolicy: initiated.parentClosePolicy,
      workflowIdReusePolicy: initiated.workflowIdReusePolicy,
      workflowTaskTimeoutSeconds: num(initiated.workflowTaskTimeout?.seconds),
      initiatedNamespaceId: initiated.namespaceId,
      startedNamespaceId: started.namespaceId,
    }).toEqual({
      parentClosePolicy: temporal.api.enums.v1.ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE,
      workflowIdReusePolicy: temporal.api.enums.v1.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
      workflowTaskTimeoutSeconds: 10,
      initiatedNamespaceId: nsId,
      startedNamespaceId: nsId,
    });
    await handle.terminate();
  });

  test("the child's describe names its parent's namespace by id", async () => {
    // describeworkflow/api.go: ParentNamespaceId = executionInfo.ParentNamespaceId (the namespace's id)
    const nsId = await namespaceId();
    const childId = uid('child');
    const { handle } = await runCommands(() => [startChildCmd(childId)]);
    await settledHistory(handle.workflowId, (t) => t.includes('CHILD_WORKFLOW_EXECUTION_STARTED'), 'child started');
    const d = await svc().describeWorkflowExecution({ namespace: NAMESPACE, execution: { workflowId: childId } });
    expect(d.workflowExecutionInfo?.parentNamespaceId).toBe(nsId);
    await handle.terminate();
  });

  test('Start and RequestCancel of the same child in one workflow task fail the task', async () => {
    // ValidateCancelExternalWorkflowExecutionAttributes: "Start and RequestCancel for child workflow is not allowed in same workflow task."
    const childId = uid('child');
    const { handle } = await runCommands(() => [startChildCmd(childId), cancelCmd(childId, { childWorkflowOnly: true })]);
    const h = await historyOf(env, handle.workflowId);
    expect(typeNames(h)).not.toContain('START_CHILD_WORKFLOW_EXECUTION_INITIATED');
    expect(ofType(h, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)[0]?.workflowTaskFailedEventAttributes?.cause).toBe(
      temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_ATTRIBUTES,
    );
    await handle.terminate();
  });

  test('a child with reuse policy TERMINATE_IF_RUNNING terminates a running workflow of its id and starts', async () => {
    // startworkflow/api.go prepare: MigrateWorkflowIDReusePolicyForRunningWorkflow -> conflict policy TERMINATE_EXISTING
    const childId = uid('child');
    const existing = await startRaw(uid('other-q'), childId);
    const { handle } = await runCommands(() => [
      startChildCmd(childId, { workflowIdReusePolicy: temporal.api.enums.v1.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING }),
    ]);
    const h = await settledHistory(handle.workflowId, (t) => t.includes('CHILD_WORKFLOW_EXECUTION_STARTED') || t.includes('START_CHILD_WORKFLOW_EXECUTION_FAILED'), 'child start outcome');
    expect(typeNames(h)).toContain('CHILD_WORKFLOW_EXECUTION_STARTED');
    const before = await svc().describeWorkflowExecution({ namespace: NAMESPACE, execution: { workflowId: childId, runId: existing.firstExecutionRunId } });
    expect(before.workflowExecutionInfo?.status).toBe(Status.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    // As workflow_id_dedup.go terminates it: reason, the new run named in the details, history's identity.
    const terminated = (await historyOf(env, childId, existing.firstExecutionRunId)).at(-1)!.workflowExecutionTerminatedEventAttributes!;
    const child = ofType(h, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)[0].childWorkflowExecutionStartedEventAttributes!;
    expect({ reason: terminated.reason, details: fromPayloads(terminated.details), identity: terminated.identity }).toEqual({
      reason: 'TerminateIfRunning WorkflowIdReusePolicy',
      details: [`terminated by new runID: ${child.workflowExecution!.runId}`],
      identity: 'history-service',
    });
    await handle.terminate();
  });

  test("a child with TERMINATE_IF_RUNNING and its parent's own id terminates the parent, which records nothing after its close", async () => {
    // recordChildExecutionStarted drops the record of a parent no longer running.
    const taskQueue = uid('cmd');
    const parent = await startRaw(taskQueue);
    const task = await poll(taskQueue);
    await respond(task, [
      startChildCmd(parent.workflowId, { workflowIdReusePolicy: temporal.api.enums.v1.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING }),
    ]).catch(() => undefined);
    const h = await historyOf(env, parent.workflowId, parent.firstExecutionRunId);
    expect(typeNames(h).slice(-1)).toEqual(['WORKFLOW_EXECUTION_TERMINATED']);
    const current = await svc().describeWorkflowExecution({ namespace: NAMESPACE, execution: { workflowId: parent.workflowId } });
    expect(current.workflowExecutionInfo?.execution?.runId).not.toBe(parent.firstExecutionRunId);
    expect(current.workflowExecutionInfo?.status).toBe(Status.WORKFLOW_EXECUTION_STATUS_RUNNING);
    await env.client.workflow.getHandle(parent.workflowId).terminate();
  });

  test('the parent sees the child workflow type it initiated even when the child continued as a new type', async () => {
    // AddChildWorkflowExecution*Event: WorkflowType = ci.WorkflowTypeName (from the initiated event)
    const taskQueue = uid('cmd');
    const childId = uid('child');
    const { handle } = await runCommands(() => [startChildCmd(childId, { taskQueue: { name: taskQueue } })]);
    const childTask = await poll(taskQueue);
    await respond(childTask, [
      {
        commandType: C.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION,
        continueAsNewWorkflowExecutionCommandAttributes: { workflowType: { name: 'AnotherType' }, taskQueue: { name: taskQueue } },
      },
    ]);
    const next = await poll(taskQueue);
    await respond(next, [{ commandType: C.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION, completeWorkflowExecutionCommandAttributes: {} }]);
    const h = await settledHistory(handle.workflowId, (t) => t.includes('CHILD_WORKFLOW_EXECUTION_COMPLETED'), 'child completed');
    const completed = ofType(h, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED)[0].childWorkflowExecutionCompletedEventAttributes!;
    expect(completed.workflowType?.name).toBe('StandInChild');
    await handle.terminate();
  });
});

describe('parent close policies', () => {
  test('TERMINATE: the child is terminated in the history service name', async () => {
    // applyParentClosePolicy: Reason "by parent close policy", Identity consts.IdentityHistoryService
    const taskQueue = uid('pcp-terminate');
    const childId = uid('child');
    await withWorker(env, { taskQueue }, async () => {
      await env.client.workflow.execute(cfParentClose, { taskQueue, workflowId: uid('parent'), args: [childId, 'TERMINATE'] });
    });
    const h = await settledHistory(childId, (t) => t.includes('WORKFLOW_EXECUTION_TERMINATED'), 'child terminated');
    const attrs = ofType(h, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED)[0].workflowExecutionTerminatedEventAttributes!;
    expect({ reason: attrs.reason, identity: attrs.identity }).toEqual({ reason: 'by parent close policy', identity: 'history-service' });
  });

  test('REQUEST_CANCEL: the cancel request names the parent, in the history service name, with no cause', async () => {
    // applyParentClosePolicy: RequestCancelWorkflowExecution with Identity history-service, no Reason,
    // ExternalWorkflowExecution = the parent; CreateWorkflowExecutionCancelRequestedEvent copies them.
    const taskQueue = uid('pcp-cancel');
    const childId = uid('child');
    const parentId = uid('parent');
    let parentRunId = '';
    await withWorker(env, { taskQueue }, async () => {
      const parent = await env.client.workflow.start(cfParentClose, { taskQueue, workflowId: parentId, args: [childId, 'REQUEST_CANCEL'] });
      parentRunId = parent.firstExecutionRunId;
      await parent.result();
      await settledHistory(childId, (t) => t.includes('WORKFLOW_EXECUTION_CANCEL_REQUESTED'), 'child cancel requested');
    });
    const h = await historyOf(env, childId);
    const attrs = ofType(h, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED)[0].workflowExecutionCancelRequestedEventAttributes!;
    expect({
      cause: attrs.cause,
      identity: attrs.identity,
      external: { workflowId: attrs.externalWorkflowExecution?.workflowId, runId: attrs.externalWorkflowExecution?.runId },
    }).toEqual({ cause: '', identity: 'history-service', external: { workflowId: parentId, runId: parentRunId } });
    await env.client.workflow.getHandle(childId).terminate().catch(() => undefined);
  });
});

describe('more fields', () => {
  test("the child's started event names its parent's namespace id", async () => {
    // event_factory.go CreateWorkflowExecutionStartedEvent: ParentWorkflowNamespaceId = parentInfo.NamespaceId
    const nsId = await namespaceId();
    const childId = uid('child');
    const { handle } = await runCommands(() => [startChildCmd(childId)]);
    await settledHistory(handle.workflowId, (t) => t.includes('CHILD_WORKFLOW_EXECUTION_STARTED'), 'child started');
    const started = (await historyOf(env, childId))[0].workflowExecutionStartedEventAttributes!;
    expect({ ns: started.parentWorkflowNamespace, nsId: started.parentWorkflowNamespaceId }).toEqual({ ns: NAMESPACE, nsId });
    await handle.terminate();
  });

  test('ExternalWorkflowExecutionSignaled / CancelRequested name the target as the command did (no run id filled in)', async () => {
    // signalExternalExecutionCompleted / requestCancelExternalExecutionCompleted get attributes.GetWorkflowExecution().GetRunId()
    const target = await startRaw(uid('target-q'));
    const { handle } = await runCommands(() => [signalCmd(target.workflowId), cancelCmd(target.workflowId)]);
    const h = await settledHistory(handle.workflowId, (t) => t.includes('EXTERNAL_WORKFLOW_EXECUTION_SIGNALED') && t.includes('EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED'), 'outcomes');
    expect({
      signaled: ofType(h, EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED)[0].externalWorkflowExecutionSignaledEventAttributes?.workflowExecution?.runId,
      cancelRequested: ofType(h, EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED)[0].externalWorkflowExecutionCancelRequestedEventAttributes?.workflowExecution?.runId,
    }).toEqual({ signaled: '', cancelRequested: '' });
    await handle.terminate();
    await target.terminate();
  });

  test('RequestCancelExternalWorkflowExecutionFailed carries no control', async () => {
    // event_factory.go CreateRequestCancelExternalWorkflowExecutionFailedEvent: Control: ""
    const { handle } = await runCommands(() => [cancelCmd(uid('nobody'), { control: 'ctl' })]);
    const h = await settledHistory(handle.workflowId, (t) => t.includes('REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED'), 'cancel failed');
    expect(ofType(h, EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED)[0].requestCancelExternalWorkflowExecutionFailedEventAttributes?.control).toBe('');
    await handle.terminate();
  });

  test("a child's retry policy gets the workflow retry defaults in the initiated event", async () => {
    // ValidateStartChildExecutionAttributes -> validateWorkflowRetryPolicy -> retrypolicy.EnsureDefaults (1s, x2, 100 x initial)
    const childId = uid('child');
    const { handle } = await runCommands(() => [startChildCmd(childId, { retryPolicy: { maximumAttempts: 3 } })]);
    const h = await settledHistory(handle.workflowId, (t) => t.includes('CHILD_WORKFLOW_EXECUTION_STARTED'), 'child started');
    const rp = ofType(h, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)[0].startChildWorkflowExecutionInitiatedEventAttributes!.retryPolicy!;
    expect({
      initial: num(rp.initialInterval?.seconds),
      coefficient: rp.backoffCoefficient,
      maximum: num(rp.maximumInterval?.seconds),
      attempts: rp.maximumAttempts,
    }).toEqual({ initial: 1, coefficient: 2, maximum: 100, attempts: 3 });
    await handle.terminate();
  });

  test('a top-level workflow that continued as new is its own root, and so for its children', async () => {
    // AddContinueAsNewEvent passes a RootExecutionInfo only for a run that has a parent; otherwise
    // ApplyWorkflowExecutionStartedEvent makes the new run its own root.
    const taskQueue = uid('cmd');
    const handle = await startRaw(taskQueue);
    const first = await poll(taskQueue);
    await respond(first, [
      { commandType: C.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION, continueAsNewWorkflowExecutionCommandAttributes: { workflowType: { name: 'StandIn' }, taskQueue: { name: taskQueue } } },
    ]);
    const second = await poll(taskQueue);
    const secondRunId = second.workflowExecution!.runId!;
    const childId = uid('child');
    await respond(second, [startChildCmd(childId)]);
    await settledHistory(handle.workflowId, (t) => t.includes('CHILD_WORKFLOW_EXECUTION_STARTED'), 'child started');
    const own = await svc().describeWorkflowExecution({ namespace: NAMESPACE, execution: { workflowId: handle.workflowId, runId: secondRunId } });
    const child = await svc().describeWorkflowExecution({ namespace: NAMESPACE, execution: { workflowId: childId } });
    expect({ own: own.workflowExecutionInfo?.rootExecution?.runId, child: child.workflowExecutionInfo?.rootExecution?.runId }).toEqual({ own: secondRunId, child: secondRunId });
    await env.client.workflow.getHandle(handle.workflowId).terminate();
  });
});

describe('commands naming a namespace that does not exist', () => {
  // workflow_task_completed_handler.go handleCommandSignalExternalWorkflow / handleCommandStartChildWorkflow:
  // namespaceRegistry.GetNamespace(attr.Namespace) fails -> handleCommands returns the error ->
  // RespondWorkflowTaskCompleted fails with NamespaceNotFound and nothing is written.
  test.each([
    ['SignalExternalWorkflowExecution', (ns: string): Command => signalCmd('anyone', { namespace: ns })],
    ['StartChildWorkflowExecution', (ns: string): Command => startChildCmd(uid('child'), { namespace: ns })],
  ])('%s: the completion is refused and no event is written', async (_name, cmd) => {
    const taskQueue = uid('cmd');
    const handle = await startRaw(taskQueue);
    const task = await poll(taskQueue);
    const err = await respond(task, [cmd(uid('no-such-namespace'))]).then(
      () => undefined,
      (e: { code?: number }) => e,
    );
    const types = typeNames(await historyOf(env, handle.workflowId));
    expect({ refused: err?.code, types }).toEqual({
      refused: 5, // NOT_FOUND
      types: ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED'],
    });
    await handle.terminate();
  });
});
