/**
 * The small wrappers around a {@link Repo}, each concern once, composed by Fetcher.lookup as
 * `CachingRepo(VersionErrorRepo(ProxyListRepo))`:
 * - {@link VersionErrorRepo}: the module context go adds above the repository (`path@version: …`,
 *   `path@rev: invalid version: …` for a non-canonical rev, `module path: …` without a version).
 * - {@link CachingRepo}: one request per module file per run (go's cachingRepo and par.ErrCache):
 *   versions, latest and stat answers, failures included, are shared by concurrent and later callers;
 *   identical zip requests in flight share one download. go.mod bytes are not memoised here: the
 *   pipeline's goModFile (src/modfetch/downloader.ts) is the one place a go.mod is kept for the run,
 *   after its go.sum check.
 * Retries are not a wrapper: each request is retried inside ProxyRepo (proxyrepo.ts), the one place.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (cachingRepo)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/proxy.go (proxyRepo.versionError)
 */
import type { FileHandle } from 'node:fs/promises';
import { OnceMap } from '../internal/once.js';
import { ModuleError, versionError as moduleVersionError } from '../module/index.js';
import type { Origin, RevInfo } from '../module/revinfo.js';
import { checkReuseOf, type Repo, type VersionList } from '../module/repo.js';
import { NotExistError } from './errors.js';

/** Adds go's `path@version: …` context to the errors of a repository, unless already there. */
export class VersionErrorRepo implements Repo {
  constructor(readonly path: string, readonly repo: Repo) {}

  async #wrap<T>(version: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      // go leaves routing errors (GOPROXY=off, GOPRIVATE) of list/latest unwrapped: the query layer
      // wraps them as `path@query: …` (`go list -m -versions` prints the bare text).
      if (version === '' && (e instanceof NotExistError || (e as { lookupFailed?: boolean }).lookupFailed === true)) throw e;
      throw wrapVersion(this.path, version, e);
    }
  }

  versions(prefix: string): Promise<VersionList> {
    return this.#wrap('', () => this.repo.versions(prefix));
  }
  latest(): Promise<RevInfo> {
    return this.#wrap('', () => this.repo.latest());
  }
  stat(rev: string): Promise<RevInfo> {
    return this.#wrap(rev, () => this.repo.stat(rev));
  }
  goMod(version: string): Promise<Uint8Array> {
    return this.#wrap(version, () => this.repo.goMod(version));
  }
  zip(version: string, dest: FileHandle): Promise<number> {
    return this.#wrap(version, () => this.repo.zip(version, dest));
  }
  checkReuse(origin: Readonly<Origin>): Promise<void> {
    return checkReuseOf(this.repo, origin);
  }
}

/** x/mod's VersionError, except that proxy errors already carry their InvalidVersionError form. */
function wrapVersion(path: string, version: string, e: Error): Error {
  // Errors go returns bare from a repository (`create zip: …` of a version-control zip).
  if ((e as { bare?: boolean }).bare === true) return e;
  for (let x: unknown = e; x instanceof Error; x = x.cause) {
    if (x instanceof ModuleError && x.path === path) return e;
  }
  return moduleVersionError({ path, version }, e);
}

/** Shares versions, latest and stat answers for the run, and zips while in flight. */
export class CachingRepo implements Repo {
  readonly #memo = new OnceMap();
  constructor(readonly repo: Repo) {}

  versions(prefix: string): Promise<VersionList> {
    return this.#memo.do(`list\n${prefix}`, () => this.repo.versions(prefix));
  }
  /**
   * The answer is also kept as the Stat of the version it names, unless one was asked already (go's
   * cachingRepo.Latest: the query that follows, `lookup(latest.Version)`, costs no request, and a
   * version the proxy should not have named, `v1.0`, is not asked for).
   */
  latest(): Promise<RevInfo> {
    return this.#memo.do('latest', async () => {
      const info = await this.repo.latest();
      void this.#memo.do(`info\n${info.Version}`, () => Promise.resolve(info));
      return info;
    });
  }
  stat(rev: string): Promise<RevInfo> {
    return this.#memo.do(`info\n${rev}`, () => this.repo.stat(rev));
  }
  goMod(version: string): Promise<Uint8Array> {
    return this.repo.goMod(version);
  }
  /** Identical calls in flight (same version, same file) share one download. */
  zip(version: string, dest: FileHandle): Promise<number> {
    const key = `zip\n${version}\n${dest.fd}`;
    return this.#memo.do(key, () => this.repo.zip(version, dest)).finally(() => this.#memo.delete(key));
  }
  checkReuse(origin: Readonly<Origin>): Promise<void> {
    return checkReuseOf(this.repo, origin);
  }
}
