import { compileQuery, VisibilityQueryError } from '../../../devserver/visibility';
import { CUSTOM, errorOf, ids, q, rec } from './fixtures';

/**
 * Syntax: the query is read as the tail of `select * from table1 where <query>`
 * by the server's MySQL-dialect parser. Expected positions were checked against
 * temporalio/sqlparser itself.
 */
describe('syntax', () => {
  const records = [
    rec({ workflowId: 'alpha', runId: 'r1' }),
    rec({ workflowId: "it's", runId: 'r2' }),
    rec({ workflowId: 'a\nb', runId: 'r3', custom: { 'Custom Attr': 'x y' } }),
  ];

  test('an empty or blank query matches everything', () => {
    expect(ids('', records)).toHaveLength(3);
    expect(ids('   \n\t ', records)).toHaveLength(3);
  });

  test('keywords are case-insensitive', () => {
    expect(ids("WorkflowId = 'alpha' aNd RunId = 'r1'", records)).toEqual(['alpha']);
    expect(ids("WorkflowId In ('alpha') Or NoT RunId iN ('r1', 'r2')", records)).toEqual(['alpha', 'a\nb']);
    expect(ids("WorkflowId starts_WITH 'al' AND RunId is NOT null", records)).toEqual(['alpha']);
    expect(ids("RunId between 'r1' AND 'r2'", records)).toEqual(['alpha', "it's"]);
  });

  test('attribute names are case-sensitive', () => {
    expect(errorOf("workflowid = 'alpha'")).toBe(
      "invalid query: invalid expression: column name 'workflowid' is not a valid search attribute",
    );
  });

  test('single- and double-quoted strings, doubled quotes and backslash escapes', () => {
    expect(ids('WorkflowId = "alpha"', records)).toEqual(['alpha']);
    expect(ids("WorkflowId = 'it''s'", records)).toEqual(["it's"]);
    expect(ids("WorkflowId = 'it\\'s'", records)).toEqual(["it's"]);
    expect(ids('WorkflowId = "it\'s"', records)).toEqual(["it's"]);
    expect(ids("WorkflowId = 'a\\nb'", records)).toEqual(['a\nb']);
    expect(ids('WorkflowId = "a""b"', [rec({ workflowId: 'a"b' })])).toHaveLength(1);
    expect(ids("WorkflowId = 'back\\\\slash'", [rec({ workflowId: 'back\\slash' })])).toHaveLength(1);
  });

  test('the server strips every leading and trailing single quote of a string value', () => {
    expect(ids(`WorkflowId = "'alpha'"`, records)).toEqual(['alpha']);
  });

  test('backquoted attribute names', () => {
    expect(ids("`Custom Attr` = 'x y'", records)).toEqual(['a\nb']);
    expect(ids("`WorkflowId` = 'alpha'", records)).toEqual(['alpha']);
    const types = new Map([['we`ird', 'Keyword' as const]]);
    // The server removes every backquote from the name.
    expect(() => compileQuery("`we``ird` = 'x'", types)).toThrow(
      "invalid query: invalid expression: column name 'weird' is not a valid search attribute",
    );
  });

  test('reserved words must be backquoted; non-reserved keywords are lower-cased', () => {
    expect(errorOf("order = 'x'")).toBe('invalid query: malformed SQL query: syntax error at position 33 near \'order\'');
    // `Status` is a non-reserved keyword: the parser lower-cases it, so it names `status` (an Int here).
    expect(errorOf("Status = 'x'")).toBe(
      'invalid query: invalid expression: invalid value type for search attribute status of type Int: "x" (type: string)',
    );
    expect(ids("`Status` = 'x'", [rec({ custom: { Status: 'x' } })])).toHaveLength(1);
  });

  test('comments, alternative operators and a trailing semicolon', () => {
    expect(ids("WorkflowId = 'alpha' /* c */ AND RunId = 'r1' -- tail", records)).toEqual(['alpha']);
    expect(ids("WorkflowId = 'alpha' # tail", records)).toEqual(['alpha']);
    expect(ids("WorkflowId = 'alpha' && RunId = 'r1' || RunId = 'r2'", records)).toEqual(['alpha', "it's"]);
    expect(ids("WorkflowId <> 'alpha'", records)).toEqual(["it's", 'a\nb']);
    expect(ids("WorkflowId = 'alpha';", records)).toEqual(['alpha']);
  });

  test('AND binds tighter than OR; NOT binds tighter than AND; parentheses group', () => {
    const rs = [
      rec({ workflowId: 'a', runId: 'x', taskQueue: 'q1' }),
      rec({ workflowId: 'b', runId: 'y', taskQueue: 'q1' }),
      rec({ workflowId: 'c', runId: 'x', taskQueue: 'q2' }),
    ];
    expect(ids("WorkflowId = 'a' OR WorkflowId = 'b' AND RunId = 'x'", rs)).toEqual(['a']);
    expect(ids("(WorkflowId = 'a' OR WorkflowId = 'b') AND RunId = 'x'", rs)).toEqual(['a']);
    expect(ids("(WorkflowId = 'b' OR WorkflowId = 'c') AND RunId = 'x'", rs)).toEqual(['c']);
    expect(ids("NOT RunId = 'x' AND TaskQueue = 'q1'", rs)).toEqual(['b']);
    expect(ids("NOT (RunId = 'x' AND TaskQueue = 'q1')", rs)).toEqual(['b', 'c']);
    expect(ids("NOT NOT RunId = 'x'", rs)).toEqual(['a', 'c']);
    expect(ids("((((WorkflowId = 'a'))))", rs)).toEqual(['a']);
  });

  test('signed numbers', () => {
    const rs = [rec({ workflowId: 'neg', custom: { CustomInt: -5, CustomDouble: -1.5 } })];
    expect(ids('CustomInt = -5', rs)).toEqual(['neg']);
    expect(ids('CustomInt = - -5', rs)).toEqual([]);
    expect(ids('CustomInt < +0', rs)).toEqual(['neg']);
    expect(ids('CustomDouble = -1.5', rs)).toEqual(['neg']);
    expect(ids('CustomDouble < .5', rs)).toEqual(['neg']);
    expect(ids('CustomInt > -5e1', rs)).toEqual(['neg']);
  });
});

