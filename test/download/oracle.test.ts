// Oracle tests of the download pipeline: the same modules, through the same local proxy, into two fresh
// caches, one filled by `go mod download -json path@version…`, one by gomod-dl. The trees must be
// identical (names, bytes, modes) and the JSON equal up to the cache root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildModule, bigModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy, type ProxyServer } from '../support/proxy-server.js';
import { parseJsonStream, requireGo, runGo, type GoResult } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { assertSameTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';

/** JSON objects of a -json run with the cache root replaced by a placeholder. */
function normalizedJson(r: GoResult): unknown[] {
  const text = r.stdout.split(r.gomodcache).join('$GOMODCACHE');
  return parseJsonStream(text);
}

/** Runs go and gomod-dl with the same arguments; returns both results. */
async function both(t: import('node:test').TestContext, proxy: ProxyServer, args: string[], cwd?: string) {
  requireGo(t);
  const go = await runGo(['mod', 'download', ...args], { t, proxy: proxy.url, ...(cwd ? { cwd } : {}) });
  const ours = await runGomodDl(args, { t, proxy: proxy.url, ...(cwd ? { cwd } : {}) });
  return { go, ours };
}

async function sampleStore(): Promise<ModuleStore> {
  const deep: Record<string, string> = {};
  for (let i = 0; i < 40; i++) deep[`a/b/c/d${i % 5}/e/f${i}.go`] = `package f\n// ${i}\n`;
  return new ModuleStore().add(
    await buildModule({ path: 'example.com/Upper/Mod', version: 'v1.0.0', files: { 'x.go': 'package x\n', 'README': 'hi\n' } }),
    await buildModule({ path: 'example.com/Upper/Mod', version: 'v1.1.0-RC1', files: { 'x.go': 'package x // rc\n' } }),
    await buildModule({ path: 'example.com/legacy', version: 'v2.0.0+incompatible', goMod: null, files: { 'l.go': 'package legacy\n' } }),
    await buildModule({
      path: 'example.com/pseudo',
      version: 'v0.0.0-20240102030405-abcdefabcdef',
      goMod: 'module example.com/pseudo\n\ngo 1.21\n',
      files: { 'p.go': 'package pseudo\n' },
    }),
    await buildModule({ path: 'example.com/deep', version: 'v1.2.3', files: deep, zipOptions: { dirEntries: true } }),
    await buildModule({ path: 'example.com/empty', version: 'v0.1.0', files: {}, goMod: 'module example.com/empty\n' }),
  );
}

const SAMPLE_ARGS = [
  'example.com/Upper/Mod@v1.0.0',
  'example.com/Upper/Mod@v1.1.0-RC1',
  'example.com/legacy@v2.0.0+incompatible',
  'example.com/pseudo@v0.0.0-20240102030405-abcdefabcdef',
  'example.com/deep@v1.2.3',
  'example.com/empty@v0.1.0',
];

test('a cache filled by gomod-dl is identical to the one go fills, and -json agrees', async (t) => {
  const proxy = await startProxy(await sampleStore());
  t.after(() => proxy.close());
  const { go, ours } = await both(t, proxy, ['-json', ...SAMPLE_ARGS]);
  assert.equal(go.code, 0, go.stderr);
  assert.equal(ours.code, 0, ours.stderr);
  assert.equal(ours.stderr, go.stderr);
  assert.deepEqual(normalizedJson(ours), normalizedJson(go));
  await assertSameTree(ours.gomodcache, go.gomodcache);
});

test('plain mode prints nothing on success, like go', async (t) => {
  const proxy = await startProxy(await sampleStore());
  t.after(() => proxy.close());
  const { go, ours } = await both(t, proxy, SAMPLE_ARGS.slice(0, 2));
  assert.equal(go.code, 0, go.stderr);
  assert.deepEqual({ code: ours.code, stdout: ours.stdout, stderr: ours.stderr }, { code: 0, stdout: '', stderr: go.stderr });
  await assertSameTree(ours.gomodcache, go.gomodcache);
});

test('without -modcacherw, directories are read-only (0555) as go leaves them', async (t) => {
  requireGo(t);
  const proxy = await startProxy(await sampleStore());
  t.after(() => proxy.close());
  const env = { GOFLAGS: '' };
  const go = await runGo(['mod', 'download', 'example.com/deep@v1.2.3'], { t, proxy: proxy.url, env });
  const ours = await runGomodDl(['example.com/deep@v1.2.3'], { t, proxy: proxy.url, env });
  assert.equal(go.code, 0, go.stderr);
  assert.equal(ours.code, 0, ours.stderr);
  await assertSameTree(ours.gomodcache, go.gomodcache);
});

test('a second run reuses the cache without any request', async (t) => {
  const proxy = await startProxy(await sampleStore());
  t.after(() => proxy.close());
  const first = await runGomodDl(SAMPLE_ARGS, { t, proxy: proxy.url });
  assert.equal(first.code, 0, first.stderr);
  proxy.reset();
  const again = await runGomodDl(['-json', ...SAMPLE_ARGS], { t, proxy: proxy.url, gomodcache: first.gomodcache, gopath: first.gopath });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(proxy.requests.map((r) => r.path), []);
});

test('each deleted piece (.info, .mod, .zip, tree) is re-created, as go does', async (t) => {
  requireGo(t);
  const proxy = await startProxy(await sampleStore());
  t.after(() => proxy.close());
  const arg = 'example.com/Upper/Mod@v1.0.0';
  const go = await runGo(['mod', 'download', arg], { t, proxy: proxy.url });
  const first = await runGomodDl([arg], { t, proxy: proxy.url });
  assert.equal(first.code, 0, first.stderr);
  const dl = join(first.gomodcache, 'cache/download/example.com/!upper/!mod/@v');
  const { rm } = await import('node:fs/promises');
  for (const victim of [join(dl, 'v1.0.0.info'), join(dl, 'v1.0.0.mod'), join(dl, 'v1.0.0.zip'), join(first.gomodcache, 'example.com/!upper/!mod@v1.0.0')]) {
    await rm(victim, { recursive: true, force: true });
    const again = await runGomodDl([arg], { t, proxy: proxy.url, gomodcache: first.gomodcache, gopath: first.gopath });
    assert.equal(again.code, 0, again.stderr);
    assert.ok(existsSync(victim), `${victim} was not re-created`);
  }
  await assertSameTree(first.gomodcache, go.gomodcache);
});

test('a module of 50 MB lands byte-identical to go', { timeout: 180_000 }, async (t) => {
  const dir = tempDir(t, 'big');
  const big = await bigModule('example.com/big', 'v1.0.0', 50 << 20, { dir });
  const proxy = await startProxy(new ModuleStore().add(big));
  t.after(() => proxy.close());
  const { go, ours } = await both(t, proxy, ['-json', 'example.com/big@v1.0.0']);
  assert.equal(go.code, 0, go.stderr);
  assert.equal(ours.code, 0, ours.stderr);
  assert.deepEqual(normalizedJson(ours), normalizedJson(go));
  await assertSameTree(ours.gomodcache, go.gomodcache);
});

test('a go.sum that disagrees: go\'s fatal SECURITY ERROR, no JSON, nothing of the zip cached', async (t) => {
  const store = await sampleStore();
  const proxy = await startProxy(store);
  t.after(() => proxy.close());
  const mod = tempDir(t, 'mainmod');
  await writeFile(join(mod, 'go.mod'), 'module example.com/main\n\ngo 1.22\n\nrequire example.com/deep v1.2.3\n');
  await writeFile(
    join(mod, 'go.sum'),
    'example.com/deep v1.2.3 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n',
  );
  const { go, ours } = await both(t, proxy, ['-json', 'example.com/deep@v1.2.3'], mod);
  assert.equal(go.code, 1);
  assert.equal(ours.code, 1);
  assert.equal(ours.stdout, go.stdout);
  assert.match(go.stderr, /SECURITY ERROR/);
  assert.equal(ours.stderr, go.stderr);
  for (const r of [go, ours]) {
    const dl = join(r.gomodcache, 'cache/download/example.com/deep/@v');
    const names = await readdir(dl).catch(() => [] as string[]);
    assert.ok(!names.includes('v1.2.3.zip') && !names.includes('v1.2.3.ziphash'), `zip cached: ${names}`);
    assert.ok(!existsSync(join(r.gomodcache, 'example.com/deep@v1.2.3')), 'tree extracted');
  }
  // go leaves its temp zip behind (base.Fatalf skips cleanup); gomod-dl leaves nothing.
  const ourNames = await readdir(join(ours.gomodcache, 'cache/download/example.com/deep/@v'));
  assert.deepEqual(ourNames.filter((n) => n.endsWith('.tmp')), []);
});

/** A main module whose go.sum has a wrong h1: for example.com/deep, and arguments naming it first, then the rest of the sample. */
async function mismatchedDeep(t: import('node:test').TestContext): Promise<{ mod: string; args: string[] }> {
  const mod = tempDir(t, 'mainmod');
  await writeFile(join(mod, 'go.mod'), 'module example.com/main\n\ngo 1.22\n\nrequire example.com/deep v1.2.3\n');
  await writeFile(join(mod, 'go.sum'), 'example.com/deep v1.2.3 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n');
  return { mod, args: ['-json', 'example.com/deep@v1.2.3', ...SAMPLE_ARGS.filter((a) => !a.startsWith('example.com/deep@'))] };
}

// Before the fix the queued modules' promises were left pending (p-limit clearQueue) and the run never
// returned: the timeout turns such a hang into a failure.
test('a go.sum mismatch while other modules wait their turn (-j 1): the run ends with go\'s SECURITY ERROR', { timeout: 120_000 }, async (t) => {
  const proxy = await startProxy(await sampleStore());
  t.after(() => proxy.close());
  const { mod, args } = await mismatchedDeep(t);
  requireGo(t);
  const go = await runGo(['mod', 'download', ...args], { t, proxy: proxy.url, cwd: mod });
  // One module at a time: the others are still queued when the mismatch ends the run.
  const ours = await runGomodDl(['-j', '1', ...args], { t, proxy: proxy.url, cwd: mod });
  assert.equal(go.code, 1);
  assert.match(go.stderr, /SECURITY ERROR/);
  assert.deepEqual([ours.code, ours.stdout, ours.stderr], [go.code, go.stdout, go.stderr]);
});

test('a go.sum mismatch while other zips are still arriving: like go, which exits there, none of them is published', { timeout: 120_000 }, async (t) => {
  const proxy = await startProxy(await sampleStore());
  t.after(() => proxy.close());
  // The other zips arrive well after the mismatched one has been checked.
  proxy.setFaults([{ url: /^(?!.*\/deep\/).*\.zip$/, delayMs: 1500 }]);
  const { mod, args } = await mismatchedDeep(t);
  requireGo(t);
  const go = await runGo(['mod', 'download', ...args], { t, proxy: proxy.url, cwd: mod });
  const ours = await runGomodDl(args, { t, proxy: proxy.url, cwd: mod });
  assert.match(go.stderr, /SECURITY ERROR/);
  assert.deepEqual([ours.code, ours.stdout, ours.stderr], [go.code, go.stdout, go.stderr]);
  for (const r of [go, ours]) {
    const published = (await readdir(r.gomodcache, { recursive: true })).filter((p) => p.endsWith('.zip') || p.endsWith('.ziphash') || /[^/]@v[^/]*$/.test(p));
    assert.deepEqual(published, [], `${r === go ? 'go' : 'gomod-dl'} published after the mismatch`);
  }
  assert.equal(existsSync(join(ours.gomodcache, 'cache/gomod-dl')) ? (await readdir(join(ours.gomodcache, 'cache/gomod-dl'))).length : 0, 0, 'no work directory left');
});

test('a go.mod mismatch while the graph loads: the go.mod files still arriving are not written, as go has exited', { timeout: 120_000 }, async (t) => {
  const proxy = await startProxy(await sampleStore());
  t.after(() => proxy.close());
  proxy.setFaults([{ url: /^(?!.*\/deep\/).*\.mod$/, delayMs: 1500 }]);
  const mod = tempDir(t, 'mainmod');
  await writeFile(join(mod, 'go.mod'), 'module example.com/main\n\ngo 1.22\n\nrequire (\n\texample.com/deep v1.2.3\n\texample.com/Upper/Mod v1.0.0\n\texample.com/empty v0.1.0\n)\n');
  await writeFile(join(mod, 'go.sum'), 'example.com/deep v1.2.3/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n');
  requireGo(t);
  const go = await runGo(['mod', 'download'], { t, proxy: proxy.url, cwd: mod });
  const ours = await runGomodDl([], { t, proxy: proxy.url, cwd: mod });
  assert.match(go.stderr, /SECURITY ERROR/);
  assert.deepEqual([ours.code, ours.stderr.replaceAll('gomod-dl: ', 'go: ')], [go.code, go.stderr]);
  for (const r of [go, ours]) {
    const mods = (await readdir(r.gomodcache, { recursive: true }).catch(() => [] as string[])).filter((p) => p.endsWith('.mod'));
    assert.deepEqual(mods, [], `${r === go ? 'go' : 'gomod-dl'} wrote a go.mod after the mismatch`);
  }
});

test('a version the proxy does not have: go\'s error text and exit status 1', async (t) => {
  const proxy = await startProxy(await sampleStore());
  t.after(() => proxy.close());
  const { go, ours } = await both(t, proxy, ['example.com/deep@v9.9.9', 'example.com/deep@v1.2.3']);
  assert.equal(go.code, 1);
  assert.equal(ours.code, 1);
  assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: '), go.stderr);
  await assertSameTree(ours.gomodcache, go.gomodcache);
});

test('-json reports a failing module with the fields filled before the failure', async (t) => {
  const store = await sampleStore();
  const proxy = await startProxy(store);
  t.after(() => proxy.close());
  proxy.setFaults([{ url: /deep\/@v\/v1\.2\.3\.zip$/, status: 403, body: 'forbidden\n', contentType: 'text/plain' }]);
  const { go, ours } = await both(t, proxy, ['-json', 'example.com/deep@v1.2.3']);
  assert.equal(go.code, 1);
  assert.equal(ours.code, 1);
  assert.deepEqual(normalizedJson(ours), normalizedJson(go));
  await mkdir(ours.gomodcache, { recursive: true });
  // Lock files too: go's DownloadZip made the version's .lock before the zip failed.
  await assertSameTree(ours.gomodcache, go.gomodcache, { locks: true });
});

test('a zip entry named longer than the file system allows: go\'s unzip error naming the module directory, the zip and its h1: kept', async (t) => {
  const long = 'x'.repeat(300) + '.go'; // one path element over NAME_MAX (255): ENAMETOOLONG at open
  const store = new ModuleStore().add(await buildModule({ path: 'example.com/longname', version: 'v1.0.0', files: { [long]: 'package x\n', 'a.go': 'package x\n' } }));
  const proxy = await startProxy(store);
  t.after(() => proxy.close());
  // Both as arguments (-json: Zip and Sum beside the Error) and in a module.
  const { go, ours } = await both(t, proxy, ['-json', 'example.com/longname@v1.0.0']);
  assert.equal(go.code, 1);
  assert.equal(ours.code, 1);
  assert.match(go.stderr, /: open .*\/example\.com\/longname@v1\.0\.0\/x{300}\.go: file name too long\n$/);
  assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: ').split(ours.gomodcache).join('$C'), go.stderr.split(go.gomodcache).join('$C'));
  assert.deepEqual(normalizedJson(ours), normalizedJson(go));
  await assertSameTree(ours.gomodcache, go.gomodcache);

  const files = { 'go.mod': 'module example.com/main\n\ngo 1.22\n\nrequire example.com/longname v1.0.0\n' };
  const goDir = tempDir(t, 'go-main');
  const ourDir = tempDir(t, 'our-main');
  for (const d of [goDir, ourDir]) for (const [n, text] of Object.entries(files)) await writeFile(join(d, n), text);
  const goRun = await runGo(['mod', 'download', '-json'], { t, proxy: proxy.url, cwd: goDir });
  const ourRun = await runGomodDl(['-json'], { t, proxy: proxy.url, cwd: ourDir });
  assert.equal(goRun.code, 1);
  assert.equal(ourRun.code, 1);
  assert.equal(ourRun.stderr.replaceAll('gomod-dl: ', 'go: ').split(ourRun.gomodcache).join('$C'), goRun.stderr.split(goRun.gomodcache).join('$C'));
  assert.deepEqual(normalizedJson(ourRun), normalizedJson(goRun));
  assert.equal(readFileSync(join(ourDir, 'go.sum'), 'utf8'), readFileSync(join(goDir, 'go.sum'), 'utf8'));
  await assertSameTree(ourRun.gomodcache, goRun.gomodcache);
});

test('a go.sum line with only an unknown hash algorithm: go\'s SECURITY WARNING, then the h1: line is added', async (t) => {
  const proxy = await startProxy(await sampleStore());
  t.after(() => proxy.close());
  const files = {
    'go.mod': 'module example.com/main\n\ngo 1.22\n\nrequire example.com/deep v1.2.3\n',
    'go.sum': 'example.com/deep v1.2.3 h9:AAAA\n',
  };
  const goDir = tempDir(t, 'go-main');
  const ourDir = tempDir(t, 'our-main');
  for (const d of [goDir, ourDir]) for (const [n, text] of Object.entries(files)) await writeFile(join(d, n), text);
  const { go, ours } = { go: await (requireGo(t), runGo(['mod', 'download'], { t, proxy: proxy.url, cwd: goDir })), ours: await runGomodDl([], { t, proxy: proxy.url, cwd: ourDir }) };
  assert.match(go.stderr, /unknown hashes in go\.sum: h9:AAAA; adding h1:/);
  assert.equal(ours.code, go.code);
  assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: '), go.stderr);
  assert.equal(readFileSync(join(ourDir, 'go.sum'), 'utf8'), readFileSync(join(goDir, 'go.sum'), 'utf8'));
});

test('a run that fails before writing anything leaves the empty cache directory go leaves (checkCacheDir)', async (t) => {
  requireGo(t);
  const proxy = await startProxy(await sampleStore());
  t.after(() => proxy.close());
  for (const env of [{}, { GOPROXY: 'off' }]) {
    const go = await runGo(['mod', 'download', 'example.com/nosuch@v1.0.0'], { t, proxy: proxy.url, env });
    const ours = await runGomodDl(['example.com/nosuch@v1.0.0'], { t, proxy: proxy.url, env });
    assert.equal(go.code, 1, go.stderr);
    assert.equal(ours.code, 1, ours.stderr);
    assert.equal(existsSync(go.gomodcache), true, 'go made the cache directory');
    await assertSameTree(ours.gomodcache, go.gomodcache);
  }
});

test('in a module, a .ziphash that is there but no hash: -json has no Sum, as go reads it before mending it', async (t) => {
  requireGo(t);
  const proxy = await startProxy(await sampleStore());
  t.after(() => proxy.close());
  const arg = 'example.com/Upper/Mod@v1.0.0';
  const mod = tempDir(t, 'sum-mod');
  await writeFile(join(mod, 'go.mod'), 'module example.com/main\n\ngo 1.22\n\nrequire example.com/Upper/Mod v1.0.0\n');
  // go.sum from a first run, then the .ziphash emptied in each tool's own cache.
  const seed = await runGo(['mod', 'download', arg], { t, proxy: proxy.url, cwd: mod, env: { GOFLAGS: '-mod=mod' } });
  assert.equal(seed.code, 0, seed.stderr);
  const runs = [];
  for (const tool of ['go', 'ours'] as const) {
    const cwd = tempDir(t, `sum-${tool}`);
    cpSync(mod, cwd, { recursive: true });
    const first = tool === 'go' ? await runGo(['mod', 'download'], { t, proxy: proxy.url, cwd }) : await runGomodDl([], { t, proxy: proxy.url, cwd });
    assert.equal(first.code, 0, first.stderr);
    const ziphash = join(first.gomodcache, 'cache/download/example.com/!upper/!mod/@v/v1.0.0.ziphash');
    chmodSync(ziphash, 0o644);
    writeFileSync(ziphash, 'garbage\n');
    const opts = { t, proxy: proxy.url, cwd, gomodcache: first.gomodcache, gopath: first.gopath };
    runs.push(tool === 'go' ? await runGo(['mod', 'download', '-json'], opts) : await runGomodDl(['-json'], opts));
  }
  const [go, ours] = runs as [GoResult, GoResult];
  assert.equal(ours.code, go.code, ours.stderr);
  assert.deepEqual(normalizedJson(ours), normalizedJson(go));
  assert.equal((normalizedJson(go)[0] as Record<string, unknown> | undefined)?.['Sum'], undefined);
});
