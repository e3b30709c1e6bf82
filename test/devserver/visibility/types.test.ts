import { errorOf, ids, rec } from './fixtures';

const NS = 'invalid query: operation is not supported';
const IE = 'invalid query: invalid expression';

describe('KeywordList (SQLite full-text match of whole elements)', () => {
  const rs = [
    rec({ workflowId: 'rg', custom: { CustomKeywordList: ['red', 'Green'] } }),
    rec({ workflowId: 'b', custom: { CustomKeywordList: ['blue'] } }),
    rec({ workflowId: 'empty', custom: { CustomKeywordList: [] } }),
    rec({ workflowId: 'none' }),
    rec({ workflowId: 'spaced', custom: { CustomKeywordList: ['big red'] } }),
  ];

  test('= means "contains", matching an element case-insensitively', () => {
    expect(ids("CustomKeywordList = 'red'", rs)).toEqual(['rg']);
    expect(ids("CustomKeywordList = 'green'", rs)).toEqual(['rg']);
    expect(ids("CustomKeywordList = 'RED'", rs)).toEqual(['rg']);
    expect(ids("CustomKeywordList = 're'", rs)).toEqual([]);
    expect(ids("CustomKeywordList = 'big red'", rs)).toEqual(['spaced']);
    expect(ids("CustomKeywordList = 'big'", rs)).toEqual([]);
  });

  test('IN matches any value', () => {
    expect(ids("CustomKeywordList IN ('blue', 'red')", rs)).toEqual(['rg', 'b']);
    expect(ids("CustomKeywordList IN ('nope')", rs)).toEqual([]);
  });

  test('!= and NOT IN are complements, so they hold for a missing or empty list', () => {
    expect(ids("CustomKeywordList != 'red'", rs)).toEqual(['b', 'empty', 'none', 'spaced']);
    expect(ids("CustomKeywordList NOT IN ('blue', 'red')", rs)).toEqual(['empty', 'none', 'spaced']);
    expect(ids("NOT CustomKeywordList = 'red'", rs)).toEqual(['b', 'empty', 'none', 'spaced']);
    expect(ids("NOT CustomKeywordList NOT IN ('red')", rs)).toEqual(['rg']);
  });

  test('IS NULL / IS NOT NULL', () => {
    expect(ids('CustomKeywordList IS NULL', rs)).toEqual(['none']);
    expect(ids('CustomKeywordList IS NOT NULL', rs)).toEqual(['rg', 'b', 'empty', 'spaced']);
  });

  test('TemporalChangeVersion is a predefined KeywordList', () => {
    const cv = [rec({ workflowId: 'v', custom: { TemporalChangeVersion: ['my-change-1'] } }), rec({ workflowId: 'x' })];
    expect(ids("TemporalChangeVersion = 'my-change-1'", cv)).toEqual(['v']);
    expect(ids("TemporalChangeVersion IN ('my-change-1', 'other')", cv)).toEqual(['v']);
  });

  test.each([
    ["CustomKeywordList > 'a'", `${NS}: operator '>' not supported for KeywordList type search attribute 'CustomKeywordList'`],
    ["CustomKeywordList STARTS_WITH 'a'", `${NS}: operator 'STARTS_WITH' not supported for KeywordList type search attribute 'CustomKeywordList'`],
    ["CustomKeywordList LIKE 'a'", `${NS}: operator 'LIKE' not supported for KeywordList type search attribute 'CustomKeywordList'`],
    ["CustomKeywordList BETWEEN 'a' AND 'b'", `${IE}: cannot do range condition on search attribute 'CustomKeywordList' of type KeywordList`],
    ['CustomKeywordList = 1', `${IE}: invalid value type for search attribute CustomKeywordList of type KeywordList: 1 (type: int64)`],
    ['CustomKeywordList = true', `${IE}: unexpected value type (expected string, got true)`],
    ["CustomKeywordList = ('a', 'b')", `${IE}: unexpected value type (expected string, got ('a', 'b'))`],
    ["CustomKeywordList IN ('a', true)", `${IE}: unexpected value type in tuple (expected string, got true)`],
  ])('%s is rejected', (query, message) => {
    expect(errorOf(query)).toBe(message);
  });
});

