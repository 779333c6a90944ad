/**
 * The `server response:` detail go appends to HTTP errors.
 *
 * Invariants (go 1.26 web/api.go, checked in test/fetch/http.test.ts against go):
 * - Only for non-200 responses whose Content-Type media type is `text/plain` with charset `us-ascii`,
 *   `utf-8` or none (case-insensitive).
 * - The captured text (see `captured`: for a small answer, all of it) must be valid UTF-8 made only of
 *   graphic characters and white space; otherwise there is no detail at all.
 * - Lines are taken up to the first blank (all-white-space) line; line 9 and later become
 *   `[Truncated: too many lines.]`; a line that would take the detail past 648 bytes (counting the
 *   `\n\t` separators) becomes `[Truncated: too long.]`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/web/api.go (formatErrorDetail)
 */
const MAX_LINES = 8;
const MAX_BYTES = MAX_LINES * 81;

/** Whether go would look for a detail in a body with this Content-Type (Go's mime.ParseMediaType). */
export function wantsErrorDetail(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [media = '', ...params] = contentType.split(';');
  if (media.trim().toLowerCase() !== 'text/plain') return false;
  let charset = '';
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    if (p.slice(0, eq).trim().toLowerCase() === 'charset') {
      charset = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    }
  }
  return charset === '' || charset === 'us-ascii' || charset === 'utf-8';
}

/** How many body bytes are worth reading for the detail: the lines after the ninth never count. */
export const ERROR_DETAIL_READ_LIMIT = 64 * 1024;

/**
 * The size of the reads go's errorDetailBuffer sees: net/http's body reads come out of the connection's
 * 4 KiB bufio.Reader. A small answer arrives in one read, so the whole of it is captured. (go's first
 * read is what followed the headers in that buffer, so where a long answer's reads end is not known
 * here: only answers that fit in one read are checked exactly as go checks them.)
 */
const GO_READ_SIZE = 4096;

// Go's unicode.IsGraphic or unicode.IsSpace.
const GRAPHIC_OR_SPACE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}\t\n\v\f\r\u0085\u2028\u2029]*$/u;

/**
 * What go's errorDetailBuffer keeps of a body read in {@link GO_READ_SIZE} pieces: each read split
 * after at most `8 - lines` newlines (bytes.SplitAfterN), its last piece unsplit, until 8 lines are
 * counted. So a read holding the eighth newline is kept whole, lines after it included.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/web/api.go (errorDetailBuffer.Read)
 */
function captured(body: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = [];
  let lines = 0;
  for (let off = 0; off < body.length; off += GO_READ_SIZE) {
    const n = MAX_LINES - lines; // SplitAfterN's count; 0 keeps nothing
    if (n <= 0) break;
    const p = body.subarray(off, off + GO_READ_SIZE);
    for (let start = 0, pieces = 0; start < p.length; pieces++) {
      const nl = pieces === n - 1 ? -1 : p.indexOf(0x0a, start);
      const end = nl < 0 ? p.length : nl + 1;
      kept.push(p.subarray(start, end));
      if (p[end - 1] === 0x0a) lines++;
      start = end;
    }
  }
  return Buffer.concat(kept);
}

/**
 * Formats the detail from the first bytes of an error body ("" when go would show none): what go
 * captured must be UTF-8 of graphic characters and white space only, all of it, lines past the ones
 * shown included.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/web/api.go (formatErrorDetail)
 */
export function formatErrorDetail(body: Uint8Array): string {
  let s: string;
  try {
    s = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(captured(body));
  } catch {
    return '';
  }
  if (!GRAPHIC_OR_SPACE.test(s)) return '';
  let detail = '';
  let detailBytes = 0;
  const lines = s.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') break;
    if (i > 0) {
      detail += '\n\t';
      detailBytes += 2;
    }
    if (i >= MAX_LINES) {
      detail += '[Truncated: too many lines.]';
      break;
    }
    const n = Buffer.byteLength(line, 'utf8');
    if (detailBytes + n > MAX_BYTES) {
      detail += '[Truncated: too long.]';
      break;
    }
    detail += line;
    detailBytes += n;
  }
  return detail;
}
