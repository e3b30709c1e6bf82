/**
 * Request size limits as Temporal's server applies them: 4 MiB gRPC messages (RESOURCE_EXHAUSTED,
 * also once a gzip-compressed request is inflated) and 2 MiB payloads (INVALID_ARGUMENT "Blob data
 * size exceeds limit." from service/frontend/workflow_handler.go and service/history/api; oversized
 * activity results fail the activity; an oversized workflow result fails the task and terminates the run).
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { TerminatedFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { quietRuntime } from '../../helpers/engine';
import { grpcFailure, uid, workflowBundle, EventType } from './helpers';
import { BLOB, Engine, INVALID_ARGUMENT, MiB, RESOURCE_EXHAUSTED, connectOnce, launch, payloads, rawGzipRequest, runToExit, startRequest } from './security-helpers';

beforeAll(() => quietRuntime());

describe('request size limits', () => {
  let engine: Engine;
  let connection: Connection;

  beforeAll(async () => {
    engine = await launch([]);
    connection = await connectOnce(engine.address);
  }, 60_000);

  afterAll(async () => {
    await connection?.close();
  });

  test('start, signal, signal-with-start and query with a payload above 2 MiB: INVALID_ARGUMENT "Blob data size exceeds limit."', async () => {
    const ws = connection.workflowService;
    const refused = async (call: Promise<unknown>, details = BLOB) => {
      const f = await grpcFailure(call);
      expect({ code: f.code, details: f.details }).toEqual({ code: INVALID_ARGUMENT, details });
    };
    await refused(ws.startWorkflowExecution(startRequest({ input: payloads(2 * MiB + 1) })));
    await refused(ws.startWorkflowExecution(startRequest({ memo: { fields: { big: payloads(2 * MiB + 1).payloads![0] } } })), 'Memo size exceeds limit.');
    // Just under the limit is fine.
    const req = startRequest({ input: payloads(2 * MiB - 64) });
    const { runId } = await ws.startWorkflowExecution(req);
    const execution = { workflowId: req.workflowId!, runId };
    await refused(ws.signalWorkflowExecution({ namespace: 'default', workflowExecution: execution, signalName: 'cfAppend', input: payloads(2 * MiB + 1), requestId: randomUUID() }));
    const sws = { ...startRequest({ workflowId: req.workflowId }), signalName: 'cfAppend' };
    await refused(ws.signalWithStartWorkflowExecution({ ...sws, signalInput: payloads(2 * MiB + 1) }));
    await refused(ws.signalWithStartWorkflowExecution({ ...sws, input: payloads(2 * MiB + 1) }));
    await refused(ws.signalWithStartWorkflowExecution({ ...startRequest(), signalName: 'cfAppend', signalInput: payloads(2 * MiB + 1) }));
    await refused(ws.queryWorkflow({ namespace: 'default', execution, query: { queryType: 'cfValues', queryArgs: payloads(2 * MiB + 1) } }));
    // Nothing of the refused calls reached the history.
    const history = await new Client({ connection }).workflow.getHandle(execution.workflowId).fetchHistory();
    expect(history.events!.map((e) => e.eventType)).toEqual([EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED]);
    await ws.terminateWorkflowExecution({ namespace: 'default', workflowExecution: execution });
  });

  test('an activity result above the limit fails the activity (non-retryable server failure), not the call', async () => {
    const taskQueue = uid('big-activity');
    const nativeConnection = await NativeConnection.connect({ address: engine.address });
    try {
      const worker = await Worker.create({
        connection: nativeConnection,
        taskQueue,
        workflowBundle: await workflowBundle(),
        activities: { big: async (n: number) => 'x'.repeat(n) },
      });
      const outcome = await worker.runUntil(
        new Client({ connection }).workflow.execute('cfRunActivity', {
          args: ['big', [2 * MiB + 100], { startToCloseTimeout: '1 minute', retry: { maximumAttempts: 3 } }],
          taskQueue,
          workflowId: uid('big-activity'),
        }),
      );
      expect(outcome).toEqual({
        failure: expect.objectContaining({
          name: 'ActivityFailure',
          retryState: 'NON_RETRYABLE_FAILURE',
          cause: { name: 'ServerFailure', message: 'Complete result exceeds size limit.' },
        }),
      });
    } finally {
      await nativeConnection.close();
    }
  });

  test('a workflow result above the limit fails the task and terminates the run, as the server does', async () => {
    const taskQueue = uid('big-result');
    const client = new Client({ connection });
    const handle = await client.workflow.start('cfCollector', { taskQueue, workflowId: uid('big-result') });
    // Two signals under the limit each; the result holds both.
    for (const fill of ['a', 'b']) await handle.signal('cfAppend', fill.repeat(1.2 * MiB));
    await handle.signal('cfFinish');
    const nativeConnection = await NativeConnection.connect({ address: engine.address });
    try {
      const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: await workflowBundle() });
      const err = await worker.runUntil(handle.result().then(() => undefined, (e: unknown) => e));
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect((err as WorkflowFailedError).cause).toBeInstanceOf(TerminatedFailure);
    } finally {
      await nativeConnection.close();
    }
    const message = 'BadScheduleActivityAttributes: CompleteWorkflowExecutionCommandAttributes.Result exceeds size limit.';
    const events = (await handle.fetchHistory()).events!;
    const [failed, terminated] = events.slice(-2);
    expect(failed.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    expect(failed.workflowTaskFailedEventAttributes).toEqual(
      expect.objectContaining({
        cause: temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES,
        failure: expect.objectContaining({ message, serverFailureInfo: expect.objectContaining({ nonRetryable: false }) }),
      }),
    );
    expect(terminated.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
    expect(terminated.workflowExecutionTerminatedEventAttributes).toEqual(expect.objectContaining({ reason: message, identity: 'history-service' }));
  });

  test('a request above 4 MiB is RESOURCE_EXHAUSTED, and the engine keeps serving', async () => {
    const f = await grpcFailure(connection.workflowService.startWorkflowExecution(startRequest({ input: payloads(5 * MiB) })));
    expect(f.code).toBe(RESOURCE_EXHAUSTED);
    expect(f.details).toMatch(/larger than max \(\d+ vs\.? 4194304\)/);
    await connection.workflowService.startWorkflowExecution(startRequest({ input: payloads(1024) }));
  });

  test('a gzip-compressed request that inflates above 4 MiB is RESOURCE_EXHAUSTED', async () => {
    const gzipping = await connectOnce(engine.address, { channelArgs: { 'grpc.default_compression_algorithm': 2 } });
    try {
      const f = await grpcFailure(gzipping.workflowService.startWorkflowExecution(startRequest({ input: payloads(5 * MiB, 0) })));
      expect(f.code).toBe(RESOURCE_EXHAUSTED);
      expect(f.details).toBe('Received message that decompresses to a size larger than 4194304');
      // Compressed requests within the limit are served.
      await gzipping.workflowService.startWorkflowExecution(startRequest({ input: payloads(MiB, 0) }));
    } finally {
      await gzipping.close();
    }
  });

  test('a gzip bomb (1 MiB inflating to 1 GiB) is refused without inflating it, and the engine keeps serving', async () => {
    const member = zlib.gzipSync(Buffer.alloc(MiB), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 1024 }, () => member)); // gzip members concatenate
    const r = await rawGzipRequest(engine.port, '/temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution', bomb);
    expect(r).toEqual({ status: RESOURCE_EXHAUSTED, message: 'Received message that decompresses to a size larger than 4194304' });
    await connection.workflowService.getSystemInfo({});
    // The engine never held the inflated gigabyte (peak resident memory, where Linux reports it).
    const status = `/proc/${engine.child.pid}/status`;
    if (fs.existsSync(status)) {
      const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(status, 'utf8'))?.[1]);
      expect(peakKiB).toBeLessThan(600 * 1024);
    }
  });

  test('the limits are configurable: --dynamic-config-value limit.blobSize.error=N and --max-message-size N', async () => {
    const configured = await launch(['--dynamic-config-value', 'limit.blobSize.error=1000000', '--dynamic-config-value', 'some.other.key=true', '--max-message-size', String(3 * MiB)]);
    const conn = await connectOnce(configured.address);
    try {
      const ws = conn.workflowService;
      await ws.startWorkflowExecution(startRequest({ input: payloads(900_000) }));
      const blob = await grpcFailure(ws.startWorkflowExecution(startRequest({ input: payloads(1_000_001) })));
      expect({ code: blob.code, details: blob.details }).toEqual({ code: INVALID_ARGUMENT, details: BLOB });
      const big = await grpcFailure(ws.startWorkflowExecution(startRequest({ input: payloads(3 * MiB) })));
      expect(big.code).toBe(RESOURCE_EXHAUSTED);
      // The default engine refuses the same request as a blob, not as a message.
      const dflt = await grpcFailure(connection.workflowService.startWorkflowExecution(startRequest({ input: payloads(3 * MiB) })));
      expect(dflt.code).toBe(INVALID_ARGUMENT);
    } finally {
      await conn.close();
    }
    const bad = runToExit(['--dynamic-config-value', 'limit.blobSize.error=lots']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--dynamic-config-value limit.blobSize.error wants a positive number of bytes, got "lots"');
  });
});
