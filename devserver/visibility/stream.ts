/**
 * Token cursor shared by the parser: one token of lookahead, the parser's
 * nesting limit, and syntax errors in the server's format
 * ("<what> at position <byte offset + 1> near '<token>'").
 */

import { malformed } from './errors';
import { Lexer, type Token } from './lexer';

/** The server's parser refuses more nested parentheses / NOTs / unary operators. */
const MAX_NESTING = 200;

export abstract class TokenStream {
  private readonly lexer: Lexer;
  protected tok: Token;
  protected nesting = 0;

  constructor(
    protected readonly src: string,
    /** Bytes of the statement before the query text ("select * from table1 where "). */
    private readonly prefixBytes: number,
  ) {
    this.lexer = new Lexer(src);
    this.tok = this.lexer.next();
  }

  /** Whether the current '(' opens a sub-select. */
  protected peekSubquery(): boolean {
    const la = new Lexer(this.src);
    la.seek(this.tok.end);
    const t = la.next();
    return t.kind === 'kw' && t.text === 'select';
  }

  protected enter(t: Token): void {
    this.nesting++;
    if (this.nesting === MAX_NESTING) this.fail(t, 'max nesting level reached');
  }

  protected advance(): Token {
    const t = this.tok;
    this.tok = this.lexer.next();
    return t;
  }

  protected isKw(w: string): boolean {
    return this.tok.kind === 'kw' && this.tok.text === w;
  }

  protected isOp(o: string): boolean {
    return this.tok.kind === 'op' && this.tok.text === o;
  }

  protected expectKw(w: string): void {
    if (!this.isKw(w)) this.fail();
    this.advance();
  }

  protected expectOp(o: string): void {
    if (!this.isOp(o)) this.fail();
    this.advance();
  }

  protected fail(t: Token = this.tok, what = 'syntax error'): never {
    const adjust = t.kind === 'error' ? (t.endByteAdjust ?? 0) : 0;
    const position = this.prefixBytes + Buffer.byteLength(this.src.slice(0, t.end), 'utf8') + adjust + 1;
    const near = t.near === null ? '' : ` near '${t.near}'`;
    throw malformed(`${what} at position ${position}${near}`);
  }
}
