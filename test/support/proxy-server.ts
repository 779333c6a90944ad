// A GOPROXY on 127.0.0.1 serving a ModuleStore, with fault injection by URL and attempt number.
//
// Paths may start with any number of `/~<label>` segments, which are ignored when looking up content:
// `http://127.0.0.1:P/~a` and `http://127.0.0.1:P/~b` are two proxies backed by the same store, which
// makes fallback lists and same-server redirect chains expressible. Module paths cannot start with `~`.
import { createReadStream } from 'node:fs';
import { STATUS_CODES, createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ModuleStore, ProxyFile } from './store.js';

/** One request as the server saw it; fields are updated while the response is sent. */
export interface RequestLog {
  method: string;
  /** The raw request target, e.g. `/github.com/%21burnt%21sushi/toml/@v/list`. */
  url: string;
  /** The percent-decoded path without query, e.g. `/github.com/!burnt!sushi/toml/@v/list`. */
  path: string;
  /** 1-based count of requests with this method and path since the last reset(). */
  attempt: number;
  /** Status sent, 0 if the connection died before headers. */
  status: number;
  /** Body bytes written to the socket. */
  bytesSent: number;
  /** Index in the fault list of the rule that applied, if any. */
  fault?: number;
  headers: IncomingMessage['headers'];
  /** Client port: equal ports mean one kept-alive connection. */
  remotePort: number;
}

/** Context handed to custom handlers. */
export interface HandlerContext {
  path: string;
  attempt: number;
  log: RequestLog;
}

/** Handler for `/sumdb/<name>/<rest>` (checksum database through the proxy). */
export type SumdbHandler = (name: string, rest: string, req: IncomingMessage, res: ServerResponse, ctx: HandlerContext) => void | Promise<void>;

/**
 * A fault: when `url` and `attempt` match, its fields replace or alter the normal response.
 * Fields combine: e.g. `{ delayMs, status }` waits, then fails.
 */
export interface FaultRule {
  /** Exact decoded path (with any `/~label` prefix) or a regexp tested against it. */
  url: string | RegExp;
  /** Which attempts of that path (1-based): a number, a list, or a predicate. Default: all. */
  attempt?: number | number[] | ((n: number) => boolean);
  /** Wait this long before sending headers. */
  delayMs?: number;
  /** Destroy the connection with a TCP reset before any header is sent. */
  resetBeforeHeaders?: boolean;
  /** Reply with this status (and `body`, `contentType`, `headers`) instead of the content. */
  status?: number;
  /** Body for `status` (default: the status text and `\n`), or a replacement body for the content. */
  body?: string | Buffer;
  /** Content type for `status`/`body` (default `text/plain; charset=utf-8`). */
  contentType?: string;
  /** Extra headers, e.g. `{ 'retry-after': '2' }`. */
  headers?: Record<string, string>;
  /** Redirect: `Location` may be a path (same server) or an absolute URL. */
  redirect?: { location: string; status?: 301 | 302 | 303 | 307 | 308 };
  /** Serve invalid JSON (with application/json) instead of the content. */
  malformedJson?: boolean;
  /** Send the body in chunks of `chunkSize` (default 16 KiB), waiting this long before each. */
  chunkDelayMs?: number;
  chunkSize?: number;
  /** After K body bytes, reset the connection (TCP RST). */
  resetAfterBytes?: number;
  /** Announce the full Content-Length but close the connection cleanly after K body bytes. */
  truncateAfterBytes?: number;
  /** Flip (xor 0xff) the body byte at this offset. */
  corruptAt?: number;
  /** Full control: answer the request yourself. */
  handler?: (req: IncomingMessage, res: ServerResponse, ctx: HandlerContext) => void | Promise<void>;
}

/** Options of {@link startProxy}. */
export interface ProxyOptions {
  faults?: FaultRule[];
  /** Delay before every response (benchmarks, "slow proxy"). */
  latencyMs?: number;
  sumdb?: SumdbHandler;
}

/** A running proxy. */
export interface ProxyServer {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Every request since the last reset(), in arrival order. */
  readonly requests: RequestLog[];
  /** Clears the request log and the attempt counters (faults stay). */
  reset(): void;
  /** Replaces the fault rules (first matching rule wins). */
  setFaults(rules: FaultRule[]): void;
  setLatency(ms: number): void;
  setSumdb(handler: SumdbHandler | undefined): void;
  /** Number of logged requests whose path equals or matches `url`. */
  count(url: string | RegExp): number;
  close(): Promise<void>;
}

