/**
 * Retries, which the go command does not have (golang.org/issue/28194).
 *
 * One pure function decides ({@link classify}); one small loop acts ({@link withRetry}). The unit
 * retried is the whole operation (request + body + checks), so a body cut short is retried like a
 * reset connection (the pnpm model), while a checksum mismatch or a malformed answer never is.
 *
 * - `retry`: connection refused/reset, timeouts, HTTP/2 stream or session errors, bodies that end
 *   early, DNS `EAI_AGAIN`, and HTTP 408, 425, 429, 5xx (but 501 Not Implemented and 505).
 * - `not-found`: HTTP 404 and 410, missing file:// files, GOPROXY=off and GOPRIVATE routing: never
 *   retried; they drive the `,` fallback of the GOPROXY list.
 * - `fatal`: everything else (other 4xx, TLS certificate failures, redirect limits, bad JSON, wrong
 *   versions, checksum mismatches, unknown errors).
 *
 * Delays: exponential backoff with full jitter (`random() * min(max, base * 2^(n-1))`), or the
 * server's Retry-After (seconds or HTTP date) when given. The waits of one request share a budget
 * (60 s by default): a Retry-After longer than what is left of it gives up at once, so a server asking
 * for an hour costs nothing, and no request waits more than a minute in all. Giving up after a
 * retryable failure is reported (`onGiveUp`: attempts, time spent, what the server asked for).
 *
 * @see https://github.com/golang/go/issues/28194
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
import { HttpError, isNotExist } from './errors.js';
import type { FetchEvent } from './events.js';

/** What to do after a failure. */
export type Verdict = 'retry' | 'not-found' | 'fatal';

const RETRY_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'EHOSTDOWN', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_INFO', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ERR_STREAM_PREMATURE_CLOSE', 'Z_BUF_ERROR', 'ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_STREAM_CANCEL', 'ERR_HTTP2_INVALID_SESSION',
]);

/** HTTP statuses worth another try. */
function classifyStatus(status: number): Verdict {
  if (status === 404 || status === 410) return 'not-found';
  if (status === 408 || status === 425 || status === 429) return 'retry';
  if (status >= 500 && status <= 599 && status !== 501 && status !== 505) return 'retry';
  return 'fatal';
}

/**
 * Classifies a failure: an HTTP status, or an error (its `code`s along the `cause` chain).
 * Pure; table-tested in test/fetch/retry.test.ts.
 */
export function classify(failure: unknown): Verdict {
  if (typeof failure === 'number') return classifyStatus(failure);
  if (failure instanceof HttpError) return classifyStatus(failure.statusCode);
  if (isNotExist(failure)) return 'not-found';
  for (let e: unknown = failure; e !== null && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RETRY_CODES.has(code)) return 'retry';
    if ((e as { name?: unknown }).name === 'AbortError') return 'fatal';
  }
  return 'fatal';
}

/** The retry policy; every field has a default. */
export interface RetryPolicy {
  /** Total tries including the first (default 4; 1 disables retries). */
  readonly attempts?: number;
  /** First backoff ceiling in ms (default 500). */
  readonly baseMs?: number;
  /** Largest backoff ceiling in ms (default 15 000). */
  readonly maxMs?: number;
  /**
   * Total milliseconds one request may spend waiting between its tries (default 60 000). A wait that
   * does not fit in what is left (a long Retry-After) ends the retries at once.
   */
  readonly waitBudgetMs?: number;
}

/** The effective policy values. */
export const DEFAULT_RETRY_POLICY: Required<RetryPolicy> = Object.freeze({
  attempts: 4, baseMs: 500, maxMs: 15_000, waitBudgetMs: 60_000,
});

/**
 * Milliseconds a Retry-After header asks for (delta-seconds or HTTP date), or undefined.
 * @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - nowMs);
}

/**
 * The wait before try number `attempt + 1`, after `attempt` failures (1-based).
 * @param random in [0, 1)
 */
export function backoffDelay(attempt: number, failure: unknown, policy: RetryPolicy, random: () => number,
  nowMs: number): number {
  const p = { ...DEFAULT_RETRY_POLICY, ...policy };
  const ra = failure instanceof HttpError ? parseRetryAfter(failure.retryAfter, nowMs) : undefined;
  if (ra !== undefined) return ra;
  const ceiling = Math.min(p.maxMs, p.baseMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Injected effects of {@link withRetry}. */
export interface RetryContext {
  readonly policy?: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /** Wall clock in ms, for Retry-After dates. */
  readonly now: () => number;
  /** Called before each wait. */
  readonly onRetry?: (attempt: number, delayMs: number, failure: unknown) => void;
  /**
   * Called when a retryable failure ends the retries (the error is thrown right after); never for a
   * policy of one try.
   */
  readonly onGiveUp?: (info: GiveUp) => void;
  /** Monotonic clock in ms for the time spent (default performance.now). */
  readonly monotonic?: () => number;
}

/** Why and when the retries of one request ended. */
export interface GiveUp {
  /** Tries made, the first included. */
  readonly attempts: number;
  /** Milliseconds from the first try to the end of the last. */
  readonly elapsedMs: number;
  readonly failure: unknown;
  /** Set when the server asked for a wait (Retry-After) longer than the budget left. */
  readonly retryAfterMs?: number;
  /** The wait budget left when the server's wait did not fit. */
  readonly budgetLeftMs?: number;
}

/**
 * Runs `fn` until it succeeds, fails with a non-retryable error, or the attempts are used up; the
 * last error is thrown unchanged (so go's texts survive).
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, ctx: RetryContext): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...ctx.policy };
  const attempts = Math.max(1, policy.attempts);
  const clock = ctx.monotonic ?? (() => performance.now());
  const start = clock();
  let budget = policy.waitBudgetMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (classify(e) !== 'retry') throw e;
      const elapsedMs = clock() - start;
      if (attempt >= attempts) {
        // A policy of one try has no retries to give up (an entry before `|`: the next one is asked).
        if (attempts > 1) ctx.onGiveUp?.({ attempts: attempt, elapsedMs, failure: e });
        throw e;
      }
      const delay = backoffDelay(attempt, e, policy, ctx.random, ctx.now());
      if (delay > budget) {
        const asked = e instanceof HttpError && e.retryAfter !== undefined ? { retryAfterMs: delay } : {};
        ctx.onGiveUp?.({ attempts: attempt, elapsedMs, failure: e, ...asked, budgetLeftMs: budget });
        throw e;
      }
      budget -= delay;
      ctx.onRetry?.(attempt, delay, e);
      await ctx.sleep(delay);
    }
  }
}

/** The `give-up` trace event for a request to `url` (redacted). */
export function giveUpEvent(url: string, g: GiveUp): FetchEvent {
  const sec = (ms: number): number => Math.round(ms) / 1000;
  return {
    kind: 'give-up', url, attempts: g.attempts, seconds: sec(g.elapsedMs), reason: (g.failure as Error).message,
    ...(g.retryAfterMs !== undefined ? { retryAfterSeconds: sec(g.retryAfterMs) } : {}),
    ...(g.budgetLeftMs !== undefined ? { budgetLeftSeconds: sec(g.budgetLeftMs) } : {}),
  };
}
