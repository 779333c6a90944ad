// Oracle tests of `gomod-dl export`: go, with only the exported tree reachable (file:// and a static
// HTTP server) and the test checksum database's name and key as GOSUMDB, verified through the tree's
// /sumdb/ files, downloads the same modules into a cache equal to one filled from the original proxy.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileProxyUrl, parseJsonStream, requireGo, runGo } from '../support/gorun.js';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { runGomodDl } from '../support/gomoddl.js';
import { assertSameTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';
import { mainModule, mountSumdb, SUMDB_VKEY, worldWithSumdb } from './fixture.js';
import { serveStatic } from './static-server.js';

const env = { GOSUMDB: SUMDB_VKEY };

/** The go commands a consumer runs: a download in the module (no go.sum: every hash goes to the database), then a query outside it. */
async function consume(t: TestContext, goproxy: string, moduleDir: string): Promise<{ gomodcache: string }> {
  const inModule = await runGo(['mod', 'download'], { t, proxy: goproxy, env, cwd: moduleDir });
  assert.equal(inModule.code, 0, inModule.stderr);
  const query = await runGo(['mod', 'download', 'example.com/a@latest'], { t, proxy: goproxy, env, gopath: inModule.gopath, gomodcache: inModule.gomodcache });
  assert.equal(query.code, 0, query.stderr);
  return inModule;
}

function files(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel)).flatMap((n) => (statSync(join(dir, rel, n)).isDirectory() ? files(dir, join(rel, n)) : [join(rel, n)]));
}

test('export writes a GOPROXY tree from which go alone (file:// and a static server, checksum database through the tree) fills the same cache', async (t) => {
  const proxy = await worldWithSumdb(t);
  const main = mainModule(t);
  const pristine = join(tempDir(t, 'consumer'), 'main');
  cpSync(main, pristine, { recursive: true });
  const out = join(tempDir(t, 'export'), 'tree');

  const first = await runGomodDl(['export', out], { t, proxy: proxy.url, env, cwd: main });
  assert.equal(first.code, 0, first.stderr);
  const before = new Map(files(out).map((f) => [f, statSync(join(out, f)).mtimeMs]));
  // A go that used the first export keeps its tree head (GOPATH/pkg/sumdb) and must later prove it
  // consistent with the head of the second export, through the tree's tiles.
  const early = await runGo(['mod', 'download'], { t, proxy: fileProxyUrl(out), env, cwd: cpToFresh(t, pristine) });
  assert.equal(early.code, 0, early.stderr);
  // The log grows meanwhile (as sum.golang.org does): the second export's lookups name a bigger tree.
  await proxy.sumdb.add(...Array.from({ length: 700 }, (_, i) => ({ path: `example.com/later/l${i}`, version: 'v1.0.0', goModHash: 'h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA=' })));
  // Incremental: a second export (another run, another cache) adds a's latest and leaves the rest.
  const second = await runGomodDl(['export', out, 'example.com/a@latest'], { t, proxy: proxy.url, env });
  assert.equal(second.code, 0, second.stderr);
  const after = files(out);
  const added = after.filter((f) => !before.has(f)).sort();
  assert.ok(added.includes('example.com/a/@v/v1.1.0.zip'), added.join('\n'));
  assert.ok(added.every((f) => f.includes('v1.1.0') || f.startsWith('sumdb/') || f.endsWith('/list')), added.join('\n'));
  // Module files are never rewritten; lookups are re-served with the newest tree head (sumdbexport.ts).
  const rewritable = (f: string): boolean => f.endsWith('/list') || f.endsWith('sumdb/latest') || f.includes('sumdb/lookup/');
  for (const [f, mtime] of before) if (!rewritable(f)) assert.equal(statSync(join(out, f)).mtimeMs, mtime, `${f} was rewritten`);
  assert.equal(readFileSync(join(out, 'example.com/a/@v/list'), 'utf8'), 'v1.0.0\nv1.1.0\n');
  assert.ok(existsSync(join(out, 'sumdb/localhost.localdev/sumdb/supported')));

  const later = await runGo(['mod', 'download', 'example.com/a@latest'], { t, proxy: fileProxyUrl(out), env, gopath: early.gopath });
  assert.equal(later.code, 0, later.stderr);

  const reference = await consume(t, proxy.url, pristine);
  proxy.reset();
  const viaFile = await consume(t, fileProxyUrl(out), cpToFresh(t, pristine));
  await assertSameTree(viaFile.gomodcache, reference.gomodcache);
  const server = await serveStatic(out);
  t.after(() => server.close());
  const viaHttp = await consume(t, server.url, cpToFresh(t, pristine));
  await assertSameTree(viaHttp.gomodcache, reference.gomodcache);
  assert.deepEqual(proxy.requests, [], 'nothing but the tree was asked');
  // The database was consulted through the tree: lookups and tiles.
  assert.ok(server.requests.some((p) => p.startsWith('/sumdb/localhost.localdev/sumdb/lookup/')), server.requests.join('\n'));
  assert.ok(server.requests.some((p) => p.startsWith('/sumdb/localhost.localdev/sumdb/tile/')), server.requests.join('\n'));
});

