/**
 * The one wiring of a session (a download run, or a subcommand that downloads or repairs): the GOPROXY
 * fetcher, the module cache under go's locks (file-system errors in go's words), the go.sum and
 * checksum database state, the extraction workers, the Downloader and the resolver's view of them, built
 * in one place, and released in one place ({@link Session.close}, or an interrupt).
 */
import { findLocker, ModCache } from './cache/index.js';
import type { GoEnv } from './config/index.js';
import type { FetchEvent } from './fetch/events.js';
import { Fetcher } from './fetch/fetcher.js';
import { stallMsFromEnv } from './fetch/http.js';
import { caFromEnv } from './fetch/tlsroots.js';
import { withGoIoErrors } from './ioboundary.js';
import { CacheModuleSource, Downloader, ModSums, sumdbCheck } from './modfetch/index.js';
import type { ProgressEvent } from './report/events.js';
import { goModCacheWarning, PROG, repairedLine, statCacheWarning, unknownHashesWarning, unzipErrorLine } from './report/lines.js';
import { fetchTraceWriter } from './report/notice.js';
import { useSumDB } from './sumdb/gosumdb.js';
import { ExtractPool } from './verify/extractpool.js';

/** How a run learns of SIGINT/SIGTERM/SIGHUP (src/cli/signals.ts implements it). */
export interface Interrupt {
  /** Aborted on the first signal. */
  readonly signal: AbortSignal;
  /**
   * Registers a cleanup: `before` (async; e.g. stopping workers) runs first, then `last`, which must be
   * synchronous so that nothing else runs between it and the exit. Returns the unregistration.
   */
  onInterrupt(cleanup: { before?: () => Promise<void>; last?: () => void }): () => void;
}

export interface SessionOptions {
  env: GoEnv;
  /** The process environment (flock tool, stall timeout, CA files, netrc). */
  processEnv: NodeJS.ProcessEnv;
  /** -x: the fetch layer's trace lines and the cache repairs are printed. */
  x: boolean;
  modcacherw: boolean;
  stderr: (s: string) => void;
  /** Receives the fetcher's and the pipeline's events (progress line, summary). */
  onEvent?: ((e: ProgressEvent) => void) | undefined;
  /** Zips prefetched at once (the run's download concurrency). */
  prefetchConcurrency?: number | undefined;
  /** SIGINT/SIGTERM/SIGHUP: stop, then remove the work directory. */
  interrupt?: Interrupt | undefined;
  /** See DownloaderOptions.localGoVersion (and DirectOptions.localGoVersion, its direct-mode check). */
  localGoVersion?: string | undefined;
}

/** The machinery of one session; {@link close} releases it. */
export interface Session {
  readonly env: GoEnv;
  readonly fetcher: Fetcher;
  readonly cache: ModCache;
  readonly sums: ModSums;
  readonly dl: Downloader;
  readonly source: CacheModuleSource;
  /**
   * Says how many zips the run expects (its likely targets); the extraction pool hears it when the
   * first zip is requested (see ExtractPool.expect): a run that finds everything in the cache starts
   * no worker.
   */
  expectZips(n: number): void;
  /** Extraction workers started so far. */
  readonly extractWorkers: number;
  /** Removes the work directories of killed runs; returns their paths. */
  sweepDeadWorkDirs(): Promise<string[]>;
  /** Drops unused prefetched zips, closes connections and workers, removes the work directory. */
  close(): Promise<void>;
}

/** Builds a session's fetcher, cache, go.sum state, extraction pool and Downloader. */
export function openSession(o: SessionOptions): Session {
  const { env, stderr, onEvent } = o;
  const writeTrace = fetchTraceWriter(o.x, PROG, stderr);
  // go's locks (ARCHITECTURE.md, "Publish protocol").
  const locker = findLocker(o.processEnv);
  let lockerStarting = false;
  let zipsExpected = 0;
  let zipRequested = false;
  const fetcher = new Fetcher({
    env,
    processEnv: o.processEnv,
    localGoVersion: o.localGoVersion,
    trace: (e: FetchEvent) => {
      // A run that requests something writes it next: the lock helper starts while the first
      // request is answered. Starting a process blocks this thread (7-10 ms for perl), so it waits
      // for the next turn of the event loop, when the request has been sent.
      if (e.kind === 'get' && !lockerStarting) {
        lockerStarting = true;
        setImmediate(() => locker.prepare());
      }
      if (e.kind === 'get' && !zipRequested && e.url.endsWith('.zip')) {
        zipRequested = true;
        pool.expect(zipsExpected);
      }
      writeTrace(e);
      onEvent?.(e);
    },
    stallMs: stallMsFromEnv(o.processEnv),
    ca: caFromEnv(o.processEnv),
  });
  const cache = withGoIoErrors(new ModCache(env.GOMODCACHE, { locker }));
  // No sum file until the main modules are known; outside a module go keeps none.
  const sums = new ModSums({ main: null, onUnknownHashes: (w) => stderr(unknownHashesWarning(w)), sumdb: sumdbCheck(env, fetcher), useSumdb: (p) => useSumDB(env, p) });
  const pool = new ExtractPool();
  const signal = o.interrupt?.signal;
  const dl = new Downloader({
    cache, fetcher, sums, modcacherw: o.modcacherw, onUnzipError: (err) => stderr(unzipErrorLine(err)), onStatCacheError: (err) => stderr(statCacheWarning(err)), onGoModCacheError: (err) => stderr(goModCacheWarning(err)), extract: (x, cancel) => pool.extract(x, cancel), onEvent,
    ...(o.prefetchConcurrency !== undefined ? { prefetchConcurrency: o.prefetchConcurrency } : {}),
    ...(o.x ? { repairs: (what: string) => stderr(repairedLine(what)) } : {}),
    ...(signal !== undefined ? { signal } : {}),
    localGoVersion: o.localGoVersion,
  });
  // Workers stop before the work directory (where they write) goes; then the process exits.
  const offInterrupt = o.interrupt?.onInterrupt({ before: () => pool.close(), last: () => cache.work.removeSync() });
  return {
    env, fetcher, cache, sums, dl,
    source: new CacheModuleSource(dl, cache, fetcher),
    expectZips: (n) => {
      zipsExpected = n;
      if (zipRequested) pool.expect(n);
    },
    get extractWorkers() {
      return pool.workers;
    },
    // A readdir that fails when there are none.
    sweepDeadWorkDirs: () => cache.work.sweepDead().catch(() => []),
    async close() {
      await dl.discardPrefetched().catch(() => {});
      await Promise.all([fetcher.close(), pool.close()]);
      await cache.work.remove();
      offInterrupt?.();
    },
  };
}
