/**
 * Update-with-start (ExecuteMultiOperation) as the Temporal server answers it: the frontend's
 * checks of both operations (service/frontend/workflow_handler.go, errors.go), history's order of
 * work (service/history/api/multioperation/api.go), and its errors, each a MultiOperationExecution
 * (go.temporal.io/api serviceerror/multi_op.go): the failed operation's code, the message
 * "Update-with-Start could not be executed.", and a MultiOperationExecutionFailure detail with one
 * status per operation, the other marked aborted.
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { devEnv } from '../../helpers/engine';
import { cfIncrement, cfStop, cfUpdatable } from '../workflows';
import { GrpcFailure, NAMESPACE, fromPayloads, grpcFailure, uid, updateAdmitted, withWorker, suiteEnv } from './helpers';

const env = suiteEnv(devEnv);

const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const ABORTED = 10;
const FAILURE = 'Update-with-Start could not be executed.';
const ABORTED_STATUS = { code: ABORTED, message: 'Operation was aborted.', details: ['temporal.api.failure.v1.MultiOperationExecutionAborted'] };
const { WorkflowExecutionStatus, UpdateWorkflowExecutionLifecycleStage: Stage, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } = temporal.api.enums.v1;

type StartRequest = temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest;
type UpdateRequest = temporal.api.workflowservice.v1.IUpdateWorkflowExecutionRequest;

interface Operations { namespace: string; operations: [{ startWorkflow: StartRequest }, { updateWorkflow: UpdateRequest }] }

function operations(start: Partial<StartRequest> = {}, update: Partial<UpdateRequest> = {}): Operations {
  const workflowId = start.workflowId ?? uid('uws');
  const startWorkflow: StartRequest = {
    namespace: NAMESPACE,
    workflowId,
    workflowType: { name: 'cfUpdatable' },
    taskQueue: { name: uid('uws-q') },
    requestId: randomUUID(),
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
    ...start,
  };
  const updateWorkflow: UpdateRequest = {
    namespace: NAMESPACE,
    workflowExecution: { workflowId },
    request: { meta: { updateId: uid('upd') }, input: { name: 'cfIncrement', args: { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('3') }] } } },
    waitPolicy: { lifecycleStage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED },
    ...update,
  };
  return { namespace: NAMESPACE, operations: [{ startWorkflow }, { updateWorkflow }] };
}

const execute = (req: temporal.api.workflowservice.v1.IExecuteMultiOperationRequest) => env.connection.workflowService.executeMultiOperation(req);

/** A stand-in worker over raw gRPC, for the cases an SDK worker never produces. */
const identity = 'stand-in-worker';
const { CommandType } = temporal.api.enums.v1;
const poll = (taskQueue: string) => env.client.workflowService.pollWorkflowTaskQueue({ namespace: NAMESPACE, taskQueue: { name: taskQueue }, identity });
type Task = Awaited<ReturnType<typeof poll>>;
type Message = temporal.api.protocol.v1.IMessage;
const complete = (task: Task, commands: temporal.api.command.v1.ICommand[], messages: Message[]) =>
  env.client.workflowService.respondWorkflowTaskCompleted({ namespace: NAMESPACE, taskToken: task.taskToken, identity, commands, messages });
const protocolMessage = (messageId: string) => ({ commandType: CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE, protocolMessageCommandAttributes: { messageId } });
const completeWorkflow = { commandType: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION, completeWorkflowExecutionCommandAttributes: {} };
const Update = temporal.api.update.v1;
const body = (type: string, value: Uint8Array) => ({ type_url: `type.googleapis.com/temporal.api.update.v1.${type}`, value });
const acceptance = (request: Message): Message => ({
  id: `${request.protocolInstanceId}/accept`,
  protocolInstanceId: request.protocolInstanceId,
  body: body('Acceptance', Update.Acceptance.encode({ acceptedRequestMessageId: request.id, acceptedRequestSequencingEventId: request.eventId }).finish()),
});
const response = (request: Message, result: string): Message => ({
  id: `${request.protocolInstanceId}/done`,
  protocolInstanceId: request.protocolInstanceId,
  body: body('Response', Update.Response.encode({ meta: { updateId: request.protocolInstanceId }, outcome: { success: { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(result) }] } } }).finish()),
});

