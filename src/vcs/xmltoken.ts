/**
 * The part of go's encoding/xml that cmd/go reads `?go-get=1` pages with: Decoder.RawToken with
 * `Strict = false` and no AutoClose or Entity map, over the page's bytes.
 *
 * Invariants (each from go's rawToken, text, name and procInst):
 * - Tokens are not matched or nested, and name-space prefixes are split off but not translated:
 *   `<x:meta>` is `meta` in space `x`; a name with two colons is no name at all.
 * - Non-strict: an attribute without `=` takes its own name as value; an unquoted value is the run
 *   of `[A-Za-z0-9_:-]` bytes; an unknown or malformed `&…` entity stays as written. Only `&lt;`,
 *   `&gt;`, `&amp;`, `&apos;`, `&quot;` and `&#…;` are replaced (`&nbsp;` stays `&nbsp;`).
 * - Character data and attribute values must be UTF-8 within XML's character range
 *   (`invalid UTF-8`, `illegal character code U+0000`); comments, directives and processing
 *   instructions are not checked. `]]>` outside CDATA, `<` inside a quoted value, `--` inside a
 *   comment and a `<` not followed by a name are errors.
 * - `<?xml … encoding="E"?>` other than UTF-8 goes to the charset hook, whose error stops the
 *   decoder (`xml: opening charset "E": …`); a version other than 1.0 stops it too.
 * - Errors are sticky and carry the line number at the point go notices them.
 * - Input may arrive in pieces: a token that runs past the bytes pushed so far throws
 *   {@link NEED_MORE}, and is read again from its start once more bytes (or the end) are pushed.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/encoding/xml/xml.go
 */
import { GoError } from '../internal/errors.js';
import { decodeRune, goString, quote, RUNE_ERROR } from '../internal/gostrconv.js';
import { isDigit, isHexLetter, isInCharacterRange, isNameByte, isUnquotedValueByte, isXmlName } from './xmlchars.js';
import { EOF, NEED_MORE, Scratch, XmlInput } from './xmlinput.js';

export { NEED_MORE, XmlSyntaxError } from './xmlinput.js';

/** A name as RawToken returns it: the prefix before a single colon (if any) and the rest. */
export interface XmlName {
  readonly space: string;
  readonly local: string;
}

export interface XmlAttr {
  readonly name: XmlName;
  readonly value: string;
}

/** A raw token; only elements carry their contents (nothing else here needs them). */
export type XmlToken =
  | { readonly kind: 'start'; readonly name: XmlName; readonly attr: readonly XmlAttr[] }
  | { readonly kind: 'end'; readonly name: XmlName }
  | { readonly kind: 'chardata' | 'comment' | 'directive' }
  | { readonly kind: 'procinst'; readonly target: string };

/**
 * go's Decoder.CharsetReader, reduced to its verdict: the bytes are never converted (cmd/go's hook
 * accepts only encodings it reads as UTF-8), so it returns the error that refuses `charset`, if any.
 * `charset` is the declared name's bytes.
 */
export type CharsetCheck = (charset: Uint8Array) => Error | undefined;

const LF = 0x0a;
const CR = 0x0d;
const QUOT = 0x22;
const HASH = 0x23;
const AMP = 0x26;
const APOS = 0x27;
const DASH = 0x2d;
const SLASH = 0x2f;
const SEMI = 0x3b;
const LT = 0x3c;
const EQ = 0x3d;
const GT = 0x3e;
const QUESTION = 0x3f;
const BANG = 0x21;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const CDATA_OPEN = [0x43, 0x44, 0x41, 0x54, 0x41, 0x5b]; // "CDATA["
const COMMENT_OPEN = [BANG, DASH, DASH]; // "!--"

const ENTITY: ReadonlyMap<string, string> = new Map([['lt', '<'], ['gt', '>'], ['amp', '&'], ['apos', "'"], ['quot', '"']]);
const MAX_RUNE = 0x10ffff;

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

