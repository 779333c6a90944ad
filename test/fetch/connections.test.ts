// The HTTP client never makes a run's requests wait for a connection: as many as the run sends at
// once (src/run.ts: 32 go.mod files while the graph loads, plus prefetches and downloads) reach the
// server together, as go's transport (no per-host limit) sends them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../src/fetch/http.js';

test('48 requests at once to one proxy are all in flight together', async (t) => {
  const N = 48;
  // Every answer waits until all N requests have arrived (or a second has passed).
  const held: ServerResponse[] = [];
  let most = 0;
  const release = (): void => {
    for (const res of held.splice(0)) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
  };
  const server = createServer((_req, res) => {
    held.push(res);
    most = Math.max(most, held.length);
    if (held.length === N) release();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const timer = setInterval(release, 1000);
  t.after(() => {
    clearInterval(timer);
    server.closeAllConnections();
    server.close();
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const http = new HttpClient();
  t.after(() => http.close());
  const bodies = await Promise.all(Array.from({ length: N }, async (_, i) => {
    const b = await http.open(`${base}/m${i}/@v/v1.0.0.mod`);
    let text = '';
    for await (const c of b.body) text += String(c);
    return text;
  }));
  assert.deepEqual(new Set(bodies), new Set(['ok\n']));
  assert.equal(most, N);
});