/** The failure's code and message, and each operation's status with the types of its details. */
function multiOperationFailure(f: GrpcFailure) {
  const detail = f.statusDetails.find((d) => d.type === 'temporal.api.errordetails.v1.MultiOperationExecutionFailure');
  const statuses = detail ? temporal.api.errordetails.v1.MultiOperationExecutionFailure.decode(detail.value).statuses ?? [] : undefined;
  return {
    code: f.code,
    message: f.details,
    statuses: statuses?.map((s) => ({ code: s.code ?? 0, message: s.message ?? '', details: (s.details ?? []).map((d) => String(d.type_url).replace(/^type\.googleapis\.com\//, '')) })),
  };
}

describe('the frontend checks both operations before anything runs', () => {
  test('an unknown namespace is a plain NamespaceNotFound', async () => {
    const req = operations({ namespace: 'no-such-namespace' }, { namespace: 'no-such-namespace' });
    const f = await grpcFailure(execute({ ...req, namespace: 'no-such-namespace' }));
    expect({ code: f.code, types: f.statusDetails.map((d) => d.type) }).toEqual({ code: NOT_FOUND, types: ['temporal.api.errordetails.v1.NamespaceNotFoundFailure'] });
  });

  test('anything but exactly [Start, Update] is a plain INVALID_ARGUMENT', async () => {
    const { operations: [start, update] } = operations();
    const f = await grpcFailure(execute({ namespace: NAMESPACE, operations: [update, start] }));
    expect(multiOperationFailure(f)).toEqual({ code: INVALID_ARGUMENT, message: 'Operations have to be exactly [Start, Update].', statuses: undefined });
  });

  test.each([
    ['firstExecutionRunId', { firstExecutionRunId: randomUUID() }, 'FirstExecutionRunId is not allowed.'],
    ['a run id', { workflowExecution: { workflowId: 'set below', runId: randomUUID() } }, 'RunId is not allowed.'],
    ['no update name', { request: { meta: { updateId: 'u' }, input: {} } }, 'Update name is not set on request.'],
    ['no update meta', { request: { input: { name: 'cfIncrement' } } }, 'Update meta is not set on request.'],
  ] as Array<[string, Partial<UpdateRequest>, string]>)('an update with %s fails the update; the start is aborted', async (_name, update, message) => {
    const workflowId = uid('uws');
    if (update.workflowExecution) update.workflowExecution.workflowId = workflowId;
    const f = await grpcFailure(execute(operations({ workflowId }, update)));
    expect(multiOperationFailure(f)).toEqual({ code: INVALID_ARGUMENT, message: FAILURE, statuses: [ABORTED_STATUS, { code: INVALID_ARGUMENT, message, details: [] }] });
  });

  test.each([
    ['a cron schedule', { cronSchedule: '* * * * *' }, 'CronSchedule is not allowed.'],
    ['a start delay', { workflowStartDelay: { seconds: 5 } }, 'WorkflowStartDelay is not supported.'],
    ['eager execution', { requestEagerExecution: true }, 'RequestEagerExecution is not supported.'],
    ['another namespace', { namespace: 'elsewhere' }, "Operation namespace did not match request's namespace."],
  ] as Array<[string, Partial<StartRequest>, string]>)('a start with %s fails the start; the update is aborted', async (_name, start, message) => {
    const f = await grpcFailure(execute(operations(start)));
    expect(multiOperationFailure(f)).toEqual({ code: INVALID_ARGUMENT, message: FAILURE, statuses: [{ code: INVALID_ARGUMENT, message, details: [] }, ABORTED_STATUS] });
  });

  test('each invalid operation gets its own error', async () => {
    const f = await grpcFailure(execute(operations({ taskQueue: null }, { request: { meta: { updateId: 'u' }, input: {} } })));
    expect(multiOperationFailure(f).statuses).toEqual([
      { code: INVALID_ARGUMENT, message: 'taskQueue is not set', details: [] },
      { code: INVALID_ARGUMENT, message: 'Update name is not set on request.', details: [] },
    ]);
  });

  test('an update for another workflow id is inconsistent', async () => {
    const f = await grpcFailure(execute(operations({}, { workflowExecution: { workflowId: uid('other') } })));
    expect(multiOperationFailure(f).statuses).toEqual([ABORTED_STATUS, { code: INVALID_ARGUMENT, message: 'WorkflowId is not consistent with previous operation(s).', details: [] }]);
  });

  test('nothing is started when a check fails', async () => {
    const req = operations({}, { firstExecutionRunId: randomUUID() });
    await grpcFailure(execute(req));
    const f = await grpcFailure(env.connection.workflowService.describeWorkflowExecution({ namespace: NAMESPACE, execution: { workflowId: req.operations[0].startWorkflow.workflowId } }));
    expect(f.code).toBe(NOT_FOUND);
  });
});

test('a start refused by the conflict policy is ALREADY_EXISTS with the running run, the update aborted', async () => {
  const req = operations();
  const start = req.operations[0].startWorkflow;
  const { runId } = await env.connection.workflowService.startWorkflowExecution({ ...start, requestId: randomUUID() });
  const f = await grpcFailure(execute(req));
  expect(multiOperationFailure(f)).toEqual({
    code: ALREADY_EXISTS,
    message: FAILURE,
    statuses: [
      { code: ALREADY_EXISTS, message: `Workflow execution is already running. WorkflowId: ${start.workflowId}, RunId: ${runId}.`, details: ['temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure'] },
      ABORTED_STATUS,
    ],
  });
  // The TypeScript client reads the top-level code.
  const startOp = new WithStartWorkflowOperation(cfUpdatable, { taskQueue: start.taskQueue!.name!, workflowId: start.workflowId!, workflowIdConflictPolicy: 'FAIL' });
  await expect(env.client.workflow.executeUpdateWithStart(cfIncrement, { args: [1], startWorkflowOperation: startOp })).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
  await env.connection.workflowService.terminateWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId: start.workflowId } });
});

test('the start answers with its run, its chain and its status, started or not', async () => {
  const req = operations();
  const taskQueue = req.operations[0].startWorkflow.taskQueue!.name!;
  await withWorker(env, { taskQueue }, async () => {
    const first = await execute(req);
    const started = first.responses![0].startWorkflow!;
    expect({ started: started.started, status: started.status, chain: started.firstExecutionRunId }).toEqual({ started: true, status: WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, chain: started.runId });
    const again = operations({ workflowId: req.operations[0].startWorkflow.workflowId, taskQueue: { name: taskQueue }, workflowIdConflictPolicy: WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING });
    const second = await execute(again);
    const reused = second.responses![0].startWorkflow!;
    expect({ runId: reused.runId, started: reused.started, status: reused.status }).toEqual({ runId: started.runId, started: false, status: WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING });
    expect(fromPayloads(second.responses![1].updateWorkflow!.outcome!.success)).toEqual([6]);
    await env.client.workflow.getHandle(req.operations[0].startWorkflow.workflowId!).signal(cfStop);
  });
});

test('a completed update is answered from the closed workflow; no new run starts', async () => {
  const req = operations({ workflowIdReusePolicy: WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE, workflowIdConflictPolicy: WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING });
  const { workflowId, taskQueue } = req.operations[0].startWorkflow;
  await withWorker(env, { taskQueue: taskQueue!.name! }, async () => {
    const first = await execute(req);
    const handle = env.client.workflow.getHandle(workflowId!);
    await handle.signal(cfStop);
    expect(await handle.result()).toBe(3);
    // The client's retry of the same call (a new request id, the same update id) finds the outcome.
    const retry = await execute({ ...req, operations: [{ startWorkflow: { ...req.operations[0].startWorkflow, requestId: randomUUID() } }, req.operations[1]] });
    const start = retry.responses![0].startWorkflow!;
    const update = retry.responses![1].updateWorkflow!;
    expect({ runId: start.runId, started: start.started, status: start.status }).toEqual({
      runId: first.responses![0].startWorkflow!.runId,
      started: false,
      status: WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
    });
    expect({ stage: update.stage, outcome: fromPayloads(update.outcome!.success) }).toEqual({ stage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED, outcome: [3] });
    expect((await handle.describe()).runId).toBe(first.responses![0].startWorkflow!.runId);
  });
});

test('StartWorkflowExecution answers with the status and first run of the chain', async () => {
  const start = operations().operations[0].startWorkflow;
  const res = await env.connection.workflowService.startWorkflowExecution(start);
  expect({ status: res.status, chain: res.firstExecutionRunId, started: res.started }).toEqual({ status: WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, chain: res.runId, started: true });
  await env.connection.workflowService.terminateWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId: start.workflowId } });
});