/** strconv.ParseUint(digits, base, 64) when it succeeds with a value ≤ MaxRune; undefined otherwise. */
function runeValue(digits: string, base: 10 | 16): number | undefined {
  if (digits === '') return undefined;
  const significant = digits.replace(/^0+/, '');
  // More digits than U+10FFFF has is out of range (or out of uint64: ParseUint's error).
  if (significant.length > (base === 16 ? 6 : 7)) return undefined;
  const n = significant === '' ? 0 : parseInt(significant, base);
  return n <= MAX_RUNE ? n : undefined;
}

/** The UTF-8 of go's string(rune(n)): a surrogate becomes U+FFFD. */
function runeBytes(n: number): Uint8Array {
  return utf8Encoder.encode(String.fromCodePoint(n >= 0xd800 && n <= 0xdfff ? RUNE_ERROR : n));
}

/** go's fmt %U. */
function formatU(r: number): string {
  return 'U+' + r.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * go's procInst: the value of `param="…"` or `param='…'` in a processing instruction's text (a
 * latin1 string, one character a byte), "" when absent. As go's, it is not exact: `xencoding="x"`
 * counts too.
 */
function procInst(param: string, s: string): string {
  param += '=';
  const lenp = param.length;
  let i = 0;
  let sep = '';
  while (i < s.length) {
    const sub = s.slice(i);
    const k = sub.indexOf(param);
    if (k < 0 || lenp + k >= sub.length) return '';
    i += lenp + k + 1;
    const c = sub[lenp + k]!;
    if (c === "'" || c === '"') {
      sep = c;
      break;
    }
  }
  if (sep === '') return '';
  const j = s.indexOf(sep, i);
  return j < 0 ? '' : s.slice(i, j);
}

/** Bytes as a string of one character a byte (Node's latin1; TextDecoder's is windows-1252). */
function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
}

function latin1Bytes(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}

/** go's xml.Decoder with Strict=false, read through RawToken. */
export class XmlRawDecoder {
  readonly #charset: CharsetCheck;
  readonly #in = new XmlInput();
  #needClose = false;
  #toClose: XmlName = { space: '', local: '' };
  readonly #buf = new Scratch();

  /** @param charset go's CharsetReader, asked about any encoding declared other than UTF-8 */
  constructor(charset: CharsetCheck) {
    this.#charset = charset;
  }

  /** Adds input. */
  push(chunk: Uint8Array): void {
    this.#in.push(chunk);
  }

  /**
   * Marks the end of the input; with `readErr`, the input ended by a failed read, which the decoder
   * reports where it would have read on (as go's decoder returns its reader's error).
   */
  end(readErr?: Error): void {
    this.#in.end(readErr);
  }

  /** Whether the input pushed since the last {@link NEED_MORE} is still too little to try again. */
  hungry(): boolean {
    return this.#in.hungry();
  }

  /**
   * go's RawToken: the next token, or null at the end of the input.
   * @throws the decoder's error (go's text; sticky), or {@link NEED_MORE}
   */
  rawToken(): XmlToken | null {
    const mark = this.#in.mark();
    try {
      return this.#rawToken();
    } catch (e) {
      if (e === NEED_MORE) this.#in.rewind(mark);
      throw e;
    }
  }

