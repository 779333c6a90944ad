/**
 * Go's `strconv.Quote`, `%q` of a rune, and `strconv.Unquote`, over Go strings (bytes).
 *
 * Go strings are arbitrary bytes; JavaScript strings are UTF-16. The two meet through
 * {@link goBytes} / {@link goString}, which map a byte that is not part of valid UTF-8 to the lone
 * surrogate U+DC80 + (byte − 0x80) and back (Python's "surrogateescape", PEP 383), so a file name or
 * go.mod token with invalid UTF-8 survives a round trip through a JS string and quotes as go does.
 * Any other lone surrogate stands for U+FFFD, as `TextEncoder` would encode it.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/strconv/quote.go
 */
import { GoError } from './errors.js';
import { isPrint } from './gounicode.js';

export { isPrint, isLetter, simpleFoldMin } from './gounicode.js';

/** Go's `utf8.RuneError`, U+FFFD. */
export const RUNE_ERROR = 0xfffd;

/** Thrown by {@link unquote} for anything Go's `strconv.Unquote` rejects (`strconv.ErrSyntax`). */
export class UnquoteError extends GoError {
  override readonly name = 'UnquoteError';
  constructor(readonly input: string) {
    super('ERR_GO_UNQUOTE', 'invalid syntax');
  }
}

/**
 * Decodes one rune at `b[i]` as Go's `utf8.DecodeRune` does: invalid or truncated encodings,
 * overlong forms, surrogates and values above U+10FFFF all yield (U+FFFD, 1).
 * @see https://github.com/golang/go/blob/go1.26.8/src/unicode/utf8/utf8.go
 */
export function decodeRune(b: Uint8Array, i: number): [rune: number, width: number] {
  const c0 = b[i]!;
  if (c0 < 0x80) return [c0, 1];
  let n: number;
  let r: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c0 >= 0xc2 && c0 <= 0xdf) [n, r] = [2, c0 & 0x1f];
  else if (c0 >= 0xe0 && c0 <= 0xef) {
    [n, r] = [3, c0 & 0x0f];
    if (c0 === 0xe0) lo = 0xa0; // overlong
    if (c0 === 0xed) hi = 0x9f; // surrogates
  } else if (c0 >= 0xf0 && c0 <= 0xf4) {
    [n, r] = [4, c0 & 0x07];
    if (c0 === 0xf0) lo = 0x90; // overlong
    if (c0 === 0xf4) hi = 0x8f; // above U+10FFFF
  } else return [RUNE_ERROR, 1];
  if (i + n > b.length) return [RUNE_ERROR, 1];
  for (let k = 1; k < n; k++) {
    const c = b[i + k]!;
    if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return [RUNE_ERROR, 1];
    r = (r << 6) | (c & 0x3f);
  }
  return [r, n];
}

/** Appends the UTF-8 encoding of r (a valid rune) to out. */
function pushRune(out: number[], r: number): void {
  if (r < 0x80) out.push(r);
  else if (r < 0x800) out.push(0xc0 | (r >> 6), 0x80 | (r & 0x3f));
  else if (r < 0x10000) out.push(0xe0 | (r >> 12), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
  else {
    out.push(0xf0 | (r >> 18), 0x80 | ((r >> 12) & 0x3f), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
  }
}

/** A UTF-16 unit that is half of no pair (with the `u` flag a pair is one code point). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const utf8 = new TextEncoder();

/**
 * The bytes of a Go string: a `Uint8Array` as is; a JS string as UTF-8, with U+DC80–U+DCFF standing
 * for the raw bytes 0x80–0xFF (see the module comment) and other lone surrogates for U+FFFD.
 */
export function goBytes(s: string | Uint8Array): Uint8Array {
  if (typeof s !== 'string') return s;
  // Without a lone surrogate (nearly always) the bytes are the string's UTF-8, natively.
  if (!LONE_SURROGATE.test(s)) return utf8.encode(s);
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const cu = s.charCodeAt(i);
    if (cu >= 0xd800 && cu <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        pushRune(out, 0x10000 + ((cu - 0xd800) << 10) + (lo - 0xdc00));
        i++;
        continue;
      }
    }
    if (cu >= 0xdc80 && cu <= 0xdcff) out.push(cu - 0xdc00);
    else if (cu >= 0xd800 && cu <= 0xdfff) pushRune(out, RUNE_ERROR);
    else pushRune(out, cu);
  }
  return Uint8Array.from(out);
}