test('an update the run accepted and then closed over has no outcome to answer with: a new run starts for it', async () => {
  const req = operations({ workflowIdConflictPolicy: WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING });
  const { workflowId, taskQueue } = req.operations[0].startWorkflow;
  const call = execute(req);
  const task = await poll(taskQueue!.name!);
  const request = task.messages![0];
  await complete(task, [protocolMessage(`${request.protocolInstanceId}/accept`), completeWorkflow], [acceptance(request)]);
  const closedOver = (await call).responses![1].updateWorkflow!.outcome!.failure!;
  expect(closedOver.applicationFailureInfo!.type).toBe('AcceptedUpdateCompletedWorkflow');
  const retry = execute({ ...req, operations: [{ startWorkflow: { ...req.operations[0].startWorkflow, requestId: randomUUID() } }, req.operations[1]] });
  const next = await poll(taskQueue!.name!);
  expect(next.workflowExecution!.runId).not.toBe(task.workflowExecution!.runId);
  expect(next.messages?.map((m) => m.protocolInstanceId)).toEqual([request.protocolInstanceId]);
  const again = next.messages![0];
  await complete(next, [protocolMessage(`${again.protocolInstanceId}/accept`), protocolMessage(`${again.protocolInstanceId}/done`)], [acceptance(again), response(again, '2')]);
  const started = (await retry).responses![0].startWorkflow!;
  expect({ runId: started.runId, started: started.started }).toEqual({ runId: next.workflowExecution!.runId, started: true });
  await env.connection.workflowService.terminateWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId } });
});