function cpToFresh(t: TestContext, dir: string): string {
  const to = join(tempDir(t, 'consumer'), 'main');
  cpSync(dir, to, { recursive: true });
  return to;
}

test('export of a varied module set (upper-case paths, +incompatible, pseudo-versions, queries): go fills the same cache from the tree as from the proxy', async (t) => {
  requireGo(t);
  const pseudo = 'v0.0.0-20240102030405-abcdefabcdef';
  const store = new ModuleStore().add(
    await buildModule({ path: 'example.com/Upper/Mod', version: 'v1.0.0', files: { 'x.go': 'package x\n' } }),
    await buildModule({ path: 'example.com/Upper/Mod', version: 'v1.1.0-RC1', files: { 'x.go': 'package x // rc\n' } }),
    await buildModule({ path: 'example.com/legacy', version: 'v2.0.0+incompatible', goMod: null, files: { 'l.go': 'package legacy\n' } }),
    await buildModule({ path: 'example.com/pseudo', version: pseudo, goMod: 'module example.com/pseudo\n\ngo 1.21\n', files: { 'p.go': 'package pseudo\n' } }),
    await buildModule({ path: 'example.com/Deep', version: 'v1.2.3', files: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`a/B${i % 3}/f${i}.go`, `package f\n// ${i}\n`])) }),
  ).setLatest('example.com/pseudo', pseudo);
  const proxy = await startProxy(store);
  t.after(() => proxy.close());
  const args = ['example.com/Upper/Mod@latest', 'example.com/Upper/Mod@v1.1.0-RC1', 'example.com/legacy@v2.0.0+incompatible', 'example.com/pseudo@latest', 'example.com/Deep@v1.2'];
  const plain = await runGo(['mod', 'download', '-json', ...args], { t, proxy: proxy.url });
  assert.equal(plain.code, 0, plain.stderr);
  const sumdb = mountSumdb(proxy);
  await sumdb.add(...parseJsonStream<{ Path: string; Version: string; Sum: string; GoModSum: string }>(plain.stdout).map((s) => ({ path: s.Path, version: s.Version, hash: s.Sum, goModHash: s.GoModSum })));

  const out = join(tempDir(t, 'export'), 'tree');
  const ours = await runGomodDl(['export', out, ...args], { t, proxy: proxy.url, env });
  assert.equal(ours.code, 0, ours.stderr);
  assert.ok(existsSync(join(out, 'example.com/!upper/!mod/@v/v1.1.0-!r!c1.zip')));
  const reference = await runGo(['mod', 'download', '-json', ...args], { t, proxy: proxy.url, env });
  assert.equal(reference.code, 0, reference.stderr);
  const server = await serveStatic(out);
  t.after(() => server.close());
  for (const goproxy of [fileProxyUrl(out), server.url]) {
    const consumer = await runGo(['mod', 'download', '-json', ...args], { t, proxy: goproxy, env });
    assert.equal(consumer.code, 0, consumer.stderr);
    assert.equal(consumer.stdout.split(consumer.gomodcache).join('$GOMODCACHE'), reference.stdout.split(reference.gomodcache).join('$GOMODCACHE'));
    await assertSameTree(consumer.gomodcache, reference.gomodcache);
  }
});

test('export reaches the checksum database through the run\'s fetcher: its requests are in -x, like the download\'s', async (t) => {
  const proxy = await worldWithSumdb(t);
  const main = mainModule(t);
  const out = join(tempDir(t, 'export'), 'tree');
  const r = await runGomodDl(['export', '-x', out], { t, proxy: proxy.url, env, cwd: main });
  assert.equal(r.code, 0, r.stderr);
  // The download's client reads lookups and tiles; only the export reads the tree head (`/latest`), to
  // serve it with the lookups: through the run's fetcher (its proxies, CAs, credentials, retries, -x).
  const heads = r.stderr.split('\n').filter((l) => /^# get .*\/sumdb\/localhost\.localdev\/sumdb\/latest(: 200 OK .*)?$/.test(l));
  assert.equal(heads.length, 2, r.stderr);
});
