// go's flock taken through a helper process (src/cache/flock.ts, lockserver.ts): one perl helper for
// the run, or util-linux flock per lock on a shared descriptor. Either excludes other holders (ours and
// go's), and the lock dies with its owner, not before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { findLocker, type FileLocker } from '../../src/cache/flock.js';
import { LockServer } from '../../src/cache/lockserver.js';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { runGo } from '../support/gorun.js';
import { ModCache } from '../../src/cache/modcache.js';
import { tempDir } from '../support/tmp.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** tryLock, repeated for up to 2 s (a dead owner's helper needs a moment to notice and exit). */
async function tryLockSoon(locker: FileLocker, file: string) {
  for (let i = 0; i < 100; i++) {
    const h = await locker.tryLock(file);
    if (h !== undefined) return h;
    await sleep(20);
  }
  return undefined;
}

/** The lockers this machine offers: the perl helper (preferred), and flock(1) alone on PATH. */
function lockers(t: { name: string }, dir: string): Array<[string, FileLocker]> {
  const flockOnly = join(dir, 'flock-only');
  mkdirSync(flockOnly);
  symlinkSync(execFileSync('sh', ['-c', 'command -v flock']).toString().trim(), join(flockOnly, 'flock'));
  const both = findLocker();
  const flock = findLocker({ PATH: flockOnly });
  assert.equal(both.kind, 'perl', `${t.name}: perl must be on PATH`);
  assert.equal(flock.kind, 'flock', `${t.name}: util-linux flock must be on PATH`);
  return [['perl', both], ['flock', flock]];
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

test('the perl helper: many locks at once, a release frees only its own, a waiter does not pin the others', async (t) => {
  const dir = tempDir(t);
  const [[, locker]] = lockers(t, dir);
  const files = Array.from({ length: 20 }, (_, i) => join(dir, `m${i}`, 'v1.0.0.lock'));
  const held = await Promise.all(files.map((f) => locker.lock(f)));
  assert.ok(held.every((h) => h !== undefined));
  // A second locker (another run, its own helper) waits on file 0 while this one releases file 1:
  // file 1 must become free, although the waiting helper child was forked while file 1 was held.
  // A release reaches this locker's helper through its pipe, so the other helper may ask a moment
  // before it has closed the file (the lock is released late, never early): hence tryLockSoon.
  const other = findLocker();
  const waiting = other.lock(files[0]!);
  try {
    await sleep(100);
    await held[1]!.release();
    const h1 = await tryLockSoon(other, files[1]!);
    assert.ok(h1, 'a released lock is free while another lock is awaited');
    await h1.release();
  } finally {
    // Whatever failed above, file 0 is released, so that the waiting lock settles and nothing hangs.
    for (const [i, h] of held.entries()) if (i !== 1) await h!.release();
  }
  const h0 = await waiting;
  assert.ok(h0);
  await h0.release();
});

test('a lock outlives SIGINT to the process group (the helper ignores it) and dies with its owner', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'v1.0.0.lock');
  const url = new URL('../../src/cache/flock.js', import.meta.url).href;
  // The owner ignores SIGINT, as gomod-dl's handler holds on until its clean-up is done.
  const child = spawn(process.execPath, ['--input-type=module', '-e', `process.on('SIGINT', () => {}); const { findLocker } = await import(${JSON.stringify(url)}); await findLocker().lock(${JSON.stringify(file)}); console.log('held'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  process.kill(-child.pid!, 'SIGINT');
  await sleep(200);
  const locker = findLocker();
  assert.equal(await locker.tryLock(file), undefined, 'still held after SIGINT to the group');
  process.kill(-child.pid!, 'SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const h = await tryLockSoon(locker, file);
  assert.ok(h, 'released once the owner is gone');
  await h.release();
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
  // The helper sees its input end when the owner dies and exits, which releases the lock: soon after.
  const h = await tryLockSoon(locker, file);
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

test('a lock helper that dies fails the lock with ELOCK at once, and later locks too, without hanging', async (t) => {
  const dir = tempDir(t);
  // A "perl" that exits at once: the helper is gone before it answers.
  const server = new LockServer(execFileSync('sh', ['-c', 'command -v false']).toString().trim());
  const file = join(dir, 'v1.0.0.lock');
  await assert.rejects(server.lock(file, false), (e: Error & { code?: string }) => e.code === 'ELOCK' && /could not lock .*v1\.0\.0\.lock: exited/.test(e.message));
  await assert.rejects(server.lock(file, true), (e: Error & { code?: string }) => e.code === 'ELOCK');
});

/** The perl processes that are children of this one (Linux: /proc/<pid>/task/<tid>/children). */
function perlChildren(): number[] {
  const pids: number[] = [];
  for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
    for (const pid of readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number)) {
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'perl') pids.push(pid);
      } catch {
        // exited meanwhile
      }
    }
  }
  return pids;
}

test('prepare() starts the perl helper before the first lock, once; the lock then uses it', async (t) => {
  const dir = tempDir(t);
  const before = new Set(perlChildren());
  const locker = findLocker();
  assert.equal(locker.kind, 'perl');
  const started = (): number[] => perlChildren().filter((p) => !before.has(p));
  assert.deepEqual(started(), [], 'a helper before prepare()');
  locker.prepare();
  locker.prepare();
  assert.equal(started().length, 1, 'prepare() twice: one helper');
  const held = await locker.lock(join(dir, 'a.lock'));
  assert.ok(held);
  assert.equal(started().length, 1, 'the lock started another helper');
  await held.release();
  // Without a tool there is nothing to start, and nothing fails.
  findLocker({ PATH: '' }).prepare();
});
