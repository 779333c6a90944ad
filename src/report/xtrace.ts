/**
 * `-x` output: go's `# get URL` lines, plus gomod-dl's own lines for retries and GOPROXY fallback
 * (which go does not have). Everything goes to stderr.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/web/http.go
 */
import type { FetchEvent } from '../fetch/events.js';

/** The -x line for a fetch event (with its newline), or '' when go would print nothing. */
export function formatTraceEvent(e: FetchEvent): string {
  switch (e.kind) {
    case 'get':
      return `# get ${e.url}\n`;
    case 'got':
      return `# get ${e.url}: ${e.status} (${e.seconds.toFixed(3)}s)\n`;
    case 'get-error':
      return `# get ${e.url}: ${e.error}\n`;
    case 'retry':
      return `# retry ${e.url}: ${oneLine(e.reason, e.url)}; attempt ${e.attempt + 1} in ${(e.delayMs / 1000).toFixed(3)}s\n`;
    case 'cmd':
      return e.line;
    case 'fallback':
      return `# fallback ${e.from} -> ${e.to}: ${oneLine(e.reason)}${e.reason.includes('\n') ? ` ${/\([^()]*\)$/.exec(e.reason)?.[0] ?? ''}`.trimEnd() : ''}\n`;
    case 'no-fallback':
    case 'bytes':
      return '';
    case 'give-up':
      return ''; // a notice (notice.ts), printed with or without -x
  }
}

/**
 * An error message as one -x line: its first line only (a proxy's `server response:` detail follows on
 * the next), without the `reading URL: ` that would repeat the URL the line already starts with.
 */
function oneLine(reason: string, url?: string): string {
  const first = reason.split('\n', 1)[0]!;
  return url !== undefined && first.startsWith(`reading ${url}: `) ? first.slice(`reading ${url}: `.length) : first;
}
