/**
 * Right-hand-side values, converted and validated like the server's
 * QueryConverter.parseValueExpr / parseSQLVal / validateValueType
 * (common/persistence/visibility/store/query/converter.go).
 */

import type { Node } from './ast';
import { colString, goNodeType } from './ast';
import type { Column } from './attributes';
import { formatSqliteDatetime, nanosToMicros, parseRfc3339 } from './datetime';
import { parseExecutionDuration } from './duration';
import { invalidExpression, notSupported } from './errors';
import { goQuote, goSyntax, goType, type Lit } from './gofmt';

/** WorkflowExecutionStatus shorthand names by enum number. */
export const STATUS_NAMES: readonly string[] = [
  'Unspecified',
  'Running',
  'Completed',
  'Failed',
  'Canceled',
  'Terminated',
  'ContinuedAsNew',
  'TimedOut',
];

const STATUS_SCREAMING = STATUS_NAMES.map(
  (n) => `WORKFLOW_EXECUTION_STATUS_${n.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`,
);

/** enumspb.WorkflowExecutionStatusFromString: "Running" or "WORKFLOW_EXECUTION_STATUS_RUNNING". */
export function statusFromString(s: string): number | undefined {
  const i = STATUS_NAMES.indexOf(s);
  if (i >= 0) return i;
  const j = STATUS_SCREAMING.indexOf(s);
  return j >= 0 ? j : undefined;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL_INT = /^[+-]?\d+$/;
const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** sqlquery.ParseValue for an unquoted literal: int64 first, then float64. */
function parseNumber(raw: string): Lit | undefined {
  if (DECIMAL_INT.test(raw)) {
    const v = BigInt(raw);
    if (v >= INT64_MIN && v <= INT64_MAX) return { k: 'int', v };
  }
  if (DECIMAL_FLOAT.test(raw)) {
    const f = Number(raw);
    if (Number.isFinite(f)) return { k: 'float', v: f };
  }
  return undefined;
}

/** sqlparser.String() of a literal the parser could not read. */
function literalText(n: Extract<Node, { t: 'val' }>): string {
  if (n.vt === 'hex') return `X'${n.raw}'`;
  if (n.vt === 'bit') return `B'${n.raw}'`;
  return n.raw;
}

export function parseValueExpr(n: Node, col: Column): Lit {
  switch (n.t) {
    case 'val':
      return parseSqlVal(n, col);
    case 'bool':
      // No validation for TRUE / FALSE, as on the server.
      return { k: 'bool', v: n.v };
    case 'tuple':
      return { k: 'list', items: n.items.map((i) => parseValueExpr(i, col)) };
    case 'groupconcat':
      throw notSupported("'group_concat'");
    case 'func':
      throw notSupported('nested func');
    case 'col':
      throw notSupported(
        `column name on the right side of comparison expression (did you forget to quote ${goQuote(colString(n))}?)`,
      );
    case 'unary':
      // Deliberate leniency: the server rejects a signed float (-1.5 parses as a
      // unary minus expression); a signed int is folded by its parser.
      if ((n.op === '-' || n.op === '+') && n.expr.t === 'val' && n.expr.vt === 'float') {
        const raw = n.op === '-' ? `-${n.expr.raw}` : n.expr.raw;
        return parseSqlVal({ t: 'val', vt: 'float', raw }, col);
      }
      throw invalidExpression(`unexpected value type ${goNodeType(n)}`);
    default:
      throw invalidExpression(`unexpected value type ${goNodeType(n)}`);
  }
}

function parseSqlVal(n: Extract<Node, { t: 'val' }>, col: Column): Lit {
  let value: Lit | undefined;
  if (n.vt === 'str') {
    // sqlquery.ParseValue trims every leading and trailing single quote.
    value = { k: 'str', v: n.raw.replace(/^'+|'+$/g, '') };
  } else {
    value = parseNumber(n.raw);
    if (!value) throw invalidExpression(`unable to parse value ${goQuote(literalText(n))}`);
  }
  switch (col.field) {
    case 'ExecutionStatus':
      return parseExecutionStatusValue(value);
    case 'ExecutionDuration':
      return parseExecutionDurationValue(value);
    default:
      return validateValueType(col, value);
  }
}

function parseExecutionStatusValue(value: Lit): Lit {
  if (value.k === 'int') {
    const code = Number(BigInt.asIntN(32, value.v));
    if (code >= 0 && code < STATUS_NAMES.length) return { k: 'str', v: STATUS_NAMES[code] };
    throw invalidExpression(`invalid ExecutionStatus value ${value.v}`);
  }
  if (value.k === 'str') {
    if (statusFromString(value.v) !== undefined) return value;
    throw invalidExpression(`invalid ExecutionStatus value '${value.v}'`);
  }
  throw invalidExpression(`unexpected value type ${goType(value)} for search attribute ExecutionStatus`);
}

function parseExecutionDurationValue(value: Lit): Lit {
  if (value.k === 'int') return value;
  if (value.k === 'str') {
    const ns = parseExecutionDuration(value.v);
    if (ns === undefined) {
      throw invalidExpression(`invalid duration value for search attribute ExecutionDuration: ${value.v}`);
    }
    return { k: 'int', v: ns };
  }
  throw invalidExpression(`unexpected value type ${goType(value)} for search attribute ExecutionDuration`);
}

function validateValueType(col: Column, value: Lit): Lit {
  const typeError = () =>
    invalidExpression(
      `invalid value type for search attribute ${col.alias} of type ${col.type}: ${goSyntax(value)} (type: ${goType(value)})`,
    );
  switch (col.type) {
    case 'Int':
    case 'Double':
      if (value.k === 'int' || value.k === 'float') return value;
      throw typeError();
    case 'Bool':
      // Only the TRUE / FALSE keywords are booleans; they never get here.
      throw typeError();
    case 'Datetime': {
      let us: number | undefined;
      if (value.k === 'int') us = nanosToMicros(value.v);
      else if (value.k === 'str') {
        us = parseRfc3339(value.v);
        if (us === undefined) throw invalidExpression(`unable to parse datetime '${value.v}'`);
      } else throw typeError();
      return { k: 'time', us, text: formatSqliteDatetime(us) };
    }
    default:
      if (value.k === 'str') return value;
      throw typeError();
  }
}
