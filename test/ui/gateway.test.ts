/**
 * The UI gateway against the embedded engine, as `temporal-devserver server start-dev` serves it:
 * every /api/v1 call the UI's pages make, compared with the protobuf message the same call gives
 * over gRPC (the JSON goes back to that very message), errors, settings, CSRF and the app itself.
 */
import { root } from '../../ui/gateway/proto';
import { fromJson } from '../../ui/gateway/proto-json';
import { canonical } from './canonical';
import { EngineWithUi, startEngineWithUi, UiClient } from './helpers';
import { startUiGateway } from '../../ui/gateway';
import { uiProbe } from './workflows';

const TQ = 'ui-gateway';
let engine: EngineWithUi;
let ui: UiClient;
let worker: { stop(): Promise<void> };
let runId: string;

const type = (name: string) => root.lookupType(`temporal.api.${name}`);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const id = encodeURIComponent('probe/one two');

/** The HTTP JSON, read back into a message, equals the message the same RPC returns over gRPC. */
function expectSameMessage(typeName: string, json: unknown, direct: object): void {
  const t = type(typeName);
  expect(canonical(t, fromJson(t, json))).toEqual(canonical(t, direct as Record<string, unknown>));
}

beforeAll(async () => {
  engine = await startEngineWithUi(['--search-attribute', 'Programme=Keyword']);
  ui = new UiClient(engine.uiUrl);
  worker = await engine.runWorker(TQ);
  const h = await engine.client.workflow.start(uiProbe, {
    taskQueue: TQ,
    workflowId: 'probe/one two',
    args: ['Ada'],
    memo: { team: 'intake' },
    searchAttributes: { Programme: ['werkfit'] },
    staticSummary: 'Probe **Ada**',
  });
  runId = h.firstExecutionRunId;
  // the first workflow task has run once the timer is in the history
  for (;;) {
    const events = (await h.fetchHistory()).events ?? [];
    if (events.some((e) => e.timerStartedEventAttributes)) break;
  }
});

afterAll(async () => {
  await worker?.stop();
  await engine?.stop();
});

test('settings answer as the UI server does: Go field names, a UI version past 2.23.0, writes enabled', async () => {
  const { status, json } = await ui.fetch('/api/v1/settings');
  expect(status).toBe(200);
  expect(json).toEqual(
    expect.objectContaining({
      Auth: { Enabled: false, Options: null },
      DefaultNamespace: 'default',
      Version: '2.38.0',
      DisableWriteActions: false,
      Codec: expect.objectContaining({ Endpoint: '', PassAccessToken: false, IncludeCredentials: false }),
    }),
  );
});

test('cluster and system information, namespaces and search attributes', async () => {
  const ws = engine.connection.workflowService;
  const cluster = await ui.fetch('/api/v1/cluster-info');
  expectSameMessage('workflowservice.v1.GetClusterInfoResponse', cluster.json, await ws.getClusterInfo({}));
  expect(cluster.json.serverVersion).toMatch(/^\d+\.\d+\.\d+$/);
  const system = await ui.fetch('/api/v1/system-info');
  expectSameMessage('workflowservice.v1.GetSystemInfoResponse', system.json, await ws.getSystemInfo({}));
  const list = await ui.fetch('/api/v1/namespaces');
  expectSameMessage('workflowservice.v1.ListNamespacesResponse', list.json, await ws.listNamespaces({}));
  const ns = await ui.fetch('/api/v1/namespaces/default');
  expectSameMessage('workflowservice.v1.DescribeNamespaceResponse', ns.json, await ws.describeNamespace({ namespace: 'default' }));
  expect(ns.json.namespaceInfo.state).toBe('NAMESPACE_STATE_REGISTERED');
  expect(ns.json.config.workflowExecutionRetentionTtl).toMatch(/^\d+s$/);
  const sa = await ui.fetch('/api/v1/namespaces/default/search-attributes');
  expectSameMessage('operatorservice.v1.ListSearchAttributesResponse', sa.json, await engine.connection.operatorService.listSearchAttributes({ namespace: 'default' }));
  expect(sa.json.customAttributes.Programme).toBe('INDEXED_VALUE_TYPE_KEYWORD');
});

