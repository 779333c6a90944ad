/**
 * The go.mod / go.work lexer. Positions count lines from 1, runes from 1 (an invalid UTF-8 byte is
 * one rune) and bytes from 0. `//` comments are whole-line (`COMMENT`, handed to the parser) or
 * suffix (`EOLCOMMENT`, queued for attachment after parsing); `/*` is an error anywhere.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/read.go (readToken)
 */
import { decodeRune, goString, isPrint, quoteRune } from '../internal/gostrconv.js';
import { ModfileError } from './errors.js';
import { zeroPosition, type Comment, type Position } from './syntax.js';

/** The end position of a token not ended yet (replaced in endToken, never mutated). */
const ZERO: Position = Object.freeze(zeroPosition());
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
  /** The token's text; '' for a comment, which {@link Input.comment} turns into a {@link Comment}. */
  text: string;
  /** The token's bytes start at data[from]; a comment's are data[from:to], its newline dropped. */
  from: number;
  to: number;
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

/** 1 for the ASCII bytes {@link isIdent} accepts: printable, not a space, not `()[]{},`. */
const IDENT_ASCII = new Uint8Array(128);
for (let b = 0x21; b < 0x7f; b++) IDENT_ASCII[b] = isIdent(b) ? 1 : 0;

/** The Go string of data[start:end]: ASCII sliced directly, anything else through goString. */
function textOf(data: Buffer, start: number, end: number): string {
  for (let i = start; i < end; i++) {
    if (data[i]! >= 0x80) return goString(data.subarray(start, end));
  }
  return data.toString('latin1', start, end);
}

/**
 * A comment of the file, its text decoded from the file's bytes when first read. A generated go.mod
 * can hold 10^5 comment lines, which a download never reads but the tree keeps, as go's does: as
 * strings they were a large part of what the garbage collector moved and marked (a 17 MiB go.mod,
 * bench/bigmod.ts: 29 % of the CPU in the collector; the commit that added this class has the gain).
 */
class SourceComment implements Comment {
  #text: string | undefined;
  // The position as numbers, not a Position object: one object a comment, not two.
  private readonly line: number;
  private readonly lineRune: number;
  private readonly byte: number;

  constructor(
    start: Position,
    public suffix: boolean,
    private readonly data: Buffer,
    private readonly from: number,
    private readonly to: number,
  ) {
    this.line = start.line;
    this.lineRune = start.lineRune;
    this.byte = start.byte;
  }

  get start(): Position {
    return { line: this.line, lineRune: this.lineRune, byte: this.byte };
  }

  get token(): string {
    return (this.#text ??= textOf(this.data, this.from, this.to));
  }

  set token(text: string) {
    this.#text = text;
  }
}

/** A copy of a position (an object literal: cheaper than a spread on a hot path). */
const copyPos = (p: Position): Position => ({ line: p.line, lineRune: p.lineRune, byte: p.byte });

export class Input {
  private readonly data: Buffer;
  private off = 0;
  token: Token = { kind: EOF, pos: zeroPosition(), endPos: zeroPosition(), text: '', from: 0, to: 0 };
  pos: Position = { line: 1, lineRune: 1, byte: 0 };
  /** Suffix comments, attached to the tree after parsing. */
  readonly comments: Comment[] = [];

  constructor(readonly filename: string, data: Uint8Array) {
    // A Buffer view (no copy) for latin1Slice in endToken.
    this.data = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }

  error(msg: string): never {
    throw new Abort(new ModfileError({ filename: this.filename, pos: { ...this.pos }, err: msg }));
  }

  private eof(): boolean {
    return this.off >= this.data.length;
  }

  private peekRune(): number {
    if (this.eof()) return 0;
    const b = this.data[this.off]!;
    return b < 0x80 ? b : decodeRune(this.data, this.off)[0];
  }

  private peekPrefix(p: string): boolean {
    for (let i = 0; i < p.length; i++) {
      if (this.off + i >= this.data.length || this.data[this.off + i] !== p.charCodeAt(i)) return false;
    }
    return true;
  }

  private readRune(): number {
    if (this.eof()) this.error('internal lexer error: readRune at EOF');
    const b = this.data[this.off]!;
    if (b < 0x80) {
      // ASCII without decoding (and without the decoder's tuple): most of any go.mod.
      this.off++;
      if (b === 0x0a) {
        this.pos.line++;
        this.pos.lineRune = 1;
      } else {
        this.pos.lineRune++;
      }
      this.pos.byte++;
      return b;
    }
    const [rune, size] = decodeRune(this.data, this.off);
    this.off += size;
    this.pos.lineRune++;
    this.pos.byte += size;
    return rune;
  }

