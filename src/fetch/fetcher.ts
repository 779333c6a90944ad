/**
 * The module fetcher of one run: `lookup(path)` gives the one {@link Repo} of a module path (go's
 * modfetch.Lookup), and `get`/`sumdbBase` are the checksum database's transport.
 *
 * Invariants:
 * - One Repo per module path per run: `CachingRepo(VersionErrorRepo(ProxyListRepo))` (repowrap.ts,
 *   listrepo.ts). The walker routes each GOPROXY entry as go's lookup does (proxylist.ts routeEntry):
 *   a proxy URL gives one ProxyRepo per (URL, path), `off`/GONOPROXY/`noproxy` mismatches an ErrorRepo,
 *   and `direct` asks version control (src/vcs, wired in direct.ts) for its CodeRepo, or for the
 *   proxy a `mod` go-import entry names.
 * - Errors read as go's: `path@version: …`, `path@rev: invalid version: …` for a non-canonical rev,
 *   `module path: …` for proxy errors of list and latest (routing errors of list/latest stay bare, for
 *   the query layer to wrap as `path@query: …`, as go does).
 * - One request per module file per run (CachingRepo); retries only inside ProxyRepo, and none on an
 *   entry a failure falls through from whatever the error (`A|B`: B is asked at once, as go does).
 * - Concurrency is the caller's business (p-limit in the orchestrator).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/proxy.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/repo.go
 */
import { OnceMap } from '../internal/once.js';
import { setTimeout as delay } from 'node:timers/promises';
import type { GoEnv } from '../config/index.js';
import type { Repo, RepoLookup } from '../module/repo.js';
import type { DirectSource } from '../vcs/index.js';
import { noTrace, type Trace } from './events.js';
import { bodyError, HttpClient, type HttpBody, type HttpResponse } from './http.js';
import { goUrlString, parseGoUrl, redacted, type GoUrl } from '../internal/gourl.js';
import { ErrorRepo, ProxyListRepo } from './listrepo.js';
import { parseProxyList, routeEntry, type ProxyEntry } from './proxylist.js';
import { ProxyRepo, type RepoContext } from './proxyrepo.js';
import { CachingRepo, VersionErrorRepo } from './repowrap.js';
import { giveUpEvent, withRetry, type RetryPolicy } from './retry.js';
import { fallsThroughOnAnyError, findSumdbBase, type SumdbBase } from './tryproxies.js';
import { GoAuth } from './auth.js';
import type { CaSource } from './tlsroots.js';

/** The HTTP side the fetcher needs (HttpClient, or a fake in tests). */
export interface HttpLike {
  open(url: GoUrl | string): Promise<HttpBody>;
  /** A response of any status (go-import discovery reads 404 pages too). */
  get(url: GoUrl | string): Promise<HttpResponse>;
  close?(): Promise<void>;
}

/** Options of {@link Fetcher}; everything but `env` has a default. */
export interface FetcherOptions {
  readonly env: GoEnv;
  readonly trace?: Trace;
  readonly retry?: RetryPolicy;
  /** Default: an HttpClient built from env (proxies, GOAUTH/netrc) and trace. */
  readonly http?: HttpLike;
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); for backoff jitter. */
  readonly random?: () => number;
  /** Wall clock in ms (Retry-After dates). */
  readonly now?: () => number;
  /** The default HttpClient's stall bound in ms (see DEFAULT_STALL_MS). */
  readonly stallMs?: number | undefined;
  /** The default HttpClient's trusted CAs, replacing Node's (see tlsroots.ts caFromEnv). */
  readonly ca?: CaSource | undefined;
  /** The run's whole environment, which git runs with in direct mode (default: process.env). */
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
  /** Direct mode refuses to zip a module whose go.mod needs a newer go (see DirectOptions). */
  readonly localGoVersion?: string | undefined;
}

/** Thrown by every operation when GOPROXY itself cannot be parsed (go's proxyList error). */
function listOrThrow(env: GoEnv): ProxyEntry[] {
  return parseProxyList(env);
}

/**
 * Fetches module metadata and zips through the GOPROXY list.
 * @see https://go.dev/ref/mod#goproxy-protocol
 */
export class Fetcher implements RepoLookup {
  readonly #env: GoEnv;
  readonly #trace: Trace;
  readonly #http: HttpLike;
  readonly #ownsHttp: boolean;
  readonly #ctx: RepoContext;
  /** The retry policy of an entry a failure falls through from (see fallsThroughOnAnyError). */
  readonly #oneTry: RetryPolicy;
  readonly #repos = new Map<string, ProxyRepo>();
  readonly #lookups = new Map<string, Repo>();
  readonly #memo = new OnceMap();
  readonly #processEnv: Readonly<Record<string, string | undefined>>;
  readonly #localGoVersion: string | undefined;
  #direct: Promise<DirectSource> | undefined;
  #list: ProxyEntry[] | Error | undefined;

