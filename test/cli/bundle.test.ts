// The bundle (dist/bundle, scripts/bundle.mjs, made by `npm run build` and so by `npm test`) is what
// bin/gomod-dl.js runs: run as its own process it fills the same cache as the compiled modules run in
// this process, and its extraction worker, started from the bundle's flat directory, answers a job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
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

function requireBundle(): void {
  assert.ok(existsSync(join(BUNDLE, 'gomod-dl.js')), `no bundle in ${BUNDLE}: run npm run build`);
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
  const script = `import { main } from ${JSON.stringify(join(BUNDLE, 'gomod-dl.js'))}; process.exitCode = await main(process.argv.slice(1));`;
  const bundled = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, '--', ...args], { cwd: root, env });
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
  const bin = fileURLToPath(new URL('../../../bin/gomod-dl.js', import.meta.url));
  const bundled = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: goRoot, env });
  const here = await runGomodDl(args, { t, env: host.env() });
  assert.equal(here.code, 0, here.stderr);
  assert.match(bundled.stdout, /"Zip":/);
  assert.equal(bundled.stdout.split(env['GOMODCACHE']!).join('$C'), here.stdout.split(here.gomodcache).join('$C'));
  await assertSameTree(env['GOMODCACHE']!, here.gomodcache);
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
