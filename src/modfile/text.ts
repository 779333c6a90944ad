/**
 * Go's `strings.TrimSpace`, `strings.Fields` and `unicode.IsSpace`, which the go.mod rules use on
 * comments. JavaScript's `trim` and `\s` disagree with Go (they strip U+FEFF and keep U+0085).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/strings/strings.go
 */

/** Go's `unicode.IsSpace`. */
export function isSpace(r: number): boolean {
  if (r <= 0xff) return r === 0x20 || (r >= 0x09 && r <= 0x0d) || r === 0x85 || r === 0xa0;
  return (
    r === 0x1680 || (r >= 0x2000 && r <= 0x200a) || r === 0x2028 || r === 0x2029 || r === 0x202f || r === 0x205f || r === 0x3000
  );
}

/** Go's `strings.TrimSpace`. */
export function trimSpace(s: string): string {
  let i = 0;
  let j = s.length;
  while (i < j && isSpace(s.charCodeAt(i))) i++;
  while (j > i && isSpace(s.charCodeAt(j - 1))) j--;
  return s.slice(i, j);
}

/**
 * Go's `strings.Fields`: the runs of non-space characters. Scanned by UTF-16 unit: every space
 * {@link isSpace} knows is in the BMP, so a unit of a surrogate pair is never one (the same runs as
 * by code point, without a string iterator's garbage: go.sum is read this way, line by line).
 */
export function fields(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    if (isSpace(s.charCodeAt(i))) {
      if (start >= 0) out.push(s.slice(start, i));
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) out.push(s.slice(start));
  return out;
}
