import type { VisibilityRecord } from '../../../devserver/visibility';
import { HOUR, q, T0 } from './fixtures';

/** Compiled queries are closures: scanning 100k records must stay cheap. */
describe('performance', () => {
  const N = 100_000;
  const records: VisibilityRecord[] = [];
  for (let i = 0; i < N; i++) {
    const closed = i % 3 !== 0;
    records.push({
      workflowId: `order-${i}`,
      runId: `run-${i}`,
      workflowType: i % 2 === 0 ? 'Checkout' : 'Refund',
      taskQueue: 'main',
      status: closed ? 2 : 1,
      startTime: T0 + i * 1000,
      executionTime: T0 + i * 1000,
      closeTime: closed ? T0 + i * 1000 + HOUR : undefined,
      historyLength: i % 50,
      historySizeBytes: 100 * (i % 50),
      executionDuration: closed ? HOUR : undefined,
      custom: {
        CustomKeyword: `c-${i % 10}`,
        CustomInt: i,
        CustomKeywordList: [`tag-${i % 7}`, 'all'],
        CustomText: `order number ${i} for customer ${i % 100}`,
      },
    });
  }

  function scan(query: string): { count: number; ms: number } {
    const c = q(query);
    const start = performance.now();
    let count = 0;
    for (const r of records) if (c.matches(r)) count++;
    return { count, ms: performance.now() - start };
  }

  test('a compound filter over 100k records', () => {
    const { count, ms } = scan(
      "WorkflowType = 'Checkout' AND ExecutionStatus IN ('Running', 'Completed') AND " +
        "StartTime >= '2024-01-01T00:00:00Z' AND CustomInt BETWEEN 1000 AND 90000 AND " +
        "(CustomKeyword != 'c-3' OR HistoryLength > 10) AND WorkflowId STARTS_WITH 'ORDER-'",
    );
    const expected = records.filter(
      (r) =>
        r.workflowType === 'Checkout' &&
        (r.custom.CustomInt as number) >= 1000 &&
        (r.custom.CustomInt as number) <= 90000 &&
        (r.custom.CustomKeyword !== 'c-3' || r.historyLength > 10),
    ).length;
    expect(count).toBe(expected);
    expect(ms).toBeLessThan(1000);
  });

  test('KeywordList and Text filters over 100k records', () => {
    const kl = scan("CustomKeywordList IN ('tag-3', 'tag-5')");
    expect(kl.count).toBe(records.filter((r) => [3, 5].includes((r.custom.CustomInt as number) % 7)).length);
    expect(kl.ms).toBeLessThan(1500);
    const text = scan("CustomText = 'customer'");
    expect(text.count).toBe(N);
    expect(text.ms).toBeLessThan(1500);
  });

  test('sorting 100k records with the default order', () => {
    const c = q('');
    const copy = records.slice().reverse();
    const start = performance.now();
    copy.sort(c.compare);
    expect(performance.now() - start).toBeLessThan(3000);
    expect(copy[0].status).toBe(1);
    expect(copy[0].startTime).toBe(T0 + 99_999 * 1000);
  });
});
