// A GOPROXY on 127.0.0.1 serving a directory in the proxy layout (a module cache's cache/download),
// with a fixed delay before every response to imitate a network round trip.
//
// test/support/proxy-server.ts serves synthesized modules from memory and logs every request for the
// fault tests; this one streams real files from disk and does as little per request as it can, so the
// server's own cost stays out of the measurements.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** A running mirror server. */
export interface MirrorServer {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Delay before each response, in milliseconds. */
  latencyMs: number;
  /** Requests answered since the last `resetCount()`. */
  readonly requests: number;
  resetCount(): void;
  close(): Promise<void>;
}

/** Content types as proxy.golang.org sends them. */
const CONTENT_TYPES: Record<string, string> = {
  info: 'application/json',
  mod: 'text/plain; charset=utf-8',
  zip: 'application/zip',
  list: 'text/plain; charset=utf-8',
};

/** `<escaped path>/@v/<file>` where file is list, or `<escaped version>.{info,mod,zip}`. */
const PROXY_FILE = /^\/(.+)\/@v\/(list|.+\.(info|mod|zip))$/;

function notFound(res: ServerResponse, rel: string): void {
  const body = `not found: ${rel}\n`;
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/**
 * Serves `dir` as a GOPROXY: `@v/list`, `.info`, `.mod` and `.zip` files; anything else, and any
 * missing file, is a 404 with a `not found:` text as proxy.golang.org answers (go then reports it as
 * not found instead of retrying).
 * @see https://go.dev/ref/mod#goproxy-protocol
 */
export async function startMirrorServer(dir: string, latencyMs = 0): Promise<MirrorServer> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    handle(req.url ?? '/', req.method ?? 'GET', res).catch(() => res.destroy());
  });
  // Longer than go's and undici's idle timeouts: the clients' pooled connections stay usable.
  server.keepAliveTimeout = 60_000;

  async function handle(url: string, method: string, res: ServerResponse): Promise<void> {
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    let path: string;
    try {
      path = decodeURIComponent(url.split('?')[0]!);
    } catch {
      return notFound(res, url.slice(1));
    }
    const m = PROXY_FILE.exec(path);
    if (!m || path.includes('/../') || path.includes('/./')) return notFound(res, path.slice(1));
    const file = join(dir, path);
    const st = await stat(file).catch(() => undefined);
    if (!st?.isFile()) return notFound(res, path.slice(1));
    res.writeHead(200, { 'content-type': CONTENT_TYPES[m[3] ?? 'list']!, 'content-length': String(st.size) });
    if (method === 'HEAD') return void res.end();
    await pipeline(createReadStream(file, { highWaterMark: 256 << 10 }), res);
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const state: MirrorServer = {
    url: `http://127.0.0.1:${port}`,
    latencyMs,
    get requests() {
      return requests;
    },
    resetCount() {
      requests = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
  return state;
}