describe('Text (SQLite full-text match of any word)', () => {
  const rs = [
    rec({ workflowId: 'fox', custom: { CustomText: 'The quick brown fox' } }),
    rec({ workflowId: 'cafe', custom: { CustomText: 'Café au lait' } }),
    rec({ workflowId: 'hw', custom: { CustomText: 'hello-world again' } }),
    rec({ workflowId: 'none' }),
  ];

  test('= matches tokens, case- and diacritic-insensitively', () => {
    expect(ids("CustomText = 'quick'", rs)).toEqual(['fox']);
    expect(ids("CustomText = 'QUICK'", rs)).toEqual(['fox']);
    expect(ids("CustomText = 'cafe'", rs)).toEqual(['cafe']);
    expect(ids("CustomText = 'CAFÉ'", rs)).toEqual(['cafe']);
    expect(ids("CustomText = 'qui'", rs)).toEqual([]);
  });

  test('several words match when ANY of them occurs', () => {
    expect(ids("CustomText = 'fox lait'", rs)).toEqual(['fox', 'cafe']);
    expect(ids("CustomText = '  zebra   fox '", rs)).toEqual(['fox']);
  });

  test('a word with punctuation is a phrase', () => {
    expect(ids("CustomText = 'hello-world'", rs)).toEqual(['hw']);
    expect(ids("CustomText = 'world-hello'", rs)).toEqual([]);
    expect(ids("CustomText = 'brown,fox'", rs)).toEqual(['fox']);
    expect(ids("CustomText = '---'", rs)).toEqual([]);
  });

  test('!= is the complement, so it holds for a missing value', () => {
    expect(ids("CustomText != 'quick'", rs)).toEqual(['cafe', 'hw', 'none']);
    expect(ids("NOT CustomText = 'quick'", rs)).toEqual(['cafe', 'hw', 'none']);
    expect(ids("NOT CustomText != 'quick'", rs)).toEqual(['fox']);
    expect(ids('CustomText IS NULL', rs)).toEqual(['none']);
  });

  test.each([
    ["CustomText = ''", `${IE}: unexpected value for Text type search attribute (no tokens found)`],
    ["CustomText = '   '", `${IE}: unexpected value for Text type search attribute (no tokens found)`],
    ["CustomText IN ('a')", `${NS}: operator 'IN' not supported for Text type search attribute 'CustomText'`],
    ["CustomText > 'a'", `${NS}: operator '>' not supported for Text type search attribute 'CustomText'`],
    ["CustomText STARTS_WITH 'a'", `${NS}: operator 'STARTS_WITH' not supported for Text type search attribute 'CustomText'`],
    ["CustomText BETWEEN 'a' AND 'b'", `${IE}: cannot do range condition on search attribute 'CustomText' of type Text`],
    ['CustomText = 1', `${IE}: invalid value type for search attribute CustomText of type Text: 1 (type: int64)`],
    ['CustomText = true', `${IE}: unexpected value type (expected string, got true)`],
  ])('%s is rejected', (query, message) => {
    expect(errorOf(query)).toBe(message);
  });
});

