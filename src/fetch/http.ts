/**
 * HTTP GET for module proxies, behaving like go's web.Get on top of undici.
 *
 * Invariants (go 1.26 web/http.go, net/http client.go; see test/fetch/http.test.ts):
 * - One keep-alive dispatcher per run with a bounded number of connections per origin; HTTP(S)_PROXY
 *   and NO_PROXY through undici's EnvHttpProxyAgent (loopback hosts never go through a proxy, as in
 *   Go's ProxyFromEnvironment). Zip transfers hold at most all but a quarter of them: the module
 *   graph's go.mod requests always find a connection (see {@link ZipSlots}).
 * - Redirects (301, 302, 303, 307, 308 with a Location) are followed by hand: the 11th fails with
 *   `Get "<Location>": stopped after 10 redirects`; leaving https for http fails with
 *   `redirected from secure URL <a> to insecure URL <b>`. Authorization from netrc is kept only
 *   while the host stays the same domain or a subdomain; credentials from URL userinfo are not carried.
 * - An http URL with userinfo is refused: `refusing to pass credentials to insecure URL: <url>`.
 * - https: netrc credentials (GOAUTH) are sent; any 4xx answer is re-requested once (go's GOAUTH rule).
 * - Interim answers (1xx but 101) before the final one are skipped, as net/http skips them; undici
 *   would refuse an unsolicited 100 (undicihooks.ts).
 * - Non-200 answers become HttpError (`reading <url>: 404 Not Found` + server response detail).
 * - `Accept-Encoding: gzip` is sent and gzip bodies are decoded, as Go's transport does.
 * - Bodies are streamed, never buffered whole; errors while reading them are `read "<url>": …`.
 * - Trace: `get` before, `got` after the final headers (seconds from before the first hop), or
 *   `get-error`; always the original, redacted URL. file:// URLs are read from disk without events.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/web/http.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/net/http/client.go
 */
import { STATUS_CODES } from 'node:http';
import { finished, type Readable } from 'node:stream';
import { createSecureContext, type SecureContext } from 'node:tls';
import { createGunzip } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { HttpError } from './errors.js';
import { ERROR_DETAIL_READ_LIMIT, formatErrorDetail, wantsErrorDetail } from './errordetail.js';
import type { FetchEvent } from './events.js';
import { openFileUrl } from './file.js';
import { goUrlString, parseGoUrl, redacted, type GoUrl } from '../internal/gourl.js';
import type { GoAuth } from './auth.js';
import type { CaSource } from './tlsroots.js';
import { bodyError, getError, GO_MAX_RESPONSE_HEADER_BYTES, InsecureCredentialsError, RedirectError } from './httperrors.js';
import { installUndiciHooks } from './undicihooks.js';

/** An open 200 response. */
export interface HttpBody {
  /** The redacted URL that was requested (for messages). */
  readonly url: string;
  /** The (decoded) body; the caller must consume or destroy it. */
  readonly body: Readable;
  /** Content-Length when known and not gzip-encoded. */
  readonly size: number | undefined;
}

/** An open response of any status ({@link HttpClient.get}). */
export interface HttpResponse extends HttpBody {
  readonly statusCode: number;
  /** go's resp.Status: `404 Not Found`, or the bare code when the server gave no reason. */
  readonly status: string;
  readonly contentType: string | undefined;
}

/** Options of {@link HttpClient}; every field has a default. */
export interface HttpClientOptions {
  /** The undici dispatcher to use (default: an Agent, or an EnvHttpProxyAgent when proxies are set). */
  readonly dispatcher?: Dispatcher;
  /** Proxy settings (from GoEnv). */
  readonly proxy?: { readonly HTTP_PROXY: string; readonly HTTPS_PROXY: string; readonly NO_PROXY: string };
  /** Connections per origin (default 16). */
  readonly connections?: number;
  /**
   * The CA certificates (PEM) to trust instead of Node's, e.g. from SSL_CERT_FILE or a test's
   * self-signed server; a function is called, once, when the first https connection is made.
   */
  readonly ca?: string | Buffer | readonly (string | Buffer)[] | CaSource;
  /** Credentials for https (default: none). */
  readonly auth?: Pick<GoAuth, 'authorization'>;
  readonly trace?: (e: FetchEvent) => void;
  /** Milliseconds clock for the `got` timings (default performance.now). */
  readonly now?: () => number;
  readonly userAgent?: string;
  /**
   * The stall bound in ms (default {@link DEFAULT_STALL_MS}): the longest wait for a connection, for
   * the response headers, and between two reads of a body. A stall is a transient fault: retried.
   */
  readonly stallMs?: number;
}

