// Oracle tests of `gomod-dl verify`: the same damaged cache checked by `go mod verify` and by gomod-dl
// must give the same lines, the same stdout and the same exit status; --repair must leave a cache that
// go mod verify accepts and that equals the one go fills.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, copyFile, readdir, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireGo, runGo, type GoResult } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { assertSameTree, rmrf } from '../support/tree.js';
import { freshCache, mainModule, worldProxy } from './fixture.js';
import type { ProxyServer } from '../support/proxy-server.js';
import { buildModule } from '../support/modbuilder.js';
import { hashZip } from '../../src/verify/dirhash.js';

const A = 'example.com/a@v1.0.0';
const B = 'example.com/b@v1.1.0';

/** The main module with go.sum, and a cache go filled with `go mod download all`. */
async function filled(t: TestContext, proxy: ProxyServer): Promise<{ dir: string; cache: string }> {
  const dir = mainModule(t);
  const cache = freshCache(t);
  const r = await runGo(['mod', 'download', 'all'], { t, proxy: proxy.url, cwd: dir, gomodcache: cache });
  assert.equal(r.code, 0, r.stderr);
  return { dir, cache };
}

/** go mod verify and gomod-dl verify (with extra flags) on the same cache, offline. */
async function both(t: TestContext, dir: string, cache: string, flags: string[] = []): Promise<{ go: GoResult; ours: GoResult }> {
  const go = await runGo(['mod', 'verify'], { t, cwd: dir, gomodcache: cache });
  const ours = await runGomodDl(['verify', ...flags], { t, cwd: dir, gomodcache: cache });
  return { go, ours };
}

function outcome(r: GoResult): { code: number; stdout: string; stderr: string } {
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

const zipOf = (cache: string, mv: string): string => {
  const [p, v] = mv.split('@');
  return join(cache, 'cache/download', p!, '@v', `${v}.zip`);
};

/** Damages, and whether go mod verify notices them (a sanity check that the damage was done). */
const damages: [string, (cache: string) => Promise<void>, boolean][] = [
  ['an intact cache', async () => {}, false],
  ['an edited file in a tree', async (cache) => {
    const f = join(cache, A, 'a.go');
    await chmod(f, 0o644);
    await writeFile(f, 'package a // tampered\n');
  }, true],
  ['a file added to a tree', async (cache) => {
    await chmod(join(cache, B), 0o755);
    await writeFile(join(cache, B, 'extra.go'), 'package b\n');
  }, true],
  ['a zip truncated to 100 bytes', async (cache) => truncate(zipOf(cache, B), 100), true],
  ['a zip replaced by another module’s', async (cache) => copyFile(zipOf(cache, 'example.com/c@v0.1.0'), zipOf(cache, A)), true],
  ['a missing .ziphash', async (cache) => rm(zipOf(cache, A) + 'hash'), true],
  ['a missing .ziphash and zip, tree present', async (cache) => {
    await rm(zipOf(cache, A) + 'hash');
    await rm(zipOf(cache, A));
  }, false],
  ['a missing tree', async (cache) => rmrf(join(cache, B)), false],
  ['a missing zip', async (cache) => rm(zipOf(cache, B)), false],
  ['two damaged modules', async (cache) => {
    await truncate(zipOf(cache, A), 100);
    await chmod(join(cache, B), 0o755);
    await rm(join(cache, B, 'b.go'));
  }, true],
];

for (const [name, damage, detected] of damages) {
  test(`verify reports ${name} exactly as go mod verify does`, async (t) => {
    requireGo(t);
    const proxy = await worldProxy(t);
    const { dir, cache } = await filled(t, proxy);
    await damage(cache);
    const { go, ours } = await both(t, dir, cache);
    assert.deepEqual(outcome(ours), outcome(go));
    assert.equal(go.code, detected ? 1 : 0, go.stderr);
  });
}

test('verify outside a module fails as go does', async (t) => {
  requireGo(t);
  const go = await runGo(['mod', 'verify'], { t });
  const ours = await runGomodDl(['verify'], { t });
  assert.equal(ours.code, go.code);
  assert.equal(ours.stderr, go.stderr.replace(/^go: /, 'gomod-dl: '));
});

test('verify --repair re-extracts and re-downloads exactly the damaged modules; go mod verify then passes and the cache equals go’s', async (t) => {
  requireGo(t);
  const proxy = await worldProxy(t);
  const { dir, cache } = await filled(t, proxy);
  const pristine = await filled(t, proxy);
  const f = join(cache, A, 'a.go');
  await chmod(f, 0o644);
  await writeFile(f, 'package a // tampered\n');
  await truncate(zipOf(cache, B), 100);
  proxy.reset();
  const ours = await runGomodDl(['verify', '--repair'], { t, cwd: dir, gomodcache: cache, proxy: proxy.url });
  assert.equal(ours.code, 0, ours.stderr);
  assert.equal(ours.stdout, 'all modules verified\n');
  assert.match(ours.stderr, /repaired example\.com\/a v1\.0\.0 \(re-extracted from the cached zip\)/);
  assert.match(ours.stderr, /repaired example\.com\/b v1\.1\.0 \(re-downloaded\)/);
  // Only b's zip was fetched again: a came back from its cached zip.
  assert.deepEqual(proxy.requests.filter((r) => r.path.endsWith('.zip')).map((r) => r.path), ['/example.com/b/@v/v1.1.0.zip']);
  const go = await runGo(['mod', 'verify'], { t, cwd: dir, gomodcache: cache });
  assert.deepEqual(outcome(go), { code: 0, stdout: 'all modules verified\n', stderr: '' });
  await assertSameTree(cache, pristine.cache);
});

test('verify --cache checks every module in GOMODCACHE without a go.mod, and reports leftovers; --repair clears them', async (t) => {
  requireGo(t);
  const proxy = await worldProxy(t);
  const { cache } = await filled(t, proxy);
  const pristine = await filled(t, proxy);
  const clean = await runGomodDl(['verify', '--cache'], { t, gomodcache: cache });
  assert.deepEqual(outcome(clean), { code: 0, stdout: 'all modules verified\n', stderr: '' });

  const vdir = join(cache, 'cache/download/example.com/b/@v');
  await writeFile(join(vdir, 'v1.1.0.zip123456.tmp'), 'partial download');
  await writeFile(join(vdir, 'v1.1.0.partial'), '');
  await truncate(zipOf(cache, A), 100);
  const bad = await runGomodDl(['verify', '--cache'], { t, gomodcache: cache });
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  const lines = bad.stderr.trimEnd().split('\n');
  assert.ok(lines.some((l) => l.startsWith('example.com/a v1.0.0: ')), bad.stderr);
  assert.ok(lines.some((l) => l.includes('v1.1.0.zip123456.tmp: leftover temporary file')), bad.stderr);
  assert.ok(lines.some((l) => l.includes('v1.1.0.partial: ') && l.includes('not completely extracted')), bad.stderr);

  const fixed = await runGomodDl(['verify', '--cache', '--repair'], { t, gomodcache: cache, proxy: proxy.url });
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.deepEqual((await readdir(vdir)).filter((n) => n.endsWith('.tmp') || n.endsWith('.partial')), []);
  await assertSameTree(cache, pristine.cache);
});

test('verify --cache --repair removes a recent .info temp only once it is old: go writes those without a lock', async (t) => {
  requireGo(t);
  const proxy = await worldProxy(t);
  const { cache } = await filled(t, proxy);
  const vdir = join(cache, 'cache/download/example.com/b/@v');
  const young = join(vdir, 'v1.1.0.info987654.tmp');
  const old = join(vdir, 'v1.1.0.mod123123.tmp');
  await writeFile(young, '{"Version":');
  await writeFile(old, 'module exa');
  const hourAgo = new Date(Date.now() - 3600_000);
  await utimes(old, hourAgo, hourAgo);
  const r = await runGomodDl(['verify', '--cache', '--repair'], { t, gomodcache: cache, proxy: proxy.url });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /left \S+v1\.1\.0\.info987654\.tmp alone: it is recent/);
  assert.match(r.stderr, /removed \S+v1\.1\.0\.mod123123\.tmp/);
  const left = (await readdir(vdir)).filter((n) => n.endsWith('.tmp'));
  assert.deepEqual(left, ['v1.1.0.info987654.tmp']);
});

