/**
 * Go `encoding/json` input: a syntax check with go's SyntaxError texts, then a tree that keeps
 * every member in order (duplicates included) and the byte span of every value, so callers can
 * reproduce json.Unmarshal's struct decoding (case-insensitive keys, last duplicate wins, raw bytes
 * for Unmarshaler types such as time.Time).
 *
 * Invariants (from go's scanner):
 * - The whole input is validated before any decoding: the first error is reported, as
 *   `invalid character <c> <context>` or `unexpected end of JSON input`.
 * - `<c>` is `strconv.Quote` of the offending byte taken as a rune (so byte 0xFF is `'ÿ'`), except
 *   `'\''` and `'"'`.
 * - Whitespace is only space, tab, CR and LF. Nesting deeper than 10000 is `invalid character '[' exceeded max depth`.
 * - Strings decode escapes; invalid UTF-8 bytes and unpaired `\uD800`-style escapes become U+FFFD.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/encoding/json/scanner.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/encoding/json/decode.go (unquoteBytes)
 */
import { GoError } from './errors.js';
import { decodeRune } from './gojson.js';
import { quote } from './gostrconv.js';

/** A parsed JSON value with its byte span `[start, end)` in the input. */
export type JsonNode =
  | { kind: 'object'; start: number; end: number; members: Array<[key: string, value: JsonNode]> }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'number'; start: number; end: number; text: string }
  | { kind: 'bool'; start: number; end: number; value: boolean }
  | { kind: 'null'; start: number; end: number };

type Container = Extract<JsonNode, { kind: 'object' | 'array' }>;

/** go's json.SyntaxError: `message` is exactly what go's Error() returns. */
export class JsonSyntaxError extends GoError {
  /** Byte offset after which the error occurred (go's Offset). */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super('EJSONSYNTAX', message);
    this.name = 'JsonSyntaxError';
    this.offset = offset;
  }
}

const MAX_DEPTH = 10000;