test('the workflow list and count, filtered in the list-filter language', async () => {
  const query = `WorkflowType = 'uiProbe' AND Programme = 'werkfit'`;
  const list = await ui.fetch(`/api/v1/namespaces/default/workflows?query=${encodeURIComponent(query)}&pageSize=20`);
  expect(list.status).toBe(200);
  expectSameMessage('workflowservice.v1.ListWorkflowExecutionsResponse', list.json, await engine.connection.workflowService.listWorkflowExecutions({ namespace: 'default', query, pageSize: 20 }));
  const [info] = list.json.executions;
  expect(info).toEqual(
    expect.objectContaining({
      execution: { workflowId: 'probe/one two', runId },
      type: { name: 'uiProbe' },
      status: 'WORKFLOW_EXECUTION_STATUS_RUNNING',
      historyLength: expect.stringMatching(/^\d+$/),
      startTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      memo: { fields: { team: { metadata: { encoding: b64('json/plain') }, data: b64('"intake"') } } },
    }),
  );
  const none = await ui.fetch(`/api/v1/namespaces/default/workflows?query=${encodeURIComponent(`Programme = 'other'`)}`);
  expect(none.json).toEqual({});
  const count = await ui.fetch(`/api/v1/namespaces/default/workflow-count?query=${encodeURIComponent('GROUP BY ExecutionStatus')}`);
  expectSameMessage('workflowservice.v1.CountWorkflowExecutionsResponse', count.json, await engine.connection.workflowService.countWorkflowExecutions({ namespace: 'default', query: 'GROUP BY ExecutionStatus' }));
  expect(count.json.count).toBe('1');
});

test('describe, history and reverse history of a run', async () => {
  const ws = engine.connection.workflowService;
  const execution = { workflowId: 'probe/one two', runId };
  const describe = await ui.fetch(`/api/v1/namespaces/default/workflows/${id}?execution.runId=${runId}`);
  expectSameMessage('workflowservice.v1.DescribeWorkflowExecutionResponse', describe.json, await ws.describeWorkflowExecution({ namespace: 'default', execution }));
  expect(describe.json.executionConfig.defaultWorkflowTaskTimeout).toBe('10s');
  const history = await ui.fetch(`/api/v1/namespaces/default/workflows/${id}/history?execution.runId=${runId}`);
  expectSameMessage('workflowservice.v1.GetWorkflowExecutionHistoryResponse', history.json, await ws.getWorkflowExecutionHistory({ namespace: 'default', execution }));
  const [started] = history.json.history.events;
  expect(started).toEqual(
    expect.objectContaining({
      eventId: '1',
      eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
      userMetadata: { summary: { metadata: { encoding: b64('json/plain') }, data: b64('"Probe **Ada**"') } },
      workflowExecutionStartedEventAttributes: expect.objectContaining({
        input: { payloads: [{ metadata: { encoding: b64('json/plain') }, data: b64('"Ada"') }] },
        workflowTaskTimeout: '10s',
      }),
    }),
  );
  const timer = history.json.history.events.find((e: any) => e.eventType === 'EVENT_TYPE_TIMER_STARTED');
  expect(timer.timerStartedEventAttributes.startToFireTimeout).toBe('3600s');
  expect(Buffer.from(timer.userMetadata.summary.data, 'base64').toString()).toBe('"deadline of Ada"');
  const reverse = await ui.fetch(`/api/v1/namespaces/default/workflows/${id}/history-reverse?execution.runId=${runId}`);
  expectSameMessage('workflowservice.v1.GetWorkflowExecutionHistoryReverseResponse', reverse.json, await ws.getWorkflowExecutionHistoryReverse({ namespace: 'default', execution }));
  expect(reverse.json.history.events.map((e: any) => e.eventId)).toEqual(history.json.history.events.map((e: any) => e.eventId).reverse());
});