/**
 * The default stall bound: 20 s without a byte. A module proxy answers from its cache in well under a
 * second; the slowest legitimate answers are a proxy's cold fetch from an origin, and proxies
 * (proxy.golang.org, Athens, Artifactory) finish and cache that fetch even when the client gave up, so
 * the retry is served from their cache. Go's dialer gives up on a connection after 30 s; a server that
 * accepted a connection and has sent nothing for 20 s is not about to. With the retry policy's 4 tries
 * and backoff ceilings of 0.5, 1 and 2 s, a server that never answers ends in an error after at most
 * 4 × 20 + 3.5 = 83.5 s, and one stall costs 20 s. A slow but live transfer is never cut: the bound
 * is on silence, not on duration.
 */
export const DEFAULT_STALL_MS = 20_000;

/**
 * The stall bound from `GOMODDL_STALL_TIMEOUT` (seconds, decimals allowed; for tests and unusual
 * networks), or undefined for the default.
 */
export function stallMsFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const v = env['GOMODDL_STALL_TIMEOUT'];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.round(n * 1000) : undefined;
}

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || /^127\./.test(hostname) || hostname === '[::1]' || hostname === '::1';
}

/** Go's isDomainOrSubdomain on hostnames (ports ignored). */
function sameDomainOrSub(dest: string, initial: string): boolean {
  return dest === initial || (dest.endsWith('.' + initial) && !/^[0-9.]+$/.test(initial) && !initial.includes(':'));
}

function basicFromUserinfo(u: GoUrl): string | undefined {
  if (u.user === undefined) return undefined;
  return 'Basic ' + Buffer.from(`${u.user.username}:${u.user.password ?? ''}`).toString('base64');
}

/** Go's stripPassword: the URL with its password shown as `***` (for `Get "…"` errors). */
export function stripPassword(u: GoUrl): string {
  if (u.user?.password === undefined) return goUrlString(u);
  return goUrlString({ ...u, user: { username: u.user.username, password: '***' } });
}

/**
 * The TLS context for a `ca` option, made on first call and shared: Node would otherwise build one
 * per connection. A list replaces Node's roots (Node's `ca`); a {@link CaSource} adds to them: the
 * context starts from Node's root store (parsed once per process) and only the extra certificates
 * are parsed. Handing OpenSSL Node's roots and Debian's as one list took 36 ms of a cold cobra
 * download from proxy.golang.org (inspector profile, this VM's SSL_CERT_FILE and SSL_CERT_DIR).
 */
function tlsContext(ca: NonNullable<HttpClientOptions['ca']>): () => Promise<SecureContext> {
  let ctx: Promise<SecureContext> | undefined;
  return () => (ctx ??= (async () => {
    if (typeof ca !== 'function') return createSecureContext({ ca: (Array.isArray(ca) ? [...ca] : ca) as string | Buffer | (string | Buffer)[] });
    const { extra, all } = await ca();
    const context = createSecureContext();
    // The native context's addCACert is what Node's own `ca` option calls for each certificate; on
    // the root store it first copies that store, so the defaults stay (Node's lib/internal/tls/secure-context.js).
    const native = (context as SecureContext & { context?: { addCACert?: (pem: string) => void } }).context;
    if (typeof native?.addCACert !== 'function') return createSecureContext({ ca: [...all] });
    for (const pem of extra) native.addCACert(pem);
    return context;
  })());
}

/** Whether any client of this process has started its HTTP stack (undici). */
let networkStarted = false;

/** Whether this process has loaded its HTTP stack: src/cli/main.ts's measure of how far a run went. */
export function networkUsed(): boolean {
  return networkStarted;
}

type Connector = ReturnType<typeof import('undici').buildConnector>;

