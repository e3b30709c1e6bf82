/**
 * Result ordering.
 *
 * Default: the SQL store's `ORDER BY COALESCE(close_time, '9999-12-31 23:59:59') DESC,
 * start_time DESC, run_id` — open runs first, then latest close, latest start, run id.
 *
 * ORDER BY keys (which the SQL store refuses, see CompileOptions.allowOrderBy)
 * sort like the Elasticsearch store: missing values last in either direction,
 * ExecutionStatus by its name (it is a keyword there), a KeywordList by its
 * smallest element ascending / largest descending. The default order breaks ties.
 */

import type { Column } from './attributes';
import type { VisibilityRecord } from './types';
import { STATUS_NAMES } from './values';

type SortValue = string | number | undefined;
type Compare = (a: VisibilityRecord, b: VisibilityRecord) => number;

export function defaultCompare(a: VisibilityRecord, b: VisibilityRecord): number {
  const ca = a.closeTime ?? Infinity;
  const cb = b.closeTime ?? Infinity;
  if (ca !== cb) return ca > cb ? -1 : 1;
  if (a.startTime !== b.startTime) return a.startTime > b.startTime ? -1 : 1;
  if (a.runId === b.runId) return 0;
  return a.runId < b.runId ? -1 : 1;
}

function sortValue(col: Column, desc: boolean): (r: VisibilityRecord) => SortValue {
  switch (col.kind) {
    case 'status': {
      const get = col.get;
      return (r) => {
        const s = get(r);
        return s === undefined ? undefined : (STATUS_NAMES[s] ?? String(s));
      };
    }
    case 'keywordList': {
      const get = col.get;
      return (r) => {
        const list = get(r);
        let best: string | undefined;
        if (list === undefined) return undefined;
        for (const e of list) {
          if (typeof e !== 'string') continue;
          if (best === undefined || (desc ? e > best : e < best)) best = e;
        }
        return best;
      };
    }
    default:
      return col.get;
  }
}

export interface SortKey {
  col: Column;
  desc: boolean;
}

export function orderCompare(keys: readonly SortKey[]): Compare {
  if (keys.length === 0) return defaultCompare;
  const getters = keys.map((k) => ({ get: sortValue(k.col, k.desc), sign: k.desc ? -1 : 1 }));
  return (a, b) => {
    for (const { get, sign } of getters) {
      const va = get(a);
      const vb = get(b);
      if (va === vb) continue;
      if (va === undefined) return 1;
      if (vb === undefined) return -1;
      return va < vb ? -sign : sign;
    }
    return defaultCompare(a, b);
  };
}