test('queries, the UI metadata query among them, answer through POST with the CSRF token', async () => {
  const body = { execution: { workflowId: 'probe/one two', runId }, query: { queryType: 'status' } };
  const res = await ui.fetch(`/api/v1/namespaces/default/workflows/${id}/query/status`, { body });
  expect(res.status).toBe(200);
  expect(JSON.parse(Buffer.from(res.json.queryResult.payloads[0].data, 'base64').toString())).toEqual({ name: 'Ada', stage: 'waiting' });
  const meta = await ui.fetch(`/api/v1/namespaces/default/workflows/${id}/query/__temporal_workflow_metadata`, {
    body: { execution: { workflowId: 'probe/one two', runId }, query: { queryType: '__temporal_workflow_metadata' } },
  });
  expect(Buffer.from(meta.json.queryResult.payloads[0].data, 'base64').toString()).toContain('Waiting for **Ada**');
});

test('unsafe requests need the CSRF token from the cookie: missing is 400, wrong is 403', async () => {
  const path = `/api/v1/namespaces/default/workflows/${id}/query/status`;
  const body = { execution: { runId }, query: {} };
  const missing = await ui.fetch(path, { body, csrf: null });
  expect([missing.status, missing.json]).toEqual([400, { message: 'missing csrf token in request header' }]);
  const wrong = await ui.fetch(path, { body, csrf: 'x'.repeat(32) });
  expect([wrong.status, wrong.json]).toEqual([403, { message: 'invalid csrf token' }]);
});

test('a signal from the UI wakes a history long poll (waitNewEvent) with the new events', async () => {
  const first = await ui.fetch(`/api/v1/namespaces/default/workflows/${id}/history?execution.runId=${runId}&waitNewEvent=true`);
  expect(first.json.nextPageToken).toBeTruthy();
  const lastSeen = Number(first.json.history.events.at(-1).eventId);
  const poll = ui.fetch(`/api/v1/namespaces/default/workflows/${id}/history?execution.runId=${runId}&waitNewEvent=true&next_page_token=${encodeURIComponent(first.json.nextPageToken)}`);
  const input = { payloads: [{ metadata: { encoding: b64('json/plain') }, data: b64('"from the UI"') }] };
  const signal = await ui.fetch(`/api/v1/namespaces/default/workflows/${id}/signal/advance`, {
    body: { workflowExecution: { workflowId: 'probe/one two', runId }, signalName: 'advance', input, identity: 'ui-test' },
  });
  expect(signal.status).toBe(200);
  const next = await poll;
  expect(next.status).toBe(200);
  const signalled = next.json.history.events.find((e: any) => e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED');
  expect(Number(next.json.history.events[0].eventId)).toBe(lastSeen + 1);
  expect(signalled.workflowExecutionSignaledEventAttributes).toEqual(expect.objectContaining({ signalName: 'advance', input, identity: 'ui-test' }));
  expect(await engine.client.workflow.getHandle('probe/one two').result()).toBe('ADA FROM THE UI');
});

test('the raw history download is the whole history as one JSON array', async () => {
  const raw = await ui.fetch(`/api/v1/namespaces/default/workflows/${id}/run/${runId}/history.json`);
  const paged = await ui.fetch(`/api/v1/namespaces/default/workflows/${id}/history?execution.runId=${runId}`);
  expect(raw.status).toBe(200);
  expect(raw.json).toEqual(paged.json.history.events);
  expect(raw.json.at(-1).eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
});

test('the task queue shows the worker polling it', async () => {
  const wf = await ui.fetch(`/api/v1/namespaces/default/task-queues/${TQ}?taskQueueType=1`);
  expectSameMessage('workflowservice.v1.DescribeTaskQueueResponse', wf.json, await engine.connection.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: TQ }, taskQueueType: 1 }));
  expect(wf.json.pollers[0]).toEqual(expect.objectContaining({ identity: expect.any(String), lastAccessTime: expect.stringMatching(/Z$/) }));
  const act = await ui.fetch(`/api/v1/namespaces/default/task-queues/${TQ}?taskQueueType=2`);
  expect(act.json.pollers.length).toBeGreaterThan(0);
});

