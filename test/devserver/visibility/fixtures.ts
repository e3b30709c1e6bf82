import type { SearchAttributeType, VisibilityRecord } from '../../../devserver/visibility';
import { compileQuery, VisibilityQueryError } from '../../../devserver/visibility';

export const T0 = Date.UTC(2024, 0, 1, 0, 0, 0); // 2024-01-01T00:00:00Z
export const HOUR = 3_600_000;

export const CUSTOM: ReadonlyMap<string, SearchAttributeType> = new Map<string, SearchAttributeType>([
  ['CustomKeyword', 'Keyword'],
  ['CustomText', 'Text'],
  ['CustomInt', 'Int'],
  ['CustomDouble', 'Double'],
  ['CustomBool', 'Bool'],
  ['CustomDatetime', 'Datetime'],
  ['CustomKeywordList', 'KeywordList'],
  ['Custom Attr', 'Keyword'],
  ['Status', 'Keyword'],
  ['status', 'Int'],
  ['WorkflowId', 'Int'], // shadowed by the system attribute
]);

let seq = 0;

export function rec(over: Partial<VisibilityRecord> = {}): VisibilityRecord {
  seq++;
  return {
    workflowId: `wf-${seq}`,
    runId: `run-${String(seq).padStart(4, '0')}`,
    workflowType: 'MyWorkflow',
    taskQueue: 'main',
    status: 1,
    startTime: T0,
    executionTime: T0,
    historyLength: 10,
    historySizeBytes: 1000,
    custom: {},
    ...over,
  };
}

export function q(query: string, opts?: { allowGroupBy?: boolean; allowOrderBy?: boolean }) {
  return compileQuery(query, CUSTOM, opts);
}

/** The records (by workflowId) a query matches. */
export function ids(query: string, records: VisibilityRecord[]): string[] {
  const c = q(query);
  return records.filter((r) => c.matches(r)).map((r) => r.workflowId);
}

export function matches(query: string, r: VisibilityRecord): boolean {
  return q(query).matches(r);
}

/** The VisibilityQueryError message a query produces (fails the test if none). */
export function errorOf(query: string, opts?: { allowGroupBy?: boolean; allowOrderBy?: boolean }): string {
  try {
    q(query, opts);
  } catch (e) {
    if (!(e instanceof VisibilityQueryError)) throw e;
    return e.message;
  }
  throw new Error(`expected an error for: ${query}`);
}