  /** go's `return nil, d.err`. */
  #stop(): null {
    const err = this.#in.err;
    if (err === EOF || err === undefined) return null;
    throw err;
  }

  #rawToken(): XmlToken | null {
    if (this.#in.err !== undefined) return this.#stop();
    if (this.#needClose) {
      // The last element was self-closing (`<x/>`): its end now.
      this.#needClose = false;
      return { kind: 'end', name: this.#toClose };
    }
    let b = this.#in.getc();
    if (b < 0) return this.#stop();
    if (b !== LT) {
      this.#in.ungetc(b);
      return this.#text(-1, false) === null ? this.#stop() : { kind: 'chardata' };
    }
    if ((b = this.#in.mustgetc()) < 0) return this.#stop();
    switch (b) {
      case SLASH: {
        const name = this.#nsname();
        if (name === undefined) {
          this.#in.err ??= this.#in.syntaxError('expected element name after </');
          return this.#stop();
        }
        this.#in.space();
        if ((b = this.#in.mustgetc()) < 0) return this.#stop();
        if (b !== GT) {
          this.#in.err = this.#in.syntaxError(`invalid characters between </${name.local} and >`);
          return this.#stop();
        }
        return { kind: 'end', name };
      }
      case QUESTION:
        return this.#procInst();
      case BANG:
        return this.#bang();
    }
    // An element like <a href="foo">.
    this.#in.ungetc(b);
    const name = this.#nsname();
    if (name === undefined) {
      this.#in.err ??= this.#in.syntaxError('expected element name after <');
      return this.#stop();
    }
    const attr: XmlAttr[] = [];
    let empty = false;
    for (;;) {
      this.#in.space();
      if ((b = this.#in.mustgetc()) < 0) return this.#stop();
      if (b === SLASH) {
        empty = true;
        if ((b = this.#in.mustgetc()) < 0) return this.#stop();
        if (b !== GT) {
          this.#in.err = this.#in.syntaxError('expected /> in element');
          return this.#stop();
        }
        break;
      }
      if (b === GT) break;
      this.#in.ungetc(b);
      const aname = this.#nsname();
      if (aname === undefined) {
        this.#in.err ??= this.#in.syntaxError('expected attribute name in element');
        return this.#stop();
      }
      this.#in.space();
      if ((b = this.#in.mustgetc()) < 0) return this.#stop();
      let value: string;
      if (b !== EQ) {
        // Non-strict: `<option selected>` is selected="selected".
        this.#in.ungetc(b);
        value = aname.local;
      } else {
        this.#in.space();
        const data = this.#attrval();
        if (data === null) return this.#stop();
        value = utf8.decode(data);
      }
      attr.push({ name: aname, value });
    }
    if (empty) {
      this.#needClose = true;
      this.#toClose = name;
    }
    return { kind: 'start', name, attr };
  }

  /** `<?target …?>`, after `<?`; `<?xml` checks the version and the encoding. */
  #procInst(): XmlToken | null {
    const target = this.#name();
    if (target === undefined) {
      this.#in.err ??= this.#in.syntaxError('expected target name after <?');
      return this.#stop();
    }
    this.#in.space();
    const buf = this.#buf;
    buf.reset();
    let b0 = 0;
    for (;;) {
      const b = this.#in.mustgetc();
      if (b < 0) return this.#stop();
      buf.push(b);
      if (b0 === QUESTION && b === GT) break;
      b0 = b;
    }
    if (target === 'xml') {
      const content = latin1(buf.view(0, buf.len - 2));
      const ver = procInst('version', content);
      if (ver !== '' && ver !== '1.0') {
        this.#in.err = new GoError('EXMLVERSION', `xml: unsupported version ${quote(latin1Bytes(ver))}; only version 1.0 is supported`);
        return this.#stop();
      }
      const enc = procInst('encoding', content);
      // strings.EqualFold(enc, "utf-8"): no rune outside ASCII folds to a letter of "utf-8".
      if (enc !== '' && enc.toLowerCase() !== 'utf-8') {
        const encBytes = latin1Bytes(enc);
        const refused = this.#charset(encBytes);
        if (refused !== undefined) {
          this.#in.err = new GoError('EXMLCHARSET', `xml: opening charset ${quote(encBytes)}: ${refused.message}`, { cause: refused });
          return this.#stop();
        }
      }
    }
    return { kind: 'procinst', target };
  }

  /** After `<!`: a comment, a CDATA section or a directive. */
  #bang(): XmlToken | null {
    let b = this.#in.mustgetc();
    if (b < 0) return this.#stop();
    if (b === DASH) {
      if ((b = this.#in.mustgetc()) < 0) return this.#stop();
      if (b !== DASH) {
        this.#in.err = this.#in.syntaxError('invalid sequence <!- not part of <!--');
        return this.#stop();
      }
      let b0 = 0;
      let b1 = 0;
      for (;;) {
        if ((b = this.#in.mustgetc()) < 0) return this.#stop();
        if (b0 === DASH && b1 === DASH) {
          if (b !== GT) {
            this.#in.err = this.#in.syntaxError('invalid sequence "--" not allowed in comments');
            return this.#stop();
          }
          return { kind: 'comment' };
        }
        b0 = b1;
        b1 = b;
      }
    }
    if (b === LBRACKET) {
      for (const c of CDATA_OPEN) {
        if ((b = this.#in.mustgetc()) < 0) return this.#stop();
        if (b !== c) {
          this.#in.err = this.#in.syntaxError('invalid <![ sequence');
          return this.#stop();
        }
      }
      return this.#text(-1, true) === null ? this.#stop() : { kind: 'chardata' };
    }
    // A directive (<!DOCTYPE …>): up to the `>` outside quotes and nested `<…>`; comments inside
    // are skipped. go keeps the text; only where it ends matters here.
    let inquote = 0;
    let depth = 0;
    for (;;) {
      if ((b = this.#in.mustgetc()) < 0) return this.#stop();
      if (inquote === 0 && b === GT && depth === 0) return { kind: 'directive' };
      // go's `goto HandleB`: a byte that broke off a `<!--` is handled as if just read.
      for (let again = true; again;) {
        again = false;
        if (b === inquote) inquote = 0;
        else if (inquote !== 0) {
          // in quotes, no special action
        } else if (b === APOS || b === QUOT) inquote = b;
        else if (b === GT) depth--;
        else if (b === LT) {
          let i = 0;
          for (; i < COMMENT_OPEN.length; i++) {
            if ((b = this.#in.mustgetc()) < 0) return this.#stop();
            if (b !== COMMENT_OPEN[i]) break;
          }
          if (i < COMMENT_OPEN.length) {
            depth++;
            again = true;
            continue;
          }
          let b0 = 0;
          let b1 = 0;
          for (;;) {
            if ((b = this.#in.mustgetc()) < 0) return this.#stop();
            if (b0 === DASH && b1 === DASH && b === GT) break;
            b0 = b1;
            b1 = b;
          }
        }
      }
    }
  }

  /** go's attrval, after `=` and spaces: the value's bytes, or null with #err set. */
  #attrval(): Uint8Array | null {
    let b = this.#in.mustgetc();
    if (b < 0) return null;
    if (b === QUOT || b === APOS) return this.#text(b, false);
    this.#in.ungetc(b);
    const buf = this.#buf;
    buf.reset();
    for (;;) {
      if ((b = this.#in.mustgetc()) < 0) return null;
      if (!isUnquotedValueByte(b)) {
        this.#in.ungetc(b);
        break;
      }
      buf.push(b);
    }
    return buf.view();
  }

  /**
   * go's text: character data up to `<` (quote < 0), up to the quote byte, or up to `]]>` (cdata),
   * with entities replaced and `\r\n` / `\r` as `\n`; null with #err set on an error.
   */
  #text(quote: number, cdata: boolean): Uint8Array | null {
    const buf = this.#buf;
    buf.reset();
    let b0 = 0;
    let b1 = 0;
    let trunc = 0;
    for (;;) {
      let b = this.#in.getc();
      if (b < 0) {
        if (cdata) {
          if (this.#in.err === EOF) this.#in.err = this.#in.syntaxError('unexpected EOF in CDATA section');
          return null;
        }
        break;
      }
      if (quote < 0 && b0 === RBRACKET && b1 === RBRACKET && b === GT) {
        if (cdata) {
          trunc = 2;
          break;
        }
        this.#in.err = this.#in.syntaxError('unescaped ]]> not in CDATA section');
        return null;
      }
      if (b === LT && !cdata) {
        if (quote >= 0) {
          this.#in.err = this.#in.syntaxError('unescaped < inside quoted string');
          return null;
        }
        this.#in.ungetc(LT);
        break;
      }
      if (quote >= 0 && b === quote) break;
      if (b === AMP && !cdata) {
        const before = buf.len;
        buf.push(AMP);
        let text: Uint8Array | undefined;
        if ((b = this.#in.mustgetc()) < 0) return null;
        if (b === HASH) {
          buf.push(b);
          if ((b = this.#in.mustgetc()) < 0) return null;
          let base: 10 | 16 = 10;
          if (b === 0x78) { // 'x'
            base = 16;
            buf.push(b);
            if ((b = this.#in.mustgetc()) < 0) return null;
          }
          const start = buf.len;
          while (isDigit(b) || (base === 16 && isHexLetter(b))) {
            buf.push(b);
            if ((b = this.#in.mustgetc()) < 0) return null;
          }
          if (b !== SEMI) this.#in.ungetc(b);
          else {
            const n = runeValue(latin1(buf.view(start)), base);
            buf.push(SEMI);
            if (n !== undefined) text = runeBytes(n);
          }
        } else {
          this.#in.ungetc(b);
          if (!this.#readName() && this.#in.err !== undefined) return null;
          if ((b = this.#in.mustgetc()) < 0) return null;
          if (b !== SEMI) this.#in.ungetc(b);
          else {
            const name = buf.view(before + 1).slice();
            buf.push(SEMI);
            if (isXmlName(name)) {
              const e = ENTITY.get(utf8.decode(name));
              if (e !== undefined) text = utf8Encoder.encode(e);
            }
          }
        }
        if (text !== undefined) {
          buf.len = before;
          buf.pushBytes(text);
        }
        // Non-strict: an entity go does not know stays as written.
        b0 = 0;
        b1 = 0;
        continue;
      }
      if (b === CR) buf.push(LF);
      else if (b1 === CR && b === LF) {
        // \r\n: the \n is already written
      } else buf.push(b);
      b0 = b1;
      b1 = b;
    }
    const data = buf.view(0, buf.len - trunc);
    for (let i = 0; i < data.length;) {
      const [r, size] = decodeRune(data, i);
      if (r === RUNE_ERROR && size === 1) {
        this.#in.err = this.#in.syntaxError('invalid UTF-8');
        return null;
      }
      i += size;
      if (!isInCharacterRange(r)) {
        this.#in.err = this.#in.syntaxError(`illegal character code ${formatU(r)}`);
        return null;
      }
    }
    return data;
  }

  /** go's nsname: a name split at its one colon; undefined (#err unset) for two colons. */
  #nsname(): XmlName | undefined {
    const s = this.#name();
    if (s === undefined) return undefined;
    const colon = s.indexOf(':');
    if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) return undefined;
    if (colon <= 0 || colon === s.length - 1) return { space: '', local: s };
    return { space: s.slice(0, colon), local: s.slice(colon + 1) };
  }

  /** go's name: undefined when there is none (#err unset) or it is not a valid XML name (#err set). */
  #name(): string | undefined {
    this.#buf.reset();
    if (!this.#readName()) return undefined;
    const b = this.#buf.view();
    if (!isXmlName(b)) {
      this.#in.err = this.#in.syntaxError(`invalid XML name: ${goString(b)}`);
      return undefined;
    }
    return utf8.decode(b);
  }

  /** go's readName: appends name bytes (any byte ≥ 0x80 counts) to the scratch buffer. */
  #readName(): boolean {
    let b = this.#in.mustgetc();
    if (b < 0) return false;
    if (b < 0x80 && !isNameByte(b)) {
      this.#in.ungetc(b);
      return false;
    }
    this.#buf.push(b);
    for (;;) {
      if ((b = this.#in.mustgetc()) < 0) return false;
      if (b < 0x80 && !isNameByte(b)) {
        this.#in.ungetc(b);
        return true;
      }
      this.#buf.push(b);
    }
  }
}
