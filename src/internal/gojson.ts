/**
 * Go `encoding/json` output, byte for byte.
 *
 * Invariants (checked against go 1.26):
 * - Strings escape `"` `\\` and, since Go 1.22, `\b` `\f` `\n` `\r` `\t` with their short forms; every
 *   other control character below U+0020 is `\u00XX` (lower-case hex). U+007F is written raw.
 * - HTML escaping is on (json.Marshal's default): `<` `>` `&` become `\u003c` `\u003e` `\u0026`, and
 *   U+2028 / U+2029 become `\u2028` / `\u2029`.
 * - Invalid UTF-8 (byte input) is written as `\ufffd`, one per bad byte as Go's utf8.DecodeRune
 *   reports it; a lone UTF-16 surrogate (string input) is `\ufffd` too.
 * - Object keys keep insertion order (callers build objects in Go's struct-field order);
 *   `undefined` members are omitted, so omitempty is the caller's decision.
 * - MarshalIndent writes `{}` and `[]` for empty containers, `": "` after keys, and the prefix at
 *   the start of every line but the first.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/encoding/json/encode.go
 */
import { GoError } from './errors.js';

/** A value this encoder can write. `undefined` members of objects are skipped. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | Uint8Array
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** Thrown for values Go's encoder refuses (NaN, ±Inf), with Go's message. */
export class JsonUnsupportedValueError extends GoError {
  constructor(value: string) {
    super('EJSONUNSUPPORTED', `json: unsupported value: ${value}`);
    this.name = 'JsonUnsupportedValueError';
  }
}

const HEX = '0123456789abcdef';

function escapeCodePoint(cp: number): string | undefined {
  switch (cp) {
    case 0x22: return '\\"';
    case 0x5c: return '\\\\';
    case 0x08: return '\\b';
    case 0x0c: return '\\f';
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x09: return '\\t';
    case 0x3c: case 0x3e: case 0x26:
      return '\\u00' + HEX[cp >> 4] + HEX[cp & 0xf];
    case 0x2028: return '\\u2028';
    case 0x2029: return '\\u2029';
  }
  if (cp < 0x20) return '\\u00' + HEX[cp >> 4] + HEX[cp & 0xf];
  return undefined;
}

/**
 * Decodes one rune from UTF-8 bytes the way Go's utf8.DecodeRune does: any invalid or truncated
 * sequence (overlong, surrogate, > U+10FFFF) yields U+FFFD with width 1.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/unicode/utf8/utf8.go (DecodeRune)
 */
export function decodeRune(b: Uint8Array, i: number): [cp: number, width: number] {
  const c0 = b[i]!;
  if (c0 < 0x80) return [c0, 1];
  const bad: [number, number] = [0xfffd, 1];
  const cont = (k: number, lo = 0x80, hi = 0xbf): number | undefined => {
    const c = b[i + k];
    return c !== undefined && c >= lo && c <= hi ? c & 0x3f : undefined;
  };
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    const c1 = cont(1);
    return c1 === undefined ? bad : [((c0 & 0x1f) << 6) | c1, 2];
  }
  if (c0 >= 0xe0 && c0 <= 0xef) {
    // The second byte's range excludes overlongs (E0) and surrogates (ED).
    const c1 = cont(1, c0 === 0xe0 ? 0xa0 : 0x80, c0 === 0xed ? 0x9f : 0xbf);
    const c2 = cont(2);
    if (c1 === undefined || c2 === undefined) return bad;
    return [((c0 & 0x0f) << 12) | (c1 << 6) | c2, 3];
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    const c1 = cont(1, c0 === 0xf0 ? 0x90 : 0x80, c0 === 0xf4 ? 0x8f : 0xbf);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 === undefined || c2 === undefined || c3 === undefined) return bad;
    return [((c0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4];
  }
  return bad;
}

/**
 * Go's JSON encoding of a string (with the quotes), HTML-escaped as json.Marshal does.
 * A `Uint8Array` is treated as a Go string of bytes (invalid UTF-8 → `\ufffd` per bad byte).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/encoding/json/encode.go (appendString)
 */
export function jsonString(s: string | Uint8Array): string {
  let out = '"';
  if (typeof s === 'string') {
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
      else out += escapeCodePoint(cp) ?? String.fromCodePoint(cp);
      i += width;
    }
  } else {
    for (let i = 0; i < s.length; ) {
      const [cp, width] = decodeRune(s, i);
      if (cp === 0xfffd && width === 1) out += '\\ufffd';
      else out += escapeCodePoint(cp) ?? String.fromCodePoint(cp);
      i += width;
    }
  }
  return out + '"';
}

/**
 * Go's float64 encoding: shortest round-trip digits, `%f` style for 1e-6 ≤ |x| < 1e21, else
 * exponent form with a two-digit-minimum-free exponent (`1e-7`, `1e+21`). JavaScript's
 * Number#toString uses the same digits and the same thresholds, so only -0 and non-finite
 * values need care.
 */
function jsonNumber(n: number): string {
  if (!Number.isFinite(n)) throw new JsonUnsupportedValueError(String(n).replace('Infinity', 'Inf'));
  if (Object.is(n, -0)) return '-0';
  return String(n);
}

function isArray(v: JsonValue): v is readonly JsonValue[] {
  return Array.isArray(v);
}

function encode(v: JsonValue, prefix: string, indent: string | undefined, depth: number): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string' || v instanceof Uint8Array) return jsonString(v);
  if (typeof v === 'number') return jsonNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const nl = indent === undefined ? '' : '\n' + prefix + indent.repeat(depth + 1);
  const close = indent === undefined ? '' : '\n' + prefix + indent.repeat(depth);
  const colon = indent === undefined ? ':' : ': ';
  if (isArray(v)) {
    if (v.length === 0) return '[]';
    const parts = v.map((e) => nl + encode(e, prefix, indent, depth + 1));
    return '[' + parts.join(',') + close + ']';
  }
  const parts: string[] = [];
  for (const [k, e] of Object.entries(v)) {
    if (e === undefined) continue;
    parts.push(nl + jsonString(k) + colon + encode(e, prefix, indent, depth + 1));
  }
  if (parts.length === 0) return '{}';
  return '{' + parts.join(',') + close + '}';
}

/**
 * Compact encoding, as Go's `json.Marshal` (HTML-escaped, no trailing newline).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/encoding/json/encode.go (Marshal)
 */
export function marshal(v: JsonValue): string {
  return encode(v, '', undefined, 0);
}

/**
 * Indented encoding, as Go's `json.MarshalIndent(v, prefix, indent)`: no prefix before the first
 * line, no trailing newline.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/encoding/json/indent.go (MarshalIndent)
 */
export function marshalIndent(v: JsonValue, prefix: string, indent: string): string {
  return encode(v, prefix, indent, 0);
}