test('start and terminate from the UI', async () => {
  const input = { payloads: [{ metadata: { encoding: b64('json/plain') }, data: b64('"Bo"') }] };
  const start = await ui.fetch('/api/v1/namespaces/default/workflows/started-from-ui', {
    body: { workflowId: 'started-from-ui', workflowType: { name: 'uiProbe' }, taskQueue: { name: 'no-worker-here' }, input, requestId: 'r-1', identity: 'ui' },
  });
  expect(start.status).toBe(200);
  expect(start.json.runId).toMatch(/^[0-9a-f-]{36}$/);
  const terminate = await ui.fetch('/api/v1/namespaces/default/workflows/started-from-ui/terminate', {
    body: { workflowExecution: { workflowId: 'started-from-ui', runId: start.json.runId }, reason: 'done looking' },
  });
  expect(terminate.status).toBe(200);
  const described = await ui.fetch(`/api/v1/namespaces/default/workflows/started-from-ui?execution.runId=${start.json.runId}`);
  expect(described.json.workflowExecutionInfo.status).toBe('WORKFLOW_EXECUTION_STATUS_TERMINATED');
});

test('reset from the UI: the workflow goes on in a new run and the old one is terminated', async () => {
  // No worker: the first task stays scheduled (event 2), the signal is event 3, and a reset to
  // event 3 starts and fails that task in the new run.
  const again = await engine.client.workflow.start(uiProbe, { taskQueue: 'no-worker-here', workflowId: 'reset-from-ui', args: ['Cy'] });
  await engine.connection.workflowService.signalWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId: 'reset-from-ui' }, signalName: 'nudge' });
  const reset = await ui.fetch('/api/v1/namespaces/default/workflows/reset-from-ui/reset', {
    body: { workflowExecution: { workflowId: 'reset-from-ui', runId: again.firstExecutionRunId }, reason: 'retry from here', workflowTaskFinishEventId: '3', requestId: 'reset-1', resetReapplyType: 'RESET_REAPPLY_TYPE_SIGNAL' },
  });
  expect(reset.status).toBe(200);
  expect(reset.json.runId).toMatch(/^[0-9a-f-]{36}$/);
  const current = await ui.fetch('/api/v1/namespaces/default/workflows/reset-from-ui');
  expect(current.json.workflowExecutionInfo).toEqual(expect.objectContaining({ execution: { workflowId: 'reset-from-ui', runId: reset.json.runId }, status: 'WORKFLOW_EXECUTION_STATUS_RUNNING' }));
  const old = await ui.fetch(`/api/v1/namespaces/default/workflows/reset-from-ui?execution.runId=${again.firstExecutionRunId}`);
  expect(old.json.workflowExecutionInfo.status).toBe('WORKFLOW_EXECUTION_STATUS_TERMINATED');
});

test('batch terminate from the UI: the job runs, and its page lists and describes it', async () => {
  const first = await engine.client.workflow.start(uiProbe, { taskQueue: 'batch-from-ui', workflowId: 'batch-from-ui-1', args: ['Di'] });
  const start = await ui.fetch('/api/v1/namespaces/default/batch-operations/ui-job-1', {
    body: { jobId: 'ui-job-1', reason: 'withdrawn', visibilityQuery: "TaskQueue = 'batch-from-ui'", terminationOperation: { identity: 'web-ui' } },
  });
  expect(start.status).toBe(200);
  let job = await ui.fetch('/api/v1/namespaces/default/batch-operations/ui-job-1');
  for (let i = 0; i < 100 && job.json.state === 'BATCH_OPERATION_STATE_RUNNING'; i++) {
    await new Promise((r) => setTimeout(r, 50));
    job = await ui.fetch('/api/v1/namespaces/default/batch-operations/ui-job-1');
  }
  expect(job.json).toEqual(expect.objectContaining({ jobId: 'ui-job-1', state: 'BATCH_OPERATION_STATE_COMPLETED', operationType: 'BATCH_OPERATION_TYPE_TERMINATE_WORKFLOW', completeOperationCount: '1', reason: 'withdrawn' }));
  const list = await ui.fetch('/api/v1/namespaces/default/batch-operations');
  expect(list.json.operationInfo[0]).toEqual(expect.objectContaining({ jobId: 'ui-job-1', state: 'BATCH_OPERATION_STATE_COMPLETED' }));
  expect((await first.describe()).status.name).toBe('TERMINATED');
});

