// The checksum database through the whole pipeline: gomod-dl and go, each with the same test database
// (signed with a test key, served behind the local GOPROXY's /sumdb/ route), must leave the same cache —
// including cache/download/sumdb and GOPATH/pkg/sumdb — and fail with the same text when the database
// disagrees or stops answering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TestSumdbServer, type SumdbEntry } from '../support/sumdb-server.js';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy, type ProxyServer } from '../support/proxy-server.js';
import { parseJsonStream, requireGo, runGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { assertSameTree } from '../support/tree.js';

const SKEY = 'PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXHDfDGxSPk';
const VKEY = 'localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6';
const FILLER_MOD = 'h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA=';
const PATHS = ['example.com/checked', 'example.com/Upper/Checked'];
const ARGS = PATHS.map((p) => `${p}@v1.0.0`);

function mount(proxy: ProxyServer, server: TestSumdbServer): void {
  proxy.setSumdb(async (name, rest, _req, res) => {
    const full = `${name}/${rest}`;
    if (!full.startsWith(`${server.name}/`)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${full}\n`);
      return;
    }
    const r = await server.handle('/' + full.slice(server.name.length + 1));
    res.writeHead(r.status, { 'Content-Type': r.contentType, 'Content-Length': r.body.length }).end(r.body);
  });
}

/** A proxy with the modules, and their true sums as go computes them without a database. */
async function setup(t: import('node:test').TestContext) {
  requireGo(t);
  const mods = await Promise.all(PATHS.map((path) => buildModule({ path, version: 'v1.0.0', files: { 'a.go': `package a // ${path}\n` } })));
  const proxy = await startProxy(new ModuleStore().add(...mods));
  t.after(() => proxy.close());
  const plain = await runGo(['mod', 'download', '-json', ...ARGS], { t, proxy: proxy.url });
  assert.equal(plain.code, 0, plain.stderr);
  const sums = parseJsonStream<{ Path: string; Sum: string; GoModSum: string }>(plain.stdout);
  const entries: SumdbEntry[] = sums.map((s) => ({ path: s.Path, version: 'v1.0.0', hash: s.Sum, goModHash: s.GoModSum }));
  const fillers: SumdbEntry[] = Array.from({ length: 260 }, (_, i) => ({ path: `example.com/filler/f${i}`, version: 'v1.0.0', goModHash: FILLER_MOD }));
  return { proxy, entries, fillers };
}

const env = { GOSUMDB: VKEY };

test('verified through the checksum database: the same cache, sumdb files and latest as go', async (t) => {
  const { proxy, entries, fillers } = await setup(t);
  const server = new TestSumdbServer({ signerKey: SKEY });
  await server.add(...fillers, ...entries);
  mount(proxy, server);
  const go = await runGo(['mod', 'download', '-json', ...ARGS], { t, proxy: proxy.url, env });
  const ours = await runGomodDl(['-json', ...ARGS], { t, proxy: proxy.url, env });
  assert.equal(go.code, 0, go.stderr);
  assert.equal(ours.code, 0, ours.stderr);
  await assertSameTree(ours.gomodcache, go.gomodcache, { sumdbCache: true });
  await assertSameTree(join(ours.gopath, 'pkg/sumdb'), join(go.gopath, 'pkg/sumdb'));
  // A second run needs the database no more: lookups and tiles come from the cache.
  proxy.reset();
  const again = await runGomodDl(ARGS, { t, proxy: proxy.url, env, gopath: ours.gopath, gomodcache: ours.gomodcache });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(proxy.requests.map((r) => r.path), []);
});

test('a hash the database disagrees with fails with go\'s SECURITY ERROR and caches nothing of the zip', async (t) => {
  const { proxy, entries, fillers } = await setup(t);
  const lying = 'h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=';
  const server = new TestSumdbServer({ signerKey: SKEY });
  await server.add(...fillers, { ...entries[0]!, hash: lying }, entries[1]!);
  mount(proxy, server);
  const go = await runGo(['mod', 'download', ...ARGS], { t, proxy: proxy.url, env });
  const ours = await runGomodDl(ARGS, { t, proxy: proxy.url, env });
  assert.equal(go.code, 1);
  assert.match(go.stderr, /SECURITY ERROR/);
  assert.equal(ours.code, 1);
  assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: '), go.stderr);
  await assertSameTree(ours.gomodcache, go.gomodcache, { sumdbCache: true });
});

test('a database that stops answering is an error for each module, never a silent pass', async (t) => {
  const { proxy, entries, fillers } = await setup(t);
  const server = new TestSumdbServer({ signerKey: SKEY });
  await server.add(...fillers, ...entries);
  server.stopAnswering({ mode: 'status' });
  mount(proxy, server);
  const go = await runGo(['mod', 'download', ...ARGS], { t, proxy: proxy.url, env });
  const ours = await runGomodDl(ARGS, { t, proxy: proxy.url, env });
  assert.equal(go.code, 1);
  assert.equal(ours.code, 1);
  // go does not retry; gomod-dl says once how many tries it made (src/report/notice.ts), then go's error.
  assert.match(ours.stderr, /^gomod-dl: http:\/\/\S+\/sumdb\/supported: gave up after 4 attempts in [\d.]+s\n/);
  const norm = (s: string) => s.replace(/^gomod-dl: \S+: gave up after .*\n/gm, '').replaceAll('gomod-dl: ', 'go: ');
  assert.equal(norm(ours.stderr), go.stderr);
  await assertSameTree(ours.gomodcache, go.gomodcache, { sumdbCache: true });
});

test('a forked log is fatal through the command: go\'s SECURITY ERROR, no JSON, the old tree head kept', async (t) => {
  const { proxy, entries, fillers } = await setup(t);
  let current = new TestSumdbServer({ signerKey: SKEY });
  proxy.setSumdb(async (name, rest, _req, res) => {
    const r = await current.handle('/' + `${name}/${rest}`.slice(current.name.length + 1));
    res.writeHead(r.status, { 'Content-Type': r.contentType, 'Content-Length': r.body.length }).end(r.body);
  });
  // Both learn a tree of 262 records from checking the first module ...
  await current.add(...fillers);
  const fork = current.fork();
  await current.add(entries[0]!);
  const first = ARGS.slice(0, 1);
  const go1 = await runGo(['mod', 'download', ...first], { t, proxy: proxy.url, env });
  const ours1 = await runGomodDl(first, { t, proxy: proxy.url, env });
  assert.equal(go1.code, 0, go1.stderr);
  assert.equal(ours1.code, 0, ours1.stderr);
  // ... then the database serves a log that rewrote record 261 and grew past it.
  await fork.add(entries[1]!, { ...entries[0]!, path: 'example.com/other' }, ...fillers.slice(0, 3).map((f) => ({ ...f, path: `${f.path}x` })));
  current = fork;
  const rest = ['-json', ...ARGS.slice(1)];
  const go = await runGo(['mod', 'download', ...rest], { t, proxy: proxy.url, env, gopath: go1.gopath, gomodcache: go1.gomodcache });
  const ours = await runGomodDl(rest, { t, proxy: proxy.url, env, gopath: ours1.gopath, gomodcache: ours1.gomodcache });
  assert.equal(go.code, 1);
  assert.match(go.stderr, /SECURITY ERROR\ngo.sum database server misbehavior detected!/);
  assert.equal(ours.code, 1);
  assert.equal(ours.stdout, go.stdout);
  assert.equal(ours.stderr, go.stderr);
  await assertSameTree(ours.gomodcache, go.gomodcache, { sumdbCache: true });
  await assertSameTree(join(ours.gopath, 'pkg/sumdb'), join(go.gopath, 'pkg/sumdb'));
});
