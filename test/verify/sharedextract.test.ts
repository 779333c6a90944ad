// One zip extracted by two threads sharing its entries (sharedclaims.ts): the worker that owns the
// job and the calling thread that joins it once idle. Together they write the tree and give the h1
// that one thread alone gives; a failing entry on either side makes the pool extract the zip again
// alone, so the error is go's, as without sharing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { buildModule } from '../support/modbuilder.js';
import { snapshotTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';
import { extractSharing, extractZip, helpExtract, joinParts, type ExtractPart } from '../../src/verify/extract.js';
import { EARLY_WORKER_ZIPS, ExtractPool, SHARE_MIN } from '../../src/verify/extractpool.js';
import { SharedClaims } from '../../src/verify/sharedclaims.js';
import { UnzipError } from '../../src/verify/ziperrors.js';

const P = 'example.com/shared';
const V = 'v1.0.0';

/**
 * A module of `small` small files in a few directories and `large` files of 1.5 MiB (streamed:
 * above the small-entry limit), plus `extra` raw entries; its zip written to `dir/name`.
 */
async function moduleZip(dir: string, name: string, o: { small: number; large: number; extra?: { name: string; data: string; crc32?: number }[] }): Promise<string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < o.small; i++) files[`d${i % 7}/s${i}.go`] = `package d // ${i} ${randomBytes(40).toString('hex')}\n`;
  for (let i = 0; i < o.large; i++) files[`big/l${i}.txt`] = randomBytes(768 << 10).toString('hex');
  const m = await buildModule({ path: P, version: V, files, zipOptions: { extraEntries: (o.extra ?? []).map((e) => ({ ...e, name: `${P}@${V}/${e.name}` })) } });
  const zipFile = join(dir, name);
  await writeFile(zipFile, m.zip);
  return zipFile;
}

/** Starts the owner's extraction, joins it on this thread once it is open; returns both parts. */
async function ownerAndHelper(zipFile: string, targetDir: string) {
  const share = SharedClaims.create();
  const opts = { zipFile, path: P, version: V, targetDir, share };
  const owner = extractSharing(opts);
  while (!new SharedClaims(share).joinable) await nextTurn();
  const helper = helpExtract(opts);
  assert.ok(helper !== undefined, 'an open extraction refused a helper');
  assert.equal(helpExtract(opts), undefined, 'a second helper joined');
  const [o, h] = await Promise.all([owner, helper]);
  assert.ok('keys' in o, 'the owner answered a whole result although a helper joined');
  return { owner: o as ExtractPart, helper: h };
}

test('owner and helper together: every entry read once, the same h1, counts and tree as one thread', async (t) => {
  const dir = tempDir(t, 'shared');
  const zipFile = await moduleZip(dir, 'm.zip', { small: 1500, large: 3 });
  const { owner, helper } = await ownerAndHelper(zipFile, join(dir, 'two'));
  const alone = await extractZip({ zipFile, path: P, version: V, targetDir: join(dir, 'one') });
  assert.ok(helper.keys.length > 0 && owner.keys.length > 0, `owner ${owner.keys.length}, helper ${helper.keys.length} entries`);
  assert.equal(new Set([...owner.keys, ...helper.keys]).size, owner.keys.length + helper.keys.length, 'an entry read twice');
  assert.deepEqual(joinParts(owner, helper), alone);
  assert.deepEqual(await snapshotTree(join(dir, 'two')), await snapshotTree(join(dir, 'one')));
});

test('an extraction not yet open, or closed, takes no helper; the owner then answers the whole result', async (t) => {
  const dir = tempDir(t, 'shared-closed');
  const zipFile = await moduleZip(dir, 'm.zip', { small: 20, large: 0 });
  const share = SharedClaims.create();
  const opts = { zipFile, path: P, version: V, targetDir: join(dir, 't'), share };
  assert.equal(helpExtract(opts), undefined, 'joined before the owner opened it');
  const r = await extractSharing(opts);
  assert.deepEqual(r, await extractZip({ zipFile, path: P, version: V, targetDir: join(dir, 'one') }));
  assert.equal(helpExtract(opts), undefined, 'joined after the owner closed it');
});

test('a corrupt entry in a shared zip: the part that read it failed, and the parts are not joined', async (t) => {
  const dir = tempDir(t, 'shared-bad');
  const zipFile = await moduleZip(dir, 'm.zip', { small: 1500, large: 2, extra: [{ name: 'zz/bad.go', data: 'package zz\n', crc32: 1 }] });
  const { owner, helper } = await ownerAndHelper(zipFile, join(dir, 't'));
  assert.ok(owner.failed || helper.failed, 'neither part failed');
  assert.equal(joinParts(owner, helper), undefined);
});

test('a worker\'s large zip, joined by the idle calling thread: the same result and tree as one thread', async (t) => {
  const dir = tempDir(t, 'shared-pool');
  const zipFile = await moduleZip(dir, 'm.zip', { small: 1500, large: 3 });
  const pool = new ExtractPool(1);
  t.after(() => pool.close());
  pool.expect(EARLY_WORKER_ZIPS); // jobs go to the worker
  const r = await pool.extract({ zipFile, path: P, version: V, targetDir: join(dir, 'pool') });
  assert.equal(pool.joined, 1, 'this thread, idle, did not join the worker\'s extraction');
  assert.deepEqual(r, await extractZip({ zipFile, path: P, version: V, targetDir: join(dir, 'one') }));
  assert.deepEqual(await snapshotTree(join(dir, 'pool')), await snapshotTree(join(dir, 'one')));
});

test('a worker\'s large zip with a corrupt entry: the same error (class, text, h1) as one thread', async (t) => {
  const dir = tempDir(t, 'shared-pool-bad');
  const zipFile = await moduleZip(dir, 'm.zip', { small: 1500, large: 3, extra: [{ name: 'd3/zz.go', data: 'package d\n', crc32: 7 }] });
  assert.ok(statSync(zipFile).size >= SHARE_MIN);
  const pool = new ExtractPool(1);
  t.after(() => pool.close());
  pool.expect(EARLY_WORKER_ZIPS);
  const opts = { zipFile, path: P, version: V, zipName: '/cache/m.zip' };
  const ours = await pool.extract({ ...opts, targetDir: join(dir, 'pool') }).catch((e: unknown) => e);
  const here = await extractZip({ ...opts, targetDir: join(dir, 'one') }).catch((e: unknown) => e);
  assert.ok(here instanceof Error && ours instanceof Error, `${String(here)} / ${String(ours)}`);
  assert.equal(here.message, 'zip: checksum error'); // HashZip's, before any unzip
  assert.equal(pool.joined, 1, 'this thread did not join: the parts were never compared');
  assert.equal((ours as { code?: string }).code, (here as { code?: string }).code);
  assert.equal(ours.message, here.message);
  assert.equal((ours as UnzipError).h1, (here as UnzipError).h1);
});
