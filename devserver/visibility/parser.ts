/**
 * Parser for the visibility query text.
 *
 * Like the server, the query is treated as the tail of
 * `select * from table1 where <query>` (no `where` when it starts with
 * "order by" / "group by"), with the grammar and operator precedence of the
 * server's MySQL-dialect parser. Syntax errors are reported the way the server
 * does: "malformed SQL query: syntax error at position N near 'tok'", where N
 * counts bytes of that whole statement.
 */

import type { Node, OrderKey, Statement } from './ast';
import { exceedsMaxDepth } from './ast';
import { malformed } from './errors';
import { RESERVED } from './keywords';
import { TokenStream } from './stream';

const STATEMENT_PREFIX = 'select * from table1 ';

const COMPARE_OPS = new Set(['=', '<', '>', '<=', '>=', '!=', '<=>']);

/** Binary value operators and their precedence (higher binds tighter). */
const BINARY_OPS: ReadonlyMap<string, number> = new Map([
  ['|', 1],
  ['&', 2],
  ['<<', 3],
  ['>>', 3],
  ['+', 4],
  ['-', 4],
  ['*', 5],
  ['/', 5],
  ['%', 5],
  ['div', 5],
  ['mod', 5],
  ['^', 6],
]);

/** Reserved words that the grammar also accepts as function names. */
const FUNCTION_KEYWORDS = new Set([
  'left', 'right', 'if', 'replace', 'database', 'schema', 'values', 'insert', 'substr',
  'substring', 'mod', 'convert', 'cast', 'match', 'group_concat',
]);
const NILADIC_FUNCTIONS = new Set([
  'current_date', 'current_time', 'current_timestamp', 'utc_date', 'utc_time', 'utc_timestamp',
  'localtime', 'localtimestamp',
]);

export function parseQuery(query: string): Statement {
  const text = query.trim();
  if (text === '') return { groupBy: [], orderBy: [], hasLimit: false };
  const lower = text.toLowerCase();
  const withWhere = !lower.startsWith('order by') && !lower.startsWith('group by');
  const prefixBytes = STATEMENT_PREFIX.length + (withWhere ? 'where '.length : 0);
  const st = new Parser(text, prefixBytes).statement(withWhere);
  if (exceedsMaxDepth(st)) throw malformed('max ast depth reached');
  return st;
}

class Parser extends TokenStream {
  statement(withWhere: boolean): Statement {
    const st: Statement = { groupBy: [], orderBy: [], hasLimit: false };
    if (withWhere) st.where = this.expression();
    if (this.isKw('group')) {
      this.advance();
      this.expectKw('by');
      st.groupBy = this.expressionList();
    }
    if (this.isKw('having')) {
      this.advance();
      st.having = this.expression();
    }
    if (this.isKw('order')) {
      this.advance();
      this.expectKw('by');
      st.orderBy = this.orderList();
    }
    if (this.isKw('limit')) {
      this.advance();
      st.hasLimit = true;
      this.expression();
      if (this.isOp(',') || this.isKw('offset')) {
        this.advance();
        this.expression();
      }
    }
    this.lockClause();
    if (this.isOp(';')) this.advance();
    if (this.tok.kind !== 'eof') this.fail();
    return st;
  }

  private lockClause(): void {
    if (this.isKw('for')) {
      this.advance();
      this.expectKw('update');
    } else if (this.isKw('lock')) {
      this.advance();
      this.expectKw('in');
      this.expectKw('share');
      this.expectKw('mode');
    }
  }

  private orderList(): OrderKey[] {
    const keys: OrderKey[] = [];
    for (;;) {
      const expr = this.expression();
      let desc = false;
      if (this.isKw('asc')) this.advance();
      else if (this.isKw('desc')) {
        this.advance();
        desc = true;
      }
      keys.push({ expr, desc });
      if (!this.isOp(',')) return keys;
      this.advance();
    }
  }

  private expressionList(): Node[] {
    const items = [this.expression()];
    while (this.isOp(',')) {
      this.advance();
      items.push(this.expression());
    }
    return items;
  }

  private expression(): Node {
    let left = this.andExpr();
    while (this.isKw('or')) {
      this.advance();
      left = { t: 'or', left, right: this.andExpr() };
    }
    return left;
  }

