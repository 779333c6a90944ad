/**
 * The Repos of the GOPROXY list itself: {@link ProxyListRepo}, one module path walked through the
 * whole list (go's proxyList walk in TryProxies), and {@link ErrorRepo}, what an entry is for a path
 * it may not serve (GOPROXY=off, a GONOPROXY path on a proxy, a public path on `noproxy`).
 *
 * Invariants:
 * - Each operation walks the list again from the first entry (tryproxies.ts has go's `,`/`|` rules
 *   and error ranking); the Repo of an entry comes from the caller's `entryRepo`, which routes as go's
 *   lookup does (proxylist.ts routeEntry) and memoises per entry.
 * - No retries here: a request is retried inside ProxyRepo only; a walk moves on or stops.
 * - GOPROXY that cannot be parsed fails every operation with go's proxyList error.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/proxy.go (proxyList, TryProxies)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/repo.go (lookup, errRepo)
 */
import type { FileHandle } from 'node:fs/promises';
import type { Origin, RevInfo } from '../module/revinfo.js';
import { checkReuseOf, type Repo, type VersionList } from '../module/repo.js';
import type { Trace } from './events.js';
import type { ProxyEntry } from './proxylist.js';
import { tryProxies } from './tryproxies.js';

/** go's errRepo: every operation fails with the same error (off, noproxy and use-proxy routing). */
export class ErrorRepo implements Repo {
  constructor(readonly path: string, readonly err: Error) {}
  versions(): Promise<VersionList> {
    return Promise.reject(this.err);
  }
  latest(): Promise<RevInfo> {
    return Promise.reject(this.err);
  }
  stat(): Promise<RevInfo> {
    return Promise.reject(this.err);
  }
  goMod(): Promise<Uint8Array> {
    return Promise.reject(this.err);
  }
  zip(): Promise<number> {
    return Promise.reject(this.err);
  }
  checkReuse(): Promise<void> {
    return Promise.reject(this.err);
  }
}

/** What {@link ProxyListRepo} needs from the run. */
export interface ProxyListContext {
  /** The parsed GOPROXY list; throws go's proxyList error when it does not parse. */
  readonly list: () => readonly ProxyEntry[];
  /** The Repo of this module path on one entry (go's lookup for one proxy). */
  readonly entryRepo: (entry: ProxyEntry) => Promise<Repo>;
  readonly trace: Trace;
}

/** One module path through the whole GOPROXY list. */
export class ProxyListRepo implements Repo {
  constructor(readonly path: string, readonly ctx: ProxyListContext) {}

  async #walk<T>(op: (repo: Repo) => Promise<T>, trace: Trace = this.ctx.trace): Promise<T> {
    return tryProxies(this.ctx.list(), async (entry) => op(await this.ctx.entryRepo(entry)), trace,
      (e) => (e as { code?: string }).code === 'EUSEPROXY');
  }

  versions(prefix: string): Promise<VersionList> {
    return this.#walk((r) => r.versions(prefix));
  }
  latest(): Promise<RevInfo> {
    return this.#walk((r) => r.latest());
  }
  stat(rev: string): Promise<RevInfo> {
    return this.#walk((r) => r.stat(rev));
  }
  goMod(version: string): Promise<Uint8Array> {
    return this.#walk((r) => r.goMod(version));
  }
  zip(version: string, dest: FileHandle): Promise<number> {
    return this.#walk((r) => r.zip(version, dest));
  }
  /**
   * As go's checkReuse: the list walked as for any request (a proxy's refusal ends a `,` walk), with
   * nothing traced, since a refusal only means "download as usual".
   */
  checkReuse(origin: Readonly<Origin>): Promise<void> {
    return this.#walk((r) => checkReuseOf(r, origin), () => {});
  }
}
