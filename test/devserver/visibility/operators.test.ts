import { errorOf, HOUR, ids, rec, T0 } from './fixtures';

describe('Keyword', () => {
  const rs = [
    rec({ workflowId: 'alpha', custom: { CustomKeyword: 'k1' } }),
    rec({ workflowId: 'beta', custom: { CustomKeyword: 'k2' } }),
    rec({ workflowId: 'Gamma' }),
  ];

  test('comparison operators (binary collation: upper case sorts first)', () => {
    expect(ids("WorkflowId = 'alpha'", rs)).toEqual(['alpha']);
    expect(ids("WorkflowId != 'alpha'", rs)).toEqual(['beta', 'Gamma']);
    expect(ids("WorkflowId < 'beta'", rs)).toEqual(['alpha', 'Gamma']);
    expect(ids("WorkflowId <= 'beta'", rs)).toEqual(['alpha', 'beta', 'Gamma']);
    expect(ids("WorkflowId > 'alpha'", rs)).toEqual(['beta']);
    expect(ids("WorkflowId >= 'alpha'", rs)).toEqual(['alpha', 'beta']);
  });

  test('IN, NOT IN, BETWEEN, NOT BETWEEN', () => {
    expect(ids("WorkflowId IN ('alpha', 'Gamma', 'nope')", rs)).toEqual(['alpha', 'Gamma']);
    expect(ids("WorkflowId IN ('beta')", rs)).toEqual(['beta']);
    expect(ids("WorkflowId NOT IN ('alpha', 'Gamma')", rs)).toEqual(['beta']);
    expect(ids("WorkflowId BETWEEN 'alpha' AND 'beta'", rs)).toEqual(['alpha', 'beta']);
    expect(ids("WorkflowId NOT BETWEEN 'alpha' AND 'beta'", rs)).toEqual(['Gamma']);
  });

  test('STARTS_WITH is a LIKE prefix match: ASCII letters ignore case, % and _ are literal', () => {
    expect(ids("WorkflowId STARTS_WITH 'al'", rs)).toEqual(['alpha']);
    expect(ids("WorkflowId STARTS_WITH 'GA'", rs)).toEqual(['Gamma']);
    expect(ids("WorkflowId STARTS_WITH ''", rs)).toEqual(['alpha', 'beta', 'Gamma']);
    expect(ids("WorkflowId NOT STARTS_WITH 'a'", rs)).toEqual(['beta', 'Gamma']);
    const special = [rec({ workflowId: 'a_b%c' }), rec({ workflowId: 'axb' }), rec({ workflowId: 'Éclair' })];
    expect(ids("WorkflowId STARTS_WITH 'a_'", special)).toEqual(['a_b%c']);
    expect(ids("WorkflowId STARTS_WITH 'a_b%'", special)).toEqual(['a_b%c']);
    expect(ids("WorkflowId STARTS_WITH 'É'", special)).toEqual(['Éclair']);
    expect(ids("WorkflowId STARTS_WITH 'é'", special)).toEqual([]);
  });

  test('a missing value: comparisons and their negations are false, IS NULL is true', () => {
    expect(ids("CustomKeyword = 'k1'", rs)).toEqual(['alpha']);
    expect(ids("CustomKeyword != 'k1'", rs)).toEqual(['beta']);
    expect(ids("NOT CustomKeyword = 'k1'", rs)).toEqual(['beta']);
    expect(ids("CustomKeyword NOT IN ('k1')", rs)).toEqual(['beta']);
    expect(ids("NOT CustomKeyword IN ('k1')", rs)).toEqual(['beta']);
    expect(ids("CustomKeyword < 'z'", rs)).toEqual(['alpha', 'beta']);
    expect(ids("NOT CustomKeyword < 'z'", rs)).toEqual([]);
    expect(ids("NOT CustomKeyword STARTS_WITH 'k'", rs)).toEqual([]);
    expect(ids("NOT CustomKeyword BETWEEN 'a' AND 'z'", rs)).toEqual([]);
    expect(ids('CustomKeyword IS NULL', rs)).toEqual(['Gamma']);
    expect(ids('CustomKeyword IS NOT NULL', rs)).toEqual(['alpha', 'beta']);
    expect(ids('NOT CustomKeyword IS NULL', rs)).toEqual(['alpha', 'beta']);
  });

  test('three-valued logic through AND / OR / NOT', () => {
    expect(ids("NOT (CustomKeyword = 'k1' OR CustomKeyword = 'k2')", rs)).toEqual([]);
    // Gamma: (UNKNOWN AND FALSE) is FALSE, so its negation holds.
    expect(ids("NOT (CustomKeyword = 'k1' AND WorkflowId = 'alpha')", rs)).toEqual(['beta', 'Gamma']);
    expect(ids("CustomKeyword = 'k1' OR WorkflowId = 'Gamma'", rs)).toEqual(['alpha', 'Gamma']);
    expect(ids("NOT (CustomKeyword != 'k1' OR WorkflowId = 'beta')", rs)).toEqual(['alpha']);
  });

  test('TRUE / FALSE are not validated and compare as 1 / 0', () => {
    const bools = [rec({ workflowId: 'one', custom: { CustomKeyword: '1' } }), rec({ workflowId: 'zero', custom: { CustomKeyword: '0' } })];
    expect(ids('CustomKeyword = true', bools)).toEqual(['one']);
    expect(ids('CustomKeyword = false', bools)).toEqual(['zero']);
  });
});

