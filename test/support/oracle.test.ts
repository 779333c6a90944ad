// Proves the harness is a faithful GOPROXY for the real go command: go downloads the synthesized
// modules from the HTTP server and from the same store written as a file:// proxy, with the same result.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildModule } from './modbuilder.js';
import type { BuiltModule } from './modbuilder.js';
import { startProxy } from './proxy-server.js';
import { fileProxyUrl, parseJsonStream, requireGo, runGo } from './gorun.js';
import { ModuleStore } from './store.js';
import { assertSameTree, snapshotTree } from './tree.js';
import { tempDir } from './tmp.js';
import type { ModuleJSON } from '../../src/modfetch/index.js';

/** One `go mod download -json` object: go's ModuleJSON, as gomod-dl declares it. */
type DownloadJson = ModuleJSON;

async function threeModules(): Promise<BuiltModule[]> {
  return Promise.all([
    buildModule({ path: 'example.com/Upper/Mod', version: 'v1.0.0', files: { 'mod.go': 'package mod\n', 'sub/s.go': 'package sub\n' } }),
    buildModule({ path: 'example.com/inc', version: 'v2.0.0+incompatible', goMod: null, files: { 'inc.go': 'package inc\n' } }),
    buildModule({
      path: 'example.com/pseudo',
      version: 'v0.0.0-20240102030405-abcdefabcdef',
      files: { 'go.mod': 'module example.com/pseudo\n\ngo 1.21\n', 'p.go': 'package pseudo\n' },
      zipOptions: { dirEntries: true },
    }),
  ]);
}

const args = (mods: BuiltModule[]) => ['mod', 'download', '-json', ...mods.map((m) => `${m.path}@${m.version}`)];

function checkDownload(t: TestContext, out: { code: number; stdout: string; stderr: string }, mods: BuiltModule[]): DownloadJson[] {
  assert.equal(out.code, 0, `go failed:\n${out.stderr}`);
  const json = parseJsonStream<DownloadJson>(out.stdout);
  assert.equal(json.length, mods.length);
  for (const [i, m] of mods.entries()) {
    const j = json[i]!;
    t.diagnostic(`${j.Path}@${j.Version} ${j.Sum} ${j.GoModSum}`);
    assert.deepEqual([j.Path, j.Version, j.Error], [m.path, m.version, undefined]);
    for (const k of ['Info', 'GoMod', 'Zip', 'Dir'] as const) assert.ok(j[k], `${m.path}: ${k} missing`);
    assert.match(j.Sum!, /^h1:[A-Za-z0-9+/]{43}=$/);
    assert.match(j.GoModSum!, /^h1:[A-Za-z0-9+/]{43}=$/);
  }
  return json;
}

test('go mod download accepts synthesized modules from the HTTP proxy and stores exactly what was served', async (t) => {
  requireGo(t);
  const mods = await threeModules();
  const proxy = await startProxy(new ModuleStore().add(...mods));
  t.after(() => proxy.close());
  const out = await runGo(args(mods), { t, proxy: proxy.url, cwd: tempDir(t, 'cwd') });
  const json = checkDownload(t, out, mods);
  const cache = out.gomodcache;

  const [upper] = json;
  assert.equal(upper!.Dir, join(cache, 'example.com/!upper/!mod@v1.0.0'));
  assert.equal(upper!.Zip, join(cache, 'cache/download/example.com/!upper/!mod/@v/v1.0.0.zip'));
  for (const [i, m] of mods.entries()) {
    assert.ok((await readFile(json[i]!.Zip!)).equals(m.zip), 'the cached zip is the served zip');
    assert.ok((await readFile(json[i]!.GoMod!)).equals(m.mod), 'the cached .mod is the served .mod');
  }
  // go escapes `!` as %21 in proxy URLs; the server decodes it.
  assert.ok(proxy.requests.some((r) => r.url === '/example.com/%21upper/%21mod/@v/v1.0.0.zip'));
  assert.ok(proxy.requests.every((r) => r.status === 200), JSON.stringify(proxy.requests.map((r) => [r.url, r.status])));

  const snap = await snapshotTree(cache);
  const extracted = snap.filter((e) => e.type === 'file' && !e.path.startsWith('cache/'));
  assert.deepEqual(
    extracted.map((e) => e.path),
    [
      'example.com/!upper/!mod@v1.0.0/go.mod',
      'example.com/!upper/!mod@v1.0.0/mod.go',
      'example.com/!upper/!mod@v1.0.0/sub/s.go',
      'example.com/inc@v2.0.0+incompatible/inc.go',
      'example.com/pseudo@v0.0.0-20240102030405-abcdefabcdef/go.mod',
      'example.com/pseudo@v0.0.0-20240102030405-abcdefabcdef/p.go',
    ],
  );
  assert.ok(extracted.every((e) => e.mode === 0o444), 'extracted files are 0444 even with -modcacherw');
});

test('the same store written with writeProxyDir works as a file:// proxy and gives the same cache', async (t) => {
  requireGo(t);
  const mods = await threeModules();
  const store = new ModuleStore().add(...mods);
  const proxyDir = tempDir(t, 'fileproxy');
  await store.writeProxyDir(proxyDir);
  const proxy = await startProxy(store);
  t.after(() => proxy.close());
  const cwd = tempDir(t, 'cwd');
  // The file:// run drops -modcacherw, so its directories must come out read-only.
  const [viaHttp, viaFile] = await Promise.all([
    runGo(args(mods), { t, proxy: proxy.url, cwd }),
    runGo(args(mods), { t, proxy: fileProxyUrl(proxyDir), cwd, env: { GOFLAGS: '' } }),
  ]);
  const a = checkDownload(t, viaHttp, mods);
  const b = checkDownload(t, viaFile, mods);
  assert.deepEqual(b.map((j) => [j.Sum, j.GoModSum]), a.map((j) => [j.Sum, j.GoModSum]));
  await assertSameTree(viaFile.gomodcache, viaHttp.gomodcache, { modes: false });

  const snap = await snapshotTree(viaFile.gomodcache);
  const moduleDirs = snap.filter((e) => e.type === 'dir' && /@v[^/]*($|\/)/.test(e.path) && !e.path.startsWith('cache/'));
  assert.ok(moduleDirs.length >= 4);
  for (const d of moduleDirs) assert.equal(d.mode, 0o555, `${d.path} should be read-only`);
});

test('go sees the proxy\'s 404 text and rejects a hostile zip built with extraEntries', async (t) => {
  requireGo(t);
  const hostile = await buildModule({
    path: 'example.com/hostile',
    version: 'v1.0.0',
    zipOptions: { extraEntries: [{ name: 'example.com/other@v1.0.0/evil.go', data: 'package evil\n' }] },
  });
  const proxy = await startProxy(new ModuleStore().add(hostile));
  t.after(() => proxy.close());
  const out = await runGo(['mod', 'download', '-json', 'example.com/hostile@v1.0.0', 'example.com/hostile@v9.0.0'], { t, proxy: proxy.url, cwd: tempDir(t, 'cwd') });
  assert.equal(out.code, 1);
  const [bad, missing] = parseJsonStream<DownloadJson>(out.stdout);
  assert.match(bad!.Error!, /^zip for example\.com\/hostile@v1\.0\.0 has unexpected file example\.com\/other@v1\.0\.0\/evil\.go$/);
  assert.equal(
    missing!.Error,
    `example.com/hostile@v9.0.0: reading ${proxy.url}/example.com/hostile/@v/v9.0.0.info: 404 Not Found\n` +
      '\tserver response: not found: example.com/hostile@v9.0.0: invalid version: unknown revision v9.0.0',
  );
});