/**
 * undici's connect option: plain TCP as usual, and TLS with the run's context, made when the first
 * https connection is (an http-only run never builds it).
 */
function lazyTlsConnector(build: typeof import('undici').buildConnector, timeout: number, tls: () => Promise<SecureContext>): Connector {
  const plain = build({ timeout });
  let secure: Promise<Connector> | undefined;
  return (opts, callback) => {
    if (opts.protocol !== 'https:') return plain(opts, callback);
    secure ??= tls().then((secureContext) => build({ timeout, secureContext }));
    secure.then((connect) => connect(opts, callback), (err: Error) => callback(err, null));
  };
}

/**
 * The zip transfers (request to the end of the body) an HttpClient lets run at once: all of its
 * connections but a quarter (at least one), kept for everything else. With every connection open to
 * zips, a cold gin run at 50 ms per request had its chain of nine testify/objx go.mod requests (each
 * needs the one before) queue behind zip transfers for 50-200 ms a link, the last answer at 1.40 s
 * while every zip had arrived by 1.0 s; a second pool of connections for them instead (32 in all)
 * stalled for 5 s through this VM's intercepting proxy, as 32 connections in one pool had before.
 */
class ZipSlots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(connections: number) {
    this.#free = Math.max(1, connections - Math.max(1, Math.floor(connections / 4)));
  }

  /** Waits for a slot; the function returned gives it back (once, however often it is called). */
  async take(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = this.#waiting.shift();
      if (next !== undefined) next();
      else this.#free++;
    };
  }
}

const isZipUrl = (u: GoUrl): boolean => u.path.endsWith('.zip');

/** The agent for loopback hosts (never proxied, as in go) and, made when first needed, the one for the rest. */
interface Dispatchers {
  readonly direct: Dispatcher;
  readonly proxied: () => Promise<Dispatcher>;
}

/** An HTTP(S) and file:// client with go's semantics; one per run. */
export class HttpClient {
  readonly #zipSlots: ZipSlots;
  /**
   * The dispatchers, made on first use: undici is loaded only when a request is made, and the
   * proxies' agent only when a request is not for a loopback host (3.5 MiB of peak RSS for a
   * small download from a local proxy with HTTP_PROXY set).
   */
  #dispatchers: Promise<Dispatchers> | undefined;
  readonly #makeDispatchers: () => Promise<Dispatchers>;
  readonly #owned: Dispatcher[] = [];
  readonly #auth: Pick<GoAuth, 'authorization'> | undefined;
  readonly #trace: (e: FetchEvent) => void;
  readonly #now: () => number;
  readonly #userAgent: string;
  readonly #stallMs: number;