describe('Int', () => {
  const rs = [
    rec({ workflowId: 'h5', historyLength: 5, custom: { CustomInt: 1 } }),
    rec({ workflowId: 'h10', historyLength: 10, custom: { CustomInt: 2 } }),
    rec({ workflowId: 'h20', historyLength: 20 }),
  ];

  test('comparison operators', () => {
    expect(ids('HistoryLength = 10', rs)).toEqual(['h10']);
    expect(ids('HistoryLength != 10', rs)).toEqual(['h5', 'h20']);
    expect(ids('HistoryLength < 10', rs)).toEqual(['h5']);
    expect(ids('HistoryLength <= 10', rs)).toEqual(['h5', 'h10']);
    expect(ids('HistoryLength > 10', rs)).toEqual(['h20']);
    expect(ids('HistoryLength >= 10', rs)).toEqual(['h10', 'h20']);
  });

  test('IN, NOT IN, BETWEEN, NOT BETWEEN', () => {
    expect(ids('HistoryLength IN (5, 20)', rs)).toEqual(['h5', 'h20']);
    expect(ids('HistoryLength NOT IN (5, 20)', rs)).toEqual(['h10']);
    expect(ids('HistoryLength BETWEEN 5 AND 10', rs)).toEqual(['h5', 'h10']);
    expect(ids('HistoryLength NOT BETWEEN 5 AND 10', rs)).toEqual(['h20']);
  });

  test('Int and Double values mix', () => {
    expect(ids('CustomInt = 1.0', rs)).toEqual(['h5']);
    expect(ids('CustomInt > 1.5', rs)).toEqual(['h10']);
    expect(ids('HistoryLength < 7.5', rs)).toEqual(['h5']);
  });

  test('a missing value', () => {
    expect(ids('CustomInt != 1', rs)).toEqual(['h10']);
    expect(ids('NOT CustomInt > 1', rs)).toEqual(['h5']);
    expect(ids('CustomInt IS NULL', rs)).toEqual(['h20']);
  });

  test('a string value is an error', () => {
    expect(errorOf("CustomInt = '1'")).toBe(
      'invalid query: invalid expression: invalid value type for search attribute CustomInt of type Int: "1" (type: string)',
    );
  });
});

