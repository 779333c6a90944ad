/**
 * The resolver's view of the world (src/resolve ModuleSource) over this run's module cache, GOPROXY
 * fetcher and go.sum checks, with go's caching rules: a `.info` or `.mod` already in the cache is
 * used without network, a fetched one is written to the cache (go.mod only after its go.sum check),
 * and a revision or `@latest` answer is also stored under the version it resolved to.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (cachingRepo: Stat, Latest, GoMod)
 */
import { readIfExists, type ModCache, type RevInfo } from '../cache/index.js';
import type { Downloader } from './downloader.js';
import { checkReuseOf, type Repo, type RepoLookup, type VersionList } from '../module/repo.js';
import { canonicalVersion, isValid, type Origin } from '../module/index.js';
import type { ModuleSource, SourceRepo } from '../resolve/source.js';
import { FatalLatch } from '../internal/errors.js';

/**
 * A ModuleSource for one run. A go.sum verdict that ends the run (a checksum mismatch) is recorded
 * in the run's {@link FatalLatch} as well as thrown, because the resolver turns a failed go.mod load
 * into a per-module error, while go exits on the spot; once it is set nothing more is fetched.
 */
export class CacheModuleSource implements ModuleSource {
  readonly #repos = new Map<string, SourceRepo>();

  constructor(
    private readonly dl: Downloader,
    private readonly cache: ModCache,
    private readonly fetcher: RepoLookup,
    /**
     * The run's fatal verdict, which the caller raises after resolving; once noted, the downloader
     * halts (the go.mod fetches under way write nothing more, as go has exited).
     */
    readonly fatal: FatalLatch = new FatalLatch((err) => dl.halt(err)),
  ) {}

  /** The resolver's Repo of module `path`: one per path for the run. */
  lookup(path: string): SourceRepo {
    let r = this.#repos.get(path);
    if (r === undefined) {
      r = new DiskCacheRepo(path, this.fetcher.lookup(path), this.dl, this.cache, this.fatal, () => this.fetcher.checkProxyList?.());
      this.#repos.set(path, r);
    }
    return r;
  }

  async readFile(absPath: string): Promise<Uint8Array | null> {
    return (await readIfExists(absPath)) ?? null;
  }
}

/**
 * One module path over the module cache (go's cachingRepo, disk half): the fetched answers come
 * from the run's Repo (which shares them in memory), go.mod and canonical `.info` from the pipeline.
 */
class DiskCacheRepo implements SourceRepo {
  constructor(
    readonly path: string,
    private readonly repo: Repo,
    private readonly dl: Downloader,
    private readonly cache: ModCache,
    private readonly fatal: FatalLatch,
    /** Throws a GOPROXY list that does not parse, before a query touches the cache (go's TryProxies). */
    private readonly checkProxyList: () => void,
  ) {}

  goMod(version: string): Promise<Uint8Array> {
    return this.fatal.guard(() => this.dl.goMod(this.path, version));
  }

  async versions(prefix: string): Promise<VersionList> {
    this.fatal.check();
    this.checkProxyList();
    return this.repo.versions(prefix);
  }

  async stat(rev: string): Promise<RevInfo> {
    this.fatal.check();
    this.checkProxyList();
    if (isValid(rev) && canonicalVersion(rev) === rev) return (await this.dl.infoFile(this.path, rev)).info;
    // A branch, hash or partial version: ask the proxy, and keep the answer under the version it
    // names, as go's cachingRepo.Stat does. It looks in the disk cache first (readDiskStat), whose
    // CachePath creates the cache root (checkCacheDir) before it refuses a name that is no version:
    // the root is there even when the query fails.
    this.cache.layout.checkRoot();
    const info = await this.repo.stat(rev);
    await this.#remember(info);
    return info;
  }

  async latest(): Promise<RevInfo> {
    this.fatal.check();
    this.checkProxyList();
    const info = await this.repo.latest();
    await this.#remember(info);
    return info;
  }

  checkReuse(origin: Readonly<Origin>): Promise<void> {
    this.fatal.check();
    return checkReuseOf(this.repo, origin);
  }

  /** Writes `.info` for the resolved version unless the cache has it (go's writeDiskStat). */
  async #remember(info: RevInfo): Promise<void> {
    // go's CachePath refuses a version that is not canonical (a proxy's `@latest` can name one):
    // writeDiskStat then has no file to write, and nothing is said.
    if (!isValid(info.Version) || canonicalVersion(info.Version) !== info.Version) return;
    if ((await this.cache.readInfo(this.path, info.Version)) === undefined) await this.dl.writeInfo(this.path, info);
  }
}
