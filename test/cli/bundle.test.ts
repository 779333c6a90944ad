// The bundle (dist/bundle, scripts/bundle.mjs, made by `npm run build` and so by `npm test`) is what
// bin/gomod-dl.js runs: run as its own process it fills the same cache as the compiled modules run in
// this process, and its extraction worker, started from the bundle's flat directory, answers a job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { freshGoRoot, hermeticGoEnv } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { assertSameTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';
import { GIT_HOST, goImport, startGitServer } from '../support/git-server.js';
import { extractZip } from '../../src/verify/extract.js';
import type { WorkerReply } from '../../src/verify/extractpool.js';

const BUNDLE = fileURLToPath(new URL('../../bundle/', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/gomod-dl.js', import.meta.url));

function requireBundle(): void {
  assert.ok(existsSync(join(BUNDLE, 'gomod-dl.cjs')), `no bundle in ${BUNDLE}: run npm run build`);
}

test('the bundled command, in its own process, fills the same cache as the modules of dist/src', async (t) => {
  requireBundle();
  const store = new ModuleStore().add(
    await buildModule({ path: 'example.com/a', version: 'v1.0.0', files: { 'a.go': 'package a\n', 'sub/b.go': 'package sub\n' } }),
    await buildModule({ path: 'example.com/c', version: 'v0.1.0', files: { 'c.go': 'package c\n' } }),
  );
  const proxy = await startProxy(store);
  t.after(() => proxy.close());
  const args = ['-json', 'example.com/a@v1.0.0', 'example.com/c@v0.1.0'];

  const root = freshGoRoot(t);
  const env = hermeticGoEnv(root, { proxy: proxy.url });
  const bundled = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd: root, env });
  const here = await runGomodDl(args, { t, proxy: proxy.url });
  assert.equal(here.code, 0, here.stderr);
  assert.equal(bundled.stdout.split(env['GOMODCACHE']!).join('$C'), here.stdout.split(here.gomodcache).join('$C'));
  await assertSameTree(env['GOMODCACHE']!, here.gomodcache);
});

test('the bundled command fetches a module from git: its git helper process starts from the bundle', async (t) => {
  requireBundle();
  const root = tempDir(t, 'bundle-git');
  const host = await startGitServer(root);
  t.after(() => host.close());
  host.createRepo('g', [{ files: { 'go.mod': `module ${GIT_HOST}/g\n\ngo 1.21\n`, 'g.go': 'package g\n' }, tags: ['v1.0.0'] }]);
  host.setDiscovery(`${GIT_HOST}/g`, { imports: [goImport(`${GIT_HOST}/g`, 'g')] });
  const args = ['-json', `${GIT_HOST}/g@v1.0.0`];
  const goRoot = freshGoRoot(t);
  const env = Object.fromEntries(Object.entries({ ...hermeticGoEnv(goRoot), ...host.env() }).filter(([, v]) => v !== undefined));
  const bundled = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd: goRoot, env });
  const here = await runGomodDl(args, { t, env: host.env() });
  assert.equal(here.code, 0, here.stderr);
  assert.match(bundled.stdout, /"Zip":/);
  assert.equal(bundled.stdout.split(env['GOMODCACHE']!).join('$C'), here.stdout.split(here.gomodcache).join('$C'));
  await assertSameTree(env['GOMODCACHE']!, here.gomodcache);
});

test('the code cache: a copy of the package writes it beside the bundle, and rewrites it when a run goes further', async (t) => {
  requireBundle();
  const pkg = tempDir(t, 'bundle-pkg');
  cpSync(join(BIN, '..'), join(pkg, 'bin'), { recursive: true });
  cpSync(BUNDLE, join(pkg, 'dist', 'bundle'), { recursive: true, filter: (f) => !f.endsWith('.v8cache') });
  cpSync(join(BUNDLE, '..', '..', 'package.json'), join(pkg, 'package.json'));
  const bin = join(pkg, 'bin', 'gomod-dl.js');
  const cacheOf = () => readdirSync(join(pkg, 'dist', 'bundle')).filter((n) => n.startsWith('gomod-dl.cjs.') && n.endsWith('.v8cache'));
  const levelOf = () => readFileSync(join(pkg, 'dist', 'bundle', cacheOf()[0]!))[0];
  const version = await promisify(execFile)(process.execPath, [bin, '--version']);
  assert.match(version.stdout, /^\d+\.\d+\.\d+/);
  assert.equal(cacheOf().length, 1);
  assert.equal(levelOf(), 0);
  // A download goes through the network code: the cache is written again, with it.
  const proxy = await startProxy(new ModuleStore().add(await buildModule({ path: 'example.com/k', version: 'v1.0.0', files: { 'k.go': 'package k\n' } })));
  t.after(() => proxy.close());
  const root = freshGoRoot(t);
  const env = hermeticGoEnv(root, { proxy: proxy.url });
  await promisify(execFile)(process.execPath, [bin, 'example.com/k@v1.0.0'], { cwd: root, env });
  assert.equal(cacheOf().length, 1);
  assert.equal(levelOf(), 2);
  // And used: the same answer again, from a fresh cache.
  const again = await promisify(execFile)(process.execPath, [bin, '--version']);
  assert.equal(again.stdout, version.stdout);
  assert.equal(levelOf(), 2);
});

test('the bundled extraction worker extracts as this thread does', async (t) => {
  requireBundle();
  const dir = tempDir(t, 'bundle-worker');
  const m = await buildModule({ path: 'example.com/w', version: 'v1.0.0', files: { 'w.go': 'package w\n', 'd/e.go': 'package d\n' } });
  const zipFile = join(dir, 'w.zip');
  await writeFile(zipFile, m.zip);
  const worker = new Worker(join(BUNDLE, 'extractworker.js'));
  t.after(() => worker.terminate());
  const reply = new Promise<WorkerReply>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  worker.postMessage({ id: 7, opts: { zipFile, path: 'example.com/w', version: 'v1.0.0', targetDir: join(dir, 'a') } });
  const here = await extractZip({ zipFile, path: 'example.com/w', version: 'v1.0.0', targetDir: join(dir, 'b') });
  assert.deepEqual(await reply, { id: 7, result: here });
  await assertSameTree(join(dir, 'a'), join(dir, 'b'));
});