describe('syntax errors (server text and byte positions)', () => {
  const cases: Array<[string, string]> = [
    ["WorkflowId = 'a' foo", "syntax error at position 48 near 'foo'"],
    ['WorkflowId = ', 'syntax error at position 40'],
    ["WorkflowId = 'abc", "syntax error at position 45 near 'abc'"],
    ['order  by StartTime', "syntax error at position 33 near 'order'"],
    ["WorkflowId = = 'a'", 'syntax error at position 42'],
    ["WorkflowId 'a'", "syntax error at position 42 near 'a'"],
    ["WorkflowId = 'a' AND", 'syntax error at position 48'],
    ['WorkflowId = 12abc', "syntax error at position 43 near '12'"],
    ["`unterminated = 'x'", "syntax error at position 47 near 'unterminated = 'x''"],
    ['WorkflowId = $', "syntax error at position 42 near '$'"],
    ['WorkflowId is nul', "syntax error at position 45 near 'nul'"],
    ["WorkflowId = 'a' order by StartTime group by ExecutionStatus", "syntax error at position 69 near 'group'"],
    ["WorkflowId = 'Café' and x = ", 'syntax error at position 56'],
    ["WorkflowId in 'a'", "syntax error at position 45 near 'a'"],
    ['limit 10', "syntax error at position 33 near 'limit'"],
    ["Café = 'x'", "syntax error at position 32 near 'é'"],
  ];
  test.each(cases)('%j', (query, detail) => {
    expect(errorOf(query)).toBe(`invalid query: malformed SQL query: ${detail}`);
  });

  test('nesting deeper than the parser allows', () => {
    const parens = `${'('.repeat(200)}WorkflowId = 'a'${')'.repeat(200)}`;
    expect(errorOf(parens)).toBe('invalid query: malformed SQL query: max nesting level reached at position 228');
    const nots = `${'NOT '.repeat(200)}WorkflowId = 'a'`;
    expect(errorOf(nots)).toBe("invalid query: malformed SQL query: max nesting level reached at position 827 near 'not'");
    expect(() => q(`${'('.repeat(198)}WorkflowId = 'a'${')'.repeat(198)}`)).not.toThrow();
  });

  test('trees deeper than the parser allows', () => {
    const chain = (n: number) => Array(n).fill("WorkflowId = 'a'").join(' AND ');
    expect(errorOf(chain(996))).toBe('invalid query: malformed SQL query: max ast depth reached');
    const ok = q(chain(995));
    expect(ok.matches(rec({ workflowId: 'a' }))).toBe(true);
    expect(ok.matches(rec({ workflowId: 'b' }))).toBe(false);
  });

  test('errors are VisibilityQueryError instances', () => {
    expect(() => compileQuery('WorkflowId =', CUSTOM)).toThrow(VisibilityQueryError);
    try {
      compileQuery('WorkflowId =', CUSTOM);
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).name).toBe('VisibilityQueryError');
    }
  });
});