describe('ExecutionStatus', () => {
  const rs = [
    rec({ workflowId: 'run', status: 1 }),
    rec({ workflowId: 'done', status: 2, closeTime: 1 }),
    rec({ workflowId: 'fail', status: 3, closeTime: 1 }),
    rec({ workflowId: 'can', status: 4, closeTime: 1 }),
    rec({ workflowId: 'term', status: 5, closeTime: 1 }),
    rec({ workflowId: 'can2', status: 6, closeTime: 1 }),
    rec({ workflowId: 'tout', status: 7, closeTime: 1 }),
  ];

  test.each([
    ['Running', 'run'],
    ['Completed', 'done'],
    ['Failed', 'fail'],
    ['Canceled', 'can'],
    ['Terminated', 'term'],
    ['ContinuedAsNew', 'can2'],
    ['TimedOut', 'tout'],
  ])('by name: %s', (name, id) => {
    expect(ids(`ExecutionStatus = '${name}'`, rs)).toEqual([id]);
  });

  test('by number, by enum constant name, and with other operators', () => {
    expect(ids('ExecutionStatus = 2', rs)).toEqual(['done']);
    expect(ids("ExecutionStatus = 'WORKFLOW_EXECUTION_STATUS_TIMED_OUT'", rs)).toEqual(['tout']);
    expect(ids("ExecutionStatus != 'Running'", rs)).toHaveLength(6);
    expect(ids("ExecutionStatus IN ('Running', 3)", rs)).toEqual(['run', 'fail']);
    expect(ids("ExecutionStatus NOT IN ('Running', 'Completed')", rs)).toHaveLength(5);
    expect(ids("ExecutionStatus BETWEEN 'Running' AND 'Failed'", rs)).toEqual(['run', 'done', 'fail']);
    expect(ids("ExecutionStatus > 'Terminated'", rs)).toEqual(['can2', 'tout']);
    expect(ids("NOT ExecutionStatus = 'Running'", rs)).toHaveLength(6);
    expect(ids('ExecutionStatus IS NULL', rs)).toEqual([]);
  });

  test.each([
    ["ExecutionStatus = 'Bogus'", `${IE}: invalid ExecutionStatus value 'Bogus'`],
    ["ExecutionStatus = 'running'", `${IE}: invalid ExecutionStatus value 'running'`],
    ['ExecutionStatus = 9', `${IE}: invalid ExecutionStatus value 9`],
    ['ExecutionStatus = 1.5', `${IE}: unexpected value type float64 for search attribute ExecutionStatus`],
    ["ExecutionStatus STARTS_WITH 'Run'", `${IE}: invalid ExecutionStatus value 'Run'`],
    ["ExecutionStatus STARTS_WITH 'Running'", `${IE}: right-hand side of "starts_with" operator must be a literal string (got: Running)`],
    ["ExecutionStatus LIKE 'Running'", `${NS}: operator 'LIKE' not supported for Keyword type search attribute 'ExecutionStatus'`],
    ['ExecutionStatus = Running', `${NS}: column name on the right side of comparison expression (did you forget to quote "Running"?)`],
  ])('%s is rejected', (query, message) => {
    expect(errorOf(query)).toBe(message);
  });
});

