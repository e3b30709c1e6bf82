/**
 * Bad requests through raw gRPC (the SDK's service stubs): status codes and messages as the
 * Temporal server v1.29.1 gives them (service/frontend/errors.go, validators.go, common/tqid,
 * common/persistence/execution_manager.go, history/api/workflow_id_dedup.go). Runs on the
 * test-server form of the engine, which also serves the time-skipping TestService.
 */
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { timeSkippingEnv } from '../../helpers/engine';
import { NAMESPACE, grpcFailure, uid, suiteEnv } from './helpers';

const env = suiteEnv(timeSkippingEnv, []);

const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const PERMISSION_DENIED = 7;
const FAILED_PRECONDITION = 9;

type StartRequest = temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest;

function startRequest(overrides: Partial<StartRequest> = {}): StartRequest {
  return {
    namespace: NAMESPACE,
    workflowId: uid('bad'),
    workflowType: { name: 'cfCollector' },
    taskQueue: { name: uid('bad-q') },
    requestId: randomUUID(),
    identity: 'conformance',
    ...overrides,
  };
}

describe('StartWorkflowExecution: INVALID_ARGUMENT', () => {
  const cases: Array<[string, Partial<StartRequest>, string]> = [
    ['missing workflow id', { workflowId: '' }, 'WorkflowId is not set on request.'],
    ['workflow id over 1000 characters', { workflowId: 'w'.repeat(1001) }, 'WorkflowId length exceeds limit.'],
    ['missing workflow type', { workflowType: { name: '' } }, 'WorkflowType is not set on request.'],
    ['task queue without a name', { taskQueue: { name: '' } }, 'missing task queue name'],
    ['no task queue at all', { taskQueue: null }, 'taskQueue is not set'],
  ];
  test.each(cases)('%s', async (_what, overrides, message) => {
    const f = await grpcFailure(env.connection.workflowService.startWorkflowExecution(startRequest(overrides)));
    expect({ code: f.code, details: f.details }).toEqual({ code: INVALID_ARGUMENT, details: message });
  });
});

test('starting a running workflow id is ALREADY_EXISTS naming the running run id', async () => {
  const req = startRequest();
  const { runId } = await env.connection.workflowService.startWorkflowExecution(req);
  const f = await grpcFailure(env.connection.workflowService.startWorkflowExecution({ ...req, requestId: randomUUID() }));
  expect(f.code).toBe(ALREADY_EXISTS);
  expect(f.details).toBe(`Workflow execution is already running. WorkflowId: ${req.workflowId}, RunId: ${runId}.`);
  const detail = f.statusDetails.find((d) => d.type === 'temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure');
  expect(detail).toBeDefined();
  const decoded = temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure.decode(detail!.value);
  expect(decoded.runId).toBe(runId);
  expect(decoded.startRequestId).toBe(req.requestId);
  await env.connection.workflowService.terminateWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId: req.workflowId! } });
});

describe('DescribeWorkflowExecution', () => {
  test('no execution: INVALID_ARGUMENT', async () => {
    const f = await grpcFailure(env.connection.workflowService.describeWorkflowExecution({ namespace: NAMESPACE }));
    expect({ code: f.code, details: f.details }).toEqual({ code: INVALID_ARGUMENT, details: 'Execution is not set on request.' });
  });

  test('a run id that is not a UUID: INVALID_ARGUMENT', async () => {
    const f = await grpcFailure(
      env.connection.workflowService.describeWorkflowExecution({ namespace: NAMESPACE, execution: { workflowId: uid('wf'), runId: 'not-a-uuid' } }),
    );
    expect({ code: f.code, details: f.details }).toEqual({ code: INVALID_ARGUMENT, details: 'Invalid RunId.' });
  });

  test('an unknown workflow id: NOT_FOUND', async () => {
    const workflowId = uid('nobody');
    const f = await grpcFailure(env.connection.workflowService.describeWorkflowExecution({ namespace: NAMESPACE, execution: { workflowId } }));
    expect({ code: f.code, details: f.details }).toEqual({ code: NOT_FOUND, details: `workflow not found for ID: ${workflowId}` });
  });

  test('an unknown run of a known workflow: NOT_FOUND', async () => {
    const req = startRequest();
    await env.connection.workflowService.startWorkflowExecution(req);
    const runId = randomUUID();
    const f = await grpcFailure(
      env.connection.workflowService.describeWorkflowExecution({ namespace: NAMESPACE, execution: { workflowId: req.workflowId, runId } }),
    );
    expect({ code: f.code, details: f.details }).toEqual({
      code: NOT_FOUND,
      details: `workflow execution not found for workflow ID "${req.workflowId}" and run ID "${runId}"`,
    });
    await env.connection.workflowService.terminateWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId: req.workflowId! } });
  });

  test('an unknown namespace: NOT_FOUND with NamespaceNotFoundFailure', async () => {
    const f = await grpcFailure(
      env.connection.workflowService.describeWorkflowExecution({ namespace: 'cf-no-such-namespace', execution: { workflowId: uid('wf') } }),
    );
    expect({ code: f.code, details: f.details }).toEqual({ code: NOT_FOUND, details: 'Namespace cf-no-such-namespace is not found.' });
    expect(f.statusDetails.map((d) => d.type)).toContain('temporal.api.errordetails.v1.NamespaceNotFoundFailure');
  });
});

