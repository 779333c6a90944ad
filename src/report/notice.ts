/**
 * gomod-dl's own one-line notices on stderr, printed with or without -x: a wait of more than a few
 * seconds before a retry (so a long Retry-After is never silent), and the end of a request's retries
 * (how many tries, how long, or which wait the server asked for). go has neither: it does not retry.
 */
import type { FetchEvent } from '../fetch/events.js';
import { formatTraceEvent } from './xtrace.js';

/** Waits at least this long are announced (backoff alone stays under it: 0.5, 1, 2 s ceilings). */
export const ANNOUNCE_WAIT_MS = 3000;

const firstLine = (s: string): string => s.split('\n', 1)[0]!;
const secs = (s: number): string => `${Number(s.toFixed(1))}s`;

/**
 * The notice for a fetch event (with its newline), or '' for none. `x`: the -x trace is on, which
 * already shows every retry.
 */
export function formatNotice(e: FetchEvent, prog: string, x: boolean): string {
  switch (e.kind) {
    case 'retry':
      if (x || e.delayMs < ANNOUNCE_WAIT_MS) return '';
      return `${prog}: ${e.url}: ${firstLine(e.reason)}; waiting ${secs(e.delayMs / 1000)} before attempt ${e.attempt + 1}\n`;
    case 'give-up': {
      const tries = `${e.attempts} attempt${e.attempts === 1 ? '' : 's'}`;
      if (e.retryAfterSeconds !== undefined) {
        return `${prog}: ${e.url}: the server asked to retry after ${secs(e.retryAfterSeconds)}, more than the ${secs(e.budgetLeftSeconds ?? 0)} left to wait; gave up after ${tries}\n`;
      }
      return `${prog}: ${e.url}: gave up after ${tries} in ${secs(e.seconds)}\n`;
    }
    default:
      return '';
  }
}

/**
 * What a command writes for the fetch layer's events: the -x lines when `x` is on, and the notices
 * (long waits, give-ups) always. One writer for a download run and the subcommands alike.
 */
export function fetchTraceWriter(x: boolean, prog: string, write: (s: string) => void): (e: FetchEvent) => void {
  return (e) => {
    const line = (x ? formatTraceEvent(e) : '') + formatNotice(e, prog, x);
    if (line !== '') write(line);
  };
}