function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  const q = quote(String.fromCharCode(c));
  return "'" + q.slice(1, -1) + "'";
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function hexVal(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

/** Decodes raw string bytes (no escapes) the way go does: one U+FFFD per invalid byte. */
function decodeUtf8Go(b: Uint8Array): string {
  try {
    return utf8Fatal.decode(b);
  } catch {
    // Only invalid input gets here; WHATWG decoding would merge bad sequences, go does not.
    let out = '';
    for (let i = 0; i < b.length; ) {
      const [cp, width] = decodeRune(b, i);
      out += String.fromCodePoint(cp);
      i += width;
    }
    return out;
  }
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly b: Uint8Array) {}

  private fail(context: string): never {
    if (this.i >= this.b.length) throw new JsonSyntaxError('unexpected end of JSON input', this.b.length);
    throw new JsonSyntaxError(`invalid character ${quoteChar(this.b[this.i]!)} ${context}`, this.i);
  }

  private skipSpace(): void {
    while (this.i < this.b.length && isSpace(this.b[this.i]!)) this.i++;
  }

  parseTop(): JsonNode {
    this.skipSpace();
    const v = this.value();
    this.skipSpace();
    if (this.i < this.b.length) this.fail('after top-level value');
    return v;
  }

  /**
   * The values of a json.Decoder stream, each read when the caller asks for it: a scalar ends where
   * its last byte ends (what follows is the next value's business), and input that ends inside a
   * value is `unexpected EOF` (io.ErrUnexpectedEOF), not Unmarshal's `unexpected end of JSON input`.
   */
  *stream(): Generator<JsonNode> {
    for (;;) {
      this.skipSpace();
      if (this.i >= this.b.length) return;
      try {
        yield this.value();
      } catch (e) {
        if (e instanceof JsonSyntaxError && this.i >= this.b.length) throw new JsonSyntaxError('unexpected EOF', this.b.length);
        throw e;
      }
    }
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail('exceeded max depth');
  }

  /** Reads `"key"` and the `:` after it, leaving `this.i` at the member's value. */
  private memberKey(): string {
    if (this.b[this.i] !== 0x22) this.fail('looking for beginning of object key string');
    const key = this.string();
    this.skipSpace();
    if (this.b[this.i] !== 0x3a) this.fail('after object key');
    this.i++;
    this.skipSpace();
    return key;
  }

  /**
   * Parses one value. Iterative, with an explicit stack of open containers, because go accepts
   * nesting up to 10000 levels and recursion that deep would overflow the JS stack.
   */
  private value(): JsonNode {
    const stack: Array<{ node: Container; key: string }> = [];
    for (;;) {
      // Here a value starts at this.i: open a container, or read a complete scalar.
      let v: JsonNode;
      const c = this.b[this.i];
      const start = this.i;
      if (c === 0x7b || c === 0x5b) {
        this.enter();
        this.i++;
        this.skipSpace();
        const node: Container = c === 0x7b
          ? { kind: 'object', start, end: -1, members: [] }
          : { kind: 'array', start, end: -1, items: [] };
        if (this.b[this.i] !== (c === 0x7b ? 0x7d : 0x5d)) {
          stack.push({ node, key: node.kind === 'object' ? this.memberKey() : '' });
          continue;
        }
        this.i++;
        this.depth--;
        node.end = this.i;
        v = node;
      } else {
        v = this.scalar();
      }
      // A value is complete: attach it, closing every container it completes.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) return v;
        const obj = top.node.kind === 'object';
        if (top.node.kind === 'object') top.node.members.push([top.key, v]);
        else top.node.items.push(v);
        this.skipSpace();
        const d = this.b[this.i];
        if (d === 0x2c) {
          this.i++;
          this.skipSpace();
          if (obj) top.key = this.memberKey();
          break;
        }
        if (d !== (obj ? 0x7d : 0x5d)) this.fail(obj ? 'after object key:value pair' : 'after array element');
        this.i++;
        this.depth--;
        top.node.end = this.i;
        stack.pop();
        v = top.node;
      }
    }
  }

  private scalar(): JsonNode {
    const c = this.b[this.i];
    const start = this.i;
    switch (c) {
      case 0x22: return { kind: 'string', start, value: this.string(), end: this.i };
      case 0x74: this.literal('true'); return { kind: 'bool', start, end: this.i, value: true };
      case 0x66: this.literal('false'); return { kind: 'bool', start, end: this.i, value: false };
      case 0x6e: this.literal('null'); return { kind: 'null', start, end: this.i };
    }
    if (c === 0x2d || isDigit(c)) return this.number();
    return this.fail('looking for beginning of value');
  }

  private literal(word: string): void {
    this.i++;
    for (let k = 1; k < word.length; k++) {
      if (this.b[this.i] !== word.charCodeAt(k)) this.fail(`in literal ${word} (expecting '${word[k]}')`);
      this.i++;
    }
  }

  private number(): JsonNode {
    const start = this.i;
    if (this.b[this.i] === 0x2d) {
      this.i++;
      if (!isDigit(this.b[this.i])) this.fail('in numeric literal');
    }
    if (this.b[this.i] === 0x30) this.i++;
    else while (isDigit(this.b[this.i])) this.i++;
    if (this.b[this.i] === 0x2e) {
      this.i++;
      if (!isDigit(this.b[this.i])) this.fail('after decimal point in numeric literal');
      while (isDigit(this.b[this.i])) this.i++;
    }
    if (this.b[this.i] === 0x65 || this.b[this.i] === 0x45) {
      this.i++;
      if (this.b[this.i] === 0x2b || this.b[this.i] === 0x2d) this.i++;
      if (!isDigit(this.b[this.i])) this.fail('in exponent of numeric literal');
      while (isDigit(this.b[this.i])) this.i++;
    }
    const text = String.fromCharCode(...this.b.subarray(start, this.i));
    return { kind: 'number', start, end: this.i, text };
  }

  /** Scans a string at `this.i` (on the opening quote) and returns its decoded value. */
  private string(): string {
    this.i++;
    let out = '';
    let runStart = this.i;
    const flush = (): void => {
      if (this.i > runStart) out += decodeUtf8Go(this.b.subarray(runStart, this.i));
    };
    for (;;) {
      const c = this.b[this.i];
      if (c === undefined) this.fail('in string literal');
      if (c === 0x22) {
        flush();
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail('in string literal');
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      flush();
      this.i++;
      out += this.escape();
      runStart = this.i;
    }
  }

  private hex4(): number {
    let r = 0;
    for (let k = 0; k < 4; k++) {
      const h = hexVal(this.b[this.i]);
      if (h < 0) this.fail('in \\u hexadecimal character escape');
      r = r * 16 + h;
      this.i++;
    }
    return r;
  }

  private escape(): string {
    const c = this.b[this.i];
    const simple: Record<number, string> = { 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t', 0x5c: '\\', 0x2f: '/', 0x22: '"' };
    if (c !== undefined && simple[c] !== undefined) {
      this.i++;
      return simple[c]!;
    }
    if (c !== 0x75) this.fail('in string escape code');
    this.i++;
    const r = this.hex4();
    if (r < 0xd800 || r > 0xdfff) return String.fromCharCode(r);
    // go pairs a high surrogate with an immediately following \uDC00-\uDFFF escape; anything else
    // makes this escape U+FFFD and leaves the next one to be decoded on its own.
    if (r <= 0xdbff && this.b[this.i] === 0x5c && this.b[this.i + 1] === 0x75) {
      const save = this.i;
      this.i += 2;
      const r2 = this.hex4();
      if (r2 >= 0xdc00 && r2 <= 0xdfff) return String.fromCharCode(r, r2);
      this.i = save;
    }
    return '\ufffd';
  }
}

/**
 * The text of json.UnmarshalTypeError for `value` decoded into `into`: `value of type T`, or
 * `struct field S.F of type T`. The node kinds are encoding/json's own names for them.
 * @see https://github.com/golang/go/blob/go1.26.8/src/encoding/json/decode.go (UnmarshalTypeError.Error)
 */
export function unmarshalTypeText(value: JsonNode, into: string): string {
  return `json: cannot unmarshal ${value.kind} into Go ${into}`;
}

/**
 * Parses `data` as go's json.Unmarshal would scan it, or throws {@link JsonSyntaxError} with go's
 * message.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/encoding/json/scanner.go (checkValid)
 */
export function parseJson(data: Uint8Array): JsonNode {
  return new Parser(data).parseTop();
}

/**
 * The values of `data` as successive json.Decoder.Decode calls would scan them, lazily: the first
 * syntax error is thrown when the value that holds it is reached.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/encoding/json/stream.go (Decoder.readValue)
 */
export function parseJsonStream(data: Uint8Array): Iterable<JsonNode> {
  return new Parser(data).stream();
}