describe('Double', () => {
  const rs = [
    rec({ workflowId: 'd1', custom: { CustomDouble: 1.5 } }),
    rec({ workflowId: 'd2', custom: { CustomDouble: 2.25 } }),
    rec({ workflowId: 'none' }),
  ];

  test('operators', () => {
    expect(ids('CustomDouble = 1.5', rs)).toEqual(['d1']);
    expect(ids('CustomDouble != 1.5', rs)).toEqual(['d2']);
    expect(ids('CustomDouble > 2', rs)).toEqual(['d2']);
    expect(ids('CustomDouble < 2.25', rs)).toEqual(['d1']);
    expect(ids('CustomDouble >= 2.25e0', rs)).toEqual(['d2']);
    expect(ids('CustomDouble <= 2.25', rs)).toEqual(['d1', 'd2']);
    expect(ids('CustomDouble IN (1.5, 3)', rs)).toEqual(['d1']);
    expect(ids('CustomDouble NOT IN (1.5, 3)', rs)).toEqual(['d2']);
    expect(ids('CustomDouble BETWEEN 1 AND 2', rs)).toEqual(['d1']);
    expect(ids('CustomDouble NOT BETWEEN 1 AND 2', rs)).toEqual(['d2']);
    expect(ids('CustomDouble > -0.5', rs)).toEqual(['d1', 'd2']);
    expect(ids('CustomDouble IS NULL', rs)).toEqual(['none']);
  });

  test('a non-numeric value is an error', () => {
    expect(errorOf("CustomDouble > 'a'")).toBe(
      'invalid query: invalid expression: invalid value type for search attribute CustomDouble of type Double: "a" (type: string)',
    );
  });
});

describe('Datetime', () => {
  const rs = [
    rec({ workflowId: 't0', startTime: T0, closeTime: T0 + 5 * HOUR, status: 2 }),
    rec({ workflowId: 't1', startTime: T0 + HOUR }),
    rec({ workflowId: 't2', startTime: T0 + 2 * HOUR }),
  ];

  test('RFC 3339 values', () => {
    expect(ids("StartTime > '2024-01-01T00:30:00Z'", rs)).toEqual(['t1', 't2']);
    expect(ids("StartTime = '2024-01-01T01:00:00Z'", rs)).toEqual(['t1']);
    expect(ids("StartTime != '2024-01-01T01:00:00Z'", rs)).toEqual(['t0', 't2']);
    expect(ids("StartTime <= '2024-01-01T01:00:00Z'", rs)).toEqual(['t0', 't1']);
    expect(ids("StartTime >= '2024-01-01T01:00:00Z'", rs)).toEqual(['t1', 't2']);
    expect(ids("StartTime < '2024-01-01T01:00:00Z'", rs)).toEqual(['t0']);
    expect(ids("StartTime = '2024-01-01T02:00:00+01:00'", rs)).toEqual(['t1']);
    expect(ids("StartTime = '2023-12-31T20:00:00-05:00'", rs)).toEqual(['t1']);
  });

  test('fractions count to the microsecond', () => {
    expect(ids("StartTime > '2024-01-01T00:59:59.999999Z'", rs)).toEqual(['t1', 't2']);
    expect(ids("StartTime < '2024-01-01T01:00:00.0005Z'", rs)).toEqual(['t0', 't1']);
    expect(ids("StartTime = '2024-01-01T01:00:00.000000999Z'", rs)).toEqual(['t1']);
  });

  test('integers are epoch nanoseconds', () => {
    const ns = BigInt(T0 + HOUR) * 1_000_000n;
    expect(ids(`StartTime = ${ns}`, rs)).toEqual(['t1']);
    expect(ids(`StartTime > ${ns}`, rs)).toEqual(['t2']);
  });

  test('IN, BETWEEN and NOT BETWEEN', () => {
    expect(ids("StartTime IN ('2024-01-01T00:00:00Z', '2024-01-01T02:00:00Z')", rs)).toEqual(['t0', 't2']);
    expect(ids("StartTime NOT IN ('2024-01-01T00:00:00Z')", rs)).toEqual(['t1', 't2']);
    expect(ids("StartTime BETWEEN '2024-01-01T00:30:00Z' AND '2024-01-01T02:00:00Z'", rs)).toEqual(['t1', 't2']);
    expect(ids("StartTime NOT BETWEEN '2024-01-01T00:30:00Z' AND '2024-01-01T01:30:00Z'", rs)).toEqual(['t0', 't2']);
  });

  test('CloseTime of an open run is NULL', () => {
    expect(ids("CloseTime < '2100-01-01T00:00:00Z'", rs)).toEqual(['t0']);
    expect(ids("CloseTime > '2000-01-01T00:00:00Z'", rs)).toEqual(['t0']);
    expect(ids("NOT CloseTime > '2000-01-01T00:00:00Z'", rs)).toEqual([]);
    expect(ids('CloseTime IS NULL', rs)).toEqual(['t1', 't2']);
    expect(ids('CloseTime IS NOT NULL', rs)).toEqual(['t0']);
  });

  test('custom Datetime values (epoch ms; a Date or ISO string is tolerated)', () => {
    const cs = [
      rec({ workflowId: 'ms', custom: { CustomDatetime: T0 } }),
      rec({ workflowId: 'date', custom: { CustomDatetime: new Date(T0 + HOUR) } }),
      rec({ workflowId: 'iso', custom: { CustomDatetime: '2024-01-01T02:00:00Z' } }),
      rec({ workflowId: 'none' }),
    ];
    expect(ids("CustomDatetime >= '2024-01-01T00:00:00Z'", cs)).toEqual(['ms', 'date', 'iso']);
    expect(ids("CustomDatetime = '2024-01-01T01:00:00Z'", cs)).toEqual(['date']);
    expect(ids("CustomDatetime > '2024-01-01T01:30:00Z'", cs)).toEqual(['iso']);
    expect(ids('CustomDatetime IS NULL', cs)).toEqual(['none']);
  });

  test.each([
    ["StartTime > 'yesterday'", "unable to parse datetime 'yesterday'"],
    ["StartTime > '2024-13-01T00:00:00Z'", "unable to parse datetime '2024-13-01T00:00:00Z'"],
    ["StartTime > '2024-02-30T00:00:00Z'", "unable to parse datetime '2024-02-30T00:00:00Z'"],
    ["StartTime > '2024-01-01 00:00:00'", "unable to parse datetime '2024-01-01 00:00:00'"],
    ["StartTime > '2024-01-01T00:00:00'", "unable to parse datetime '2024-01-01T00:00:00'"],
    ['StartTime > 1.5', 'invalid value type for search attribute StartTime of type Datetime: 1.5 (type: float64)'],
  ])('%s is rejected', (query, detail) => {
    expect(errorOf(query)).toBe(`invalid query: invalid expression: ${detail}`);
  });
});

