// The crash and concurrency scenarios, each a function that throws on any failure: used by the
// default suite (a few dozen seeded instants) and by the long mode (`npm run chaos`).
import assert from 'node:assert/strict';
import { rmrf } from '../support/tree.js';
import { copyCache, sleep, type Fixture, type Tool } from './harness.js';

/** The path of the run's private work directories (ARCHITECTURE.md, "Publish protocol"). */
export const WORK_DIRS = 'cache/gomod-dl';

/** How long `tool` takes alone on a cold cache (ms): the range kill instants are drawn from. */
export async function coldDuration(fx: Fixture, tool: Tool, rw: boolean): Promise<number> {
  const t0 = performance.now();
  await fx.runOk(tool, fx.freshCache(), rw);
  return performance.now() - t0;
}

/**
 * (c) gomod-dl SIGKILLed after `delayMs`, then, on two copies of what it left: gomod-dl reruns and
 * must finish the cache; go reruns and must too (go does not know gomod-dl's work directories: a
 * final gomod-dl run removes the dead one, and only then must the cache equal the reference).
 */
/**
 * A fresh cache on which `tool` ran until SIGKILLed after `delayMs` (or finished, if that was sooner;
 * any other end fails the scenario). Returns the cache.
 */
async function killedRun(fx: Fixture, tool: Tool, delayMs: number, rw: boolean): Promise<string> {
  const cache = fx.freshCache();
  const run = fx.start(tool, cache, rw);
  await sleep(delayMs);
  run.child.kill('SIGKILL');
  const r = await run.done;
  assert.ok(r.signal === 'SIGKILL' || r.code === 0, `${tool} before the kill: exit ${r.code}\n${r.stderr}`);
  return cache;
}

export async function killGomodDl(fx: Fixture, delayMs: number, rw: boolean): Promise<void> {
  const cache = await killedRun(fx, 'gomod-dl', delayMs, rw);
  const byGo = cache + '-go';
  copyCache(cache, byGo);
  await Promise.all([
    (async () => {
      await fx.runOk('gomod-dl', cache, rw);
      await fx.check(cache, rw);
    })(),
    (async () => {
      await fx.runOk('go', byGo, rw);
      await fx.check(byGo, rw, { verify: false, ignore: (rel) => rel === WORK_DIRS || rel.startsWith(WORK_DIRS + '/') });
      await fx.runOk('gomod-dl', byGo, rw);
      await fx.check(byGo, rw);
    })(),
  ]);
  await Promise.all([rmrf(cache), rmrf(byGo)]);
}

/**
 * go's own `.info` / `.mod` temps (writeDiskCache): go never removes them and writes them without its
 * version lock, so no later run can prove their writer dead; gomod-dl leaves them, as go does.
 */
const GO_DISK_CACHE_TEMP = /^cache\/download\/.+\/@v\/[^/]+\.(info|mod)\d+\.tmp$/;

/**
 * (d) go SIGKILLed after `delayMs`, then gomod-dl finishes the cache (go's .partial trees, zip temps
 * and `<dir>.tmp-*` included; go's `.info` / `.mod` temps aside, see {@link GO_DISK_CACHE_TEMP}).
 */
export async function killGo(fx: Fixture, delayMs: number, rw: boolean): Promise<void> {
  const cache = await killedRun(fx, 'go', delayMs, rw);
  await fx.runOk('gomod-dl', cache, rw);
  // go removes `.partial` before it makes the tree read-only (fetch.go download): killed in between, it
  // leaves a complete tree with writable directories, which neither go nor gomod-dl can tell from a
  // -modcacherw tree, so both leave it so.
  await fx.check(cache, rw, { ignore: (rel) => GO_DISK_CACHE_TEMP.test(rel), writableDirsOk: !rw });
  await rmrf(cache);
}

/** (b) go and gomod-dl at once, `first` starting `offsetMs` before the other: both exit 0. */
export async function pairWithGo(fx: Fixture, first: Tool, offsetMs: number, rw: boolean): Promise<void> {
  const cache = fx.freshCache();
  const a = fx.start(first, cache, rw);
  await sleep(offsetMs);
  const b = fx.start(first === 'go' ? 'gomod-dl' : 'go', cache, rw);
  for (const r of await Promise.all([a.done, b.done])) {
    assert.equal(r.code, 0, `${r.tool} (${first} first, +${offsetMs} ms, ${rw ? 'rw' : 'ro'}): exit ${r.code} ${r.signal ?? ''}\n${r.stderr}`);
  }
  await fx.check(cache, rw);
  await rmrf(cache);
}