test('beyond go: a zip, .ziphash and tree replaced together pass go mod verify; gomod-dl verify checks the .ziphash against go.sum and --repair restores the module', async (t) => {
  requireGo(t);
  const proxy = await worldProxy(t);
  const { dir, cache } = await filled(t, proxy);
  const pristine = await filled(t, proxy);
  const evil = await buildModule({ path: 'example.com/b', version: 'v1.1.0', goMod: 'module example.com/b\n\ngo 1.21\n\nrequire example.com/c v0.1.0\n', files: { 'b.go': 'package b\n\nfunc B() string { return "evil" }\n' } });
  await writeFile(zipOf(cache, B), evil.zip);
  await writeFile(zipOf(cache, B) + 'hash', await hashZip(zipOf(cache, B)));
  await rmrf(join(cache, B));
  const { go, ours } = await both(t, dir, cache);
  assert.deepEqual(outcome(go), { code: 0, stdout: 'all modules verified\n', stderr: '' });
  assert.deepEqual(outcome(ours), {
    code: 1,
    stdout: '',
    stderr: `example.com/b v1.1.0: .ziphash does not match go.sum (${zipOf(cache, B)}hash)\n`,
  });
  const fixed = await runGomodDl(['verify', '--repair'], { t, cwd: dir, gomodcache: cache, proxy: proxy.url });
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.match(fixed.stderr, /repaired example\.com\/b v1\.1\.0 \(re-downloaded\)/);
  await assertSameTree(cache, pristine.cache);
});

test('verify in a workspace checks the workspace build list, as go mod verify does', async (t) => {
  requireGo(t);
  const proxy = await worldProxy(t);
  const { dir, cache } = await filled(t, proxy);
  const work = join(dir, '..');
  await writeFile(join(work, 'go.work'), 'go 1.21\n\nuse ./main\n');
  const f = join(cache, A, 'a.go');
  await chmod(f, 0o644);
  await writeFile(f, 'package a // tampered\n');
  const go = await runGo(['mod', 'verify'], { t, cwd: work, gomodcache: cache });
  const ours = await runGomodDl(['verify'], { t, cwd: work, gomodcache: cache });
  assert.equal(go.code, 1, go.stderr);
  assert.deepEqual(outcome(ours), outcome(go));
});