test('the start says RUNNING even when its first task completes the update and the workflow', async () => {
  const req = operations();
  const call = execute(req);
  const task = await poll(req.operations[0].startWorkflow.taskQueue!.name!);
  const request = task.messages![0];
  await complete(task, [protocolMessage(`${request.protocolInstanceId}/accept`), protocolMessage(`${request.protocolInstanceId}/done`), completeWorkflow], [acceptance(request), response(request, '1')]);
  const res = await call;
  expect({ status: res.responses![0].startWorkflow!.status, outcome: fromPayloads(res.responses![1].updateWorkflow!.outcome!.success) }).toEqual({
    status: WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
    outcome: [1],
  });
});

test('an update the worker saw, aborted by a failed task, fails the call with WorkflowNotReady and starts nothing', async () => {
  const req = operations({ workflowIdConflictPolicy: WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING });
  const { workflowId, taskQueue } = req.operations[0].startWorkflow;
  const { runId } = await env.connection.workflowService.startWorkflowExecution({ ...req.operations[0].startWorkflow, requestId: randomUUID() });
  await complete(await poll(taskQueue!.name!), [], []);
  const call = grpcFailure(execute(req));
  const task = await poll(taskQueue!.name!);
  expect(task.messages).toHaveLength(1);
  const oversize = { metadata: { encoding: Buffer.from('binary/plain') }, data: Buffer.alloc(2 * 1024 * 1024 + 10) };
  await grpcFailure(complete(task, [{ ...completeWorkflow, completeWorkflowExecutionCommandAttributes: { result: { payloads: [oversize] } } }], []));
  expect(multiOperationFailure(await call)).toEqual({
    code: 9,
    message: FAILURE,
    statuses: [ABORTED_STATUS, { code: 9, message: 'Unable to perform workflow execution update due to unexpected workflow task failure.', details: ['temporal.api.errordetails.v1.WorkflowNotReadyFailure'] }],
  });
  const { workflowExecutionInfo } = await env.connection.workflowService.describeWorkflowExecution({ namespace: NAMESPACE, execution: { workflowId } });
  expect({ runId: workflowExecutionInfo!.execution!.runId, status: workflowExecutionInfo!.status }).toEqual({ runId, status: WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED });
});

test('an update admitted while a task runs that then fails and terminates the run goes to a new run the call starts', async () => {
  const req = operations({ workflowIdConflictPolicy: WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING });
  const { workflowId, taskQueue } = req.operations[0].startWorkflow;
  const { runId } = await env.connection.workflowService.startWorkflowExecution({ ...req.operations[0].startWorkflow, requestId: randomUUID() });
  const task = await poll(taskQueue!.name!);
  const call = execute(req);
  await updateAdmitted(env, workflowId!, req.operations[1].updateWorkflow.request!.meta!.updateId!);
  const oversize = { metadata: { encoding: Buffer.from('binary/plain') }, data: Buffer.alloc(2 * 1024 * 1024 + 10) };
  await grpcFailure(complete(task, [{ ...completeWorkflow, completeWorkflowExecutionCommandAttributes: { result: { payloads: [oversize] } } }], []));
  const next = await poll(taskQueue!.name!);
  expect(next.workflowExecution!.runId).not.toBe(runId);
  const request = next.messages![0];
  await complete(next, [protocolMessage(`${request.protocolInstanceId}/accept`), protocolMessage(`${request.protocolInstanceId}/done`)], [acceptance(request), response(request, '5')]);
  const res = await call;
  const started = res.responses![0].startWorkflow!;
  expect({ runId: started.runId, started: started.started, outcome: fromPayloads(res.responses![1].updateWorkflow!.outcome!.success) }).toEqual({ runId: next.workflowExecution!.runId, started: true, outcome: [5] });
  await env.connection.workflowService.terminateWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId } });
});