/**
 * A Go string's bytes as a JS string: valid UTF-8 decoded, every other byte b as U+DC00 + b
 * (inverse of {@link goBytes}).
 */
export function goString(b: Uint8Array): string {
  // Valid UTF-8 (nearly always) decodes natively, the same code points the loop below yields.
  if (b.length > 16) {
    try {
      return strictUtf8.decode(b);
    } catch {
      // Invalid UTF-8: byte by byte below.
    }
  }
  let s = '';
  for (let i = 0; i < b.length; ) {
    const [r, w] = decodeRune(b, i);
    s += w === 1 && r === RUNE_ERROR ? String.fromCharCode(0xdc00 + b[i]!) : String.fromCodePoint(r);
    i += w;
  }
  return s;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Whether a Go string (given as bytes or a JS string as above) is valid UTF-8. */
export function isValidUtf8(s: string | Uint8Array): boolean {
  const b = goBytes(s);
  for (let i = 0; i < b.length; ) {
    const [r, w] = decodeRune(b, i);
    if (w === 1 && r === RUNE_ERROR) return false;
    i += w;
  }
  return true;
}

/**
 * Go's `strings.Compare` (bytewise order) for Go strings held as JS strings: code point order, which
 * equals UTF-8 byte order for valid text (JS `<` compares UTF-16 units and misorders U+E000–U+FFFF
 * against astral code points).
 */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; ) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

const hex = (n: number, digits: number): string => n.toString(16).padStart(digits, '0');

const SHORT_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x07, '\\a'],
  [0x08, '\\b'],
  [0x0c, '\\f'],
  [0x0a, '\\n'],
  [0x0d, '\\r'],
  [0x09, '\\t'],
  [0x0b, '\\v'],
]);

