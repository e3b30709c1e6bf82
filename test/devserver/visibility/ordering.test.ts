import { compileQuery, defaultCompare, type VisibilityRecord } from '../../../devserver/visibility';
import { CUSTOM, errorOf, HOUR, q, rec, T0 } from './fixtures';

const NS = 'invalid query: operation is not supported';

function sorted(query: string, rs: VisibilityRecord[]): string[] {
  const c = q(query);
  return rs.filter((r) => c.matches(r)).sort((a, b) => c.compare(a, b)).map((r) => r.workflowId);
}

describe('default order', () => {
  const rs = [
    rec({ workflowId: 'closed-early', status: 2, startTime: T0, closeTime: T0 + HOUR }),
    rec({ workflowId: 'open-old', startTime: T0, runId: 'b' }),
    rec({ workflowId: 'closed-late', status: 3, startTime: T0, closeTime: T0 + 3 * HOUR }),
    rec({ workflowId: 'open-new', startTime: T0 + HOUR }),
    rec({ workflowId: 'open-old-a', startTime: T0, runId: 'a' }),
    rec({ workflowId: 'closed-tie', status: 2, startTime: T0 + HOUR, closeTime: T0 + HOUR }),
  ];

  test('open runs first, then CloseTime desc, StartTime desc, RunId asc', () => {
    expect(sorted('', rs)).toEqual(['open-new', 'open-old-a', 'open-old', 'closed-late', 'closed-tie', 'closed-early']);
    expect([...rs].sort(defaultCompare).map((r) => r.workflowId)).toEqual(sorted('', rs));
  });

  test('a filter keeps the default order', () => {
    expect(sorted("ExecutionStatus = 'Completed'", rs)).toEqual(['closed-tie', 'closed-early']);
  });

  test('compare is 0 only for the same run', () => {
    const c = q('');
    expect(c.compare(rs[0], rs[0])).toBe(0);
    expect(Math.sign(c.compare(rs[0], rs[1]))).toBe(-Math.sign(c.compare(rs[1], rs[0])));
  });
});

describe('ORDER BY', () => {
  const rs = [
    rec({ workflowId: 'a', workflowType: 'X', startTime: T0 + 2 * HOUR, custom: { CustomInt: 2, CustomKeywordList: ['m', 'z'] } }),
    rec({ workflowId: 'b', workflowType: 'Y', startTime: T0, custom: { CustomInt: 1, CustomKeywordList: ['n'] } }),
    rec({ workflowId: 'c', workflowType: 'X', startTime: T0 + HOUR, status: 2, closeTime: T0 + 5 * HOUR }),
    rec({ workflowId: 'd', workflowType: 'Y', startTime: T0 + 3 * HOUR, status: 3, closeTime: T0 + 4 * HOUR, custom: { CustomInt: 2 } }),
  ];

  test('one key, ascending by default', () => {
    expect(sorted('ORDER BY StartTime', rs)).toEqual(['b', 'c', 'a', 'd']);
    expect(sorted('order by StartTime ASC', rs)).toEqual(['b', 'c', 'a', 'd']);
    expect(sorted('ORDER BY StartTime DESC', rs)).toEqual(['d', 'a', 'c', 'b']);
  });

  test('several keys, after a filter', () => {
    expect(sorted('ORDER BY WorkflowType DESC, StartTime', rs)).toEqual(['b', 'd', 'c', 'a']);
    expect(sorted("WorkflowType = 'X' ORDER BY StartTime DESC", rs)).toEqual(['a', 'c']);
  });

  test('missing values sort last either way; ties fall back to the default order', () => {
    expect(sorted('ORDER BY CustomInt', rs)).toEqual(['b', 'a', 'd', 'c']);
    expect(sorted('ORDER BY CustomInt DESC', rs)).toEqual(['a', 'd', 'b', 'c']);
  });

  test('ExecutionStatus sorts by name; a KeywordList by its smallest / largest element', () => {
    expect(sorted('ORDER BY ExecutionStatus', rs)).toEqual(['c', 'd', 'a', 'b']);
    expect(sorted('ORDER BY CustomKeywordList', rs)).toEqual(['a', 'b', 'c', 'd']);
    expect(sorted('ORDER BY CustomKeywordList DESC', rs)).toEqual(['a', 'b', 'c', 'd']);
  });

  test('errors', () => {
    expect(errorOf('ORDER BY CustomText')).toBe(`${NS}: unable to sort by search attribute type Text`);
    expect(errorOf('ORDER BY Foo')).toBe("invalid query: invalid expression: column name 'Foo' is not a valid search attribute");
    expect(errorOf('ORDER BY 1')).toBe('invalid query: invalid expression: must be a column name but was *sqlparser.SQLVal');
  });

  test('the SQL store behaviour (allowOrderBy: false) refuses it', () => {
    expect(errorOf("WorkflowId = 'a' ORDER BY StartTime", { allowOrderBy: false })).toBe(`${NS}: 'ORDER BY' clause`);
    expect(() => q("WorkflowId = 'a'", { allowOrderBy: false })).not.toThrow();
  });
});

