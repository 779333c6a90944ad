// go's flock taken through a helper process on a shared descriptor (src/cache/flock.ts): it excludes
// other holders (ours and go's), it outlives the helper, and it dies with its owner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { symlinkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findLocker, type FileLocker } from '../../src/cache/flock.js';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { runGo } from '../support/gorun.js';
import { ModCache } from '../../src/cache/modcache.js';
import { tempDir } from '../support/tmp.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The lockers this machine offers: flock(1), and perl alone on PATH. */
function lockers(t: { name: string }, dir: string): Array<[string, FileLocker]> {
  const perlOnly = join(dir, 'perl-only');
  mkdirSync(perlOnly);
  symlinkSync(execFileSync('sh', ['-c', 'command -v perl']).toString().trim(), join(perlOnly, 'perl'));
  const both = findLocker();
  const perl = findLocker({ PATH: perlOnly });
  assert.equal(both.kind, 'flock', `${t.name}: util-linux flock must be on PATH`);
  assert.equal(perl.kind, 'perl');
  return [['flock', both], ['perl', perl]];
}

test('a lock excludes a second holder until released, with either helper', async (t) => {
  const dir = tempDir(t);
  for (const [kind, locker] of lockers(t, dir)) {
    const file = join(dir, `${kind}.lock`);
    const first = await locker.lock(file);
    assert.ok(first);
    assert.equal(await locker.tryLock(file), undefined, `${kind}: tryLock while held`);
    let second = false;
    const waiting = locker.lock(file).then((h) => ((second = true), h));
    await sleep(150);
    assert.equal(second, false, `${kind}: a second lock while the first is held`);
    await first.release();
    const h = await waiting;
    assert.ok(h);
    await h.release();
  }
});

test('a lock dies with the process holding it (SIGKILL)', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'v1.0.0.lock');
  const url = new URL('../../src/cache/flock.js', import.meta.url).href;
  const child = spawn(process.execPath, ['--input-type=module', '-e', `const { findLocker } = await import(${JSON.stringify(url)}); await findLocker().lock(${JSON.stringify(file)}); console.log('held'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const locker = findLocker();
  assert.equal(await locker.tryLock(file), undefined, 'held by the child');
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const h = await locker.tryLock(file);
  assert.ok(h, 'released by the kernel when its owner died');
  await h.release();
});

test('it is go\'s lock: go holds <version>.lock while it downloads the zip, and gomod-dl cannot take it meanwhile', async (t) => {
  const m = await buildModule({ path: 'example.com/locked', version: 'v1.0.0', files: { 'a.go': 'package a\n' } });
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const zipAsked = new Promise<void>((r) => (started = r));
  const proxy = await startProxy(new ModuleStore().add(m), {
    faults: [{ url: /\.zip$/, handler: async (_req, res) => { started(); await gate; res.end(m.zip); } }],
  });
  t.after(() => proxy.close());
  const cache = join(tempDir(t), 'mod');
  const c = new ModCache(cache);
  const go = runGo(['mod', 'download', 'example.com/locked@v1.0.0'], { t, proxy: proxy.url, gomodcache: cache });
  await zipAsked;
  const lockFile = c.layout.lockFile('example.com/locked', 'v1.0.0');
  assert.equal(await c.locker.tryLock(lockFile), undefined, 'go holds the version lock during its download');
  release();
  assert.equal((await go).code, 0);
  const h = await c.locker.tryLock(lockFile);
  assert.ok(h, 'free once go is done');
  await h.release();
});