/** Go `appendEscapedRune` for a rune (not a raw byte) inside quotes `q`. */
function escapeRune(r: number, q: number): string {
  if (r === q || r === 0x5c) return '\\' + String.fromCharCode(r);
  if ((r >= 0x20 && r < 0x7f) || isPrint(r)) return String.fromCodePoint(r);
  const short = SHORT_ESCAPES.get(r);
  if (short !== undefined) return short;
  if (r < 0x20 || r === 0x7f) return '\\x' + hex(r, 2);
  if (r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = RUNE_ERROR;
  return r < 0x10000 ? '\\u' + hex(r, 4) : '\\U' + hex(r, 8);
}

/**
 * Go `strconv.Quote` (what `%q` prints for a string): double-quoted, non-printable runes escaped,
 * each byte of invalid UTF-8 as `\xNN`. The result is pure printable text plus valid printable runes.
 * @see https://github.com/golang/go/blob/go1.26.8/src/strconv/quote.go
 */
export function quote(s: string | Uint8Array): string {
  // Most quoted strings are module paths and file names: printable ASCII that needs no escapes.
  if (typeof s === 'string' && /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(s)) return `"${s}"`;
  const b = goBytes(s);
  let out = '"';
  for (let i = 0; i < b.length; ) {
    const [r, w] = decodeRune(b, i);
    out += w === 1 && r === RUNE_ERROR ? '\\x' + hex(b[i]!, 2) : escapeRune(r, 0x22);
    i += w;
  }
  return out + '"';
}

/**
 * Go `strconv.QuoteRune`, i.e. `%q` of a rune: single-quoted; an invalid rune prints as `'�'`.
 * @see https://github.com/golang/go/blob/go1.26.8/src/strconv/quote.go
 */
export function quoteRune(r: number): string {
  if (r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = RUNE_ERROR;
  return "'" + escapeRune(r, 0x27) + "'";
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

const SIMPLE_UNESCAPES: ReadonlyMap<number, number> = new Map([
  [0x61, 0x07], // \a
  [0x62, 0x08], // \b
  [0x66, 0x0c], // \f
  [0x6e, 0x0a], // \n
  [0x72, 0x0d], // \r
  [0x74, 0x09], // \t
  [0x76, 0x0b], // \v
  [0x5c, 0x5c], // \\
]);

/**
 * Unescapes one character of a quoted literal at `b[i]` (Go `strconv.UnquoteChar`): appends its bytes
 * to `out` and returns the index after it, or -1 on a syntax error.
 */
function unquoteChar(b: Uint8Array, i: number, q: number, out: number[]): number {
  const c = b[i]!;
  if (c === q) return -1;
  if (c >= 0x80) {
    // Invalid UTF-8 decodes to U+FFFD and is appended as such, as Go's UnquoteChar does.
    const [r, w] = decodeRune(b, i);
    pushRune(out, r);
    return i + w;
  }
  if (c !== 0x5c) {
    out.push(c);
    return i + 1;
  }
  if (i + 1 >= b.length) return -1;
  const e = b[i + 1]!;
  i += 2;
  const simple = SIMPLE_UNESCAPES.get(e);
  if (simple !== undefined) {
    out.push(simple);
    return i;
  }
  if (e === 0x78 || e === 0x75 || e === 0x55) {
    const n = e === 0x78 ? 2 : e === 0x75 ? 4 : 8;
    if (i + n > b.length) return -1;
    let v = 0;
    for (let j = 0; j < n; j++) {
      const x = unhex(b[i + j]!);
      if (x < 0) return -1;
      v = v * 16 + x;
    }
    if (e === 0x78) out.push(v); // a single byte, possibly not UTF-8
    else if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return -1;
    else pushRune(out, v);
    return i + n;
  }
  if (e >= 0x30 && e <= 0x37) {
    if (i + 2 > b.length) return -1;
    let v = e - 0x30;
    for (let j = 0; j < 2; j++) {
      const x = b[i + j]! - 0x30;
      if (x < 0 || x > 7) return -1;
      v = (v << 3) | x;
    }
    if (v > 255) return -1;
    out.push(v);
    return i + 2;
  }
  if ((e === 0x27 || e === 0x22) && e === q) {
    out.push(e);
    return i;
  }
  return -1;
}

/** {@link unquote} over bytes: the exact bytes Go's `strconv.Unquote` returns. */
export function unquoteBytes(s: string | Uint8Array): Uint8Array {
  const b = goBytes(s);
  const fail = (): never => {
    throw new UnquoteError(typeof s === 'string' ? s : goString(s));
  };
  if (b.length < 2) fail();
  const q = b[0]!;
  if (b[b.length - 1] !== q) fail();
  const body = b.subarray(1, b.length - 1);
  if (q === 0x60) {
    // Raw strings: no escapes, no inner backquote; carriage returns are discarded; the bytes are not
    // checked for valid UTF-8 (Go does not either).
    if (body.includes(0x60)) fail();
    return body.filter((c) => c !== 0x0d);
  }
  if (q !== 0x22 && q !== 0x27) fail();
  const out: number[] = [];
  let i = 0;
  let runes = 0;
  while (i < body.length) {
    if (body[i] === 0x0a) fail();
    i = unquoteChar(body, i, q, out);
    if (i < 0) fail();
    runes++;
  }
  // A character literal holds exactly one character; Go's fast path also accepts '' as "".
  if (q === 0x27 && runes > 1) fail();
  return Uint8Array.from(out);
}

/**
 * Go `strconv.Unquote`: the value of a `"…"`, `` `…` `` or `'…'` literal, as a Go string (see
 * {@link goString}: bytes that are not UTF-8, e.g. from `\xff`, become U+DC80–U+DCFF). Throws
 * {@link UnquoteError} for anything Go rejects.
 * @see https://github.com/golang/go/blob/go1.26.8/src/strconv/quote.go
 */
export function unquote(s: string): string {
  return goString(unquoteBytes(s));
}
