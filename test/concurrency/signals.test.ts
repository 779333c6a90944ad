// (e) SIGINT, SIGTERM and SIGHUP in the middle of a run: gomod-dl stops, removes its temps and
// staging trees, prints `gomod-dl: interrupted` and exits 130 / 143 / 129; a second SIGINT exits at
// once. The cache holds no leftover, and the next run completes it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { snapshotTree } from '../support/tree.js';
import { makeFixture, sleep, type Fixture } from './harness.js';
import { WORK_DIRS } from './scenarios.js';

let fx: Fixture;
before(async () => {
  fx = await makeFixture({ chunkDelayMs: 15 });
});
after(() => fx.close());

/** Paths in `cache` that are anybody's temps, staging trees or incomplete-tree markers. */
async function leftovers(cache: string): Promise<string[]> {
  const all = await snapshotTree(cache).catch(() => []);
  return all.map((e) => e.path).filter((p) => p === WORK_DIRS || p.startsWith(WORK_DIRS + '/') || /\.tmp$|\.tmp-|\.partial$/.test(p));
}

/** Waits until the proxy has sent part of `n` zips (the run is mid-download). */
async function midDownload(n: number): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (fx.proxy.requests.filter((r) => r.path.endsWith('.zip') && r.bytesSent > 0).length >= n) return;
    await sleep(5);
  }
  throw new Error('no zip download started');
}

const CASES: Array<[NodeJS.Signals, number, number]> = [
  ['SIGINT', 130, 1],
  ['SIGTERM', 143, 2],
  ['SIGHUP', 129, 3],
];

for (const [sig, code, zips] of CASES) {
  test(`(e) ${sig} mid-run: exit ${code}, one line, no leftovers, the next run completes the cache`, async () => {
    const cache = fx.freshCache();
    fx.proxy.reset();
    const run = fx.start('gomod-dl', cache, false);
    await midDownload(zips);
    run.child.kill(sig);
    const r = await run.done;
    assert.equal(r.code, code, r.stderr);
    assert.equal(r.stderr, 'gomod-dl: interrupted\n');
    assert.deepEqual(await leftovers(cache), []);
    await fx.runOk('gomod-dl', cache, false);
    await fx.check(cache, false);
  });
}

test('(e) a second SIGINT exits at once with 130; the next run removes what the first left', async () => {
  const cache = fx.freshCache();
  fx.proxy.reset();
  const run = fx.start('gomod-dl', cache, true);
  await midDownload(2);
  run.child.kill('SIGINT');
  run.child.kill('SIGINT');
  const r = await run.done;
  assert.equal(r.code, 130, r.stderr);
  await fx.runOk('gomod-dl', cache, true);
  await fx.check(cache, true);
});

test('(e) SIGINT during `gomod-dl export`: exit 130, one line, no leftovers in the cache', async () => {
  const cache = fx.freshCache();
  fx.proxy.reset();
  const tree = `${cache}-export`;
  const run = fx.start('gomod-dl', cache, false, ['export', tree]);
  await midDownload(1);
  run.child.kill('SIGINT');
  const r = await run.done;
  assert.equal(r.code, 130, r.stderr);
  assert.equal(r.stderr, 'gomod-dl: interrupted\n');
  assert.deepEqual(await leftovers(cache), []);
});
