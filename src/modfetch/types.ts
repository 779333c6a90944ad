/**
 * The pipeline's vocabulary: go's ModuleJSON (the -json record of one module), its progress events
 * and the Downloader's options. What it fetches through is src/module/repo.ts: a RepoLookup gives
 * the one Repo of each module path.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/download.go (ModuleJSON)
 */
import type { ModCache } from '../cache/index.js';
import type { RepoLookup } from '../module/repo.js';
import type { JsonValue } from '../internal/gojson.js';
import type { ExtractOptions, ExtractResult } from '../verify/extract.js';
import type { ModSums } from './gosum.js';

/** One module's result, with exactly the fields of go's ModuleJSON (all omitempty). */
export interface ModuleJSON {
  Path?: string;
  Version?: string;
  Query?: string;
  Error?: string;
  Info?: string;
  GoMod?: string;
  Zip?: string;
  Dir?: string;
  Sum?: string;
  GoModSum?: string;
  Origin?: { readonly [key: string]: JsonValue };
  Reuse?: boolean;
}

/** Progress of the pipeline, for reporters (progress line, summary). */
export type DownloadEvent =
  | { readonly kind: 'zip-start'; readonly path: string; readonly version: string }
  | { readonly kind: 'zip-done'; readonly path: string; readonly version: string; readonly files: number; readonly bytes: number }
  | { readonly kind: 'cached'; readonly path: string; readonly version: string };

export interface DownloaderOptions {
  cache: ModCache;
  /** The run's Repo per module path (the Fetcher, or a fake in tests). */
  fetcher: RepoLookup;
  sums: ModSums;
  /** Leave extracted directories writable (go's -modcacherw). */
  modcacherw?: boolean;
  /**
   * Told of a zip that breaks the module zip rules, before the error is thrown (go prints
   * `-> <error>` on stderr as it happens; report/lines.ts has the line).
   */
  onUnzipError?: (err: Error) => void;
  /**
   * Told of a `.info` that could not be encoded (go's `writing stat cache` warning); the run goes
   * on without the file, as go's does.
   */
  onStatCacheError?: (err: Error) => void;
  /** Told of a `.mod` that could not be written (go's `writing go.mod cache` warning); the run goes on. */
  onGoModCacheError?: (err: Error) => void;
  onEvent?: (e: DownloadEvent) => void;
  /** Entries inflated at once per zip. */
  extractConcurrency?: number;
  /**
   * Runs an extraction (default: extractZip on this thread; run.ts passes a worker pool). `cancel`,
   * once aborted, drops an extraction that has not started yet (rejecting with its reason).
   */
  extract?: (opts: Omit<ExtractOptions, 'signal'>, cancel?: AbortSignal) => Promise<ExtractResult>;
  /** Zips prefetched at once (see {@link Downloader.prefetchZip}); default 8 (run.ts passes -j). */
  prefetchConcurrency?: number;
  /** Told of each repair of a damaged cache entry (what was wrong, what was done); -x prints them. */
  repairs?: (what: string) => void;
  /** Aborted on SIGINT/SIGTERM/SIGHUP: no new step starts. */
  signal?: AbortSignal;
  /**
   * The go version a module's tree may ask for at most (its go.mod's `go` line), when GOTOOLCHAIN=local
   * keeps go from switching toolchains: go's Download then fails with `requires go >= …` after the
   * tree is in place. Unset: no check (go would switch to the newer toolchain).
   */
  localGoVersion?: string | undefined;
}
