/**
 * What the resolver needs from below: go.mod bytes, version lists and revision info for module
 * versions, and go.mod files of filesystem replacements. The pipeline (src/modfetch/source.ts)
 * implements it over the module cache, the GOPROXY fetcher and the go.sum checks; tests implement
 * it in memory. The resolver never touches the network or the cache itself.
 *
 * Errors thrown by a source carry go's complete text as `message` (for example
 * `example.com/a@v1.0.0: reading file:///p/example.com/a/@v/v1.0.0.mod: no such file or directory`),
 * and set `notExist: true` when go's error would satisfy `errors.Is(err, fs.ErrNotExist)` (404/410,
 * a missing file:// file, GOPROXY=off, …): queries fall back to other answers only then.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/repo.go (Repo)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/query.go (versionRepo)
 */
import type { ModuleVersion } from './modver.js';
import type { RevInfo } from '../module/revinfo.js';
import { OnceMap } from '../internal/once.js';

/**
 * A resolved revision: go's `modfetch.RevInfo` (src/module/revinfo.ts), the one type the cache, the
 * fetchers and the resolver share. `Version` is canonical (for a branch or hash query, the resolved
 * pseudo-version or tag); `Origin` is uncleaned (go prints it in -json for path@query arguments).
 */
export type { RevInfo } from '../module/revinfo.js';

/** A version list, with the Origin of the list when the source has one (go's Versions.Origin). */
export type VersionList = readonly string[] & { readonly origin?: Readonly<Record<string, unknown>> };

/** The module-fetching operations the resolver uses. */
export interface ModuleSource {
  /** The go.mod bytes of `path@version` (canonical version), cached or fetched, and checked. */
  goMod(path: string, version: string): Promise<Uint8Array>;
  /**
   * `@v/list` as go's proxy client filters it: valid semver, not pseudo-versions, semver-sorted.
   * (Go's `Versions(prefix)`; the resolver applies the prefix itself.) A version-control source
   * attaches the list's Origin (tag prefix and TagSum) as `origin`, which queries merge into their
   * result as go's queryProxy does; a proxy's list has none.
   */
  versions(path: string, prefix?: string): Promise<VersionList>;
  /** `@v/<rev>.info` (a version, branch or hash), cached or fetched. */
  stat(path: string, rev: string): Promise<RevInfo>;
  /** `@latest` with go's fallback to a pseudo-version from the list. */
  latest(path: string): Promise<RevInfo>;
  /** The bytes of a local file (a filesystem replacement's go.mod), or null when it does not exist. */
  readFile(absPath: string): Promise<Uint8Array | null>;
}

/** Hooks the orchestrator may set to overlap downloads with graph loading. */
export interface ResolveEvents {
  /** A module's go.mod was read for its requirements (it is now a node of the graph). */
  goModLoaded?(m: ModuleVersion): void;
}

/** Whether `err` is (or wraps) a "does not exist" error as defined for {@link ModuleSource}. */
export function isNotExist(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 16; depth++) {
    const o = e as { notExist?: unknown; code?: unknown; cause?: unknown; err?: unknown };
    if (o.notExist === true || o.code === 'ENOENT') return true;
    e = o.cause ?? o.err;
  }
  return false;
}

/**
 * Wraps a source so that each distinct request is made once per run, as go's in-process caches
 * (`par.Cache` per repository and version) do; failures are remembered too.
 */
export function dedupeSource(src: ModuleSource): ModuleSource {
  // Already deduplicated (planDownload's source handed on to the loader): one memo, not two.
  if (DEDUPED.has(src)) return src;
  const memo = new OnceMap();
  const once = <T>(key: string, f: () => Promise<T>): Promise<T> => memo.do(key, f);
  const deduped: ModuleSource = {
    goMod: (path, version) => once(`mod\x00${path}\x00${version}`, () => src.goMod(path, version)),
    versions: (path, prefix = '') => once(`list\x00${path}\x00${prefix}`, () => src.versions(path, prefix)),
    stat: (path, rev) => once(`info\x00${path}\x00${rev}`, () => src.stat(path, rev)),
    latest: (path) => once(`latest\x00${path}`, () => src.latest(path)),
    readFile: (absPath) => once(`file\x00${absPath}`, () => src.readFile(absPath)),
  };
  DEDUPED.add(deduped);
  return deduped;
}

const DEDUPED = new WeakSet<ModuleSource>();
