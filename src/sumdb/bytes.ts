// Byte helpers shared by note, tlog and the client: Go's base64.StdEncoding rules, Go's UTF-8 rules,
// and 64-bit-safe shifts (JavaScript's << and >> work on 32 bits; tree sizes do not fit).

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes like Go's `base64.StdEncoding.DecodeString`: padding required, any character outside the
 * alphabet rejected, `\r` and `\n` skipped, non-zero trailing bits tolerated. Returns undefined on error.
 * @see https://github.com/golang/go/blob/go1.26.8/src/encoding/base64/base64.go
 */
export function decodeStdBase64(s: string): Uint8Array | undefined {
  const t = s.includes('\r') || s.includes('\n') ? s.replace(/[\r\n]/g, '') : s;
  if (!STD_BASE64.test(t)) return undefined;
  return new Uint8Array(Buffer.from(t, 'base64'));
}

/** Go's `base64.StdEncoding.EncodeToString`. */
export function encodeStdBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decodes valid UTF-8 (throws on invalid input); a leading BOM is kept, as Go keeps it. */
export function decodeUtf8(b: Uint8Array): string {
  return utf8.decode(b);
}

/**
 * Reports whether b is valid UTF-8 with no control character other than `\n` — the rule that
 * note.Open and tlog's isValidRecordText apply rune by rune (a byte below 0x20 in valid UTF-8 is
 * always that rune; DEL is allowed).
 */
export function isTextWithoutControls(b: Uint8Array): boolean {
  for (const c of b) if (c < 0x20 && c !== 0x0a) return false;
  try {
    utf8.decode(b);
    return true;
  } catch {
    return false;
  }
}

/** Concatenates byte slices. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** Byte-wise equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Index of `needle` in `hay` from `from`, or -1. */
export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(needle, from);
}

/** Last index of `needle` in `hay`, or -1. */
export function lastIndexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).lastIndexOf(needle);
}

/** n << k for non-negative integers up to 2^53. */
export function shl(n: number, k: number): number {
  return n * 2 ** k;
}

/** n >> k for non-negative integers up to 2^53. */
export function shr(n: number, k: number): number {
  return Math.floor(n / 2 ** k);
}

/** Number of trailing zero bits of a positive integer up to 2^53 (64 for 0, like bits.TrailingZeros64). */
export function trailingZeros(n: number): number {
  if (n === 0) return 64;
  let z = 0;
  while (n % 2 === 0) {
    n /= 2;
    z++;
  }
  return z;
}
