/**
 * Syntax tree of a parsed query, shaped like the server parser's tree (a where
 * expression plus GROUP BY / HAVING / ORDER BY / LIMIT), so that converter errors
 * can name node types the way the server does (e.g. "*sqlparser.ColName").
 */

import type { NumType } from './lexer';
import { KEYWORDS } from './keywords';

export type Node =
  | { t: 'and' | 'or'; left: Node; right: Node }
  | { t: 'not'; expr: Node }
  | { t: 'paren'; expr: Node }
  | { t: 'cmp'; op: string; left: Node; right: Node; escape?: Node }
  | { t: 'range'; op: 'between' | 'not between'; left: Node; from: Node; to: Node }
  | { t: 'is'; op: string; expr: Node }
  | { t: 'col'; name: string; qualifier?: string }
  | { t: 'val'; vt: 'str' | NumType; raw: string }
  | { t: 'bool'; v: boolean }
  | { t: 'null' }
  | { t: 'tuple'; items: Node[] }
  | { t: 'func'; name: string; args: Node[] }
  | { t: 'groupconcat'; args: Node[] }
  | { t: 'unary'; op: string; expr: Node }
  | { t: 'binary'; op: string; left: Node; right: Node }
  | { t: 'subquery' }
  | { t: 'interval'; expr: Node };

export interface OrderKey {
  expr: Node;
  desc: boolean;
}

export interface Statement {
  where?: Node;
  groupBy: Node[];
  having?: Node;
  orderBy: OrderKey[];
  hasLimit: boolean;
}

/** Go's %T of the server parser's node. */
export function goNodeType(n: Node): string {
  switch (n.t) {
    case 'and':
      return '*sqlparser.AndExpr';
    case 'or':
      return '*sqlparser.OrExpr';
    case 'not':
      return '*sqlparser.NotExpr';
    case 'paren':
      return '*sqlparser.ParenExpr';
    case 'cmp':
      return '*sqlparser.ComparisonExpr';
    case 'range':
      return '*sqlparser.RangeCond';
    case 'is':
      return '*sqlparser.IsExpr';
    case 'col':
      return '*sqlparser.ColName';
    case 'val':
      return '*sqlparser.SQLVal';
    case 'bool':
      return 'sqlparser.BoolVal';
    case 'null':
      return '*sqlparser.NullVal';
    case 'tuple':
      return 'sqlparser.ValTuple';
    case 'func':
      return '*sqlparser.FuncExpr';
    case 'groupconcat':
      return '*sqlparser.GroupConcatExpr';
    case 'unary':
      return '*sqlparser.UnaryExpr';
    case 'binary':
      return '*sqlparser.BinaryExpr';
    case 'subquery':
      return '*sqlparser.Subquery';
    case 'interval':
      return '*sqlparser.IntervalExpr';
  }
}

const PLAIN_ID = /^[A-Za-z_@][A-Za-z0-9_@]*$/;

/** sqlparser's formatID: backquote names that are keywords or not plain identifiers. */
export function formatId(name: string): string {
  if (PLAIN_ID.test(name) && !KEYWORDS.has(name.toLowerCase())) return name;
  return '`' + name.replace(/`/g, '``') + '`';
}

/** sqlparser.String() of a column name. */
export function colString(n: { name: string; qualifier?: string }): string {
  return n.qualifier === undefined ? formatId(n.name) : `${formatId(n.qualifier)}.${formatId(n.name)}`;
}

/** The parser refuses trees this deep ("max ast depth reached"). */
const MAX_AST_DEPTH = 1000;

/**
 * Deepest node depth in the server parser's tree (select=0, where=1, its
 * expression=2); computed without recursion so long AND/OR chains are safe.
 */
export function statementDepth(st: Statement): number {
  const stack: Array<[Node, number]> = [];
  if (st.where) stack.push([st.where, 2]);
  if (st.having) stack.push([st.having, 2]);
  for (const g of st.groupBy) stack.push([g, 2]);
  for (const o of st.orderBy) stack.push([o.expr, 3]);
  let max = 4; // select * from table1: SelectExprs/From subtrees
  while (stack.length > 0) {
    const [n, d] = stack.pop() as [Node, number];
    if (d > max) max = d;
    if (max >= MAX_AST_DEPTH) return max;
    switch (n.t) {
      case 'and':
      case 'or':
      case 'binary':
        stack.push([n.left, d + 1], [n.right, d + 1]);
        break;
      case 'not':
      case 'paren':
      case 'is':
      case 'unary':
      case 'interval':
        stack.push([n.expr, d + 1]);
        break;
      case 'cmp':
        stack.push([n.left, d + 1], [n.right, d + 1]);
        if (n.escape) stack.push([n.escape, d + 1]);
        break;
      case 'range':
        stack.push([n.left, d + 1], [n.from, d + 1], [n.to, d + 1]);
        break;
      case 'col':
        if (d + 2 > max) max = d + 2; // ColName → TableName → TableIdent
        break;
      case 'tuple':
        for (const i of n.items) stack.push([i, d + 1]);
        break;
      case 'func':
      case 'groupconcat':
        if (d + 1 > max) max = d + 1;
        for (const a of n.args) stack.push([a, d + 3]); // SelectExprs → AliasedExpr → Expr
        break;
      default:
        break;
    }
  }
  return max;
}

export function exceedsMaxDepth(st: Statement): boolean {
  return statementDepth(st) >= MAX_AST_DEPTH;
}
