/**
 * The `server response:` detail go appends to HTTP errors.
 *
 * Invariants (go 1.26 web/api.go, checked in test/fetch/http.test.ts against go):
 * - Only for non-200 responses whose Content-Type media type is `text/plain` with charset `us-ascii`,
 *   `utf-8` or none (case-insensitive).
 * - The captured text must be valid UTF-8 made only of graphic characters and white space; otherwise
 *   there is no detail at all.
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

// Go's unicode.IsGraphic or unicode.IsSpace.
const GRAPHIC_OR_SPACE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}\t\n\v\f\r\u0085\u2028\u2029]*$/u;

/**
 * Formats the detail from the first bytes of an error body ("" when go would show none).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/web/api.go (formatErrorDetail)
 */
export function formatErrorDetail(body: Uint8Array): string {
  let s: string;
  try {
    s = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return '';
  }
  // Go keeps only about nine lines of the body; look no further than that for funny business.
  const kept = s.split('\n').slice(0, MAX_LINES + 1).join('\n');
  if (!GRAPHIC_OR_SPACE.test(kept)) return '';
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
