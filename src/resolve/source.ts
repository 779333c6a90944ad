/**
 * What the resolver needs from below: the Repo of each module path (go's modfetch.Lookup, through
 * src/module/repo.ts's one Repo interface, without Zip) and go.mod files of filesystem replacements.
 * The pipeline (src/modfetch/source.ts) implements it over the module cache, the GOPROXY fetcher and
 * the go.sum checks; tests implement it in memory. The resolver never touches the network or the
 * cache itself, and keeps no copies of its own: the source answers each request once per run (the
 * fetcher's CachingRepo, the pipeline's goModFile), as go's cachingRepo does.
 *
 * Errors thrown by a source carry go's complete text as `message` (for example
 * `example.com/a@v1.0.0: reading file:///p/example.com/a/@v/v1.0.0.mod: no such file or directory`),
 * and set `notExist: true` when go's error would satisfy `errors.Is(err, fs.ErrNotExist)` (404/410,
 * a missing file:// file, GOPROXY=off, …): queries fall back to other answers only then.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/repo.go (Repo, Lookup)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/query.go (versionRepo)
 */
import type { ModuleVersion } from './modver.js';
import type { Repo } from '../module/repo.js';

/**
 * A resolved revision: go's `modfetch.RevInfo` (src/module/revinfo.ts), the one type the cache, the
 * fetchers and the resolver share. `Version` is canonical (for a branch or hash query, the resolved
 * pseudo-version or tag); `Origin` is uncleaned (go prints it in -json for path@query arguments).
 */
export type { RevInfo } from '../module/revinfo.js';
export type { VersionList } from '../module/repo.js';

/**
 * One module path as the resolver sees it: the Repo operations but Zip. `goMod` answers checked
 * bytes (go.sum, checksum database); `versions` is filtered as go's proxy client filters `@v/list`
 * (valid semver, not pseudo-versions, sorted) and may carry the list's Origin (version control).
 */
export type SourceRepo = Omit<Repo, 'zip'>;

/** The module-fetching side the resolver uses. */
export interface ModuleSource {
  /** The Repo of module `path` (the same object for the same path). */
  lookup(path: string): SourceRepo;
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