  private andExpr(): Node {
    let left = this.notExpr();
    while (this.isKw('and')) {
      this.advance();
      left = { t: 'and', left, right: this.notExpr() };
    }
    return left;
  }

  private notExpr(): Node {
    if (!this.isKw('not')) return this.isExpr();
    this.enter(this.advance());
    const expr = this.notExpr();
    this.nesting--;
    return { t: 'not', expr };
  }

  private isExpr(): Node {
    let e = this.condition();
    while (this.isKw('is')) {
      this.advance();
      let op = 'is ';
      if (this.isKw('not')) {
        this.advance();
        op += 'not ';
      }
      if (!this.isKw('null') && !this.isKw('true') && !this.isKw('false')) this.fail();
      op += this.advance().text;
      e = { t: 'is', op, expr: e };
    }
    return e;
  }

  private condition(): Node {
    const left = this.value(1);
    const t = this.tok;
    if (t.kind === 'op' && COMPARE_OPS.has(t.text)) {
      this.advance();
      return { t: 'cmp', op: t.text, left, right: this.value(1) };
    }
    if (t.kind !== 'kw') return left;
    let not = false;
    if (t.text === 'not') {
      this.advance();
      not = true;
    }
    const prefix = not ? 'not ' : '';
    const w = this.tok.kind === 'kw' ? this.tok.text : '';
    switch (w) {
      case 'in':
        this.advance();
        return { t: 'cmp', op: `${prefix}in`, left, right: this.colTuple() };
      case 'like': {
        this.advance();
        const right = this.value(1);
        let escape: Node | undefined;
        if (this.isKw('escape')) {
          this.advance();
          escape = this.value(1);
        }
        return { t: 'cmp', op: `${prefix}like`, left, right, escape };
      }
      case 'regexp':
      case 'rlike':
        this.advance();
        return { t: 'cmp', op: `${prefix}regexp`, left, right: this.value(1) };
      case 'starts_with':
        this.advance();
        return { t: 'cmp', op: `${prefix}starts_with`, left, right: this.value(1) };
      case 'between': {
        this.advance();
        const from = this.value(1);
        this.expectKw('and');
        const to = this.value(1);
        return { t: 'range', op: not ? 'not between' : 'between', left, from, to };
      }
      default:
        if (not) this.fail();
        return left;
    }
  }

  private colTuple(): Node {
    if (!this.isOp('(')) this.fail();
    if (this.peekSubquery()) return this.subquery();
    this.enter(this.advance());
    const items = this.expressionList();
    this.expectOp(')');
    this.nesting--;
    return { t: 'tuple', items };
  }

  /** value_expression with binary operators of at least `minPrec`. */
  private value(minPrec: number): Node {
    let left = this.unary();
    for (;;) {
      const t = this.tok;
      const prec = t.kind === 'op' || t.kind === 'kw' ? BINARY_OPS.get(t.text) : undefined;
      if (prec === undefined || prec < minPrec) return left;
      this.advance();
      left = { t: 'binary', op: t.text === 'mod' ? '%' : t.text, left, right: this.value(prec + 1) };
    }
  }

  private unary(): Node {
    const t = this.tok;
    if (t.kind === 'kw' && t.text === 'interval') {
      this.enter(this.advance());
      const expr = this.value(1);
      if (this.tok.kind !== 'id' && (this.tok.kind !== 'kw' || RESERVED.has(this.tok.text))) this.fail();
      this.advance();
      this.nesting--;
      return { t: 'interval', expr };
    }
    const isOp = t.kind === 'op' && (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '!');
    const isKw = t.kind === 'kw' && (t.text === 'binary' || t.text === '_binary');
    if (!isOp && !isKw) return this.primary();
    this.enter(this.advance());
    const expr = this.unary();
    this.nesting--;
    if (expr.t === 'val' && expr.vt === 'int' && (t.text === '-' || t.text === '+')) {
      if (t.text === '+') return expr;
      return { t: 'val', vt: 'int', raw: expr.raw.startsWith('-') ? expr.raw.slice(1) : `-${expr.raw}` };
    }
    return { t: 'unary', op: t.text, expr };
  }

