import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Agent, request } from 'undici';
import { buildModule } from './modbuilder.js';
import { startProxy } from './proxy-server.js';
import type { ProxyServer } from './proxy-server.js';
import { ModuleStore } from './store.js';

async function fixture(t: import('node:test').TestContext, opts: Parameters<typeof startProxy>[1] = {}) {
  const m = await buildModule({ path: 'example.com/Upper/Mod', version: 'v1.0.0', files: { 'a.go': 'package a\n'.repeat(5000) }, zipOptions: { compress: false } });
  const store = new ModuleStore().add(m);
  const proxy = await startProxy(store, opts);
  // One agent per test so pooled connections never outlive the server.
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  t.after(async () => {
    await agent.close();
    await proxy.close();
  });
  const base = `${proxy.url}/example.com/%21upper/%21mod/@v`;
  const get = async (url: string) => {
    const res = await request(url, { dispatcher: agent });
    return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
  };
  return { m, store, proxy, base, get };
}

const lastLog = (p: ProxyServer) => p.requests[p.requests.length - 1]!;

test('serves list, .info, .mod and .zip of stored modules under escaped paths', async (t) => {
  const { m, proxy, base, get } = await fixture(t);
  const list = await get(`${base}/list`);
  assert.equal(list.status, 200);
  assert.equal(list.body.toString(), 'v1.0.0\n');
  const info = await get(`${base}/v1.0.0.info`);
  assert.equal(info.headers['content-type'], 'application/json');
  assert.ok(info.body.equals(m.info));
  assert.ok((await get(`${base}/v1.0.0.mod`)).body.equals(m.mod));
  const zip = await get(`${base}/v1.0.0.zip`);
  assert.ok(zip.body.equals(m.zip));
  assert.equal(zip.headers['content-length'], String(m.zip.length));
  // `!` sent literally is the same resource as `%21`.
  assert.equal((await get(`${proxy.url}/example.com/!upper/!mod/@v/list`)).status, 200);
  assert.equal(lastLog(proxy).path, '/example.com/!upper/!mod/@v/list');
});

test('answers 404 with a text/plain "not found:" body for unknown modules, versions and latest', async (t) => {
  const { proxy, base, get } = await fixture(t);
  for (const url of [`${base}/v9.9.9.info`, `${proxy.url}/example.com/nope/@v/list`, `${base}/../@latest`, `${proxy.url}/`]) {
    const r = await get(url);
    assert.equal(r.status, 404, url);
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
    assert.match(r.body.toString(), /^not found: /);
  }
  assert.equal((await get(`${base}/v9.9.9.info`)).body.toString(), 'not found: example.com/Upper/Mod@v9.9.9: invalid version: unknown revision v9.9.9\n');
});

test('@latest and aliases serve the .info of the chosen version', async (t) => {
  const { m, store, proxy, base, get } = await fixture(t);
  store.setLatest('example.com/Upper/Mod', 'v1.0.0').alias('example.com/Upper/Mod', 'Main', 'v1.0.0');
  assert.ok((await get(`${proxy.url}/example.com/%21upper/%21mod/@latest`)).body.equals(m.info));
  assert.ok((await get(`${base}/%21main.info`)).body.equals(m.info));
});

test('keeps connections alive and logs method, url, attempt, status and bytes', async (t) => {
  const { m, proxy, base, get } = await fixture(t);
  await get(`${base}/v1.0.0.zip`);
  await get(`${base}/v1.0.0.zip`);
  await get(`${base}/list`);
  const [a, b, c] = proxy.requests;
  assert.deepEqual([a!.attempt, b!.attempt, c!.attempt], [1, 2, 1]);
  assert.deepEqual([a!.status, a!.bytesSent, a!.method], [200, m.zip.length, 'GET']);
  assert.equal(a!.url, '/example.com/%21upper/%21mod/@v/v1.0.0.zip');
  assert.equal(a!.remotePort, c!.remotePort, 'one connection reused for every request');
  assert.equal(proxy.count(/\.zip$/), 2);
  proxy.reset();
  assert.equal(proxy.requests.length, 0);
  await get(`${base}/v1.0.0.zip`);
  assert.equal(proxy.requests[0]!.attempt, 1, 'reset() restarts attempt counting');
});

test('a status fault on the first two attempts, then success ("fail twice then succeed")', async (t) => {
  const { proxy, base, get } = await fixture(t);
  const url = '/example.com/!upper/!mod/@v/v1.0.0.info';
  proxy.setFaults([{ url, attempt: [1, 2], status: 503, headers: { 'retry-after': '3' }, body: 'busy\n' }]);
  const r1 = await get(`${base}/v1.0.0.info`);
  assert.deepEqual([r1.status, r1.headers['retry-after'], r1.body.toString()], [503, '3', 'busy\n']);
  assert.equal((await get(`${base}/v1.0.0.info`)).status, 503);
  assert.equal((await get(`${base}/v1.0.0.info`)).status, 200);
  assert.deepEqual(proxy.requests.map((r) => r.fault), [0, 0, undefined]);
});

test('status faults by regexp for every status a proxy may send, with default text bodies', async (t) => {
  const { proxy, base, get } = await fixture(t);
  for (const status of [500, 502, 429, 408, 403, 404, 410]) {
    proxy.setFaults([{ url: /\/@v\/list$/, status }]);
    const r = await get(`${base}/list`);
    assert.equal(r.status, status);
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
    assert.ok(r.body.length > 1);
  }
});