describe('Bool', () => {
  const rs = [
    rec({ workflowId: 'yes', custom: { CustomBool: true } }),
    rec({ workflowId: 'no', custom: { CustomBool: false } }),
    rec({ workflowId: 'none' }),
  ];

  test('= and != against TRUE / FALSE', () => {
    expect(ids('CustomBool = true', rs)).toEqual(['yes']);
    expect(ids('CustomBool = FALSE', rs)).toEqual(['no']);
    expect(ids('CustomBool != true', rs)).toEqual(['no']);
    expect(ids('NOT CustomBool = true', rs)).toEqual(['no']);
    expect(ids('CustomBool IS NULL', rs)).toEqual(['none']);
  });

  test('the server also accepts the other comparison operators (false < true)', () => {
    expect(ids('CustomBool < true', rs)).toEqual(['no']);
    expect(ids('CustomBool >= false', rs)).toEqual(['yes', 'no']);
    expect(ids('CustomBool IN (true)', rs)).toEqual(['yes']);
    expect(ids('CustomBool NOT IN (true)', rs)).toEqual(['no']);
  });

  test('only the TRUE / FALSE keywords are Bool values', () => {
    expect(errorOf("CustomBool = 'true'")).toBe(
      'invalid query: invalid expression: invalid value type for search attribute CustomBool of type Bool: "true" (type: string)',
    );
    expect(errorOf('CustomBool = 1')).toBe(
      'invalid query: invalid expression: invalid value type for search attribute CustomBool of type Bool: 1 (type: int64)',
    );
  });

  test('STARTS_WITH and BETWEEN are refused', () => {
    expect(errorOf('CustomBool STARTS_WITH true')).toBe(
      "invalid query: operation is not supported: operator 'STARTS_WITH' not supported for Bool type search attribute 'CustomBool'",
    );
    expect(errorOf('CustomBool BETWEEN false AND true')).toBe(
      "invalid query: invalid expression: cannot do range condition on search attribute 'CustomBool' of type Bool",
    );
  });
});