describe('ExecutionDuration (Int nanoseconds; duration strings accepted)', () => {
  const rs = [
    rec({ workflowId: 'half', executionDuration: 500 }),
    rec({ workflowId: 'ten', executionDuration: 10_000 }),
    rec({ workflowId: 'hour', executionDuration: 3_600_000 }),
    rec({ workflowId: 'open' }),
  ];

  test('Go duration strings, plus days and hh:mm:ss', () => {
    expect(ids("ExecutionDuration > '1s'", rs)).toEqual(['ten', 'hour']);
    expect(ids("ExecutionDuration < '1s'", rs)).toEqual(['half']);
    expect(ids("ExecutionDuration = '500ms'", rs)).toEqual(['half']);
    expect(ids("ExecutionDuration = '0.5s'", rs)).toEqual(['half']);
    expect(ids("ExecutionDuration = '1h'", rs)).toEqual(['hour']);
    expect(ids("ExecutionDuration = '59m60s'", rs)).toEqual(['hour']);
    expect(ids("ExecutionDuration > '0.5h'", rs)).toEqual(['hour']);
    expect(ids("ExecutionDuration < '1d'", rs)).toEqual(['half', 'ten', 'hour']);
    expect(ids("ExecutionDuration = '01:00:00'", rs)).toEqual(['hour']);
    expect(ids("ExecutionDuration BETWEEN '1s' AND '1m'", rs)).toEqual(['ten']);
    expect(ids("ExecutionDuration IN ('10s', '1h')", rs)).toEqual(['ten', 'hour']);
  });

  test('integers are nanoseconds', () => {
    expect(ids('ExecutionDuration >= 10000000000', rs)).toEqual(['ten', 'hour']);
    expect(ids("ExecutionDuration = '10000000000'", rs)).toEqual(['ten']);
  });

  test('an open run has no duration', () => {
    expect(ids('ExecutionDuration IS NULL', rs)).toEqual(['open']);
    expect(ids("ExecutionDuration != '1s'", rs)).toEqual(['half', 'ten', 'hour']);
  });

  test.each([
    ["ExecutionDuration > '10x'", `${IE}: invalid duration value for search attribute ExecutionDuration: 10x`],
    ["ExecutionDuration > '1:99:00'", `${IE}: invalid duration value for search attribute ExecutionDuration: 1:99:00`],
    ['ExecutionDuration > 1.5', `${IE}: unexpected value type float64 for search attribute ExecutionDuration`],
    ["ExecutionDuration STARTS_WITH '1s'", `${NS}: operator 'STARTS_WITH' not supported for Int type search attribute 'ExecutionDuration'`],
  ])('%s is rejected', (query, message) => {
    expect(errorOf(query)).toBe(message);
  });
});

describe('operators a type does not support', () => {
  test.each([
    ["CustomInt STARTS_WITH '1'", `${IE}: invalid value type for search attribute CustomInt of type Int: "1" (type: string)`],
    ['CustomInt STARTS_WITH 1', `${NS}: operator 'STARTS_WITH' not supported for Int type search attribute 'CustomInt'`],
    ['CustomDouble NOT STARTS_WITH 1', `${NS}: operator 'NOT STARTS_WITH' not supported for Double type search attribute 'CustomDouble'`],
    ["StartTime STARTS_WITH '2024-01-01T00:00:00Z'", `${NS}: operator 'STARTS_WITH' not supported for Datetime type search attribute 'StartTime'`],
    ["WorkflowId LIKE 'a%'", `${NS}: operator 'LIKE' not supported for Keyword type search attribute 'WorkflowId'`],
    ["WorkflowId NOT LIKE 'a%'", `${NS}: operator 'NOT LIKE' not supported for Keyword type search attribute 'WorkflowId'`],
    ["WorkflowId REGEXP 'a'", `${NS}: operator 'REGEXP' not supported for Keyword type search attribute 'WorkflowId'`],
    ["WorkflowId <=> 'a'", `${NS}: operator '<=>' not supported for Keyword type search attribute 'WorkflowId'`],
    ['HistoryLength <=> 1', `${NS}: operator '<=>' not supported for Int type search attribute 'HistoryLength'`],
    ["WorkflowId IS TRUE", `${IE}: 'IS' operator can only be used as 'IS NULL' or 'IS NOT NULL'`],
    ["WorkflowId IS NOT FALSE", `${IE}: 'IS' operator can only be used as 'IS NULL' or 'IS NOT NULL'`],
    ['WorkflowId STARTS_WITH 1', `${IE}: invalid value type for search attribute WorkflowId of type Keyword: 1 (type: int64)`],
    ['WorkflowId STARTS_WITH true', `${IE}: right-hand side of "starts_with" operator must be a literal string (got: true)`],
    ['CustomKeyword = 1.5', `${IE}: invalid value type for search attribute CustomKeyword of type Keyword: 1.5 (type: float64)`],
    ['CustomKeyword = 1234567.0', `${IE}: invalid value type for search attribute CustomKeyword of type Keyword: 1.234567e+06 (type: float64)`],
  ])('%s', (query, message) => {
    expect(errorOf(query)).toBe(message);
  });
});
