import type { VisibilityRecord } from '../../../devserver/visibility';
import { errorOf, HOUR, ids, matches, rec, T0 } from './fixtures';

const NS = 'invalid query: operation is not supported';
const IE = 'invalid query: invalid expression';

describe('system attributes read the record fields', () => {
  const r: VisibilityRecord = rec({
    workflowId: 'wid',
    runId: 'rid',
    workflowType: 'Type',
    taskQueue: 'tq',
    status: 2,
    startTime: T0,
    executionTime: T0 + HOUR,
    closeTime: T0 + 2 * HOUR,
    historyLength: 42,
    historySizeBytes: 4096,
    executionDuration: 1500,
    stateTransitionCount: 7,
    parentWorkflowId: 'pwid',
    parentRunId: 'prid',
    rootWorkflowId: 'rwid',
    rootRunId: 'rrid',
  });

  test.each([
    "WorkflowId = 'wid'",
    "RunId = 'rid'",
    "WorkflowType = 'Type'",
    "TaskQueue = 'tq'",
    "ExecutionStatus = 'Completed'",
    "StartTime = '2024-01-01T00:00:00Z'",
    "ExecutionTime = '2024-01-01T01:00:00Z'",
    "CloseTime = '2024-01-01T02:00:00Z'",
    'HistoryLength = 42',
    'HistorySizeBytes = 4096',
    "ExecutionDuration = '1.5s'",
    'StateTransitionCount = 7',
    "ParentWorkflowId = 'pwid'",
    "ParentRunId = 'prid'",
    "RootWorkflowId = 'rwid'",
    "RootRunId = 'rrid'",
  ])('%s', (query) => {
    expect(matches(query, r)).toBe(true);
    expect(matches(`NOT ${query}`, r)).toBe(false);
  });

  test('unset optional fields', () => {
    const bare = rec();
    expect(matches('ParentWorkflowId IS NULL', bare)).toBe(true);
    expect(matches('ParentRunId IS NULL', bare)).toBe(true);
    expect(matches('StateTransitionCount IS NULL', bare)).toBe(true);
    // The SQL schema stores the root ids NOT NULL DEFAULT ''.
    expect(matches('RootWorkflowId IS NULL', bare)).toBe(false);
    expect(matches("RootWorkflowId = ''", bare)).toBe(true);
    expect(matches("RootRunId = ''", bare)).toBe(true);
  });
});

describe('name resolution', () => {
  const rs = [rec({ workflowId: 'wf-a', custom: { CustomKeyword: 'x' } }), rec({ workflowId: 'wf-b' })];

  test('a system attribute wins over a custom one of the same name', () => {
    expect(ids("WorkflowId = 'wf-a'", rs)).toEqual(['wf-a']);
  });

  test('the Temporal prefix is added or removed to find a system attribute', () => {
    expect(ids("TemporalWorkflowId = 'wf-a'", rs)).toEqual(['wf-a']);
    const cv = [rec({ workflowId: 'v', custom: { TemporalChangeVersion: ['c1'] } })];
    expect(ids("ChangeVersion = 'c1'", cv)).toEqual(['v']);
  });

  test('ScheduleId means WorkflowId', () => {
    expect(ids("ScheduleId = 'wf-b'", rs)).toEqual(['wf-b']);
    expect(ids("TemporalScheduleId = 'wf-b'", rs)).toEqual(['wf-b']);
  });

  test('errors name the attribute as written', () => {
    expect(errorOf('TemporalWorkflowId = 1')).toBe(
      `${IE}: invalid value type for search attribute TemporalWorkflowId of type Keyword: 1 (type: int64)`,
    );
  });

  test.each([
    ["Foo = 'x'", 'Foo'],
    ["TemporalCustomKeyword = 'x'", 'TemporalCustomKeyword'],
    ["t.WorkflowId = 'x'", 't.WorkflowId'],
    ['Foo IS NULL', 'Foo'],
    ["Foo BETWEEN 'a' AND 'b'", 'Foo'],
  ])('unknown attribute: %s', (query, name) => {
    expect(errorOf(query)).toBe(`${IE}: column name '${name}' is not a valid search attribute`);
  });

  test('predefined attributes live in record.custom', () => {
    const sched = rec({
      workflowId: 's',
      custom: { TemporalScheduledById: 'sched-1', TemporalSchedulePaused: false, TemporalScheduledStartTime: T0 },
    });
    expect(matches("TemporalScheduledById = 'sched-1'", sched)).toBe(true);
    expect(matches('TemporalSchedulePaused = false', sched)).toBe(true);
    expect(matches("TemporalScheduledStartTime = '2024-01-01T00:00:00Z'", sched)).toBe(true);
  });

  test('a custom value of the wrong type never compares, but is not NULL', () => {
    const odd = rec({ custom: { CustomInt: 'abc', CustomKeyword: 5 } });
    expect(matches('CustomInt = 0', odd)).toBe(false);
    expect(matches('CustomInt != 0', odd)).toBe(false);
    expect(matches('CustomInt IS NULL', odd)).toBe(false);
    expect(matches("CustomKeyword != 'a'", odd)).toBe(false);
  });
});