test('delay before headers, per-chunk delay and a global latency slow the response down', async (t) => {
  const { proxy, base, get } = await fixture(t);
  proxy.setFaults([{ url: /\.info$/, delayMs: 150 }, { url: /\.zip$/, chunkDelayMs: 40, chunkSize: 16 * 1024 }]);
  let t0 = performance.now();
  await get(`${base}/v1.0.0.info`);
  assert.ok(performance.now() - t0 >= 140);
  t0 = performance.now();
  const zip = await get(`${base}/v1.0.0.zip`);
  const chunks = Math.ceil(zip.body.length / (16 * 1024));
  assert.ok(chunks >= 2);
  assert.ok(performance.now() - t0 >= chunks * 40 - 10);
  proxy.setFaults([]);
  proxy.setLatency(100);
  t0 = performance.now();
  await get(`${base}/list`);
  assert.ok(performance.now() - t0 >= 90);
});

test('a reset before headers makes the request fail without a status', async (t) => {
  const { proxy, base, get } = await fixture(t);
  proxy.setFaults([{ url: /\.mod$/, resetBeforeHeaders: true }]);
  await assert.rejects(get(`${base}/v1.0.0.mod`));
  assert.equal(lastLog(proxy).status, 0);
});

test('a reset mid-body delivers K bytes, then fails the body', async (t) => {
  const { proxy, base, get } = await fixture(t);
  proxy.setFaults([{ url: /\.zip$/, resetAfterBytes: 100 }]);
  await assert.rejects(get(`${base}/v1.0.0.zip`));
  assert.deepEqual([lastLog(proxy).status, lastLog(proxy).bytesSent], [200, 100]);
});

test('a truncated body announces the full Content-Length but closes early', async (t) => {
  const { m, proxy, base } = await fixture(t);
  proxy.setFaults([{ url: /\.zip$/, truncateAfterBytes: 50 }]);
  const res = await fetch(`${base}/v1.0.0.zip`);
  assert.equal(res.headers.get('content-length'), String(m.zip.length));
  await assert.rejects(res.arrayBuffer());
  assert.equal(lastLog(proxy).bytesSent, 50);
});

test('corruption flips exactly one byte at the chosen offset', async (t) => {
  const { m, proxy, base, get } = await fixture(t);
  proxy.setFaults([{ url: /\.zip$/, corruptAt: 20_000, chunkSize: 4096 }]);
  const got = (await get(`${base}/v1.0.0.zip`)).body;
  assert.equal(got.length, m.zip.length);
  const diff = [...got.keys()].filter((i) => got[i] !== m.zip[i]);
  assert.deepEqual(diff, [20_000]);
  assert.equal(got[20_000], m.zip[20_000]! ^ 0xff);
});

test('malformed JSON and replacement bodies', async (t) => {
  const { proxy, base, get } = await fixture(t);
  proxy.setFaults([{ url: /\.info$/, malformedJson: true }, { url: /\.mod$/, body: 'module other.example/x\n' }]);
  const info = await get(`${base}/v1.0.0.info`);
  assert.equal(info.status, 200);
  assert.throws(() => JSON.parse(info.body.toString()));
  assert.equal((await get(`${base}/v1.0.0.mod`)).body.toString(), 'module other.example/x\n');
});

test('redirect chains across /~label prefixes and to another server', async (t) => {
  const { m, store, proxy, base, get } = await fixture(t);
  const other = await startProxy(store);
  t.after(() => other.close());
  const p = '/example.com/!upper/!mod/@v/v1.0.0.zip';
  proxy.setFaults([
    { url: p, redirect: { location: `/~hop1${p}`, status: 301 } },
    { url: `/~hop1${p}`, redirect: { location: `/~hop2${p}`, status: 307 } },
    { url: `/~hop2${p}`, redirect: { location: `${other.url}${p}` } },
  ]);
  const first = await get(`${base}/v1.0.0.zip`);
  assert.deepEqual([first.status, first.headers['location']], [301, `/~hop1${p}`]);
  const res = await fetch(`${base}/v1.0.0.zip`);
  assert.ok(res.redirected);
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(m.zip));
  assert.deepEqual(proxy.requests.map((r) => r.status), [301, 301, 307, 302]);
  assert.equal(other.requests.length, 1);
});

test('/~label prefixes serve the same store, so one server can act as several proxies', async (t) => {
  const { proxy, get } = await fixture(t);
  proxy.setFaults([{ url: /^\/~a\//, status: 404, body: 'not found: proxy a\n' }]);
  assert.equal((await get(`${proxy.url}/~a/example.com/%21upper/%21mod/@v/list`)).status, 404);
  assert.equal((await get(`${proxy.url}/~b/example.com/%21upper/%21mod/@v/list`)).body.toString(), 'v1.0.0\n');
});

test('sumdb requests go to the pluggable handler, 404 without one', async (t) => {
  const { proxy, get } = await fixture(t);
  assert.equal((await get(`${proxy.url}/sumdb/sum.golang.org/supported`)).status, 404);
  const seen: string[] = [];
  proxy.setSumdb((name, rest, _req, res) => {
    seen.push(`${name} ${rest}`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  assert.equal((await get(`${proxy.url}/sumdb/sum.golang.org/lookup/rsc.io/quote@v1.5.2`)).body.toString(), 'ok');
  assert.deepEqual(seen, ['sum.golang.org lookup/rsc.io/quote@v1.5.2']);
  assert.deepEqual([lastLog(proxy).status, lastLog(proxy).bytesSent], [200, 2]);
});