  private primary(): Node {
    const t = this.tok;
    switch (t.kind) {
      case 'str':
        this.advance();
        return { t: 'val', vt: 'str', raw: t.text };
      case 'num':
        this.advance();
        return { t: 'val', vt: t.numType, raw: t.text };
      case 'id':
        return this.identifier();
      case 'kw':
        if (t.text === 'null') {
          this.advance();
          return { t: 'null' };
        }
        if (t.text === 'true' || t.text === 'false') {
          this.advance();
          return { t: 'bool', v: t.text === 'true' };
        }
        if (NILADIC_FUNCTIONS.has(t.text)) {
          this.advance();
          if (this.isOp('(')) this.functionArguments();
          return { t: 'func', name: t.text, args: [] };
        }
        if (FUNCTION_KEYWORDS.has(t.text)) {
          this.advance();
          if (!this.isOp('(')) this.fail();
          this.functionArguments(t.text === 'group_concat');
          return t.text === 'group_concat' ? { t: 'groupconcat', args: [] } : { t: 'func', name: t.text, args: [] };
        }
        if (!RESERVED.has(t.text)) return this.identifier();
        return this.fail();
      case 'op':
        if (t.text === '(') return this.parenthesized();
        return this.fail();
      default:
        return this.fail();
    }
  }

  private identifier(): Node {
    const col = this.columnOrFunction();
    if (col.t === 'col' && (this.isOp('->') || this.isOp('->>'))) {
      const op = this.advance().text;
      const right = this.tok;
      if (right.kind !== 'str' && right.kind !== 'num' && !(right.kind === 'kw' && right.text === 'null')) this.fail();
      return { t: 'binary', op, left: col, right: this.primary() };
    }
    return col;
  }

  private columnOrFunction(): Node {
    const first = this.advance();
    if (this.isOp('(')) {
      this.functionArguments();
      return { t: 'func', name: first.text, args: [] };
    }
    if (!this.isOp('.')) return { t: 'col', name: first.text };
    this.advance();
    const second = this.tok;
    if (second.kind !== 'id' && second.kind !== 'kw') return this.fail();
    this.advance();
    if (this.isOp('(')) {
      this.functionArguments();
      return { t: 'func', name: `${first.text}.${second.text}`, args: [] };
    }
    if (!this.isOp('.')) return { t: 'col', qualifier: first.text, name: second.text };
    this.advance();
    const third = this.tok;
    if (third.kind !== 'id' && third.kind !== 'kw') return this.fail();
    this.advance();
    return { t: 'col', qualifier: `${first.text}.${second.text}`, name: third.text };
  }

  private parenthesized(): Node {
    if (this.peekSubquery()) return this.subquery();
    this.enter(this.advance());
    const items = this.expressionList();
    this.expectOp(')');
    this.nesting--;
    return items.length === 1 ? { t: 'paren', expr: items[0] } : { t: 'tuple', items };
  }

  /** A sub-select is never supported by the converter: skip it, balanced. */
  private subquery(): Node {
    this.skipArguments();
    return { t: 'subquery' };
  }

  /**
   * Function arguments (select_expression_list_opt): '*', or expressions with an
   * optional alias. The converter never looks at them, so they are not kept.
   */
  private functionArguments(generic = true): void {
    this.enter(this.advance());
    if (generic ? !this.isOp(')') : true) {
      if (generic && this.isKw('distinct')) this.advance();
      for (;;) {
        if (this.isOp('*')) this.advance();
        else {
          this.expression();
          if (this.isKw('as')) this.advance();
          const t = this.tok;
          if (t.kind === 'id' || t.kind === 'str' || (t.kind === 'kw' && !RESERVED.has(t.text))) this.advance();
          else if (t.kind === 'kw' && t.text === 'as') this.fail();
        }
        if (!this.isOp(',')) break;
        this.advance();
      }
    }
    this.expectOp(')');
    this.nesting--;
  }

  /** A sub-select is never supported by the converter: skip it, balanced. */
  private skipArguments(): void {
    this.enter(this.advance());
    let depth = 1;
    while (depth > 0) {
      const t = this.tok;
      if (t.kind === 'eof' || t.kind === 'error') this.fail();
      if (t.kind === 'op' && t.text === '(') depth++;
      else if (t.kind === 'op' && t.text === ')') depth--;
      this.advance();
    }
    this.nesting--;
  }
}
