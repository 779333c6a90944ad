// Zip transfers never hold every connection: a go.mod request (the module graph's critical path)
// always finds one free, however many zips are being fetched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../src/fetch/http.js';

test('with two connections and two zip transfers under way, a go.mod request is answered at once', async (t) => {
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
  const client = new HttpClient({ connections: 2 });
  t.after(() => client.close());

  const zip = await client.open(`${base}/example.com/m/@v/v1.0.0.zip`);
  // A second zip waits for the first one's slot (with both connections its, the go.mod would queue).
  const zip2 = client.open(`${base}/example.com/n/@v/v1.0.0.zip`);
  const started = performance.now();
  const mod = await client.open(`${base}/example.com/m/@v/v1.0.0.mod`);
  const modText = await readText(mod.body);
  const modMs = performance.now() - started;
  assert.equal(modText, 'module example.com/m\n');
  assert.equal(await readText(zip.body), 'PK-rest', 'the zip waited for its server timeout: the go.mod request had queued behind it');
  assert.equal(await readText((await zip2).body), 'PK-rest');
  assert.ok(modMs < 4000, `the go.mod request took ${modMs.toFixed(0)} ms`);
});

async function readText(body: AsyncIterable<unknown>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts).toString('utf8');
}
