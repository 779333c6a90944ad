/**
 * The module fetcher of one run: GOPROXY list walking, routing, retries, de-duplication.
 *
 * Invariants:
 * - Each operation walks the list like go's TryProxies (see tryproxies.ts) and routes GONOPROXY
 *   paths like go's lookup (see proxylist.ts); reaching `direct` asks version control (src/vcs,
 *   wired in direct.ts): both kinds of source implement the same Repo operations.
 * - Errors read as go's: `path@version: …`, `path@rev: invalid version: …` for a non-canonical rev,
 *   `module path: …` for proxy errors of list and latest (routing errors of list/latest stay bare, for
 *   the query layer to wrap as `path@query: …`, as go does).
 * - One request per module file per run: results (and failures) of versions, latest, stat and goMod
 *   are shared by concurrent and later callers; identical zip requests in flight are shared.
 * - Concurrency is the caller's business (p-limit in the orchestrator).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/proxy.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/repo.go
 */
import { OnceMap } from '../internal/once.js';
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { GoEnv } from '../config/index.js';
import { ModuleError, versionError as moduleVersionError } from '../module/index.js';
import type { DirectSource, Repo } from '../vcs/index.js';
import { directSource } from './direct.js';
import { NotExistError } from './errors.js';
import { noTrace, type Trace } from './events.js';
import { bodyError, HttpClient, type HttpBody } from './http.js';
import { goUrlString, parseGoUrl, redacted, type GoUrl } from './gourl.js';
import { parseProxyList, routeEntry, type ProxyEntry } from './proxylist.js';
import { ProxyRepo, type InfoResult, type RepoContext } from './proxyrepo.js';
import { giveUpEvent, withRetry, type RetryPolicy } from './retry.js';
import { findSumdbBase, tryProxies, type SumdbBase } from './tryproxies.js';
import { GoAuth } from './auth.js';
import type { CaSource } from './tlsroots.js';

/** The HTTP side the fetcher needs (HttpClient, or a fake in tests). */
export interface HttpLike {
  open(url: GoUrl | string): Promise<HttpBody>;
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
}

/** Thrown by every operation when GOPROXY itself cannot be parsed (go's proxyList error). */
function listOrThrow(env: GoEnv): ProxyEntry[] {
  return parseProxyList(env);
}

/**
 * Fetches module metadata and zips through the GOPROXY list.
 * @see https://go.dev/ref/mod#goproxy-protocol
 */
export class Fetcher {
  readonly #env: GoEnv;
  readonly #trace: Trace;
  readonly #http: HttpLike;
  readonly #ownsHttp: boolean;
  readonly #ctx: RepoContext;
  readonly #repos = new Map<string, ProxyRepo>();
  readonly #memo = new OnceMap();
  readonly #processEnv: Readonly<Record<string, string | undefined>>;
  #direct: DirectSource | undefined;
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
    this.#processEnv = opts.processEnv ?? process.env;
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

  #repo(base: GoUrl, path: string): ProxyRepo {
    const key = `${goUrlString(base)}\n${path}`;
    let r = this.#repos.get(key);
    if (r === undefined) {
      r = new ProxyRepo(base, path, this.#ctx);
      this.#repos.set(key, r);
    }
    return r;
  }

