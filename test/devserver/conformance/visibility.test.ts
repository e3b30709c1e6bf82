/**
 * Visibility: ListWorkflowExecutions / CountWorkflowExecutions through client.workflow.list and
 * client.workflow.count, over custom search attributes of every type, GROUP BY ExecutionStatus,
 * and the error for an unknown attribute (Temporal v1.29.1 SQL visibility, as its dev server runs).
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowHandle } from '@temporalio/client';
import { devEnv } from '../../helpers/engine';
import {
  CF_ALL_KEYS,
  CF_BOOL,
  CF_DATETIME,
  CF_DOUBLE,
  CF_INT,
  CF_KEYWORD,
  CF_KEYWORD_LIST,
  CF_TEXT,
  cfCollector,
  cfEcho,
  cfFail,
} from '../workflows';
import { uid, waitFor, withWorker, workflowBundle } from './helpers';

let env: TestWorkflowEnvironment;
const batch = uid('batch');
const ids: Record<'A' | 'B' | 'C' | 'D', string> = { A: `${batch}-a`, B: `${batch}-b`, C: `${batch}-c`, D: `${batch}-d` };
let running: WorkflowHandle;

beforeAll(async () => {
  env = await devEnv({ searchAttributes: CF_ALL_KEYS });
  await workflowBundle();
  const taskQueue = uid('visibility');
  await withWorker(env, { taskQueue }, async () => {
    // A: completed
    await env.client.workflow.execute(cfEcho, {
      taskQueue,
      workflowId: ids.A,
      args: ['a'],
      typedSearchAttributes: [
        { key: CF_KEYWORD, value: batch },
        { key: CF_INT, value: 1 },
        { key: CF_DOUBLE, value: 1.5 },
        { key: CF_BOOL, value: true },
        { key: CF_DATETIME, value: new Date('2024-01-01T00:00:00Z') },
        { key: CF_KEYWORD_LIST, value: ['red', 'green'] },
        { key: CF_TEXT, value: 'the quick brown fox' },
      ],
    });
    // B: running
    running = await env.client.workflow.start(cfCollector, {
      taskQueue,
      workflowId: ids.B,
      typedSearchAttributes: [
        { key: CF_KEYWORD, value: batch },
        { key: CF_INT, value: 5 },
        { key: CF_DOUBLE, value: 2.5 },
        { key: CF_BOOL, value: false },
        { key: CF_DATETIME, value: new Date('2024-06-01T00:00:00Z') },
        { key: CF_KEYWORD_LIST, value: ['blue'] },
        { key: CF_TEXT, value: 'a lazy dog' },
      ],
    });
    // C: terminated
    const c = await env.client.workflow.start(cfCollector, {
      taskQueue,
      workflowId: ids.C,
      typedSearchAttributes: [
        { key: CF_KEYWORD, value: batch },
        { key: CF_INT, value: 10 },
        { key: CF_DOUBLE, value: 10 },
        { key: CF_BOOL, value: true },
        { key: CF_DATETIME, value: new Date('2025-01-01T00:00:00Z') },
        { key: CF_KEYWORD_LIST, value: ['red'] },
      ],
    });
    await c.terminate('for visibility');
    // D: failed, without CfDatetime
    await env.client.workflow
      .execute(cfFail, {
        taskQueue,
        workflowId: ids.D,
        args: ['for visibility'],
        typedSearchAttributes: [
          { key: CF_KEYWORD, value: batch },
          { key: CF_INT, value: 20 },
          { key: CF_DOUBLE, value: 20.25 },
          { key: CF_BOOL, value: false },
        ],
      })
      .catch(() => undefined);
  });
}, 60_000);

afterAll(async () => {
  await running?.terminate().catch(() => undefined);
  await env?.teardown();
});

async function listIds(filter: string): Promise<string[]> {
  const out: string[] = [];
  for await (const wf of env.client.workflow.list({ query: `CfKeyword = '${batch}' AND (${filter})` })) out.push(wf.workflowId);
  return out.sort();
}

const pick = (...keys: Array<keyof typeof ids>) => keys.map((k) => ids[k]).sort();

test('all four runs are listed with their status, type and search attributes', async () => {
  const all = await waitFor(
    async () => {
      const found: Array<{ id: string; status: string; type: string; int: unknown }> = [];
      for await (const wf of env.client.workflow.list({ query: `CfKeyword = '${batch}'` })) {
        found.push({ id: wf.workflowId, status: wf.status.name, type: wf.type, int: wf.typedSearchAttributes.get(CF_INT) });
      }
      return found.sort((x, y) => x.id.localeCompare(y.id));
    },
    (f) => f.length === 4,
    'four listed runs',
  );
  expect(all).toEqual([
    { id: ids.A, status: 'COMPLETED', type: 'cfEcho', int: 1 },
    { id: ids.B, status: 'RUNNING', type: 'cfCollector', int: 5 },
    { id: ids.C, status: 'TERMINATED', type: 'cfCollector', int: 10 },
    { id: ids.D, status: 'FAILED', type: 'cfFail', int: 20 },
  ]);
});

describe('filters over custom search attributes', () => {
  const cases: Array<[string, string, Array<keyof typeof ids>]> = [
    ['Int comparison', 'CfInt > 4', ['B', 'C', 'D']],
    ['Int BETWEEN', 'CfInt BETWEEN 5 AND 10', ['B', 'C']],
    ['Int IN', 'CfInt IN (1, 20)', ['A', 'D']],
    ['Double and Bool', 'CfDouble >= 2.5 AND CfBool = true', ['C']],
    ['Bool false', 'CfBool = false', ['B', 'D']],
    ['Datetime comparison', "CfDatetime < '2024-12-31T00:00:00Z'", ['A', 'B']],
    ['Datetime BETWEEN', "CfDatetime BETWEEN '2024-03-01T00:00:00Z' AND '2025-06-01T00:00:00Z'", ['B', 'C']],
    ['IS NULL', 'CfDatetime IS NULL', ['D']],
    ['IS NOT NULL', 'CfText IS NOT NULL', ['A', 'B']],
    ['KeywordList =', "CfKeywordList = 'red'", ['A', 'C']],
    ['KeywordList IN', "CfKeywordList IN ('blue', 'green')", ['A', 'B']],
    ['Text =', "CfText = 'fox'", ['A']],
    ['OR with parentheses', "(CfInt = 1 OR CfInt = 20) AND ExecutionStatus = 'Completed'", ['A']],
    ['NOT', 'NOT (CfInt > 4)', ['A']],
    ['ExecutionStatus by name', "ExecutionStatus = 'Running'", ['B']],
    ['ExecutionStatus !=', "ExecutionStatus != 'Running'", ['A', 'C', 'D']],
    ['WorkflowType', "WorkflowType = 'cfFail'", ['D']],
    ['WorkflowId STARTS_WITH', `WorkflowId STARTS_WITH '${batch}-c'`, ['C']],
    ['Keyword !=', `WorkflowId != '${ids.A}'`, ['B', 'C', 'D']],
  ];
  test.each(cases)('%s: %s', async (_name, filter, expected) => {
    expect(await listIds(filter)).toEqual(pick(...expected));
  });
});

test('count, and count GROUP BY ExecutionStatus', async () => {
  expect((await env.client.workflow.count(`CfKeyword = '${batch}'`)).count).toBe(4);
  expect((await env.client.workflow.count(`CfKeyword = '${batch}' AND CfInt >= 10`)).count).toBe(2);
  const grouped = await env.client.workflow.count(`CfKeyword = '${batch}' GROUP BY ExecutionStatus`);
  expect(grouped.count).toBe(4);
  const groups = grouped.groups.map((g) => ({ status: String(g.groupValues.flat()[0]), count: g.count })).sort((a, b) => a.status.localeCompare(b.status));
  expect(groups).toEqual([
    { status: 'Completed', count: 1 },
    { status: 'Failed', count: 1 },
    { status: 'Running', count: 1 },
    { status: 'Terminated', count: 1 },
  ]);
});

test('an unknown search attribute in a query is INVALID_ARGUMENT', async () => {
  const listing = async () => {
    for await (const _ of env.client.workflow.list({ query: "CfNoSuchAttribute = 'x'" })) void _;
  };
  const err = await listing().catch((e) => e);
  const status = err.cause ?? err;
  expect(status.code).toBe(3);
  expect(String(status.details)).toMatch(/^invalid query: /);
  expect(String(status.details)).toContain("column name 'CfNoSuchAttribute' is not a valid search attribute");
  const countErr = await env.client.workflow.count("CfNoSuchAttribute = 'x'").catch((e) => e);
  expect((countErr.cause ?? countErr).code).toBe(3);
});
