// A static file server on 127.0.0.1 for the exported GOPROXY tree: what nginx or a bucket would do
// (GET a file, 404 for anything else), with a request log.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface StaticServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

export async function serveStatic(root: string): Promise<StaticServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const file = join(root, normalize(path));
    stat(file)
      .then(async (st) => {
        if (!st.isFile() || !file.startsWith(root)) throw new Error('not a file');
        const body = await readFile(file);
        res.writeHead(200, { 'Content-Length': body.length }).end(body);
      })
      .catch(() => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
