/**
 * The running totals a person is shown: the phase, modules done out of how many, bytes received and
 * the current rate, cache hits and retries. Fed with the run's events; read by the progress line and
 * the summary. Pure bookkeeping: no clock of its own, no output.
 */
import type { ProgressEvent } from './events.js';

/** The phases a run goes through, in order. */
export type Phase = 'starting' | 'graph' | 'download';

/** A snapshot of the counters (what the progress line and the summary show). */
export interface Counts {
  readonly phase: Phase;
  /** go.mod files that joined the module graph. */
  readonly goMods: number;
  /** Modules to download (known once the download phase starts). */
  readonly total: number;
  /** Modules finished, failed ones included. */
  readonly done: number;
  readonly failed: number;
  /** Modules whose zip and tree were complete in the cache already. */
  readonly cached: number;
  /** Body bytes received from proxies, retried attempts included. */
  readonly received: number;
  /** Bytes written into extracted module trees. */
  readonly unpacked: number;
  /** Retried requests. */
  readonly retries: number;
}

/** How long the current rate looks back. */
const RATE_WINDOW_MS = 3000;

/** Counters over one run's events. */
export class Tally {
  #c: { -readonly [K in keyof Counts]: Counts[K] } = {
    phase: 'starting', goMods: 0, total: 0, done: 0, failed: 0, cached: 0, received: 0, unpacked: 0, retries: 0,
  };
  /** (time, bytes received) samples for the rate, oldest first. */
  readonly #samples: Array<{ t: number; bytes: number }> = [];

  /** Accounts for one event. */
  add(e: ProgressEvent): void {
    const c = this.#c;
    switch (e.kind) {
      case 'phase':
        c.phase = e.phase;
        if (e.phase === 'download') c.total = e.total;
        break;
      case 'gomod-loaded':
        c.goMods++;
        break;
      case 'module-done':
        c.done++;
        if (e.failed) c.failed++;
        break;
      case 'cached':
        c.cached++;
        break;
      case 'zip-done':
        c.unpacked += e.bytes;
        break;
      case 'bytes':
        c.received += e.n;
        break;
      case 'retry':
        c.retries++;
        break;
    }
  }

  /** The counters as they stand. */
  get counts(): Counts {
    return { ...this.#c };
  }

  /**
   * Records the bytes received so far at time `t` (ms) and returns the rate in bytes per second over
   * the last few seconds (0 until two samples exist).
   */
  sampleRate(t: number): number {
    this.#samples.push({ t, bytes: this.#c.received });
    while (this.#samples.length > 2 && t - this.#samples[0]!.t > RATE_WINDOW_MS) this.#samples.shift();
    const first = this.#samples[0]!;
    const dt = t - first.t;
    return dt > 0 ? ((this.#c.received - first.bytes) * 1000) / dt : 0;
  }
}
