// Zips and the rest travel in separate connection lanes: a go.mod request (the module graph's
// critical path) never waits for a connection held by a zip transfer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../src/fetch/http.js';

test('with one connection per lane, a go.mod request is answered while a zip transfer holds its connection', async (t) => {
  let modServed!: () => void;
  const modDone = new Promise<void>((resolve) => (modServed = resolve));
  const server = createServer((req, res) => {
    if (req.url!.endsWith('.zip')) {
      // The zip's body starts, then waits for the go.mod request (or gives up after 5 s).
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.write('PK');
      const timer = setTimeout(() => res.end('-timeout'), 5000);
      void modDone.then(() => {
        clearTimeout(timer);
        res.end('-rest');
      });
      return;
    }
    res.end('module example.com/m\n');
    modServed();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new HttpClient({ connections: 1 });
  t.after(() => client.close());

  const zip = await client.open(`${base}/example.com/m/@v/v1.0.0.zip`);
  const started = performance.now();
  const mod = await client.open(`${base}/example.com/m/@v/v1.0.0.mod`);
  const modText = await readText(mod.body);
  const modMs = performance.now() - started;
  assert.equal(modText, 'module example.com/m\n');
  assert.equal(await readText(zip.body), 'PK-rest', 'the zip waited for its server timeout: the go.mod request had queued behind it');
  assert.ok(modMs < 4000, `the go.mod request took ${modMs.toFixed(0)} ms`);
});

async function readText(body: AsyncIterable<unknown>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts).toString('utf8');
}