  /** The repository of `path` in version control, or the proxy its `mod` go-import entry names. */
  async #directRepo(path: string): Promise<Repo> {
    this.#direct ??= directSource(this.#env, this.#processEnv, this.#http, this.#trace);
    const found = await this.#direct.lookup(path);
    return found.kind === 'code' ? found.repo : this.#repo(parseGoUrl(found.proxyURL), path);
  }

  /** Walks the list for module `path`, calling `op` on each source the route allows. */
  async #walk<T>(path: string, op: (repo: Repo) => Promise<T>): Promise<T> {
    const list = this.#proxies();
    return tryProxies(list, async (entry) => {
      const route = routeEntry(entry, path, this.#env);
      if (route.kind === 'error') throw route.error;
      if (route.kind === 'direct') return op(await this.#directRepo(path));
      return op(this.#repo(route.entry.parsed, path));
    }, this.#trace, (e) => (e as { code?: string }).code === 'EUSEPROXY');
  }

  #once<T>(key: string, f: () => Promise<T>): Promise<T> {
    return this.#memo.do(key, f);
  }

  /**
   * The versions listed by `@v/list` (tagged, valid, with the prefix, sorted).
   * @throws `module <path>: …`
   */
  versions(path: string, prefix = ''): Promise<string[]> {
    return this.#once(`list\n${path}\n${prefix}`, () =>
      this.#wrap(path, '', () => this.#walk(path, (r) => r.versions(prefix))));
  }

  /** `@latest`, or the newest pseudo-version/timed entry of `@v/list`. @throws `module <path>: …` */
  latest(path: string): Promise<InfoResult> {
    return this.#once(`latest\n${path}`, () => this.#wrap(path, '', () => this.#walk(path, (r) => r.latest())));
  }

  /** `@v/<rev>.info`, decoded and checked. @throws `path@rev: …` */
  stat(path: string, rev: string): Promise<InfoResult> {
    return this.#once(`info\n${path}\n${rev}`, () => this.#wrap(path, rev, () => this.#walk(path, (r) => r.stat(rev))));
  }

  /**
   * `@v/<version>.mod` bytes. Not memoised here: the pipeline's goModFile (src/modfetch) is the one
   * place a go.mod is fetched once per run. @throws `path@version: …`
   */
  goMod(path: string, version: string): Promise<Uint8Array> {
    return this.#wrap(path, version, () => this.#walk(path, (r) => r.goMod(version)));
  }

  /**
   * Streams `@v/<version>.zip` into `dest` (an open, writable file; rewritten from offset 0 on each
   * retry or fallback). Identical calls in flight share one download.
   * @returns bytes written
   * @throws `path@version: …`; `downloaded zip file too large` past 500 MiB
   */
  zip(path: string, version: string, dest: FileHandle): Promise<number> {
    const key = `zip\n${path}\n${version}\n${dest.fd}`;
    const p = this.#once(key, () => this.#wrap(path, version, () => this.#walk(path, (r) => r.zip(version, dest))));
    return p.finally(() => this.#memo.delete(key));
  }

  /** Adds the module context go adds above the repo (`path@version: …`) when not already there. */
  async #wrap<T>(path: string, version: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      // go leaves routing errors (GOPROXY=off, GOPRIVATE) of list/latest unwrapped: the query layer
      // wraps them as `path@query: …` (`go list -m -versions` prints the bare text).
      if (version === '' && e instanceof NotExistError) throw e;
      throw wrapVersion(path, version, e);
    }
  }

  /**
   * How to reach checksum database `name` through GOPROXY (go's initBase).
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/sumdb.go
   */
  sumdbBase(name: string): Promise<SumdbBase> {
    return this.#once(`sumdb\n${name}`, () => findSumdbBase(this.#proxies(), name, (u) => this.get(u), this.#trace));
  }

  /**
   * GETs a URL and returns the whole body, retrying transient failures: the transport for the
   * checksum database client. Throws go-style errors (`reading <url>: 404 Not Found`).
   */
  async get(url: string): Promise<Uint8Array> {
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
      policy: this.#ctx.retry, sleep: this.#ctx.sleep, random: this.#ctx.random, now: this.#ctx.now,
      onRetry: (attempt, delayMs, failure) => this.#trace({ kind: 'retry', url: redactedString(url), attempt, delayMs, reason: (failure as Error).message }),
      onGiveUp: (g) => this.#trace(giveUpEvent(redactedString(url), g)),
    });
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

function redactedString(url: string): string {
  try {
    return redacted(parseGoUrl(url));
  } catch {
    return url;
  }
}