const MALFORMED_JSON = '{"Version": not json';

function matches(url: string | RegExp, path: string): boolean {
  return typeof url === 'string' ? url === path : url.test(path);
}

function attemptMatches(a: FaultRule['attempt'], n: number): boolean {
  if (a === undefined) return true;
  if (typeof a === 'number') return a === n;
  if (Array.isArray(a)) return a.includes(n);
  return a(n);
}

/** Removes leading `/~label` segments. */
function stripLabels(path: string): string {
  return path.replace(/^(?:\/~[^/]*)+/, '');
}

/**
 * Starts a GOPROXY server on 127.0.0.1 (random port) serving `store`, with keep-alive.
 * Unknown things get `404` with a `text/plain` body `not found: …`, as proxy.golang.org answers.
 * @see https://go.dev/ref/mod#goproxy-protocol
 */
export async function startProxy(store: ModuleStore, opts: ProxyOptions = {}): Promise<ProxyServer> {
  let faults = opts.faults ?? [];
  let latencyMs = opts.latencyMs ?? 0;
  let sumdb = opts.sumdb;
  let requests: RequestLog[] = [];
  let attempts = new Map<string, number>();

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`proxy-server: ${String(err)}\n`);
      } else res.destroy();
    });
  });
  // Longer than undici's and go's idle timeouts, so pooled connections are not closed under a test.
  server.keepAliveTimeout = 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    let path: string;
    try {
      path = decodeURIComponent(q < 0 ? url : url.slice(0, q));
    } catch {
      path = q < 0 ? url : url.slice(0, q);
    }
    const method = req.method ?? 'GET';
    const key = `${method} ${path}`;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    const log: RequestLog = { method, url, path, attempt, status: 0, bytesSent: 0, headers: req.headers, remotePort: req.socket.remotePort ?? 0 };
    requests.push(log);
    const ctx: HandlerContext = { path, attempt, log };
    instrument(res, log);

    if (latencyMs > 0) await sleep(latencyMs);
    const index = faults.findIndex((r) => matches(r.url, path) && attemptMatches(r.attempt, attempt));
    const rule = index >= 0 ? faults[index] : undefined;
    if (rule) log.fault = index;
    if (rule?.delayMs) await sleep(rule.delayMs);
    if (res.destroyed) return;
    if (rule?.resetBeforeHeaders) {
      req.socket.resetAndDestroy();
      return;
    }
    if (rule?.handler) return rule.handler(req, res, ctx);
    if (rule?.redirect) {
      res.writeHead(rule.redirect.status ?? 302, { location: rule.redirect.location, 'content-length': '0', ...rule.headers });
      res.end();
      return;
    }
    if (rule?.status !== undefined) {
      const body = rule.body ?? `${STATUS_CODES[rule.status] ?? 'status'}\n`;
      return sendBytes(res, rule.status, Buffer.from(body), rule.contentType ?? 'text/plain; charset=utf-8', rule);
    }
    if (method !== 'GET' && method !== 'HEAD') {
      return sendBytes(res, 405, Buffer.from('method not allowed\n'), 'text/plain; charset=utf-8', rule);
    }

    const rel = stripLabels(path);
    const sm = /^\/sumdb\/([^/]+)\/(.*)$/.exec(rel);
    if (sm) {
      if (sumdb) return sumdb(sm[1]!, sm[2]!, req, res, ctx);
      return sendBytes(res, 404, Buffer.from(`not found: no checksum database ${sm[1]}\n`), 'text/plain; charset=utf-8', rule);
    }

    const file = store.resolve(rel.slice(1));
    if (!file) return sendBytes(res, 404, Buffer.from(notFoundText(store, rel)), 'text/plain; charset=utf-8', rule);
    if (rule?.malformedJson) return sendBytes(res, 200, Buffer.from(MALFORMED_JSON), 'application/json', rule);
    if (rule?.body !== undefined) return sendBytes(res, 200, Buffer.from(rule.body), rule.contentType ?? file.contentType, rule);
    return sendFile(res, file, rule);
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    reset() {
      requests = [];
      attempts = new Map();
    },
    setFaults(rules) {
      faults = rules;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    setSumdb(handler) {
      sumdb = handler;
    },
    count(u) {
      return requests.filter((r) => matches(u, r.path)).length;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/** Records the status and counts body bytes of every response, custom handlers' included. */
function instrument(res: ServerResponse, log: RequestLog): void {
  const writeHead = res.writeHead.bind(res);
  res.writeHead = ((...args: Parameters<ServerResponse['writeHead']>) => {
    log.status = args[0];
    return writeHead(...args);
  }) as ServerResponse['writeHead'];
  const count = (chunk: unknown, encoding: unknown): void => {
    if (typeof chunk === 'string') log.bytesSent += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    else if (chunk instanceof Uint8Array) log.bytesSent += chunk.byteLength;
  };
  const write = res.write.bind(res) as (...a: unknown[]) => boolean;
  res.write = ((...a: unknown[]) => {
    count(a[0], a[1]);
    return write(...a);
  }) as ServerResponse['write'];
  const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
  res.end = ((...a: unknown[]) => {
    if (typeof a[0] !== 'function') count(a[0], a[1]);
    return end(...a);
  }) as ServerResponse['end'];
}

/** A proxy.golang.org-like 404 text. */
function notFoundText(store: ModuleStore, rel: string): string {
  const m = /^\/(.+?)\/@(?:v\/(.+)\.(?:info|mod|zip)|v\/list|latest)$/.exec(rel);
  if (!m) return `not found: ${rel.slice(1)}\n`;
  const path = store.pathOf(m[1]!) ?? m[1]!;
  if (m[2] !== undefined) return `not found: ${path}@${m[2]}: invalid version: unknown revision ${m[2]}\n`;
  return `not found: module ${path}: no matching versions for query "latest"\n`;
}

function sendBytes(res: ServerResponse, status: number, body: Buffer, contentType: string, rule: FaultRule | undefined): Promise<void> {
  return sendFile(res, { kind: 'bytes', body, contentType }, rule, status);
}

/** Sends a body, applying the body-level faults (slow chunks, corruption, truncation, reset). */
async function sendFile(res: ServerResponse, file: ProxyFile, rule: FaultRule | undefined, status = 200): Promise<void> {
  const size = file.kind === 'bytes' ? file.body.length : file.size;
  res.writeHead(status, { 'content-type': file.contentType, 'content-length': String(size), ...rule?.headers });
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  const chunkSize = rule?.chunkSize ?? 16 * 1024;
  const stopAt = rule?.resetAfterBytes ?? rule?.truncateAfterBytes;
  const chunks: AsyncIterable<Buffer> | Iterable<Buffer> =
    file.kind === 'bytes' ? slices(file.body, chunkSize) : createReadStream(file.file, { highWaterMark: chunkSize });
  let offset = 0;
  for await (const raw of chunks) {
    if (res.destroyed) return;
    if (rule?.chunkDelayMs) await sleep(rule.chunkDelayMs);
    let chunk = raw;
    const k = rule?.corruptAt;
    if (k !== undefined && k >= offset && k < offset + chunk.length) {
      chunk = Buffer.from(chunk);
      chunk[k - offset]! ^= 0xff;
    }
    if (stopAt !== undefined && offset + chunk.length >= stopAt) {
      chunk = chunk.subarray(0, stopAt - offset);
      await write(res, chunk);
      return stop(res, rule!);
    }
    offset += chunk.length;
    await write(res, chunk);
  }
  if (stopAt !== undefined) return stop(res, rule!);
  res.end();
}

function* slices(b: Buffer, n: number): Iterable<Buffer> {
  for (let o = 0; o < b.length; o += n) yield b.subarray(o, o + n);
}

async function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  if (chunk.length === 0 || res.destroyed) return;
  if (res.write(chunk)) return;
  // Wait for drain or close, then drop the other listener (left behind, one per write, they used to
  // pile up past Node's MaxListeners warning on long slow transfers).
  const done = new AbortController();
  const event = (name: string): Promise<void> => once(res, name, { signal: done.signal }).then(() => {}, () => {});
  try {
    await Promise.race([event('drain'), event('close')]);
  } finally {
    done.abort();
  }
}

/** Ends a response early: a reset is a TCP RST; a truncation is a clean FIN after flushing. */
async function stop(res: ServerResponse, rule: FaultRule): Promise<void> {
  const socket = res.socket;
  if (!socket) return;
  if (rule.resetAfterBytes !== undefined) {
    // Let the bytes already written leave first, so the client sees K bytes and then the reset.
    await new Promise<void>((resolve) => socket.write('', () => resolve()));
    socket.resetAndDestroy();
  } else {
    socket.end();
  }
}
