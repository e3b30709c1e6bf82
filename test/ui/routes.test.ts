/** Every path the UI calls under /api/v1 reaches its RPC through routes read from the proto annotations. */
import { URLSearchParams } from 'node:url';
import { Router } from '../../ui/gateway/http-rules';
import { buildRequest } from '../../ui/gateway/request';

const router = new Router();

// [verb, path below /api/v1 as the UI builds it (route-for-api.js), RPC]
const UI_CALLS: Array<[string, string, string]> = [
  ['GET', '/cluster-info', 'GetClusterInfo'],
  ['GET', '/system-info', 'GetSystemInfo'],
  ['GET', '/namespaces', 'ListNamespaces'],
  ['GET', '/namespaces/default', 'DescribeNamespace'],
  ['GET', '/namespaces/default/search-attributes', 'ListSearchAttributes'],
  ['GET', '/namespaces/default/workflows', 'ListWorkflowExecutions'],
  ['GET', '/namespaces/default/archived-workflows', 'ListArchivedWorkflowExecutions'],
  ['GET', '/namespaces/default/workflow-count', 'CountWorkflowExecutions'],
  ['GET', '/namespaces/default/workflows/w', 'DescribeWorkflowExecution'],
  ['POST', '/namespaces/default/workflows/w', 'StartWorkflowExecution'],
  ['GET', '/namespaces/default/workflows/w/history', 'GetWorkflowExecutionHistory'],
  ['GET', '/namespaces/default/workflows/w/history-reverse', 'GetWorkflowExecutionHistoryReverse'],
  ['POST', '/namespaces/default/workflows/w/query/status', 'QueryWorkflow'],
  ['POST', '/namespaces/default/workflows/w/terminate', 'TerminateWorkflowExecution'],
  ['POST', '/namespaces/default/workflows/w/cancel', 'RequestCancelWorkflowExecution'],
  ['POST', '/namespaces/default/workflows/w/signal/advance', 'SignalWorkflowExecution'],
  ['POST', '/namespaces/default/workflows/w/update/u', 'UpdateWorkflowExecution'],
  ['POST', '/namespaces/default/workflows/w/reset', 'ResetWorkflowExecution'],
  ['GET', '/namespaces/default/task-queues/tq', 'DescribeTaskQueue'],
  ['GET', '/namespaces/default/task-queues/tq/worker-build-id-compatibility', 'GetWorkerBuildIdCompatibility'],
  ['GET', '/namespaces/default/task-queues/tq/worker-versioning-rules', 'GetWorkerVersioningRules'],
  ['GET', '/namespaces/default/worker-task-reachability', 'GetWorkerTaskReachability'],
  ['GET', '/namespaces/default/schedules', 'ListSchedules'],
  ['GET', '/namespaces/default/schedules/s', 'DescribeSchedule'],
  ['POST', '/namespaces/default/schedules/s', 'CreateSchedule'],
  ['POST', '/namespaces/default/schedules/s/patch', 'PatchSchedule'],
  ['POST', '/namespaces/default/schedules/s/update', 'UpdateSchedule'],
  ['DELETE', '/namespaces/default/schedules/s', 'DeleteSchedule'],
  ['GET', '/namespaces/default/batch-operations', 'ListBatchOperations'],
  ['GET', '/namespaces/default/batch-operations/job', 'DescribeBatchOperation'],
  ['GET', '/namespaces/default/worker-deployments', 'ListWorkerDeployments'],
  ['GET', '/namespaces/default/worker-deployments/d', 'DescribeWorkerDeployment'],
  ['GET', '/nexus/endpoints', 'ListNexusEndpoints'],
  ['GET', '/nexus/endpoints/e', 'GetNexusEndpoint'],
  ['POST', '/nexus/endpoints/e/update', 'UpdateNexusEndpoint'],
];

test.each(UI_CALLS)('%s %s goes to %s', (verb, path, rpc) => {
  const m = router.match(verb, path);
  expect(m).toEqual(expect.objectContaining({ rule: expect.objectContaining({ method: rpc }) }));
});

test('the routes come from the annotations: more than a hundred /api/v1 bindings over both services', () => {
  expect(router.rules.length).toBeGreaterThan(100);
  expect(new Set(router.rules.map((r) => r.service))).toEqual(
    new Set(['temporal.api.workflowservice.v1.WorkflowService', 'temporal.api.operatorservice.v1.OperatorService']),
  );
  expect(router.rules.every((r) => r.template.startsWith('/api/v1/'))).toBe(true);
});

test('an encoded "/" stays inside its path segment and path variables fill nested fields', () => {
  const m = router.match('GET', '/namespaces/my%20ns/workflows/order%2F42%20b/history');
  if (!m || m === 'method-not-allowed') throw new Error('no match');
  const req = buildRequest(m.rule, m.params, new URLSearchParams('execution.runId=r1&next_page_token=AQI%3D&waitNewEvent=true'), undefined) as any;
  expect(req.namespace).toBe('my ns');
  expect(req.execution).toEqual(expect.objectContaining({ workflowId: 'order/42 b', runId: 'r1' }));
  expect([...req.nextPageToken]).toEqual([1, 2]);
  expect(req.waitNewEvent).toBe(true);
});

test('a body "*" is the whole request, with the path variables on top', () => {
  const m = router.match('POST', '/namespaces/default/workflows/w1/query/status');
  if (!m || m === 'method-not-allowed') throw new Error('no match');
  const req = buildRequest(m.rule, m.params, new URLSearchParams(), { execution: { runId: 'r' }, query: { queryArgs: { payloads: [] } } }) as any;
  expect(req.namespace).toBe('default');
  expect(req.execution).toEqual(expect.objectContaining({ workflowId: 'w1', runId: 'r' }));
  expect(req.query.queryType).toBe('status');
});

test('repeated query parameters fill repeated fields; unknown parameters are ignored', () => {
  const m = router.match('GET', '/namespaces/default/workflows');
  if (!m || m === 'method-not-allowed') throw new Error('no match');
  const req = buildRequest(m.rule, m.params, new URLSearchParams('query=WorkflowType%3D%27x%27&pageSize=3&foo=bar'), undefined) as any;
  expect(req).toEqual(expect.objectContaining({ namespace: 'default', query: "WorkflowType='x'", pageSize: 3 }));
  const q = router.match('GET', '/namespaces/default/task-queues/tq');
  if (!q || q === 'method-not-allowed') throw new Error('no match');
  expect((buildRequest(q.rule, q.params, new URLSearchParams('taskQueueType=2'), undefined) as any).taskQueueType).toBe(2);
});

test('a known path with another verb is told apart from an unknown path', () => {
  expect(router.match('DELETE', '/namespaces/default/workflows/w/history')).toBe('method-not-allowed');
  expect(router.match('GET', '/namespaces/default/nothing-here/x/y/z')).toBeUndefined();
});
