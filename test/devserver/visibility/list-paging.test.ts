/**
 * Lists as the server's SQL visibility store pages and fills them: keyset page tokens, a full
 * page always with a token, at most 1000 rows; parent and root run ids; search attributes
 * re-encoded with their types; Count groups typed and in status order; ListOpen / ListClosed
 * with their filters.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import Long from 'long';
import { devEnv } from '../../helpers/engine';
import { CF_ALL_KEYS, CF_KEYWORD, cfChildResult } from '../workflows';
import { uid, withWorker, workflowBundle } from '../conformance/helpers';

const NS = 'default';
const Status = temporal.api.enums.v1.WorkflowExecutionStatus;
let env: TestWorkflowEnvironment;
const TQ = uid('list-tq');

beforeAll(async () => {
  env = await devEnv({ searchAttributes: CF_ALL_KEYS });
}, 60_000);

afterAll(async () => {
  await env?.teardown();
});

/** Starts a run no worker will pick up (it stays Running). */
function start(workflowId: string, workflowType = 'ListType') {
  return env.client.workflow.start(workflowType, { taskQueue: TQ, workflowId });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function list(query: string, pageSize = 0, nextPageToken?: Uint8Array) {
  return env.client.workflowService.listWorkflowExecutions({ namespace: NS, query, pageSize, nextPageToken });
}

async function listIds(query: string): Promise<string[]> {
  const r = await list(query);
  return r.executions.map((e) => e.execution!.workflowId!).sort();
}

async function grpcError(p: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code: number; details: string };
    return { code: err.code, details: err.details };
  }
  throw new Error('expected the call to fail');
}

test('RootRunId of a top-level run is its own run id', async () => {
  const open = await start(uid('root'));
  expect(await listIds(`RootRunId = '${open.firstExecutionRunId}'`)).toEqual([open.workflowId]);
});

test('ParentRunId selects the children of a run', async () => {
  await workflowBundle();
  const taskQueue = uid('list-child');
  const parentId = uid('list-parent');
  const childId = `${parentId}-child`;
  const parent = await withWorker(env, { taskQueue }, async () => {
    const h = await env.client.workflow.start(cfChildResult, { taskQueue, workflowId: parentId, args: [childId, 'v'] });
    await h.result();
    return h;
  });
  expect(await listIds(`ParentRunId = '${parent.firstExecutionRunId}'`)).toEqual([childId]);
});

describe('list results', () => {
  test('search attributes are re-encoded with their type in the metadata', async () => {
    const b = uid('legacy-sa');
    // The deprecated untyped option sends payloads without a `type` metadata entry.
    await env.client.workflow.start('ListType', { taskQueue: TQ, workflowId: b, searchAttributes: { CfKeyword: [b] } });
    const r = await list(`WorkflowId = '${b}'`);
    const p = r.executions[0].searchAttributes!.indexedFields!.CfKeyword;
    expect(Buffer.from(p.metadata!.type ?? []).toString()).toBe('Keyword');
    const seen: unknown[] = [];
    for await (const wf of env.client.workflow.list({ query: `WorkflowId = '${b}'` })) seen.push(wf.typedSearchAttributes.get(CF_KEYWORD));
    expect(seen).toEqual([b]);
  });
});

describe('Count GROUP BY ExecutionStatus', () => {
  test('group values carry the Keyword type, and groups come in status order (SQLite GROUP BY status)', async () => {
    const b = uid('grp');
    const t = await start(`${b}-t`);
    await t.terminate('listed');
    await start(`${b}-r`);
    const r = await env.client.workflowService.countWorkflowExecutions({
      namespace: NS,
      query: `WorkflowId STARTS_WITH '${b}' GROUP BY ExecutionStatus`,
    });
    const groups = r.groups!.map((g) => ({
      value: Buffer.from(g.groupValues![0].data!).toString(),
      type: Buffer.from(g.groupValues![0].metadata!.type ?? []).toString(),
      count: Number(g.count),
    }));
    expect(groups).toEqual([
      { value: '"Running"', type: 'Keyword', count: 1 },
      { value: '"Terminated"', type: 'Keyword', count: 1 },
    ]);
  });
});

