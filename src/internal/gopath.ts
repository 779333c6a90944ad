/**
 * Go's `path` package (slash-separated paths), as far as gomod-dl needs it.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/path/path.go
 */

/**
 * Go's path.Clean: the shortest path equivalent to `p` by purely lexical processing. Works on any
 * string, including one whose characters stand for bytes (so invalid UTF-8 in a zip entry survives).
 */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const elem of p.split('/')) {
    if (elem === '' || elem === '.') continue;
    if (elem === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(elem);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}
