/**
 * Case-folded keys for detecting file names that collide on case-insensitive file systems.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/zip/zip.go (strToFold)
 */
import { decodeRune, goBytes, simpleFoldMin } from '../internal/gostrconv.js';

/**
 * x/mod zip's `strToFold`: every rune replaced by the smallest rune of its `unicode.SimpleFold`
 * orbit, then A–Z lower-cased; two names collide iff their folds are equal (`M.GO` ~ `m.go`,
 * `K` (Kelvin sign) ~ `k`, `ſ` ~ `s`). Invalid UTF-8 bytes fold to U+FFFD, as Go's range loop decodes
 * them. Takes raw bytes or a JS string (U+DC80–U+DCFF standing for raw bytes).
 */
export function toFold(s: string | Uint8Array): string {
  // Fast path (nearly every name): in ASCII each orbit's minimum, lower-cased, is the lower case.
  if (typeof s === 'string' && ASCII.test(s)) return s.toLowerCase();
  const b = goBytes(s);
  let out = '';
  for (let i = 0; i < b.length; ) {
    const [r, w] = decodeRune(b, i);
    let f = simpleFoldMin(r);
    if (f >= 0x41 && f <= 0x5a) f += 0x20;
    out += String.fromCodePoint(f);
    i += w;
  }
  return out;
}

const ASCII = /^[\x00-\x7f]*$/;