describe('TemporalNamespaceDivision', () => {
  const rs = [
    rec({ workflowId: 'user' }),
    rec({ workflowId: 'scheduler', custom: { TemporalNamespaceDivision: 'TemporalScheduler' } }),
  ];

  test('executions in a division are hidden unless the query names the attribute', () => {
    expect(ids('', rs)).toEqual(['user']);
    expect(ids("WorkflowId STARTS_WITH ''", rs)).toEqual(['user']);
    expect(ids("TemporalNamespaceDivision = 'TemporalScheduler'", rs)).toEqual(['scheduler']);
    expect(ids('TemporalNamespaceDivision IS NULL OR TemporalNamespaceDivision IS NOT NULL', rs)).toEqual([
      'user',
      'scheduler',
    ]);
  });
});

describe('expression shapes the converter refuses', () => {
  test.each([
    ['WorkflowId', `${IE}: incomplete expression`],
    ['foo(1)', `${NS}: function expression`],
    ['true', `${NS}: expression of type sqlparser.BoolVal`],
    ["'abc'", `${NS}: expression of type *sqlparser.SQLVal`],
    ['1 + 1', `${NS}: expression of type *sqlparser.BinaryExpr`],
    ["'a' = WorkflowId", `${IE}: must be a column name but was *sqlparser.SQLVal`],
    ["lower(WorkflowId) = 'a'", `${IE}: must be a column name but was *sqlparser.FuncExpr`],
    ["(WorkflowId = 'a') IS NULL", `${IE}: must be a column name but was *sqlparser.ParenExpr`],
    ['WorkflowId = foo(1)', `${NS}: nested func`],
    ["WorkflowId = concat(RunId, 'x' AS y, *)", `${NS}: nested func`],
    ['WorkflowId = interval 1 day', `${IE}: unexpected value type *sqlparser.IntervalExpr`],
    ["WorkflowId -> '$.a' = 'x'", `${IE}: must be a column name but was *sqlparser.BinaryExpr`],
    ['ExecutionStatus = true', `${IE}: unexpected value type bool for search attribute ExecutionStatus`],
    // SQLite refuses a row value where one value is expected.
    ["WorkflowId = ('a', 'b')", `${IE}: row value misused`],
    ['HistoryLength BETWEEN (1, 2) AND 3', `${IE}: row value misused`],
    ['WorkflowId = group_concat(RunId)', `${NS}: 'group_concat'`],
    ['WorkflowId = RunId', `${NS}: column name on the right side of comparison expression (did you forget to quote "RunId"?)`],
    ['WorkflowId = `a b`', `${NS}: column name on the right side of comparison expression (did you forget to quote "\`a b\`"?)`],
    ['WorkflowId = null', `${IE}: unexpected value type *sqlparser.NullVal`],
    ["WorkflowId = ('a')", `${IE}: unexpected value type *sqlparser.ParenExpr`],
    ["WorkflowId = 'a' + 'b'", `${IE}: unexpected value type *sqlparser.BinaryExpr`],
    ["WorkflowId = -'a'", `${IE}: unexpected value type *sqlparser.UnaryExpr`],
    ['WorkflowId IN (select 1)', `${IE}: unexpected value type *sqlparser.Subquery`],
    ['WorkflowId = 0x1F', `${IE}: unable to parse value "0x1F"`],
    ['WorkflowId = 1e', `${IE}: unable to parse value "1e"`],
    ['WorkflowId = ?', `${IE}: unable to parse value ":v1"`],
  ])('%s', (query, message) => {
    expect(errorOf(query)).toBe(message);
  });

  test('the first error in reading order is reported', () => {
    expect(errorOf("Foo = 1 AND Bar = 2")).toBe(`${IE}: column name 'Foo' is not a valid search attribute`);
    expect(errorOf("WorkflowId = 'a' OR (CustomInt = 'x' AND Foo = 1)")).toBe(
      `${IE}: invalid value type for search attribute CustomInt of type Int: "x" (type: string)`,
    );
  });
});