  private startToken(): void {
    this.token = { kind: EOF, pos: copyPos(this.pos), endPos: ZERO, text: '', from: this.off, to: this.off };
  }

  private endToken(kind: TokenKind): void {
    let end = this.off;
    if (isCommentKind(kind)) {
      // Drop one trailing "\r\n" or "\n" from comment text.
      if (end - this.token.from >= 2 && this.data[end - 2] === 0x0d && this.data[end - 1] === 0x0a) end -= 2;
      else if (end > this.token.from && this.data[end - 1] === 0x0a) end -= 1;
    }
    this.token.kind = kind;
    if (isCommentKind(kind)) {
      // Its text is read through comment(); the parser never reads a comment's end.
      this.token.to = end;
      return;
    }
    this.token.text = textOf(this.data, this.token.from, end);
    this.token.endPos = copyPos(this.pos);
  }

  /** The comment that comment token `tok` is. */
  comment(tok: Token, suffix: boolean): Comment {
    return new SourceComment(tok.pos, suffix, this.data, tok.from, tok.to);
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
      const b = this.data[j]!;
      if (b < 0x80) {
        // ASCII (nearly always: indentation) without the decoder's tuple.
        if (!isSpace(b)) return false;
        j++;
        continue;
      }
      const [rune, size] = decodeRune(this.data, j);
      if (!isSpace(rune)) return false;
      j += size;
    }
    return true;
  }

  /**
   * Consumes the rest of a comment line through its newline (or to EOF), as a readRune loop would,
   * but an ASCII stretch at once: a generated go.mod can hold megabytes of comments.
   */
  private skipThroughNewline(): void {
    const data = this.data;
    let nl = data.indexOf(0x0a, this.off);
    if (nl >= 0) {
      // The newline starts the next line at rune 1: how many runes the comment held does not matter.
      this.pos.byte += nl - this.off;
      this.off = nl;
      this.readRune();
      return;
    }
    nl = data.length;
    let ascii = true;
    for (let i = this.off; i < nl; i++) {
      if (data[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      const n = nl - this.off;
      this.off = nl;
      this.pos.lineRune += n;
      this.pos.byte += n;
      if (!this.eof()) this.readRune();
      return;
    }
    while (!this.eof() && this.readRune() !== 0x0a) {
      // Consume through the newline.
    }
  }

  /**
   * Consumes the ASCII identifier bytes ahead at once (what the rune loop after it would consume one
   * call at a time), stopping before `//`, a non-identifier byte or a non-ASCII one; `/*` is the
   * lexer's error, at its position.
   */
  private skipAsciiIdent(): void {
    const data = this.data;
    let i = this.off;
    while (i < data.length) {
      const b = data[i]!;
      if (b >= 0x80 || IDENT_ASCII[b] === 0) break;
      if (b === 0x2f) {
        const next = data[i + 1];
        if (next === 0x2f) break;
        if (next === 0x2a) {
          this.advanceAscii(i);
          this.error('mod files must use // comments (not /* */ comments)');
        }
      }
      i++;
    }
    this.advanceAscii(i);
  }

  /** Moves to byte offset `to` over ASCII bytes that hold no newline. */
  private advanceAscii(to: number): void {
    const n = to - this.off;
    this.off = to;
    this.pos.lineRune += n;
    this.pos.byte += n;
  }

  readToken(): void {
    // Skip spaces, stopping at a non-space, a comment, or EOF.
    const data = this.data;
    while (!this.eof()) {
      const c = data[this.off]!;
      if (c === 0x20 || c === 0x09 || c === 0x0d) {
        this.off++;
        this.pos.lineRune++;
        this.pos.byte++;
        continue;
      }
      if (c === 0x2f && data[this.off + 1] === 0x2f) {
        this.startToken();
        const suffix = !this.onlySpaceBefore(this.pos.byte);
        this.readRune();
        this.readRune();
        this.skipThroughNewline();
        if (!suffix) {
          this.endToken(COMMENT);
          return;
        }
        this.endToken(EOLCOMMENT);
        this.comments.push(this.comment(this.token, true));
        return;
      }
      if (c === 0x2f && data[this.off + 1] === 0x2a) this.error('mod files must use // comments (not /* */ comments)');
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
    this.skipAsciiIdent();
    while (isIdent(this.peekRune())) {
      if (this.peekPrefix('//')) break;
      if (this.peekPrefix('/*')) this.error('mod files must use // comments (not /* */ comments)');
      this.readRune();
    }
    this.endToken(IDENT);
  }
}

