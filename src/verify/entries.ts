/**
 * Reads many entries of one zip: small ones synchronously on the main thread (yielding to the event
 * loop every few milliseconds, so downloads running beside keep flowing), large ones as concurrent
 * streams. Shared by hashZip and extractZip.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ZipArchive, ZipEntry } from './zipdir.js';
import { isSmallEntry, readEntry, readSmallEntrySync, type EntrySink } from './zipreader.js';
import { collectIfHeavy } from './gcpressure.js';

export interface ProcessOptions {
  /** Where each entry's content goes (none: hash only). */
  readonly sinkFor?: (e: ZipEntry) => EntrySink | undefined;
  /** Stop at the first failing entry (extracting) or read them all (hashing, to pick go's error). */
  readonly stopOnError: boolean;
  /** Large entries streamed at once (default 4). */
  readonly streams?: number;
  readonly signal?: AbortSignal;
  /**
   * Which entries this call reads: by default all of them; {@link SharedClaims} share them with a
   * call on another thread over the same entries (sharedclaims.ts).
   */
  readonly claims?: Claims;
}

/**
 * Hands out the entries to read, each index once: the small entries (in order) and the large ones
 * (in order) are two separate sequences.
 */
export interface Claims {
  /** The next index of a small entry to read (at or past the count: none left). */
  nextSmall(): number;
  nextLarge(): number;
  /** Hands out no more entries (an entry failed). */
  stop(): void;
}

/** Past the end of any entry list: what {@link Claims.stop} leaves the counters at. */
export const NO_MORE = 0x3fffffff;

/** Claims for one call alone: every entry, in order. */
function allEntries(): Claims {
  let small = 0;
  let large = 0;
  return {
    nextSmall: () => small++,
    nextLarge: () => large++,
    stop: () => {
      small = large = NO_MORE;
    },
  };
}

/** Longest stretch of synchronous work between two turns of the event loop. */
const SLICE_MS = 10;

/**
 * Reads `entries` (each key once) and returns each one's SHA-256 digest or error, by key. With
 * `stopOnError`, the first error ends the work and entries not yet read are missing from the result.
 * An abort rejects with the signal's reason.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/dirhash/hash.go (HashZip reads every entry)
 */
export async function processEntries(zip: ZipArchive, entries: readonly ZipEntry[], opts: ProcessOptions): Promise<Map<string, Buffer | Error>> {
  const { sinkFor, stopOnError, signal } = opts;
  const claims = opts.claims ?? allEntries();
  const results = new Map<string, Buffer | Error>();
  let stop = false;
  const inner = new AbortController();
  const onAbort = (): void => inner.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const record = (e: ZipEntry, r: Buffer | Error): void => {
    results.set(e.key, r);
    if (r instanceof Error && stopOnError && !stop) {
      stop = true;
      claims.stop();
      inner.abort(r);
    }
  };

  const small = entries.filter(isSmallEntry);
  const large = entries.filter((e) => !isSmallEntry(e));
  const smallWork = async (): Promise<void> => {
    let since = performance.now();
    for (let i = claims.nextSmall(); i < small.length; i = claims.nextSmall()) {
      if (stop || inner.signal.aborted) break;
      const e = small[i]!;
      try {
        const read = readSmallEntrySync(zip, e);
        sinkFor?.(e)?.writeAll(read.data);
        record(e, read.sha256);
      } catch (err) {
        record(e, err as Error);
      }
      collectIfHeavy();
      if (performance.now() - since > SLICE_MS) {
        await nextTurn();
        since = performance.now();
      }
    }
  };
  const largeWorker = async (): Promise<void> => {
    for (let i = claims.nextLarge(); i < large.length; i = claims.nextLarge()) {
      if (stop || inner.signal.aborted) break;
      const e = large[i]!;
      try {
        record(e, await readEntry(zip, e, sinkFor?.(e), inner.signal));
      } catch (err) {
        // An entry cut short by another's failure has no verdict of its own.
        if (!stop) record(e, err as Error);
      }
    }
  };
  try {
    const streams = Math.max(1, Math.min(opts.streams ?? 4, large.length));
    await Promise.all([smallWork(), ...Array.from({ length: large.length > 0 ? streams : 0 }, largeWorker)]);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  signal?.throwIfAborted();
  return results;
}
