/**
 * Conformance: history reads against history/api/getworkflowexecutionhistory/api.go,
 * getworkflowexecutionhistoryreverse/api.go and frontend/workflow_handler.go.
 */
import { devEnv } from '../../helpers/engine';
import { cfCollector } from '../workflows';
import { NAMESPACE, grpcFailure, uid, suiteEnv } from './helpers';

const env = suiteEnv(devEnv);
const svc = () => env.client.workflowService;

test('a nextPageToken used with another run id is INVALID_ARGUMENT "RunId in the request does not match the NextPageToken."', async () => {
  // consts.ErrNextPageTokenRunIDMismatch, checked in both the forward and the reverse read.
  const taskQueue = uid('ah-mismatch');
  const a = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: uid('wf-a') });
  const b = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: a.workflowId + '-b' });
  for (let i = 0; i < 3; i++) await a.signal('cfAppend', `v${i}`);
  const page = await svc().getWorkflowExecutionHistory({ namespace: NAMESPACE, execution: { workflowId: a.workflowId, runId: a.firstExecutionRunId }, maximumPageSize: 1 });
  expect(page.nextPageToken?.length).toBeGreaterThan(0);
  const fwd = await grpcFailure(
    svc().getWorkflowExecutionHistory({
      namespace: NAMESPACE,
      execution: { workflowId: a.workflowId, runId: b.firstExecutionRunId },
      maximumPageSize: 1,
      nextPageToken: page.nextPageToken,
    }),
  );
  expect({ code: fwd.code, details: fwd.details }).toEqual({ code: 3, details: 'RunId in the request does not match the NextPageToken.' });
  const rpage = await svc().getWorkflowExecutionHistoryReverse({ namespace: NAMESPACE, execution: { workflowId: a.workflowId, runId: a.firstExecutionRunId }, maximumPageSize: 1 });
  const rev = await grpcFailure(
    svc().getWorkflowExecutionHistoryReverse({
      namespace: NAMESPACE,
      execution: { workflowId: a.workflowId, runId: b.firstExecutionRunId },
      maximumPageSize: 1,
      nextPageToken: rpage.nextPageToken,
    }),
  );
  expect({ code: rev.code, details: rev.details }).toEqual({ code: 3, details: 'RunId in the request does not match the NextPageToken.' });
  await a.terminate();
  await b.terminate();
});

test('maximumPageSize above 256 is capped (frontend GetHistoryMaxPageSize): a long history still comes in pages', async () => {
  // frontend/workflow_handler.go GetWorkflowExecutionHistory: MaximumPageSize > primitives.GetHistoryMaxPageSize (256)
  // is forced down to 256.
  const taskQueue = uid('ah-cap');
  const handle = await env.client.workflow.start(cfCollector, { taskQueue, workflowId: uid('wf') });
  for (let i = 0; i < 300; i++) await handle.signal('cfAppend', `v${i}`);
  const page = await svc().getWorkflowExecutionHistory({ namespace: NAMESPACE, execution: { workflowId: handle.workflowId }, maximumPageSize: 1000 });
  const first = page.history?.events?.length ?? 0;
  expect({ firstPageAtMost257: first <= 257, hasNextPageToken: (page.nextPageToken?.length ?? 0) > 0 }).toEqual({ firstPageAtMost257: true, hasNextPageToken: true });
  await handle.terminate();
});
