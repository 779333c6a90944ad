/**
 * Trace events of the fetch layer. The reporter turns them into go's `-x` lines
 * (`# get URL`, `# get URL: 200 OK (0.043s)`, `# get URL: <error>`) and into gomod-dl's own notes
 * about retries and GOPROXY fallback. URLs are always redacted (`user:xxxxx@`), and, as in go, only
 * the URL originally requested is reported, never redirect targets. file:// reads report nothing.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/web/http.go
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
  /**
   * The retries of a request ended on a transient failure (gomod-dl only): after `attempts` tries in
   * `seconds`, or at once because the server asked for a wait (`retryAfterSeconds`) longer than the
   * wait budget left (`budgetLeftSeconds`). The error itself follows as usual.
   */
  | {
    readonly kind: 'give-up'; readonly url: string; readonly attempts: number; readonly seconds: number;
    readonly reason: string; readonly retryAfterSeconds?: number; readonly budgetLeftSeconds?: number;
  }
  /** A command line or cache step of direct mode, as go's -x prints it (line ends with a newline). */
  | { readonly kind: 'cmd'; readonly line: string }
  /** The GOPROXY walk moves from one entry to the next (gomod-dl only). */
  | { readonly kind: 'fallback'; readonly from: string; readonly to: string; readonly reason: string }
  /**
   * The GOPROXY walk stops at an error although more entries follow: `from` was followed by `,`, which
   * falls back on not-found (404, 410) only (gomod-dl only; for the explanation under an error).
   */
  | { readonly kind: 'no-fallback'; readonly from: string; readonly to: string; readonly reason: string }
  /** Body bytes received from a proxy (zips chunk by chunk, metadata per response; gomod-dl only). */
  | { readonly kind: 'bytes'; readonly n: number };

/** Receives trace events; must not throw. */
export type Trace = (event: FetchEvent) => void;

/** A trace that drops everything. */
export const noTrace: Trace = () => {};
