// The worker pool gives the same results and the same errors (class, text, h1) as extracting on the
// calling thread; a light backlog is extracted on the calling thread, a deep one starts workers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildModule } from '../support/modbuilder.js';
import { snapshotTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';
import { extractZip } from '../../src/verify/extract.js';
import { EARLY_WORKER_ZIPS, ExtractPool, INLINE_BACKLOG, takeLargest } from '../../src/verify/extractpool.js';
import { UnzipError } from '../../src/verify/ziperrors.js';

const P = 'example.com/pool';
const V = 'v1.0.0';

test('a zip extracted by a worker: same h1, counts and tree as on this thread', async (t) => {
  const dir = tempDir(t, 'pool');
  const files: Record<string, string> = {};
  for (let i = 0; i < 30; i++) files[`d${i % 3}/f${i}.go`] = `package d // ${'x'.repeat(i * 100)}\n`;
  const m = await buildModule({ path: P, version: V, files });
  const zipFile = join(dir, 'm.zip');
  await writeFile(zipFile, m.zip);
  const pool = new ExtractPool(2, { inline: false });
  t.after(() => pool.close());
  const [a, b] = await Promise.all([
    pool.extract({ zipFile, path: P, version: V, targetDir: join(dir, 'a') }),
    extractZip({ zipFile, path: P, version: V, targetDir: join(dir, 'b') }),
  ]);
  assert.deepEqual(a, b);
  assert.deepEqual(await snapshotTree(join(dir, 'a')), await snapshotTree(join(dir, 'b')));
});

test('a corrupt zip: the worker\'s UnzipError keeps its class, go\'s text and the h1', async (t) => {
  const dir = tempDir(t, 'pool-bad');
  const m = await buildModule({ path: P, version: V, files: { 'a.go': 'package a\n' }, zipOptions: { extraEntries: [{ name: `${P}@${V}/../evil`, data: 'x' }] } });
  const zipFile = join(dir, 'm.zip');
  await writeFile(zipFile, m.zip);
  const pool = new ExtractPool(1, { inline: false });
  t.after(() => pool.close());
  const opts = { zipFile, path: P, version: V, zipName: '/cache/m.zip' };
  const ours = await pool.extract({ ...opts, targetDir: join(dir, 'a') }).catch((e: unknown) => e);
  const here = await extractZip({ ...opts, targetDir: join(dir, 'b') }).catch((e: unknown) => e);
  assert.ok(here instanceof UnzipError, String(here));
  assert.ok(ours instanceof UnzipError, String(ours));
  assert.equal(ours.message, here.message);
  assert.equal(ours.h1, here.h1);
  assert.equal((await readFile(zipFile)).length, m.zip.length);
});

/** A module whose zip holds at least `size` bytes (random hex text deflates to about half its length). */
async function bigZip(dir: string, name: string, size: number): Promise<string> {
  const files: Record<string, string> = {};
  const chunk = 64 << 10;
  for (let i = 0; i * chunk < 2 * size; i++) files[`f${i}.txt`] = randomBytes(chunk / 2).toString('hex');
  const m = await buildModule({ path: P, version: V, files });
  assert.ok(m.zip.length >= size);
  const zipFile = join(dir, name);
  await writeFile(zipFile, m.zip);
  return zipFile;
}

test('a light backlog is extracted on the calling thread: no worker starts, same results', async (t) => {
  const dir = tempDir(t, 'pool-inline');
  const m = await buildModule({ path: P, version: V, files: { 'a.go': 'package a\n', 'b/b.go': 'package b\n' } });
  const zipFile = join(dir, 'm.zip');
  await writeFile(zipFile, m.zip);
  const pool = new ExtractPool(2);
  t.after(() => pool.close());
  const results = await Promise.all([0, 1, 2].map((i) => pool.extract({ zipFile, path: P, version: V, targetDir: join(dir, `t${i}`) })));
  const here = await extractZip({ zipFile, path: P, version: V, targetDir: join(dir, 'here') });
  assert.equal(pool.workers, 0);
  for (const [i, r] of results.entries()) {
    assert.deepEqual(r, here);
    assert.deepEqual(await snapshotTree(join(dir, `t${i}`)), await snapshotTree(join(dir, 'here')));
  }
});

test('a run that expects EARLY_WORKER_ZIPS zips starts a worker at once and extracts there; fewer, none', async (t) => {
  const dir = tempDir(t, 'pool-expect');
  const m = await buildModule({ path: P, version: V, files: { 'a.go': 'package a\n' } });
  const zipFile = join(dir, 'm.zip');
  await writeFile(zipFile, m.zip);
  const few = new ExtractPool(2);
  t.after(() => few.close());
  few.expect(EARLY_WORKER_ZIPS - 1);
  assert.equal(few.workers, 0);
  const many = new ExtractPool(2);
  t.after(() => many.close());
  many.expect(EARLY_WORKER_ZIPS);
  assert.equal(many.workers, 1, 'no worker started before the first zip');
  many.expect(EARLY_WORKER_ZIPS * 10); // once is enough
  assert.equal(many.workers, 1);
  const r = await many.extract({ zipFile, path: P, version: V, targetDir: join(dir, 't') });
  assert.deepEqual(r, await extractZip({ zipFile, path: P, version: V, targetDir: join(dir, 'here') }));
  assert.equal(many.helped, 0, 'the job ran on this thread, not on the worker');
  assert.deepEqual(await snapshotTree(join(dir, 't')), await snapshotTree(join(dir, 'here')));
});

test('a backlog over INLINE_BACKLOG bytes starts workers; every job still succeeds', async (t) => {
  const dir = tempDir(t, 'pool-deep');
  const zipFile = await bigZip(dir, 'big.zip', INLINE_BACKLOG / 2 + (256 << 10));
  const pool = new ExtractPool(2);
  t.after(() => pool.close());
  // The first runs here; the three waiting behind it weigh more than the backlog allows.
  const results = await Promise.all([0, 1, 2, 3].map((i) => pool.extract({ zipFile, path: P, version: V, targetDir: join(dir, `t${i}`) })));
  assert.ok(pool.workers > 0, 'no worker started');
  for (const r of results) assert.deepEqual(r, results[0]);
});

test('with every worker busy, an idle calling thread takes the jobs waiting for them', async (t) => {
  const dir = tempDir(t, 'pool-help');
  const zipFile = await bigZip(dir, 'big.zip', INLINE_BACKLOG / 2 + (256 << 10));
  const pool = new ExtractPool(1);
  t.after(() => pool.close());
  // One worker runs two jobs at once; the calling thread only awaits, so it is idle.
  const results = await Promise.all([...Array(8).keys()].map((i) => pool.extract({ zipFile, path: P, version: V, targetDir: join(dir, `t${i}`) })));
  assert.equal(pool.workers, 1);
  assert.ok(pool.helped > 0, 'the calling thread took no waiting job');
  for (const r of results) assert.deepEqual(r, results[0]);
  assert.deepEqual(await snapshotTree(join(dir, 't7')), await snapshotTree(join(dir, 't1')));
});

test('a busy calling thread leaves the waiting jobs to the workers', async (t) => {
  const dir = tempDir(t, 'pool-busy');
  const zipFile = await bigZip(dir, 'big.zip', INLINE_BACKLOG / 2 + (256 << 10));
  const pool = new ExtractPool(1);
  t.after(() => pool.close());
  // The event loop is busy nine tenths of the time (as while a run parses and downloads).
  const spin = setInterval(() => {
    const end = performance.now() + 18;
    while (performance.now() < end);
  }, 2);
  t.after(() => clearInterval(spin));
  const results = await Promise.all([...Array(6).keys()].map((i) => pool.extract({ zipFile, path: P, version: V, targetDir: join(dir, `t${i}`) })));
  clearInterval(spin);
  assert.equal(pool.helped, 0);
  for (const r of results) assert.deepEqual(r, results[0]);
});

test('a closed pool starts no worker again: a job submitted after close fails', async (t) => {
  const dir = tempDir(t, 'pool-closed');
  const m = await buildModule({ path: P, version: V, files: { 'a.go': 'package a\n' } });
  const zipFile = join(dir, 'm.zip');
  await writeFile(zipFile, m.zip);
  const pool = new ExtractPool(1, { inline: false });
  await pool.close();
  t.after(() => pool.close()); // a worker started by mistake must not keep the test alive
  await assert.rejects(pool.extract({ zipFile, path: P, version: V, targetDir: join(dir, 't') }), /extraction stopped/);
  assert.equal(pool.workers, 0);
});

test('waiting jobs start largest first, the first of equal sizes first', () => {
  const cases: Array<[sizes: number[], order: string[]]> = [
    [[], []],
    [[5], ['a']],
    [[1, 7, 3], ['b', 'c', 'a']],
    [[4, 9, 9, 0], ['b', 'c', 'a', 'd']],
    [[2, 2, 2], ['a', 'b', 'c']],
  ];
  for (const [sizes, order] of cases) {
    const waiting = sizes.map((size, i) => ({ size, name: 'abcd'[i]! }));
    const taken: string[] = [];
    for (let w = takeLargest(waiting); w !== undefined; w = takeLargest(waiting)) taken.push(w.name);
    assert.deepEqual(taken, order, `sizes ${sizes.join(',')}`);
  }
});

test('a cancelled job still waiting leaves the queue with the reason; started jobs stop or finish; cancelled before, none starts', async (t) => {
  const dir = tempDir(t, 'pool-cancel');
  const m = await buildModule({ path: P, version: V, files: { 'a.go': 'package a\n', 'b/b.go': 'package b\n' } });
  const zipFile = join(dir, 'm.zip');
  await writeFile(zipFile, m.zip);
  // Workers only, one job each at a time beyond the worker's two: the rest wait in the queue.
  const pool = new ExtractPool(1, { inline: false });
  t.after(() => pool.close());
  const cancel = new AbortController();
  const reason = new Error('discarded');
  const jobs = [...Array(6).keys()].map((i) =>
    pool.extract({ zipFile, path: P, version: V, targetDir: join(dir, `t${i}`) }, cancel.signal).then((r) => r, (e: unknown) => e),
  );
  cancel.abort(reason);
  const settled = await Promise.all(jobs);
  const dropped = settled.filter((r) => r === reason);
  assert.equal(dropped.length, 4, 'the four waiting drop out with the reason');
  // The two on the worker stop at their next entry, or had finished already.
  const want = await extractZip({ zipFile, path: P, version: V, targetDir: join(dir, 'here') });
  for (const r of settled.filter((x) => x !== reason)) {
    if (r instanceof Error) assert.equal((r as Error & { code?: string }).code, 'EEXTRACTCANCELLED', String(r));
    else assert.deepEqual(r, want);
  }
  // Already cancelled: rejected at once, nothing queued.
  assert.equal(await pool.extract({ zipFile, path: P, version: V, targetDir: join(dir, 'late') }, cancel.signal).catch((e: unknown) => e), reason);
  // Without a signal, or with one never aborted, every job runs.
  const fine = await Promise.all([0, 1, 2].map((i) => pool.extract({ zipFile, path: P, version: V, targetDir: join(dir, `f${i}`) }, new AbortController().signal)));
  assert.equal(fine.length, 3);
});

for (const where of ['a worker', 'this thread'] as const) {
  test(`a running extraction on ${where} stops at its next entry when cancelled`, async (t) => {
    const dir = tempDir(t, 'pool-stop');
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`p${i % 30}/f${i}.go`] = `package p\n// ${i} ${'x'.repeat(200)}\n`;
    const m = await buildModule({ path: P, version: V, files });
    const zipFile = join(dir, 'm.zip');
    await writeFile(zipFile, m.zip);
    const pool = new ExtractPool(1, { inline: where === 'this thread' });
    t.after(() => pool.close());
    const cancel = new AbortController();
    const targetDir = join(dir, 'out');
    const job = pool.extract({ zipFile, path: P, version: V, targetDir }, cancel.signal).then((r) => r, (e: unknown) => e);
    // Started: the first files are there.
    const { existsSync } = await import('node:fs');
    while (!existsSync(join(targetDir, 'p0'))) await new Promise((r) => setTimeout(r, 1));
    cancel.abort(new Error('discarded'));
    const r = await job;
    assert.ok(r instanceof Error, 'the extraction stopped');
    const written = (await snapshotTree(targetDir)).filter((e) => e.path.endsWith('.go')).length;
    assert.ok(written < 3000, `${written} files written`);
  });
}