test('history of an unknown workflow: NOT_FOUND', async () => {
  const workflowId = uid('nobody');
  const f = await grpcFailure(env.connection.workflowService.getWorkflowExecutionHistory({ namespace: NAMESPACE, execution: { workflowId } }));
  expect(f.code).toBe(NOT_FOUND);
});

test('signal without a signal name: INVALID_ARGUMENT', async () => {
  const f = await grpcFailure(
    env.connection.workflowService.signalWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId: uid('wf') }, signalName: '' }),
  );
  expect({ code: f.code, details: f.details }).toEqual({ code: INVALID_ARGUMENT, details: 'SignalName is not set on request.' });
});

test('terminating a closed workflow: NOT_FOUND "workflow execution already completed"', async () => {
  const req = startRequest();
  await env.connection.workflowService.startWorkflowExecution(req);
  await env.connection.workflowService.terminateWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId: req.workflowId! } });
  const f = await grpcFailure(
    env.connection.workflowService.terminateWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId: req.workflowId! } }),
  );
  expect({ code: f.code, details: f.details }).toEqual({ code: NOT_FOUND, details: 'workflow execution already completed' });
});

test('a completion with a garbage task token: INVALID_ARGUMENT', async () => {
  const f = await grpcFailure(
    env.connection.workflowService.respondActivityTaskCompleted({ namespace: NAMESPACE, taskToken: Buffer.from('not a task token') }),
  );
  expect({ code: f.code, details: f.details }).toEqual({ code: INVALID_ARGUMENT, details: 'Error deserializing task token.' });
});

test('unlocking time skipping more often than it was locked: FAILED_PRECONDITION', async () => {
  // The test-server form starts locked once: the first unlock is fine, the second has no lock to release.
  await env.connection.testService!.unlockTimeSkipping({});
  const f = await grpcFailure(env.connection.testService!.unlockTimeSkipping({}));
  expect(f.code).toBe(FAILED_PRECONDITION);
  await env.connection.testService!.lockTimeSkipping({});
  // Balanced again: one more unlock/lock pair works.
  await env.connection.testService!.unlockTimeSkipping({});
  await env.connection.testService!.lockTimeSkipping({});
});

test('the engine keeps serving after every bad request above', async () => {
  const { capabilities } = await env.connection.workflowService.getSystemInfo({});
  expect(capabilities?.sdkMetadata).toBe(true);
  const req = startRequest();
  const { runId } = await env.connection.workflowService.startWorkflowExecution(req);
  expect(runId).toBeTruthy();
  await env.connection.workflowService.terminateWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId: req.workflowId! } });
});

describe('UpdateWorkflowExecution: the request is checked before the workflow is looked up', () => {
  type UpdateRequest = temporal.api.workflowservice.v1.IUpdateWorkflowExecutionRequest;
  const update = (extra: Partial<UpdateRequest>): UpdateRequest => ({
    namespace: NAMESPACE,
    workflowExecution: { workflowId: uid('no-such-workflow') },
    request: { meta: { updateId: uid('upd') }, input: { name: 'cfIncrement' } },
    ...extra,
  });
  const ADMITTED = temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED;
  test.each([
    ['no meta', update({ request: { input: { name: 'cfIncrement' } } }), INVALID_ARGUMENT, 'Update meta is not set on request.'],
    ['no input', update({ request: { meta: { updateId: 'u' } } }), INVALID_ARGUMENT, 'Update input is not set on request.'],
    ['no name', update({ request: { meta: { updateId: 'u' }, input: {} } }), INVALID_ARGUMENT, 'Update name is not set on request.'],
    ['an update id over 1000 characters', update({ request: { meta: { updateId: 'u'.repeat(1001) }, input: { name: 'cfIncrement' } } }), INVALID_ARGUMENT, 'UpdateId length exceeds limit.'],
    ['a wait for the admitted stage', update({ waitPolicy: { lifecycleStage: ADMITTED } }), PERMISSION_DENIED, 'UpdateWorkflowExecution issued asynchronously and waiting on update admitted is not supported.'],
  ] as Array<[string, UpdateRequest, number, string]>)('%s', async (_name, req, code, details) => {
    const f = await grpcFailure(env.connection.workflowService.updateWorkflowExecution(req));
    expect({ code: f.code, details: f.details }).toEqual({ code, details });
  });
});

test('polling an update the workflow does not have is NOT_FOUND naming it quoted', async () => {
  const req = startRequest();
  await env.connection.workflowService.startWorkflowExecution(req);
  const f = await grpcFailure(
    env.connection.workflowService.pollWorkflowExecutionUpdate({ namespace: NAMESPACE, updateRef: { workflowExecution: { workflowId: req.workflowId }, updateId: 'no-such-update' } }),
  );
  expect({ code: f.code, details: f.details }).toEqual({ code: NOT_FOUND, details: 'update "no-such-update" not found' });
  await env.connection.workflowService.terminateWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId: req.workflowId! } });
});

test('terminate without reason or identity records the frontend\'s defaults', async () => {
  const req = startRequest();
  await env.connection.workflowService.startWorkflowExecution(req);
  await env.connection.workflowService.terminateWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId: req.workflowId! } });
  const { history } = await env.connection.workflowService.getWorkflowExecutionHistory({ namespace: NAMESPACE, execution: { workflowId: req.workflowId! } });
  const terminated = history!.events!.at(-1)!.workflowExecutionTerminatedEventAttributes;
  expect({ reason: terminated?.reason, identity: terminated?.identity }).toEqual({ reason: 'terminated by user via frontend', identity: 'frontend-service' });
});
