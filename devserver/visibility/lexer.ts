/**
 * Tokenizer with the rules of the server's SQL tokenizer (temporalio/sqlparser):
 * case-insensitive keywords, '…' and "…" strings with backslash escapes and doubled
 * delimiters, `backquoted` identifiers, MySQL comments, and the same token boundaries,
 * so syntax-error positions and "near" texts come out as the server reports them.
 */

import { KEYWORDS } from './keywords';

export type NumType = 'int' | 'float' | 'hexnum' | 'hex' | 'bit' | 'valarg';

export type Token =
  | { kind: 'id'; text: string; end: number; near: string | null }
  | { kind: 'kw'; text: string; end: number; near: string | null }
  | { kind: 'str'; text: string; end: number; near: string | null }
  | { kind: 'num'; text: string; numType: NumType; end: number; near: string | null }
  | { kind: 'op'; text: string; end: number; near: string | null }
  | { kind: 'eof'; text: ''; end: number; near: null }
  | { kind: 'error'; text: string; end: number; near: string | null; endByteAdjust?: number };

const isLetter = (c: string): boolean =>
  (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '@';
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isHexDigit = (c: string): boolean => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

const ESCAPES: Record<string, string> = {
  '0': '\0',
  "'": "'",
  '"': '"',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
  '\\': '\\',
};

/** Go's bytes2.Buffer.Bytes() of an empty buffer is nil, which prints no "near". */
const nearOf = (s: string): string | null => (s === '' ? null : s);

export class Lexer {
  private pos = 0;
  private valArgs = 0;

  constructor(private readonly src: string) {}

  /** Continue scanning from an offset (for one-token lookahead). */
  seek(pos: number): void {
    this.pos = pos;
  }

  next(): Token {
    const s = this.src;
    for (;;) {
      this.skipBlank();
      if (this.pos >= s.length) return { kind: 'eof', text: '', end: s.length, near: null };
      const c = s[this.pos];
      if (isLetter(c)) {
        const n = s[this.pos + 1];
        if ((c === 'x' || c === 'X') && n === "'") return this.scanQuotedDigits(this.pos + 2, 'hex', 16);
        if ((c === 'b' || c === 'B') && n === "'") return this.scanQuotedDigits(this.pos + 2, 'bit', 2);
        return this.scanIdentifier();
      }
      if (isDigit(c)) return this.scanNumber(false);
      if (c === ':') return this.scanBindVar();
      this.pos++;
      const n = s[this.pos];
      switch (c) {
        case '=':
        case ',':
        case ';':
        case '(':
        case ')':
        case '+':
        case '*':
        case '%':
        case '^':
        case '~':
          return this.op(c);
        case '&':
          if (n === '&') return this.advance(1, { kind: 'kw', text: 'and', end: 0, near: null });
          return this.op(c);
        case '|':
          if (n === '|') return this.advance(1, { kind: 'kw', text: 'or', end: 0, near: null });
          return this.op(c);
        case '?':
          this.valArgs++;
          return { kind: 'num', numType: 'valarg', text: `:v${this.valArgs}`, end: this.pos, near: `:v${this.valArgs}` };
        case '.':
          if (n !== undefined && isDigit(n)) return this.scanNumber(true);
          return this.op(c);
        case '/':
          if (n === '/') {
            this.skipLineComment();
            continue;
          }
          if (n === '*') {
            const err = this.skipBlockComment();
            if (err) return err;
            continue;
          }
          return this.op(c);
        case '#':
          this.skipLineComment();
          continue;
        case '-':
          if (n === '-') {
            this.skipLineComment();
            continue;
          }
          if (n === '>') {
            if (s[this.pos + 1] === '>') return this.advance(2, { kind: 'op', text: '->>', end: 0, near: null });
            return this.advance(1, { kind: 'op', text: '->', end: 0, near: null });
          }
          return this.op(c);
        case '<':
          if (n === '>') return this.advance(1, { kind: 'op', text: '!=', end: 0, near: null });
          if (n === '<') return this.advance(1, { kind: 'op', text: '<<', end: 0, near: null });
          if (n === '=') {
            if (s[this.pos + 1] === '>') return this.advance(2, { kind: 'op', text: '<=>', end: 0, near: null });
            return this.advance(1, { kind: 'op', text: '<=', end: 0, near: null });
          }
          return this.op(c);
        case '>':
          if (n === '=') return this.advance(1, { kind: 'op', text: '>=', end: 0, near: null });
          if (n === '>') return this.advance(1, { kind: 'op', text: '>>', end: 0, near: null });
          return this.op(c);
        case '!':
          if (n === '=') return this.advance(1, { kind: 'op', text: '!=', end: 0, near: null });
          return this.op(c);
        case "'":
        case '"':
          return this.scanString(c);
        case '`':
          return this.scanBackquoted();
        default: {
          // Go scans bytes: the first byte of a non-ASCII character is an error on
          // its own (reported just past that byte; the whole character is shown).
          const cp = s.codePointAt(this.pos - 1) as number;
          if (cp > 0xffff) this.pos++;
          const ch = String.fromCodePoint(cp);
          const endByteAdjust = 1 - Buffer.byteLength(ch, 'utf8');
          return { kind: 'error', text: ch, end: this.pos, near: ch, endByteAdjust };
        }
      }
    }
  }

  private op(text: string): Token {
    return { kind: 'op', text, end: this.pos, near: null };
  }

  private advance(n: number, t: Token): Token {
    this.pos += n;
    t.end = this.pos;
    return t;
  }

  private skipBlank(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') return;
      this.pos++;
    }
  }

  private skipLineComment(): void {
    const i = this.src.indexOf('\n', this.pos);
    this.pos = i < 0 ? this.src.length : i + 1;
  }

  private skipBlockComment(): Token | undefined {
    const start = this.pos - 1;
    const i = this.src.indexOf('*/', this.pos + 1);
    if (i < 0) {
      this.pos = this.src.length;
      const text = this.src.slice(start);
      return { kind: 'error', text, end: this.pos, near: text };
    }
    this.pos = i + 2;
    return undefined;
  }

  private scanIdentifier(): Token {
    const s = this.src;
    const start = this.pos;
    this.pos++;
    while (this.pos < s.length && (isLetter(s[this.pos]) || isDigit(s[this.pos]))) this.pos++;
    const text = s.slice(start, this.pos);
    const lowered = text.toLowerCase();
    if (KEYWORDS.has(lowered)) return { kind: 'kw', text: lowered, end: this.pos, near: lowered };
    return { kind: 'id', text, end: this.pos, near: text };
  }

  private scanQuotedDigits(from: number, numType: 'hex' | 'bit', base: 16 | 2): Token {
    const s = this.src;
    let i = from;
    const ok = base === 16 ? isHexDigit : (c: string) => c === '0' || c === '1';
    while (i < s.length && ok(s[i])) i++;
    const digits = s.slice(from, i);
    if (s[i] !== "'" || (base === 16 && digits.length % 2 !== 0)) {
      this.pos = s[i] === "'" ? i + 1 : i;
      return { kind: 'error', text: digits, end: this.pos, near: nearOf(digits) };
    }
    this.pos = i + 1;
    return { kind: 'num', numType, text: digits, end: this.pos, near: nearOf(digits) };
  }

  private scanNumber(seenDot: boolean): Token {
    const s = this.src;
    const start = seenDot ? this.pos - 1 : this.pos;
    let numType: NumType = 'int';
    const digits = (): void => {
      while (this.pos < s.length && isDigit(s[this.pos])) this.pos++;
    };
    if (seenDot) {
      numType = 'float';
      digits();
    } else if (s[this.pos] === '0' && (s[this.pos + 1] === 'x' || s[this.pos + 1] === 'X')) {
      numType = 'hexnum';
      this.pos += 2;
      while (this.pos < s.length && isHexDigit(s[this.pos])) this.pos++;
    } else {
      digits();
      if (s[this.pos] === '.') {
        numType = 'float';
        this.pos++;
        digits();
      }
    }
    if (numType !== 'hexnum' && (s[this.pos] === 'e' || s[this.pos] === 'E')) {
      numType = 'float';
      this.pos++;
      if (s[this.pos] === '+' || s[this.pos] === '-') this.pos++;
      digits();
    }
    const text = s.slice(start, this.pos);
    if (this.pos < s.length && isLetter(s[this.pos])) return { kind: 'error', text, end: this.pos, near: text };
    return { kind: 'num', numType, text, end: this.pos, near: text };
  }

  private scanBindVar(): Token {
    const s = this.src;
    const start = this.pos;
    this.pos++;
    if (s[this.pos] === ':') this.pos++;
    if (this.pos >= s.length || !isLetter(s[this.pos])) {
      const text = s.slice(start, this.pos);
      return { kind: 'error', text, end: this.pos, near: text };
    }
    while (this.pos < s.length && (isLetter(s[this.pos]) || isDigit(s[this.pos]) || s[this.pos] === '.')) this.pos++;
    const text = s.slice(start, this.pos);
    return { kind: 'num', numType: 'valarg', text, end: this.pos, near: text };
  }

  private scanString(delim: string): Token {
    const s = this.src;
    let out = '';
    for (;;) {
      if (this.pos >= s.length) return { kind: 'error', text: out, end: s.length, near: nearOf(out) };
      const c = s[this.pos];
      if (c === '\\') {
        this.pos++;
        if (this.pos >= s.length) return { kind: 'error', text: out, end: s.length, near: nearOf(out) };
        const e = s[this.pos];
        out += ESCAPES[e] ?? e;
        this.pos++;
      } else if (c === delim) {
        this.pos++;
        if (s[this.pos] !== delim) return { kind: 'str', text: out, end: this.pos, near: nearOf(out) };
        out += delim;
        this.pos++;
      } else {
        out += c;
        this.pos++;
      }
    }
  }

  private scanBackquoted(): Token {
    const s = this.src;
    let out = '';
    for (;;) {
      if (this.pos >= s.length) return { kind: 'error', text: out, end: s.length, near: nearOf(out) };
      const c = s[this.pos];
      this.pos++;
      if (c !== '`') {
        out += c;
        continue;
      }
      if (s[this.pos] === '`') {
        out += '`';
        this.pos++;
        continue;
      }
      if (out === '') return { kind: 'error', text: out, end: this.pos, near: null };
      return { kind: 'id', text: out, end: this.pos, near: out };
    }
  }
}
