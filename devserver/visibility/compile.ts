/**
 * compileQuery: parse once, convert with the server's rules and errors, and
 * return closures for filtering and ordering.
 *
 * Conversion order follows QueryConverter.convertSelectStmt: LIMIT is refused,
 * then WHERE is converted, then GROUP BY, then ORDER BY; the store-level checks
 * (ORDER BY refused by the SQL store, GROUP BY refused for List) come last.
 */

import type { Node } from './ast';
import { goNodeType } from './ast';
import { NAMESPACE_DIVISION, resolveColumn, type Column } from './attributes';
import { invalidExpression, notSupported } from './errors';
import { compileWhere, type Pred } from './evaluate';
import { orderCompare, type SortKey } from './order';
import { parseQuery } from './parser';
import type { CompiledQuery, CompileOptions, SearchAttributeType } from './types';

const matchAll: Pred = () => true;

export function compileQuery(
  query: string,
  customTypes: ReadonlyMap<string, SearchAttributeType>,
  opts: CompileOptions = {},
): CompiledQuery {
  const st = parseQuery(query);
  if (st.hasLimit) throw notSupported("'LIMIT' clause");

  let seenNamespaceDivision = false;
  const resolve = (n: Node): Column => {
    if (n.t !== 'col') throw invalidExpression(`must be a column name but was ${goNodeType(n)}`);
    const name = n.qualifier === undefined ? n.name : `${n.qualifier}.${n.name}`;
    const alias = name.replace(/`/g, '');
    const col = resolveColumn(alias, customTypes);
    if (!col) throw invalidExpression(`column name '${alias}' is not a valid search attribute`);
    if (col.field === NAMESPACE_DIVISION) seenNamespaceDivision = true;
    return col;
  };

  const where = st.where ? compileWhere(st.where, resolve) : matchAll;

  if (st.groupBy.length > 1) throw notSupported("'GROUP BY' clause supports only a single field");
  let groupBy: 'ExecutionStatus' | undefined;
  for (const g of st.groupBy) {
    const col = resolve(g);
    if (col.field !== 'ExecutionStatus') {
      throw notSupported(`'GROUP BY' clause is not supported for search attribute ${col.alias}`);
    }
    groupBy = 'ExecutionStatus';
  }

  const keys: SortKey[] = st.orderBy.map((o) => {
    const col = resolve(o.expr);
    if (col.type === 'Text') throw notSupported('unable to sort by search attribute type Text');
    return { col, desc: o.desc };
  });

  if (keys.length > 0 && opts.allowOrderBy === false) throw notSupported("'ORDER BY' clause");
  if (groupBy !== undefined && !opts.allowGroupBy) throw notSupported("'GROUP BY' clause");

  // Without an explicit TemporalNamespaceDivision filter the server only returns
  // executions that have none (e.g. it hides the scheduler's internal workflows).
  const matches: Pred = seenNamespaceDivision
    ? where
    : where === matchAll
      ? (r) => r.custom[NAMESPACE_DIVISION] == null
      : (r) => where(r) && r.custom[NAMESPACE_DIVISION] == null;

  const compiled: CompiledQuery = { matches, compare: orderCompare(keys), ordered: keys.length > 0 };
  if (groupBy !== undefined) compiled.groupBy = groupBy;
  return compiled;
}
