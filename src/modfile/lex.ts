/**
 * The go.mod / go.work lexer. Positions count lines from 1, runes from 1 (an invalid UTF-8 byte is
 * one rune) and bytes from 0. `//` comments are whole-line (`COMMENT`, handed to the parser) or
 * suffix (`EOLCOMMENT`, queued for attachment after parsing); `/*` is an error anywhere.
 *
 * @see /usr/local/go/src/cmd/vendor/golang.org/x/mod/modfile/read.go (readToken)
 */
import { decodeRune, goString, isPrint, quoteRune } from '../internal/gostrconv.js';
import { ModfileError } from './errors.js';
import { zeroPosition, type Comment, type Position } from './syntax.js';
import { isSpace } from './text.js';

export const EOF = -1;
export const EOLCOMMENT = -2;
const IDENT = -3;
const STRING = -4;
export const COMMENT = -5;
/** Token kinds: the negative constants above, or the ASCII code of `\n ( ) [ ] { } ,`. */
export type TokenKind = number;

export interface Token {
  kind: TokenKind;
  pos: Position;
  endPos: Position;
  text: string;
}

export const isEOL = (k: TokenKind): boolean => k === EOF || k === EOLCOMMENT || k === 0x0a;
const isCommentKind = (k: TokenKind): boolean => k === COMMENT || k === EOLCOMMENT;

/** Thrown inside the parser to abort; never escapes {@link parseSyntax}. */
export class Abort {
  constructor(readonly error: ModfileError) {}
}

function isIdent(r: number): boolean {
  switch (r) {
    case 0x20: case 0x28: case 0x29: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x2c:
      return false;
    default:
      return !isSpace(r) && isPrint(r);
  }
}

export class Input {
  private readonly data: Uint8Array;
  private off = 0;
  private tokenStart = 0;
  token: Token = { kind: EOF, pos: zeroPosition(), endPos: zeroPosition(), text: '' };
  pos: Position = { line: 1, lineRune: 1, byte: 0 };
  /** Suffix comments, attached to the tree after parsing. */
  readonly comments: Comment[] = [];

  constructor(readonly filename: string, data: Uint8Array) {
    this.data = data;
  }

  error(msg: string): never {
    throw new Abort(new ModfileError({ filename: this.filename, pos: { ...this.pos }, err: msg }));
  }

  private eof(): boolean {
    return this.off >= this.data.length;
  }

  private peekRune(): number {
    return this.eof() ? 0 : decodeRune(this.data, this.off)[0];
  }

  private peekPrefix(p: string): boolean {
    for (let i = 0; i < p.length; i++) {
      if (this.off + i >= this.data.length || this.data[this.off + i] !== p.charCodeAt(i)) return false;
    }
    return true;
  }

  private readRune(): number {
    if (this.eof()) this.error('internal lexer error: readRune at EOF');
    const [rune, size] = decodeRune(this.data, this.off);
    this.off += size;
    if (rune === 0x0a) {
      this.pos.line++;
      this.pos.lineRune = 1;
    } else {
      this.pos.lineRune++;
    }
    this.pos.byte += size;
    return rune;
  }

  private startToken(): void {
    this.tokenStart = this.off;
    this.token = { kind: EOF, pos: { ...this.pos }, endPos: zeroPosition(), text: '' };
  }

  private endToken(kind: TokenKind): void {
    let end = this.off;
    if (isCommentKind(kind)) {
      // Drop one trailing "\r\n" or "\n" from comment text.
      if (end - this.tokenStart >= 2 && this.data[end - 2] === 0x0d && this.data[end - 1] === 0x0a) end -= 2;
      else if (end > this.tokenStart && this.data[end - 1] === 0x0a) end -= 1;
    }
    this.token.kind = kind;
    this.token.text = goString(this.data.subarray(this.tokenStart, end));
    this.token.endPos = { ...this.pos };
  }

  peek(): TokenKind {
    return this.token.kind;
  }

  lex(): Token {
    const tok = this.token;
    this.readToken();
    return tok;
  }

  /** Whether only spaces (bytes.TrimSpace) precede byte offset `at` on its line. */
  private onlySpaceBefore(at: number): boolean {
    let i = at - 1;
    while (i >= 0 && this.data[i] !== 0x0a) i--;
    // bytes.TrimSpace trims Unicode spaces, so decode the runes between the newline and here.
    let j = i + 1;
    while (j < at) {
      const [rune, size] = decodeRune(this.data, j);
      if (!isSpace(rune)) return false;
      j += size;
    }
    return true;
  }

  readToken(): void {
    // Skip spaces, stopping at a non-space, a comment, or EOF.
    while (!this.eof()) {
      const c = this.peekRune();
      if (c === 0x20 || c === 0x09 || c === 0x0d) {
        this.readRune();
        continue;
      }
      if (this.peekPrefix('//')) {
        this.startToken();
        const suffix = !this.onlySpaceBefore(this.pos.byte);
        this.readRune();
        this.readRune();
        while (!this.eof() && this.readRune() !== 0x0a) {
          // Consume through the newline.
        }
        if (!suffix) {
          this.endToken(COMMENT);
          return;
        }
        this.endToken(EOLCOMMENT);
        this.comments.push({ start: this.token.pos, token: this.token.text, suffix: true });
        return;
      }
      if (this.peekPrefix('/*')) this.error('mod files must use // comments (not /* */ comments)');
      break;
    }

    this.startToken();
    if (this.eof()) {
      this.endToken(EOF);
      return;
    }

    const c = this.peekRune();
    switch (c) {
      case 0x0a: case 0x28: case 0x29: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x2c:
        this.readRune();
        this.endToken(c);
        return;
      case 0x22: // "
      case 0x60: { // `
        const quote = c;
        this.readRune();
        for (;;) {
          if (this.eof()) {
            this.pos = { ...this.token.pos };
            this.error('unexpected EOF in string');
          }
          if (this.peekRune() === 0x0a) this.error('unexpected newline in string');
          const r = this.readRune();
          if (r === quote) break;
          if (r === 0x5c && quote !== 0x60) {
            if (this.eof()) {
              this.pos = { ...this.token.pos };
              this.error('unexpected EOF in string');
            }
            this.readRune();
          }
        }
        this.endToken(STRING);
        return;
      }
    }

    if (!isIdent(c)) this.error(`unexpected input character ${quoteRune(c)}`);
    while (isIdent(this.peekRune())) {
      if (this.peekPrefix('//')) break;
      if (this.peekPrefix('/*')) this.error('mod files must use // comments (not /* */ comments)');
      this.readRune();
    }
    this.endToken(IDENT);
  }
}