  constructor(opts: FetcherOptions) {
    const {
      env, trace = noTrace, retry = {}, sleep = (ms: number) => delay(ms).then(() => {}), random = Math.random,
      now = Date.now,
    } = opts;
    this.#env = env;
    this.#trace = trace;
    this.#ownsHttp = opts.http === undefined;
    this.#http = opts.http ?? new HttpClient({
      proxy: env, trace, auth: new GoAuth({ GOAUTH: env.GOAUTH, NETRC: env.NETRC, HOME: env.HOME, env: opts.processEnv ?? process.env }),
      ...(opts.stallMs !== undefined ? { stallMs: opts.stallMs } : {}),
      ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
    });
    this.#ctx = { open: (u) => this.#http.open(u), trace, retry, sleep, random, now };
    this.#oneTry = { ...retry, attempts: 1 };
    this.#processEnv = opts.processEnv ?? process.env;
    this.#localGoVersion = opts.localGoVersion;
  }

  /** Releases the connections of the default HTTP client. */
  async close(): Promise<void> {
    if (this.#ownsHttp) await this.#http.close?.();
  }

  #proxies(): ProxyEntry[] {
    if (this.#list === undefined) {
      try {
        this.#list = listOrThrow(this.#env);
      } catch (e) {
        this.#list = e as Error;
      }
    }
    if (this.#list instanceof Error) throw this.#list;
    return this.#list;
  }

  /** The ProxyRepo of `path` on `base`; `retry` false: one try per request (an entry before `|`). */
  #repo(base: GoUrl, path: string, retry = true): ProxyRepo {
    const key = `${goUrlString(base)}\n${path}\n${retry}`;
    let r = this.#repos.get(key);
    if (r === undefined) {
      r = new ProxyRepo(base, path, retry ? this.#ctx : { ...this.#ctx, retry: this.#oneTry });
      this.#repos.set(key, r);
    }
    return r;
  }

  /** The repository of `path` in version control, or the proxy its `mod` go-import entry names. */
  async #directRepo(path: string): Promise<Repo> {
    // Loaded on first use: a run served by proxies never compiles src/vcs (a tenth of the program).
    this.#direct ??= import('./direct.js').then((m) => m.directSource(this.#env, this.#processEnv, this.#http, this.#trace, this.#localGoVersion));
    const found = await (await this.#direct).lookup(path);
    return found.kind === 'code' ? found.repo : this.#repo(parseGoUrl(found.proxyURL), path);
  }

  checkProxyList(): void {
    this.#proxies();
  }

  /**
   * The Repo of module `path` for this run (go's modfetch.Lookup): the same object on every call.
   * Nothing is requested until an operation is called.
   */
  lookup(path: string): Repo {
    let r = this.#lookups.get(path);
    if (r === undefined) {
      const list = new ProxyListRepo(path, {
        list: () => this.#proxies(), entryRepo: (entry) => this.#entryRepo(entry, path), trace: this.#trace,
      });
      r = new CachingRepo(new VersionErrorRepo(path, list));
      this.#lookups.set(path, r);
    }
    return r;
  }

  /** go's lookup for one list entry: where `entry` sends module `path`. */
  async #entryRepo(entry: ProxyEntry, path: string): Promise<Repo> {
    const route = routeEntry(entry, path, this.#env);
    if (route.kind === 'error') return new ErrorRepo(path, route.error);
    if (route.kind === 'direct') {
      try {
        return await this.#directRepo(path);
      } catch (e) {
        // go's lookup fails before there is a repository (discovery, the repository root): its
        // errRepo answers every operation with that error, without a module context of its own.
        throw e instanceof Error ? Object.assign(e, { lookupFailed: true }) : e;
      }
    }
    return this.#repo(route.entry.parsed, path, !fallsThroughOnAnyError(this.#proxies(), entry));
  }

  /**
   * How to reach checksum database `name` through GOPROXY (go's initBase).
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/sumdb.go
   */
  sumdbBase(name: string): Promise<SumdbBase> {
    return this.#memo.do(`sumdb\n${name}`, () => findSumdbBase(this.#proxies(), name, (u, retry) => this.get(u, retry), this.#trace));
  }

  /**
   * GETs a URL and returns the whole body, retrying transient failures (unless `retry` is false): the
   * transport for the checksum database client. Throws go-style errors (`reading <url>: 404 Not Found`).
   */
  async get(url: string, retry = true): Promise<Uint8Array> {
    return withRetry(async () => {
      const b = await this.#http.open(url);
      const chunks: Buffer[] = [];
      try {
        for await (const c of b.body) chunks.push(c as Buffer);
      } catch (e) {
        b.body.destroy();
        throw bodyError(b.url, e);
      }
      const data = Buffer.concat(chunks);
      this.#trace({ kind: 'bytes', n: data.length });
      return data;
    }, {
      policy: retry ? this.#ctx.retry : this.#oneTry, sleep: this.#ctx.sleep, random: this.#ctx.random, now: this.#ctx.now,
      onRetry: (attempt, delayMs, failure) => this.#trace({ kind: 'retry', url: redactedString(url), attempt, delayMs, reason: (failure as Error).message }),
      onGiveUp: (g) => this.#trace(giveUpEvent(redactedString(url), g)),
    });
  }
}

function redactedString(url: string): string {
  try {
    return redacted(parseGoUrl(url));
  } catch {
    return url;
  }
}