  constructor(opts: HttpClientOptions = {}) {
    const {
      connections = 16, ca, proxy, auth, trace = () => {}, now = () => performance.now(),
      userAgent = 'gomod-dl (Go-http-client compatible)', stallMs = DEFAULT_STALL_MS,
    } = opts;
    this.#stallMs = stallMs;
    this.#zipSlots = new ZipSlots(connections);
    const tls = ca === undefined ? undefined : tlsContext(ca);
    this.#makeDispatchers = async () => {
      const given = opts.dispatcher;
      if (given !== undefined) return { direct: given, proxied: () => Promise.resolve(given) };
      // Loaded lazily: a run served entirely from the cache never pays for undici's start-up.
      networkStarted = true;
      const undici = await import('undici');
      const { Agent, EnvHttpProxyAgent, buildConnector } = undici;
      installUndiciHooks();
      const agentOpts = {
        connections, headersTimeout: stallMs, bodyTimeout: stallMs,
        // Go's Transport reads response headers up to MaxResponseHeaderBytes (default 10 MiB);
        // undici's default is Node's --max-http-header-size (16 KiB).
        maxHeaderSize: GO_MAX_RESPONSE_HEADER_BYTES,
        connect: tls === undefined ? { timeout: stallMs } : lazyTlsConnector(buildConnector, stallMs, tls),
      };
      const direct = new Agent(agentOpts);
      this.#owned.push(direct);
      if (proxy === undefined || (proxy.HTTP_PROXY === '' && proxy.HTTPS_PROXY === '')) return { direct, proxied: () => Promise.resolve(direct) };
      let proxied: Promise<Dispatcher> | undefined;
      const makeProxied = async (): Promise<Dispatcher> => {
        const dispatcher = new EnvHttpProxyAgent({
          ...agentOpts, httpProxy: proxy.HTTP_PROXY, httpsProxy: proxy.HTTPS_PROXY, noProxy: proxy.NO_PROXY,
          // Go's transport sends http requests to an http proxy as absolute-form requests, and
          // tunnels (CONNECT) only https.
          proxyTunnel: false,
          ...proxyConnectMarking(undici, [proxy.HTTP_PROXY, proxy.HTTPS_PROXY]),
          // TLS inside a CONNECT tunnel is set up from requestTls, not from connect.
          ...(tls !== undefined ? { requestTls: { timeout: stallMs, secureContext: await tls() } } : {}),
        });
        this.#owned.push(dispatcher);
        return dispatcher;
      };
      return { direct, proxied: () => (proxied ??= makeProxied()) };
    };
    this.#auth = auth;
    this.#trace = trace;
    this.#now = now;
    this.#userAgent = userAgent;
  }

  /** Closes the connections this client opened. */
  async close(): Promise<void> {
    await this.#dispatchers?.catch(() => undefined);
    await Promise.all(this.#owned.map((d) => d.close()));
  }

  /**
   * GETs a URL (Go string or parsed) and returns its 200 body as a stream.
   * @throws HttpError (non-200, not-exist for 404/410), TransportError, RedirectError,
   *   InsecureCredentialsError, FileUrlError
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/web/http.go (get)
   */
  open(target: string | GoUrl, signal?: AbortSignal): Promise<HttpBody> {
    return this.#open(target, signal, false);
  }

  /**
   * GETs a URL and returns its body whatever the status, as go's web.Get does (go-import discovery
   * reads a 404 page too); the status error, if wanted, is the caller's to make.
   * @throws TransportError, RedirectError, InsecureCredentialsError, FileUrlError
   */
  get(target: string | GoUrl, signal?: AbortSignal): Promise<HttpResponse> {
    return this.#open(target, signal, true);
  }

  async #open(target: string | GoUrl, signal: AbortSignal | undefined, anyStatus: boolean): Promise<HttpResponse> {
    const u = typeof target === 'string' ? parseGoUrl(target) : target;
    const shown = redacted(u);
    if (u.scheme === 'file') {
      const { body, size } = await openFileUrl(u, shown);
      return { url: shown, body, size, statusCode: 200, status: '200 OK', contentType: undefined };
    }
    if (u.scheme === 'http' && u.user !== undefined) {
      this.#trace({ kind: 'get-error', url: shown, error: 'insecure credentials' });
      throw new InsecureCredentialsError(shown);
    }
    // Taken before the request is traced: -x shows a zip's time from when it is sent.
    const release = isZipUrl(u) ? await this.#zipSlots.take() : undefined;
    const start = this.#now();
    this.#trace({ kind: 'get', url: shown });
    let res: Dispatcher.ResponseData;
    try {
      const auth = u.scheme === 'https' ? await this.#auth?.authorization(goUrlString(u)) : undefined;
      res = await this.#follow(u, auth, signal);
      if (u.scheme === 'https' && res.statusCode >= 400 && res.statusCode < 500) {
        // go re-runs GOAUTH with the URL and asks once more, whatever the 4xx was.
        res.body.resume();
        const retryAuth = await this.#auth?.authorization(goUrlString(u), { status: statusLine(res), headers: res.headers });
        res = await this.#follow(u, retryAuth, signal);
      }
    } catch (e) {
      release?.();
      const err = e instanceof RedirectError ? e : getError(markStall(e, this.#stallMs));
      this.#trace({ kind: 'get-error', url: shown, error: err.message });
      throw err;
    }
    // The slot is the connection's: given back once the body is read, discarded or broken.
    if (release !== undefined) for (const ev of ['end', 'close', 'error']) res.body.once(ev, release);
    const status = statusLine(res);
    this.#trace({ kind: 'got', url: shown, status, seconds: (this.#now() - start) / 1000 });
    const header = (name: string): string | undefined => {
      const v = res.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    if (res.statusCode !== 200 && !anyStatus) {
      let detail = '';
      if (wantsErrorDetail(header('content-type'))) {
        detail = formatErrorDetail(await readPrefix(decoded(res.body, header('content-encoding')), ERROR_DETAIL_READ_LIMIT));
      } else {
        res.body.resume();
      }
      throw new HttpError(shown, status, res.statusCode, detail, '', header('retry-after'));
    }
    const gzip = header('content-encoding')?.toLowerCase() === 'gzip';
    const len = header('content-length');
    // Registered first, so the error carries the bound before any consumer sees it.
    res.body.on('error', (e) => markStall(e, this.#stallMs));
    const body = decoded(res.body, header('content-encoding'));
    if (release !== undefined && body !== res.body) for (const ev of ['close', 'error']) body.once(ev, release);
    return {
      url: shown, body, size: !gzip && len !== undefined ? Number(len) : undefined,
      statusCode: res.statusCode, status, contentType: header('content-type'),
    };
  }

  /** Sends the request and follows redirects as Go's http.Client with go's CheckRedirect. */
  async #follow(first: GoUrl, netrcAuth: string | undefined, signal?: AbortSignal): Promise<Dispatcher.ResponseData> {
    const via: GoUrl[] = [];
    let cur = first;
    let carried = netrcAuth; // headers of the first request, copied to later hops
    for (;;) {
      const headers: Record<string, string> = { 'accept-encoding': 'gzip', 'user-agent': this.#userAgent };
      const auth = carried ?? basicFromUserinfo(cur);
      if (auth !== undefined) headers.authorization = auth;
      // net/http's send refuses a URL without a host (GOPROXY=http://); WHATWG parsing would
      // instead take the path's first segment for one (http:///rsc.io/… -> rsc.io).
      if (cur.host === '') throw new RedirectError(stripPassword(cur), 'http: no Host in request URL');
      const url = new URL(goUrlString({ ...cur, user: undefined }));
      this.#dispatchers ??= this.#makeDispatchers();
      const { direct, proxied } = await this.#dispatchers;
      const dispatcher = isLoopbackHost(url.hostname) ? direct : await proxied();
      let res: Dispatcher.ResponseData;
      try {
        res = await dispatcher.request({
          origin: url.origin, path: url.pathname + url.search, method: 'GET', headers, signal,
        });
      } catch (e) {
        throw Object.assign(e as Error, { goUrl: stripPassword(cur) });
      }
      const loc = res.headers.location;
      const location = Array.isArray(loc) ? loc[0] : loc;
      if (!REDIRECT_CODES.has(res.statusCode) || location === undefined || location === '') return res;
      res.body.resume();
      via.push(cur);
      let next: GoUrl;
      try {
        // go's req.URL.Parse(loc): url.Parse of the Location first (its error is go's text), then
        // resolved against the request's URL.
        parseGoUrl(location);
        next = parseGoUrl(new URL(location, url).href);
      } catch (e) {
        throw new RedirectError(stripPassword(cur), `failed to parse Location header ${JSON.stringify(location)}: ${(e as Error).message}`);
      }
      if (next.scheme !== 'http' && next.scheme !== 'https') {
        // net/http's send: `Get "ftp://…": unsupported protocol scheme "ftp"`.
        throw new RedirectError(goUrlString(next), `unsupported protocol scheme ${JSON.stringify(next.scheme)}`);
      }
      if (via[0]!.scheme === 'https' && next.scheme !== 'https') {
        throw new RedirectError(location,
          `redirected from secure URL ${goUrlString(via[via.length - 1]!)} to insecure URL ${goUrlString(next)}`);
      }
      if (via.length >= MAX_REDIRECTS) throw new RedirectError(location, `stopped after ${MAX_REDIRECTS} redirects`);
      if (carried !== undefined && !sameDomainOrSub(hostnameOf(next), hostnameOf(first))) carried = undefined;
      cur = next;
    }
  }
}

/**
 * The factories of a proxy agent's connections, which mark each failure of a connection to the proxy
 * itself `proxyConnect`, for go's `proxyconnect tcp: …` (transport.go dialConn; httperrors.ts):
 * `clientFactory` makes the pool that tunnels https through the proxy (CONNECT), `factory` the one
 * that sends http requests to an http proxy, which undici asks for by the proxy's URL, and the usual
 * pools of other origins (undici's defaults: a Client for one connection, else a Pool).
 * @see https://github.com/nodejs/undici/blob/v7.30.2/lib/dispatcher/proxy-agent.js
 */
function proxyConnectMarking(undici: Pick<typeof import('undici'), 'Client' | 'Pool'>, proxies: readonly string[]) {
  type Options = { connect?: unknown; connections?: number | null };
  const hrefs = new Set(proxies.flatMap((p) => {
    try {
      return p === '' ? [] : [new URL(p).href];
    } catch {
      return [];
    }
  }));
  const marked = (connect: Connector): Connector => (opts, callback) => connect(opts, (err, socket) => {
    if (err !== null) Object.assign(err, { proxyConnect: true });
    (callback as (e: Error | null, s: unknown) => void)(err, socket);
  });
  const toProxy = (opts: object): object => {
    const { connect } = opts as Options;
    return typeof connect === 'function' ? { ...opts, connect: marked(connect as Connector) } : opts;
  };
  return {
    clientFactory: (origin: URL, opts: object): Dispatcher => new undici.Pool(origin, toProxy(opts)),
    factory: (origin: string | URL, opts: object): Dispatcher => {
      const o = hrefs.has(String(origin)) ? toProxy(opts) : opts;
      return (opts as Options).connections === 1 ? new undici.Client(origin, o) : new undici.Pool(origin, o);
    },
  };
}

/** Notes the stall bound on an undici timeout, for the error text (httperrors.ts). */
function markStall(e: unknown, stallMs: number): unknown {
  if (e !== null && typeof e === 'object') Object.assign(e, { stallMs });
  return e;
}

function hostnameOf(u: GoUrl): string {
  const h = u.host.toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/** Go's resp.Status for HTTP/1.x: the status line after the protocol, verbatim (`404` when no reason). */
function statusText(res: Dispatcher.ResponseData): string {
  const t = (res as Dispatcher.ResponseData & { statusText?: string }).statusText;
  return t !== undefined ? t : STATUS_CODES[res.statusCode] ?? '';
}

/** `${code} ${reason}`, or the bare code when the server sent no reason phrase (as Go prints it). */
function statusLine(res: Dispatcher.ResponseData): string {
  const t = statusText(res);
  return t === '' ? `${res.statusCode}` : `${res.statusCode} ${t}`;
}

function decoded(body: Readable, encoding: string | undefined): Readable {
  if (encoding?.toLowerCase() !== 'gzip') return body;
  const gunzip = createGunzip();
  body.on('error', (e) => gunzip.destroy(e));
  return body.pipe(gunzip);
}

/**
 * Calls `onChunk` with each chunk of `body` as it arrives, until the body ends (resolves), fails
 * (rejects with its error; a premature close is ERR_STREAM_PREMATURE_CLOSE), `onChunk` throws
 * (rejects with that) or returns false (resolves). After a rejection or a false, the rest of the
 * body is the caller's to destroy.
 *
 * For bodies written out as they come (zips): `for await` reads with `read()`, which hands over
 * everything buffered as one new, concatenated buffer, a copy of most of the bytes (23 ms of a
 * cold gin run's main thread, `--cpu-prof`); the 'data' events here pass undici's own chunks.
 */
export function eachChunk(body: Readable, onChunk: (chunk: Buffer) => boolean): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      stopWatching();
      if (err === undefined) resolve();
      else reject(err);
    };
    const onData = (chunk: Buffer): void => {
      let more: boolean;
      try {
        more = onChunk(chunk);
      } catch (e) {
        settle(e);
        return;
      }
      if (!more) settle();
    };
    const stopWatching = finished(body, (err) => settle(err ?? undefined));
    body.on('data', onData);
  });
}

/** Reads at most `limit` bytes of a stream, then discards the rest. */
async function readPrefix(body: Readable, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of body) {
      const b = chunk as Buffer;
      chunks.push(b);
      n += b.length;
      if (n >= limit) break;
    }
  } catch {
    // A broken error body still yields the status error; the detail is best effort.
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

export { bodyError };