test('errors are google.rpc.Status JSON with the matching HTTP status', async () => {
  const missing = await ui.fetch('/api/v1/namespaces/default/workflows/nobody');
  expect(missing.status).toBe(404);
  expect(missing.json).toEqual({
    code: 5,
    message: expect.stringContaining('nobody'),
    details: [expect.objectContaining({ '@type': 'type.googleapis.com/temporal.api.errordetails.v1.NotFoundFailure' })],
  });
  const badQuery = await ui.fetch(`/api/v1/namespaces/default/workflows?query=${encodeURIComponent('Nonsense ===')}`);
  expect([badQuery.status, badQuery.json.code]).toEqual([400, 3]);
  const badJson = await ui.fetch(`/api/v1/namespaces/default/workflows/${id}/signal/advance`, { body: '{not json' });
  expect([badJson.status, badJson.json.code]).toEqual([400, 3]);
  const badField = await ui.fetch(`/api/v1/namespaces/default/workflows?pageSize=lots`);
  expect(badField.json).toEqual({ code: 3, message: 'ListWorkflowExecutionsRequest.pageSize: invalid value "lots" for int32', details: [] });
  const noRoute = await ui.fetch('/api/v1/namespaces/default/no/such/thing/here');
  expect([noRoute.status, noRoute.json.code]).toEqual([404, 5]);
  const schedules = await ui.fetch('/api/v1/namespaces/default/schedules');
  if (schedules.status !== 200) expect([schedules.status, schedules.json.code]).toEqual([501, 12]);
});

test('the app: index.html for its own routes, hashed assets, 404 for missing assets, markdown render', async () => {
  const index = await ui.fetch('/');
  expect(index.status).toBe(200);
  expect(index.text).toContain('<div id="svelte">');
  const deep = await ui.fetch(`/namespaces/default/workflows/${id}/${runId}/history`);
  expect(deep.text).toBe(index.text);
  const asset = /\/_app\/immutable\/[^"]+\.js/.exec(index.text)![0];
  const js = await fetch(new URL(asset, engine.uiUrl));
  expect([js.status, js.headers.get('cache-control')]).toEqual([200, 'public, max-age=31536000, immutable']);
  expect((await ui.fetch('/_app/immutable/nothing.js')).status).toBe(404);
  const md = await ui.fetch(`/render?content=${encodeURIComponent('Probe **Ada** <script>x()</script>')}&theme=dark`);
  expect(md.text).toContain('<strong>Ada</strong>');
  expect(md.text).not.toContain('<script>x()');
  expect(md.headers.get('content-security-policy')).toContain("default-src 'none'");
});

test('a read-only gateway refuses every write but queries, and says so in its settings', async () => {
  const gw = await startUiGateway({ temporalAddress: engine.address, port: 0, disableWriteActions: true });
  try {
    const ro = new UiClient(gw.url);
    expect((await ro.fetch('/api/v1/settings')).json.DisableWriteActions).toBe(true);
    const terminate = await ro.fetch(`/api/v1/namespaces/default/workflows/${id}/terminate`, { body: { reason: 'no' } });
    expect(terminate.status).toBe(405);
    const query = await ro.fetch(`/api/v1/namespaces/default/workflows/${id}/query/status`, { body: { execution: { runId }, query: {} } });
    expect(query.status).toBe(200);
  } finally {
    await gw.close();
  }
});

test('temporal-devserver binds its gRPC port before it loads the UI gateway', () => {
  const lines = engine.stderr().split('\n');
  const grpc = lines.findIndex((l) => l.includes('engine listening on'));
  const web = lines.findIndex((l) => l.includes('Web UI at'));
  expect(grpc).toBeGreaterThanOrEqual(0);
  expect(web).toBeGreaterThan(grpc);
});