describe('paging (token = last row of the page: close time, start time, run id)', () => {
  test('a full last page still carries a token, and the page after it is empty', async () => {
    const b = uid('full');
    await start(`${b}-1`);
    await start(`${b}-2`);
    const p1 = await list(`WorkflowId STARTS_WITH '${b}'`, 2);
    expect(p1.executions).toHaveLength(2);
    expect(p1.nextPageToken?.length ?? 0).toBeGreaterThan(0);
    const p2 = await list(`WorkflowId STARTS_WITH '${b}'`, 2, p1.nextPageToken!);
    expect({ rows: p2.executions.length, token: p2.nextPageToken?.length ?? 0 }).toEqual({ rows: 0, token: 0 });
  });

  test('under ORDER BY, pages follow one another', async () => {
    const b = uid('ordered');
    for (const i of [1, 2, 3]) await start(`${b}-${i}`);
    const q = `WorkflowId STARTS_WITH '${b}' ORDER BY WorkflowId`;
    const p1 = await list(q, 2);
    const p2 = await list(q, 2, p1.nextPageToken!);
    expect([...p1.executions, ...p2.executions].map((e) => e.execution!.workflowId)).toEqual([`${b}-1`, `${b}-2`, `${b}-3`]);
    expect(p2.nextPageToken?.length ?? 0).toBe(0);
  });

  test('a run started between pages neither shifts nor repeats the next page', async () => {
    const b = uid('keyset');
    for (const i of [1, 2, 3]) {
      await start(`${b}-${i}`);
      await sleep(5);
    }
    const q = `WorkflowId STARTS_WITH '${b}'`;
    const p1 = await list(q, 2);
    expect(p1.executions.map((e) => e.execution!.workflowId)).toEqual([`${b}-3`, `${b}-2`]);
    await sleep(5);
    await start(`${b}-4`);
    const p2 = await list(q, 2, p1.nextPageToken!);
    expect(p2.executions.map((e) => e.execution!.workflowId)).toEqual([`${b}-1`]);
  });

  test('a malformed page token is an error, not the first page', async () => {
    const b = uid('badtoken');
    await start(`${b}-1`);
    for (const token of ['not a token', '5', 'null', '{"o":-1}']) {
      expect(await grpcError(list(`WorkflowId STARTS_WITH '${b}'`, 10, Buffer.from(token)))).toEqual({ code: 3, details: 'Invalid NextPageToken.' });
    }
  });
});

describe('ListOpenWorkflowExecutions / ListClosedWorkflowExecutions', () => {
  test('typeFilter, executionFilter, startTimeFilter and maximumPageSize are applied', async () => {
    const type = uid('OpenType');
    const b = uid('open');
    for (const i of [1, 2, 3]) await start(`${b}-${i}`, type);
    await start(uid('other-open'));
    const svc = env.client.workflowService;
    const byType = await svc.listOpenWorkflowExecutions({ namespace: NS, typeFilter: { name: type }, maximumPageSize: 0 });
    const byId = await svc.listOpenWorkflowExecutions({ namespace: NS, executionFilter: { workflowId: `${b}-2` } });
    const paged = await svc.listOpenWorkflowExecutions({ namespace: NS, typeFilter: { name: type }, maximumPageSize: 2 });
    const future = { seconds: Long.fromNumber(Math.floor(Date.now() / 1000) + 3600) };
    const byTime = await svc.listOpenWorkflowExecutions({ namespace: NS, startTimeFilter: { earliestTime: future } });
    const ids = (r: temporal.api.workflowservice.v1.IListOpenWorkflowExecutionsResponse) => (r.executions ?? []).map((e) => e.execution!.workflowId).sort();
    expect({
      byType: byType.executions.length > 5 ? `${byType.executions.length} runs` : ids(byType),
      byId: byId.executions.length > 5 ? `${byId.executions.length} runs` : ids(byId),
      pagedCount: paged.executions.length,
      pagedHasToken: (paged.nextPageToken?.length ?? 0) > 0,
      byTime: byTime.executions.length,
    }).toEqual({
      byType: [`${b}-1`, `${b}-2`, `${b}-3`],
      byId: [`${b}-2`],
      pagedCount: 2,
      pagedHasToken: true,
      byTime: 0,
    });
  });

  test('ListClosed statusFilter selects one status', async () => {
    const type = uid('ClosedType');
    const t = await start(uid('closed-t'), type);
    await t.terminate('listed');
    const r = await env.client.workflowService.listClosedWorkflowExecutions({
      namespace: NS,
      statusFilter: { status: Status.WORKFLOW_EXECUTION_STATUS_COMPLETED },
    });
    expect(r.executions.filter((e) => e.status !== Status.WORKFLOW_EXECUTION_STATUS_COMPLETED).map((e) => e.execution!.workflowId)).toEqual([]);
  });

  test('request checks: EarliestTime after LatestTime; a Running status filter', async () => {
    const svc = env.client.workflowService;
    const e1 = await grpcError(
      svc.listOpenWorkflowExecutions({ namespace: NS, startTimeFilter: { earliestTime: { seconds: Long.fromNumber(2000) }, latestTime: { seconds: Long.fromNumber(1000) } } }),
    );
    const e2 = await grpcError(
      svc.listClosedWorkflowExecutions({ namespace: NS, statusFilter: { status: Status.WORKFLOW_EXECUTION_STATUS_RUNNING } }),
    );
    expect([e1, e2]).toEqual([
      { code: 3, details: 'EarliestTime in StartTimeFilter should not be larger than LatestTime.' },
      { code: 3, details: 'StatusFilter must be specified and must be not Running.' },
    ]);
  });
});

describe('page size cap', () => {
  test('pageSize above frontend.visibilityMaxPageSize (1000) is cut to 1000', async () => {
    const b = uid('max');
    const ids = Array.from({ length: 1001 }, (_, i) => `${b}-${i}`);
    for (let i = 0; i < ids.length; i += 100) await Promise.all(ids.slice(i, i + 100).map((id) => start(id)));
    const r = await list(`WorkflowId STARTS_WITH '${b}'`, 5000);
    expect(r.executions.length).toBe(1000);
    expect(r.nextPageToken?.length ?? 0).toBeGreaterThan(0);
  }, 120_000);
});
