/**
 * Predicates for single-valued columns (Keyword, ExecutionStatus, Int, Double,
 * Datetime, Bool): = != < > <= >=, IN / NOT IN, BETWEEN / NOT BETWEEN, and
 * STARTS_WITH (the store's `LIKE 'prefix%'`, which SQLite matches ignoring ASCII case).
 *
 * Values are compared in one domain per column: strings for Keyword, numbers for
 * the rest (status enum number, Int/Double, ExecutionDuration ns, Datetime epoch ms,
 * Bool 1/0). A TRUE/FALSE literal is not validated by the server and is bound as
 * SQLite's 1/0: against a Keyword column it compares as the text '1'/'0', against
 * a Datetime (stored as text) it sorts below every value.
 */

import type { Column } from './attributes';
import { invalidExpression } from './errors';
import { goType, type Lit } from './gofmt';
import type { VisibilityRecord } from './types';
import { statusFromString } from './values';

export type Pred = (r: VisibilityRecord) => boolean;

const NEGATED: ReadonlyMap<string, string> = new Map([
  ['=', '!='],
  ['!=', '='],
  ['<', '>='],
  ['>=', '<'],
  ['>', '<='],
  ['<=', '>'],
  ['in', 'not in'],
  ['not in', 'in'],
  ['between', 'not between'],
  ['not between', 'between'],
  ['starts_with', 'not starts_with'],
  ['not starts_with', 'starts_with'],
]);

/** SQLite rejects a row value (tuple) where a single value is expected. */
function rowValueMisused(): Error {
  return invalidExpression('row value misused');
}

function toText(l: Lit): string {
  switch (l.k) {
    case 'str':
      return l.v;
    case 'bool':
      return l.v ? '1' : '0';
    case 'list':
      throw rowValueMisused();
    default:
      throw new Error(`internal: unexpected ${l.k} value for a Keyword column`);
  }
}

function toNumber(col: Column, l: Lit): number {
  if (l.k === 'list') throw rowValueMisused();
  if (col.kind === 'status') {
    if (l.k === 'str') return statusFromString(l.v) as number;
    throw invalidExpression(`unexpected value type ${goType(l)} for search attribute ExecutionStatus`);
  }
  switch (l.k) {
    case 'int':
      return Number(l.v);
    case 'float':
      return l.v;
    case 'bool':
      if (col.kind === 'datetime') return -Infinity;
      return l.v ? 1 : 0;
    case 'time':
      return l.us / 1000;
    default:
      throw new Error(`internal: unexpected ${l.k} value for a ${col.type} column`);
  }
}

/**
 * `values` holds the right-hand side: one Lit (a list for IN / NOT IN), or two
 * for BETWEEN. `neg` compiles the negation (NOT pushed down).
 */
export function compileScalar(col: Column, op: string, values: Lit[], neg: boolean): Pred {
  const effective = neg ? (NEGATED.get(op) as string) : op;
  const items = op === 'in' || op === 'not in' ? listItems(values[0]) : values;
  switch (col.kind) {
    case 'keyword':
      return build(col.get as (r: VisibilityRecord) => string | undefined, effective, items.map(toText));
    case 'keywordList':
    case 'text':
      throw new Error(`internal: ${col.alias} is not a single-valued column`);
    default:
      return build(col.get, effective, items.map((l) => toNumber(col, l)));
  }
}

function listItems(l: Lit): Lit[] {
  if (l.k !== 'list') throw rowValueMisused();
  return l.items;
}

function build<T extends string | number>(get: (r: VisibilityRecord) => T | undefined, op: string, xs: T[]): Pred {
  const x = xs[0];
  switch (op) {
    case '=':
      return (r) => get(r) === x;
    case '!=':
      return (r) => {
        const v = get(r);
        return v !== undefined && v !== x;
      };
    case '<':
      return (r) => {
        const v = get(r);
        return v !== undefined && v < x;
      };
    case '<=':
      return (r) => {
        const v = get(r);
        return v !== undefined && v <= x;
      };
    case '>':
      return (r) => {
        const v = get(r);
        return v !== undefined && v > x;
      };
    case '>=':
      return (r) => {
        const v = get(r);
        return v !== undefined && v >= x;
      };
    case 'in': {
      const set = new Set<T | undefined>(xs);
      set.delete(undefined);
      return (r) => set.has(get(r));
    }
    case 'not in': {
      const set = new Set<T>(xs);
      return (r) => {
        const v = get(r);
        return v !== undefined && !set.has(v);
      };
    }
    case 'between': {
      const hi = xs[1];
      return (r) => {
        const v = get(r);
        return v !== undefined && v >= x && v <= hi;
      };
    }
    case 'not between': {
      const hi = xs[1];
      return (r) => {
        const v = get(r);
        return v !== undefined && (v < x || v > hi);
      };
    }
    case 'starts_with':
    case 'not starts_with': {
      const matches = likePrefix(String(x));
      const want = op === 'starts_with';
      return (r) => {
        const v = get(r);
        return v !== undefined && matches(String(v)) === want;
      };
    }
    default:
      throw new Error(`internal: unexpected operator ${op}`);
  }
}

/** SQLite `LIKE 'prefix%'`: ASCII letters match case-insensitively, other characters exactly. */
function likePrefix(prefix: string): (v: string) => boolean {
  const n = prefix.length;
  const codes = new Uint16Array(n);
  let hasLetter = false;
  for (let i = 0; i < n; i++) {
    let c = prefix.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c >= 97 && c <= 122) hasLetter = true;
    codes[i] = c;
  }
  if (!hasLetter) return (v) => v.startsWith(prefix);
  return (v) => {
    if (v.length < n) return false;
    for (let i = 0; i < n; i++) {
      let c = v.charCodeAt(i);
      if (c >= 65 && c <= 90) c += 32;
      if (c !== codes[i]) return false;
    }
    return true;
  };
}
