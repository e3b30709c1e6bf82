/**
 * Compiles the WHERE expression to a predicate closure, with the converter's
 * checks and error texts (QueryConverter.convertWhereExpr and friends).
 *
 * NULL semantics are SQL's: a comparison on a missing value is UNKNOWN, and so is
 * its negation. NOT is pushed down to the leaves while compiling (De Morgan, and
 * `NOT a < b` becomes `a >= b`), which gives exactly SQL's three-valued result at
 * the top, where UNKNOWN does not match. Text and KeywordList comparisons are
 * two-valued, since the store runs them as `rowid [NOT] IN (full-text match)`.
 */

import type { Node } from './ast';
import { goNodeType } from './ast';
import type { Column } from './attributes';
import { invalidExpression, notSupported, operatorNotSupported } from './errors';
import { compileScalar, type Pred } from './scalar';
import { keywordListMatcher, splitTextQuery, textMatcher } from './text';
import { parseValueExpr } from './values';
import { goValue, sqlString, type Lit } from './gofmt';

export type { Pred } from './scalar';

/** Resolves a column node (convertColName); throws the server's errors. */
export type ColumnResolver = (n: Node) => Column;

const COMPARISON_OPS = new Set(['=', '!=', '<', '>', '<=', '>=', 'in', 'not in']);
const KEYWORD_OPS = new Set([...COMPARISON_OPS, 'starts_with', 'not starts_with']);
const KEYWORD_LIST_OPS = new Set(['=', '!=', 'in', 'not in']);
const TEXT_OPS = new Set(['=', '!=']);
const RANGE_TYPES = new Set(['Datetime', 'Double', 'Int', 'Keyword']);

export function compileWhere(n: Node, resolve: ColumnResolver): Pred {
  return compileNode(n, resolve, false);
}

function compileNode(n: Node, resolve: ColumnResolver, neg: boolean): Pred {
  switch (n.t) {
    case 'paren':
      return compileNode(n.expr, resolve, neg);
    case 'not':
      return compileNode(n.expr, resolve, !neg);
    case 'and':
    case 'or': {
      const preds = chain(n).map((o) => compileNode(o, resolve, neg));
      return (n.t === 'and') !== neg ? all(preds) : any(preds);
    }
    case 'cmp':
      return compileComparison(n, resolve, neg);
    case 'range':
      return compileRange(n, resolve, neg);
    case 'is':
      return compileIs(n, resolve, neg);
    case 'func':
      throw notSupported('function expression');
    case 'col':
      throw invalidExpression('incomplete expression');
    default:
      throw notSupported(`expression of type ${goNodeType(n)}`);
  }
}

/** Operands of a chain of one operator, left to right, without recursion. */
function chain(n: Extract<Node, { t: 'and' | 'or' }>): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [n];
  while (stack.length > 0) {
    const e = stack.pop() as Node;
    if (e.t === n.t) stack.push(e.right, e.left);
    else out.push(e);
  }
  return out;
}

function all(ps: Pred[]): Pred {
  if (ps.length === 2) {
    const [a, b] = ps;
    return (r) => a(r) && b(r);
  }
  return (r) => {
    for (let i = 0; i < ps.length; i++) if (!ps[i](r)) return false;
    return true;
  };
}

function any(ps: Pred[]): Pred {
  if (ps.length === 2) {
    const [a, b] = ps;
    return (r) => a(r) || b(r);
  }
  return (r) => {
    for (let i = 0; i < ps.length; i++) if (ps[i](r)) return true;
    return false;
  };
}

function compileComparison(n: Extract<Node, { t: 'cmp' }>, resolve: ColumnResolver, neg: boolean): Pred {
  const col = resolve(n.left);
  const value = parseValueExpr(n.right, col);
  const op = n.op;
  switch (col.type) {
    case 'Keyword':
      if (!KEYWORD_OPS.has(op)) throw operatorNotSupported(col.alias, col.type, op);
      if (op === 'starts_with' || op === 'not starts_with') {
        if (value.k !== 'str' || col.kind === 'status') {
          throw invalidExpression(
            `right-hand side of "${op}" operator must be a literal string (got: ${goValue(value)})`,
          );
        }
      }
      return compileScalar(col, op, [value], neg);
    case 'KeywordList':
      if (!KEYWORD_LIST_OPS.has(op)) throw operatorNotSupported(col.alias, col.type, op);
      return compileKeywordList(col, op, value, neg);
    case 'Text':
      if (!TEXT_OPS.has(op)) throw operatorNotSupported(col.alias, col.type, op);
      return compileText(col, op, value, neg);
    default:
      if (!COMPARISON_OPS.has(op)) throw operatorNotSupported(col.alias, col.type, op);
      return compileScalar(col, op, [value], neg);
  }
}

function compileRange(n: Extract<Node, { t: 'range' }>, resolve: ColumnResolver, neg: boolean): Pred {
  const col = resolve(n.left);
  if (!RANGE_TYPES.has(col.type)) {
    throw invalidExpression(`cannot do range condition on search attribute '${col.alias}' of type ${col.type}`);
  }
  const from = parseValueExpr(n.from, col);
  const to = parseValueExpr(n.to, col);
  return compileScalar(col, n.op, [from, to], neg);
}

function compileIs(n: Extract<Node, { t: 'is' }>, resolve: ColumnResolver, neg: boolean): Pred {
  const col = resolve(n.expr);
  if (n.op !== 'is null' && n.op !== 'is not null') {
    throw invalidExpression("'IS' operator can only be used as 'IS NULL' or 'IS NOT NULL'");
  }
  const isNull = col.isNull;
  return (n.op === 'is null') !== neg ? isNull : (r) => !isNull(r);
}

function expectString(value: Lit): string {
  if (value.k !== 'str') throw invalidExpression(`unexpected value type (expected string, got ${sqlString(value)})`);
  return value.v;
}

function compileKeywordList(col: Column, op: string, value: Lit, neg: boolean): Pred {
  if (col.kind !== 'keywordList') throw new Error(`internal: ${col.alias} is not a KeywordList column`);
  let values: string[];
  if (op === '=' || op === '!=') values = [expectString(value)];
  else {
    if (value.k !== 'list') {
      throw invalidExpression(`unexpected value type (expected tuple of strings, got ${sqlString(value)})`);
    }
    values = value.items.map((item) => {
      if (item.k !== 'str') {
        throw invalidExpression(`unexpected value type in tuple (expected string, got ${sqlString(item)})`);
      }
      return item.v;
    });
  }
  const match = keywordListMatcher(values);
  const get = col.get;
  const positive = (op === '=' || op === 'in') !== neg;
  const contains = (r: Parameters<Pred>[0]): boolean => {
    const list = get(r);
    return list !== undefined && match(list);
  };
  return positive ? contains : (r) => !contains(r);
}

function compileText(col: Column, op: string, value: Lit, neg: boolean): Pred {
  if (col.kind !== 'text') throw new Error(`internal: ${col.alias} is not a Text column`);
  const words = splitTextQuery(expectString(value));
  if (words.length === 0) {
    throw invalidExpression('unexpected value for Text type search attribute (no tokens found)');
  }
  const match = textMatcher(words);
  const get = col.get;
  const contains = (r: Parameters<Pred>[0]): boolean => {
    const text = get(r);
    return text !== undefined && match(text);
  };
  return (op === '=') !== neg ? contains : (r) => !contains(r);
}
