/**
 * go's modfetch.Repo: one module path on one source. The one fetch interface of gomod-dl: a GOPROXY
 * entry (src/fetch ProxyRepo), version control (src/vcs CodeRepo), GOPROXY=off and GONOPROXY routing
 * (src/fetch ErrorRepo), the GOPROXY list walker (src/fetch ProxyListRepo) and the wrappers around
 * them (src/fetch repowrap.ts) all implement it, and the pipeline (src/modfetch) uses nothing else.
 * A run gets its Repos from a {@link RepoLookup}: one per module path, as go's modfetch.Lookup.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/repo.go (Repo, Lookup)
 */
import type { FileHandle } from 'node:fs/promises';
import type { Origin, RevInfo } from './revinfo.js';
import { GoError } from '../internal/errors.js';

/**
 * A version list (go's modfetch.Versions): tagged versions, sorted; `origin` is the list's Origin
 * when the source has one (version control: the tag prefix and TagSum), which queries merge into
 * their answers as go's queryProxy does. A proxy's list has none.
 */
export type VersionList = readonly string[] & { readonly origin?: Readonly<Record<string, unknown>> };

/** go's modfetch.Repo for one module path. */
export interface Repo {
  /** Tagged versions with the prefix (go's Versions). */
  versions(prefix: string): Promise<VersionList>;
  /** The latest version: `@latest`, or go's fallback to the list (go's Latest). */
  latest(): Promise<RevInfo>;
  /** A version, branch, hash or partial version resolved (go's Stat). */
  stat(rev: string): Promise<RevInfo>;
  /** The go.mod bytes of a canonical version (go's GoMod). */
  goMod(version: string): Promise<Uint8Array>;
  /** Writes the module zip into `dest` from offset 0 (go's Zip). @returns bytes written */
  zip(version: string, dest: FileHandle): Promise<number>;
  /**
   * Resolves when an earlier answer's Origin still holds (go's CheckReuse, for `-reuse`); rejects
   * with the reason otherwise. Only version control can confirm an Origin: a Repo without the method
   * (a module proxy) never does.
   */
  checkReuse?(origin: Readonly<Origin>): Promise<void>;
}

/** go's proxyRepo.CheckReuse answer, for a Repo that cannot confirm an Origin. */
export function checkReuseOf(repo: Pick<Repo, 'checkReuse'>, origin: Readonly<Origin>): Promise<void> {
  return repo.checkReuse?.(origin) ?? Promise.reject(new GoError('ENOREUSE', 'proxy does not support CheckReuse'));
}

/** Where a run gets the Repo of a module path: the same object for the same path, all run long. */
export interface RepoLookup {
  lookup(path: string): Repo;
  /**
   * Throws the GOPROXY list's own error, if it has one: go's TryProxies fails with it before any
   * repository (or the module cache) is touched.
   */
  checkProxyList?(): void;
}
