/**
 * The byte input of the XML decoder (xmltoken.ts), as go's Decoder reads its reader: a byte at a
 * time with one byte of push-back, `\n` counted for error lines, a sticky error (the end of input,
 * a failed read, or the decoder's own).
 *
 * Input may arrive in pieces. Reading past the bytes pushed so far throws {@link NEED_MORE}; the
 * decoder then {@link XmlInput.rewind}s to the start of its token and reads it again once
 * {@link XmlInput.hungry} says enough has been pushed: twice what the token had used, so that a
 * long token costs linear time overall.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/encoding/xml/xml.go (getc, ungetc, mustgetc, space, syntaxError)
 */
import { GoError } from '../internal/errors.js';

/** Thrown when the bytes pushed so far end before the token being read does. */
export const NEED_MORE: unique symbol = Symbol('xml: need more input');

/** go's io.EOF as the input's error: the end of the input between tokens. */
export const EOF: unique symbol = Symbol('EOF');

const LF = 0x0a;

/** go's xml.SyntaxError: `XML syntax error on line N: msg`. */
export class XmlSyntaxError extends GoError {
  constructor(readonly msg: string, readonly line: number) {
    super('EXMLSYNTAX', `XML syntax error on line ${line}: ${msg}`);
    this.name = 'XmlSyntaxError';
  }
}

/** Where a token started: what {@link XmlInput.rewind} restores. */
export interface InputMark {
  readonly pos: number;
  readonly line: number;
  readonly nextByte: number;
}

export class XmlInput {
  /** go's d.line: 1 + the `\n` bytes read (a pushed-back `\n` uncounted). */
  line = 1;
  /** go's d.err: once set, every read fails. */
  err: GoError | typeof EOF | undefined;
  /** Unread input starts at #pos; #pending holds pushed pieces not yet joined to it. */
  #data = new Uint8Array(0);
  #pos = 0;
  #pending: Uint8Array[] = [];
  #pendingLen = 0;
  #ended = false;
  #readErr: GoError | undefined;
  #want = 0;
  #nextByte = -1;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#pending.push(chunk);
    this.#pendingLen += chunk.length;
  }

  /**
   * Marks the end of the input; with `readErr`, the input ended by a failed read, which a read at
   * the end then fails with (as go's decoder returns its reader's error).
   */
  end(readErr?: Error): void {
    this.#ended = true;
    if (readErr !== undefined) this.#readErr = readErr instanceof GoError ? readErr : new GoError('EREAD', readErr.message, { cause: readErr });
  }

  /** Whether the input pushed since the last rewind is still too little to read the token again. */
  hungry(): boolean {
    return !this.#ended && this.#data.length - this.#pos + this.#pendingLen < this.#want;
  }

  /** The start of a token; joins the pieces pushed since the last. */
  mark(): InputMark {
    if (this.#pending.length > 0) {
      const unread = this.#data.subarray(this.#pos);
      const joined = new Uint8Array(unread.length + this.#pendingLen);
      joined.set(unread);
      let at = unread.length;
      for (const c of this.#pending) {
        joined.set(c, at);
        at += c.length;
      }
      this.#data = joined;
      this.#pos = 0;
      this.#pending = [];
      this.#pendingLen = 0;
    }
    return { pos: this.#pos, line: this.line, nextByte: this.#nextByte };
  }

  /** Back to `m` after a {@link NEED_MORE}. */
  rewind(m: InputMark): void {
    this.#want = 2 * (this.#data.length - m.pos) + 1;
    this.#pos = m.pos;
    this.line = m.line;
    this.#nextByte = m.nextByte;
  }

  /**
   * go's getc: the next byte, or -1 with the reason in {@link err}.
   * @throws NEED_MORE
   */
  getc(): number {
    if (this.err !== undefined) return -1;
    let b: number;
    if (this.#nextByte >= 0) {
      b = this.#nextByte;
      this.#nextByte = -1;
    } else {
      if (this.#pos >= this.#data.length) {
        if (!this.#ended) throw NEED_MORE;
        this.err = this.#readErr ?? EOF;
        return -1;
      }
      b = this.#data[this.#pos++]!;
    }
    if (b === LF) this.line++;
    return b;
  }

  ungetc(b: number): void {
    if (b === LF) this.line--;
    this.#nextByte = b;
  }

  /** go's mustgetc: as getc, the end of input being `unexpected EOF`. */
  mustgetc(): number {
    const b = this.getc();
    if (b < 0 && this.err === EOF) this.err = this.syntaxError('unexpected EOF');
    return b;
  }

  /** go's space: skips spaces, tabs, `\r` and `\n`. */
  space(): void {
    for (;;) {
      const b = this.getc();
      if (b < 0) return;
      if (b !== 0x20 && b !== 0x0d && b !== LF && b !== 0x09) {
        this.ungetc(b);
        return;
      }
    }
  }

  /** go's syntaxError: the error at the current line. */
  syntaxError(msg: string): XmlSyntaxError {
    return new XmlSyntaxError(msg, this.line);
  }
}

/** A growable byte buffer: go's Decoder.buf. */
export class Scratch {
  #b = new Uint8Array(256);
  len = 0;

  reset(): void {
    this.len = 0;
  }

  push(c: number): void {
    if (this.len === this.#b.length) this.#grow(1);
    this.#b[this.len++] = c;
  }

  pushBytes(u: Uint8Array): void {
    if (this.len + u.length > this.#b.length) this.#grow(u.length);
    this.#b.set(u, this.len);
    this.len += u.length;
  }

  /** A view of bytes [from, to); valid until the next write. */
  view(from = 0, to = this.len): Uint8Array {
    return this.#b.subarray(from, to);
  }

  #grow(n: number): void {
    const b = new Uint8Array(Math.max(this.#b.length * 2, this.len + n));
    b.set(this.#b.subarray(0, this.len));
    this.#b = b;
  }
}
