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
import type { RepoLookup } from '../module/repo.js';
import { canonicalVersion, isValid } from '../module/index.js';
import type { ModuleSource } from '../resolve/source.js';
import { FatalLatch } from '../internal/errors.js';

/**
 * A ModuleSource for one run. A go.sum verdict that ends the run (a checksum mismatch) is recorded
 * in the run's {@link FatalLatch} as well as thrown, because the resolver turns a failed go.mod load
 * into a per-module error, while go exits on the spot; once it is set nothing more is fetched.
 */
export class CacheModuleSource implements ModuleSource {
  constructor(
    private readonly dl: Downloader,
    private readonly cache: ModCache,
    private readonly fetcher: RepoLookup,
    /** The run's fatal verdict, which the caller raises after resolving. */
    readonly fatal: FatalLatch = new FatalLatch(),
  ) {}

  async goMod(path: string, version: string): Promise<Uint8Array> {
    return this.fatal.guard(() => this.dl.goMod(path, version));
  }

  async versions(path: string, prefix = ''): Promise<readonly string[]> {
    this.#stopped();
    return this.fetcher.lookup(path).versions(prefix);
  }

  async stat(path: string, rev: string): Promise<RevInfo> {
    this.#stopped();
    if (isValid(rev) && canonicalVersion(rev) === rev) return (await this.dl.infoFile(path, rev)).info;
    // A branch, hash or partial version: ask the proxy, and keep the answer under the version it
    // names, as go's cachingRepo.Stat does.
    const info = await this.fetcher.lookup(path).stat(rev);
    await this.#remember(path, info);
    return info;
  }

  async latest(path: string): Promise<RevInfo> {
    this.#stopped();
    const info = await this.fetcher.lookup(path).latest();
    await this.#remember(path, info);
    return info;
  }

  async readFile(absPath: string): Promise<Uint8Array | null> {
    return (await readIfExists(absPath)) ?? null;
  }

  /** Writes `.info` for the resolved version unless the cache has it (go's writeDiskStat). */
  async #remember(path: string, info: RevInfo): Promise<void> {
    if ((await this.cache.readInfo(path, info.Version)) === undefined) await this.cache.writeInfo(path, info);
  }

  /** After a fatal verdict go has exited: nothing more is fetched or cached. */
  #stopped(): void {
    this.fatal.check();
  }
}