describe('GROUP BY (Count only)', () => {
  test('GROUP BY ExecutionStatus, alone or after a filter', () => {
    const all = q('GROUP BY ExecutionStatus', { allowGroupBy: true });
    expect(all.groupBy).toBe('ExecutionStatus');
    expect(all.matches(rec())).toBe(true);
    const filtered = q("WorkflowType = 'X' group by ExecutionStatus", { allowGroupBy: true });
    expect(filtered.groupBy).toBe('ExecutionStatus');
    expect(filtered.matches(rec({ workflowType: 'X' }))).toBe(true);
    expect(filtered.matches(rec({ workflowType: 'Y' }))).toBe(false);
    expect(q('GROUP BY TemporalExecutionStatus', { allowGroupBy: true }).groupBy).toBe('ExecutionStatus');
  });

  test('no GROUP BY, no groupBy', () => {
    expect(q("WorkflowType = 'X'", { allowGroupBy: true }).groupBy).toBeUndefined();
    expect('groupBy' in q('')).toBe(false);
  });

  test('HAVING is accepted and ignored, as on the server', () => {
    const c = q("GROUP BY ExecutionStatus HAVING ExecutionStatus = 'Failed'", { allowGroupBy: true });
    expect(c.matches(rec({ status: 1 }))).toBe(true);
  });

  test('errors', () => {
    expect(errorOf('GROUP BY ExecutionStatus')).toBe(`${NS}: 'GROUP BY' clause`);
    expect(errorOf('GROUP BY WorkflowId', { allowGroupBy: true })).toBe(
      `${NS}: 'GROUP BY' clause is not supported for search attribute WorkflowId`,
    );
    expect(errorOf('GROUP BY WorkflowId')).toBe(`${NS}: 'GROUP BY' clause is not supported for search attribute WorkflowId`);
    expect(errorOf('GROUP BY ExecutionStatus, WorkflowType', { allowGroupBy: true })).toBe(
      `${NS}: 'GROUP BY' clause supports only a single field`,
    );
    expect(errorOf('GROUP BY Foo', { allowGroupBy: true })).toBe(
      "invalid query: invalid expression: column name 'Foo' is not a valid search attribute",
    );
    expect(errorOf("Foo = 1 GROUP BY WorkflowId", { allowGroupBy: true })).toBe(
      "invalid query: invalid expression: column name 'Foo' is not a valid search attribute",
    );
  });
});

describe('LIMIT', () => {
  test('is refused before anything else is checked', () => {
    expect(errorOf("WorkflowId = 'a' LIMIT 10")).toBe(`${NS}: 'LIMIT' clause`);
    expect(errorOf('Foo = 1 LIMIT 10')).toBe(`${NS}: 'LIMIT' clause`);
    expect(errorOf('ORDER BY StartTime LIMIT 1, 2')).toBe(`${NS}: 'LIMIT' clause`);
  });
});

test('compileQuery takes the custom attribute map and works without options', () => {
  const c = compileQuery("CustomKeyword = 'x'", CUSTOM);
  expect(c.matches(rec({ custom: { CustomKeyword: 'x' } }))).toBe(true);
  expect(() => compileQuery("CustomKeyword = 'x'", new Map())).toThrow(
    "invalid query: invalid expression: column name 'CustomKeyword' is not a valid search attribute",
  );
});
