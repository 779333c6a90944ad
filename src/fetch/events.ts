/**
 * Trace events of the fetch layer. The reporter turns them into go's `-x` lines
 * (`# get URL`, `# get URL: 200 OK (0.043s)`, `# get URL: <error>`) and into gomod-dl's own notes
 * about retries and GOPROXY fallback. URLs are always redacted (`user:xxxxx@`), and, as in go, only
 * the URL originally requested is reported, never redirect targets. file:// reads report nothing.
 *
 * @see /usr/local/go/src/cmd/go/internal/web/http.go
 */
export type FetchEvent =
  /** Before a request (go: `# get URL`). */
  | { readonly kind: 'get'; readonly url: string }
  /** After the final response's headers, whatever the status (go: `# get URL: 404 Not Found (0.012s)`). */
  | { readonly kind: 'got'; readonly url: string; readonly status: string; readonly seconds: number }
  /** The request failed without a response (go: `# get URL: <error>`). */
  | { readonly kind: 'get-error'; readonly url: string; readonly error: string }
  /** A transient failure will be retried after `delayMs` (gomod-dl only). */
  | { readonly kind: 'retry'; readonly url: string; readonly attempt: number; readonly delayMs: number; readonly reason: string }
  /** A command line or cache step of direct mode, as go's -x prints it (line ends with a newline). */
  | { readonly kind: 'cmd'; readonly line: string }
  /** The GOPROXY walk moves from one entry to the next (gomod-dl only). */
  | { readonly kind: 'fallback'; readonly from: string; readonly to: string; readonly reason: string };

/** Receives trace events; must not throw. */
export type Trace = (event: FetchEvent) => void;

/** A trace that drops everything. */
export const noTrace: Trace = () => {};
