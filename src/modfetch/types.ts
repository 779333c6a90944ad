/**
 * The pipeline's vocabulary: go's ModuleJSON (the -json record of one module), what the pipeline
 * needs from a fetcher, its progress events and the Downloader's options.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/download.go (ModuleJSON)
 */
import type { FileHandle } from 'node:fs/promises';
import type { ModCache, RevInfo } from '../cache/index.js';
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

/**
 * The one fetch interface above src/fetch: go's modfetch.Repo operations keyed by module path, as
 * the run's Fetcher (GOPROXY list, routing, direct) implements them. The pipeline uses stat, goMod
 * and zip; the resolver's view (source.ts) versions, latest and stat.
 */
export interface ModuleFetcher {
  /** `@v/list` (tagged, valid, with the prefix, sorted). */
  versions(path: string, prefix?: string): Promise<readonly string[]>;
  /** `@latest`, or go's fallback to the list. */
  latest(path: string): Promise<{ info: RevInfo }>;
  /** `@v/<rev>.info` for a version, branch or hash. */
  stat(path: string, rev: string): Promise<{ info: RevInfo }>;
  goMod(path: string, version: string): Promise<Uint8Array>;
  /** Streams the zip into `dest` (rewriting it from the start on a retry or fallback). */
  zip(path: string, version: string, dest: FileHandle): Promise<unknown>;
}

/** Progress of the pipeline, for reporters (progress line, summary). */
export type DownloadEvent =
  | { readonly kind: 'zip-start'; readonly path: string; readonly version: string }
  | { readonly kind: 'zip-done'; readonly path: string; readonly version: string; readonly files: number; readonly bytes: number }
  | { readonly kind: 'cached'; readonly path: string; readonly version: string };

export interface DownloaderOptions {
  cache: ModCache;
  fetcher: ModuleFetcher;
  sums: ModSums;
  /** Leave extracted directories writable (go's -modcacherw). */
  modcacherw?: boolean;
  /** Receives go's `-> unzip …` lines (go prints them to stderr as they happen). */
  stderr?: (text: string) => void;
  onEvent?: (e: DownloadEvent) => void;
  /** Entries inflated at once per zip. */
  extractConcurrency?: number;
  /** Runs an extraction (default: extractZip on this thread; run.ts passes a worker pool). */
  extract?: (opts: Omit<ExtractOptions, 'signal'>) => Promise<ExtractResult>;
  /** Zips prefetched at once (see {@link Downloader.prefetchZip}); default 8. */
  prefetchConcurrency?: number;
  /** Told of each repair of a damaged cache entry (what was wrong, what was done); -x prints them. */
  repairs?: (what: string) => void;
  /** Aborted on SIGINT/SIGTERM/SIGHUP: no new step starts. */
  signal?: AbortSignal;
}
