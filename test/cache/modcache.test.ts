import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModCache } from '../../src/cache/modcache.js';
import { noLocker } from '../../src/cache/flock.js';
import { decodeInfo } from '../../src/cache/info.js';
import { extractZip } from '../../src/verify/extract.js';
import { buildModule } from '../support/modbuilder.js';
import { runGo } from '../support/gorun.js';
import { tempDir } from '../support/tmp.js';

const P = 'example.com/m';
const H1 = 'h1:' + 'A'.repeat(43) + '=';

function cacheIn(dir: string, now?: () => number): ModCache {
  return new ModCache(join(dir, 'mod'), now ? { now } : {});
}

async function mode(p: string): Promise<number> {
  return (await stat(p)).mode & 0o777;
}

test('writeInfo stores go\'s encoding under info.Version and readInfo decodes it back', async (t) => {
  const c = cacheIn(tempDir(t));
  const info = decodeInfo(Buffer.from('{"Version":"v1.0.0","Time":"2018-02-14T15:44:20.5+01:00","Origin":{"VCS":"git","TagSum":"t1:x"}}'));
  const file = await c.writeInfo(P, info);
  assert.equal(file, c.layout.infoFile(P, 'v1.0.0'));
  assert.equal(await readFile(file, 'utf8'), '{"Version":"v1.0.0","Time":"2018-02-14T15:44:20.5+01:00","Origin":{"VCS":"git"}}');
  assert.deepEqual((await c.readInfo(P, 'v1.0.0'))?.Origin, { VCS: 'git' });
});

test('readInfo treats a missing or undecodable .info as not cached', async (t) => {
  const c = cacheIn(tempDir(t));
  assert.equal(await c.readInfo(P, 'v1.0.0'), undefined);
  await mkdir(c.layout.downloadDir(P), { recursive: true });
  await writeFile(c.layout.infoFile(P, 'v1.0.0'), '{"Version":');
  assert.equal(await c.readInfo(P, 'v1.0.0'), undefined);
});

test('writeMod writes the bytes and rewrites list, leaving !-escaped versions out', async (t) => {
  const c = cacheIn(tempDir(t));
  await c.writeMod(P, 'v1.1.0', Buffer.from('module example.com/m\n'));
  await c.writeMod(P, 'v1.0.0-RC1', Buffer.from('module example.com/m\n'));
  await c.writeMod(P, 'v1.0.0', Buffer.from('module example.com/m\n'));
  assert.equal(await readFile(c.layout.listFile(P), 'utf8'), 'v1.0.0\nv1.1.0\n');
  assert.deepEqual(await c.readMod(P, 'v1.0.0'), Buffer.from('module example.com/m\n'));
  assert.ok((await readdir(c.layout.downloadDir(P))).every((n) => !n.endsWith('.tmp')));
});

test('readMod ignores an old //vgo 0.0. auto-converted go.mod', async (t) => {
  const c = cacheIn(tempDir(t));
  await mkdir(c.layout.downloadDir(P), { recursive: true });
  await writeFile(c.layout.modFile(P, 'v1.0.0'), '//vgo 0.0.4\nmodule example.com/m\n');
  assert.equal(await c.readMod(P, 'v1.0.0'), undefined);
});

test('readZiphash accepts 47 bytes after TrimSpace and rejects torn or wrong-sized files', async (t) => {
  const c = cacheIn(tempDir(t));
  await mkdir(c.layout.downloadDir(P), { recursive: true });
  const f = c.layout.ziphashFile(P, 'v1.0.0');
  const cases: Array<[Buffer, string | undefined]> = [
    [Buffer.from(H1), H1],
    [Buffer.from(` \t${H1}\n\u00a0`), H1],
    [Buffer.from(H1.slice(1)), undefined],
    [Buffer.alloc(47), undefined],
    [Buffer.concat([Buffer.from(H1.slice(0, 20)), Buffer.alloc(27)]), undefined],
  ];
  for (const [data, want] of cases) {
    await writeFile(f, data);
    assert.equal(await c.readZiphash(P, 'v1.0.0'), want, JSON.stringify(data.toString('latin1')));
  }
});

test('publishZip writes .ziphash before it renames the zip into place', async (t) => {
  const c = cacheIn(tempDir(t));
  const { path: tmp, handle } = await c.createZipTemp(P, 'v1.0.0');
  await handle.writeFile('zip bytes');
  await handle.close();
  // With the temp gone the rename must fail; the hash is already there, proving the order.
  await assert.rejects(c.publishZip(tmp + '.missing', P, 'v1.0.0', H1));
  assert.equal(await readFile(c.layout.ziphashFile(P, 'v1.0.0'), 'utf8'), H1);
  assert.equal(await c.zipComplete(P, 'v1.0.0'), false);
  await c.publishZip(tmp, P, 'v1.0.0', H1);
  assert.equal(await c.zipComplete(P, 'v1.0.0'), true);
  assert.equal(await readFile(c.layout.zipFile(P, 'v1.0.0'), 'utf8'), 'zip bytes');
  assert.equal(await mode(c.layout.ziphashFile(P, 'v1.0.0')), 0o666 & ~process.umask());
});

async function stageTree(c: ModCache, version: string): Promise<string> {
  const staging = await c.stagingDir(P, version);
  await mkdir(join(staging, 'sub', 'deep'), { recursive: true });
  await writeFile(join(staging, 'go.mod'), 'module example.com/m\n', { mode: 0o444 });
  await writeFile(join(staging, 'sub', 'deep', 'a.go'), 'package deep\n', { mode: 0o444 });
  return staging;
}

test('publishDir makes directories read-only children-first and renames the staging tree into place', async (t) => {
  const c = cacheIn(tempDir(t));
  await c.writeZiphash(P, 'v1.0.0', H1);
  const staging = await stageTree(c, 'v1.0.0');
  // Staging lives in the run's work directory, outside go's `<dir>.tmp-*` cleanup glob.
  assert.ok(staging.startsWith(join(c.layout.root, 'cache', 'gomod-dl') + '/'), staging);
  assert.equal(await c.publishDir(staging, P, 'v1.0.0'), 'published');
  const final = c.layout.moduleDir(P, 'v1.0.0');
  for (const d of [final, join(final, 'sub'), join(final, 'sub', 'deep')]) assert.equal(await mode(d), 0o555, d);
  assert.equal(await mode(join(final, 'go.mod')), 0o444);
  assert.equal(await c.dirState(P, 'v1.0.0'), 'complete');
});

test('publishDir with modcacherw leaves directories writable', async (t) => {
  const c = cacheIn(tempDir(t));
  await c.writeZiphash(P, 'v1.0.0', H1);
  const staging = await stageTree(c, 'v1.0.0');
  assert.equal(await c.publishDir(staging, P, 'v1.0.0', { modcacherw: true }), 'published');
  assert.equal(await mode(join(c.layout.moduleDir(P, 'v1.0.0'), 'sub')), 0o777 & ~process.umask());
});

test('publishDir discards its copy when a complete directory is already there', async (t) => {
  const c = cacheIn(tempDir(t));
  await c.writeZiphash(P, 'v1.0.0', H1);
  const first = await stageTree(c, 'v1.0.0');
  const second = await stageTree(c, 'v1.0.0');
  assert.equal(await c.publishDir(first, P, 'v1.0.0'), 'published');
  assert.equal(await c.publishDir(second, P, 'v1.0.0'), 'existing');
  const parent = join(c.layout.moduleDir(P, 'v1.0.0'), '..');
  assert.deepEqual(await readdir(parent), ['m@v1.0.0']);
});

test('publishDir under go\'s lock replaces a dead go\'s partial tree (.partial present) and removes the marker', async (t) => {
  const c = cacheIn(tempDir(t));
  await c.writeZiphash(P, 'v1.0.0', H1);
  const final = c.layout.moduleDir(P, 'v1.0.0');
  await mkdir(join(final, 'half'), { recursive: true });
  await chmod(join(final, 'half'), 0o555);
  await writeFile(c.layout.partialFile(P, 'v1.0.0'), '');
  await mkdir(final + '.tmp-123'); // a go < 1.16 leftover, removed under the lock as go does
  const staging = await stageTree(c, 'v1.0.0');
  assert.equal(await c.publishDir(staging, P, 'v1.0.0'), 'published');
  assert.deepEqual((await readdir(final)).sort(), ['go.mod', 'sub']);
  assert.deepEqual(await readdir(join(final, '..')), ['m@v1.0.0']);
  assert.equal(await c.dirState(P, 'v1.0.0'), 'complete');
});

test('without a lock tool publishDir does not touch a directory go may be extracting (.partial present) and reports busy', async (t) => {
  const c = new ModCache(join(tempDir(t), 'mod'), { locker: noLocker() });
  await c.writeZiphash(P, 'v1.0.0', H1);
  const final = c.layout.moduleDir(P, 'v1.0.0');
  await mkdir(final, { recursive: true });
  await writeFile(c.layout.partialFile(P, 'v1.0.0'), '');
  const staging = await stageTree(c, 'v1.0.0');
  assert.equal(await c.publishDir(staging, P, 'v1.0.0'), 'busy');
  assert.deepEqual(await readdir(final), []);
  assert.deepEqual(await readdir(join(final, '..')), ['m@v1.0.0']);
});

test('dirState follows go: missing, partial (.partial or no .ziphash), complete', async (t) => {
  const c = cacheIn(tempDir(t));
  assert.equal(await c.dirState(P, 'v1.0.0'), 'missing');
  await mkdir(c.layout.moduleDir(P, 'v1.0.0'), { recursive: true });
  assert.equal(await c.dirState(P, 'v1.0.0'), 'partial');
  await c.writeZiphash(P, 'v1.0.0', H1);
  await writeFile(c.layout.partialFile(P, 'v1.0.0'), '');
  assert.equal(await c.dirState(P, 'v1.0.0'), 'partial');
  assert.equal(await c.dirComplete(P, 'v1.0.0'), false);
});

test('removePartialDir removes a crashed go\'s read-only partial tree and its .partial, but not a fresh one', async (t) => {
  const now = Date.now();
  const c = cacheIn(tempDir(t), () => now);
  const final = c.layout.moduleDir(P, 'v1.0.0');
  await mkdir(join(final, 'sub'), { recursive: true });
  await writeFile(join(final, 'sub', 'x.go'), '', { mode: 0o444 });
  await chmod(join(final, 'sub'), 0o555);
  await chmod(final, 0o555);
  const partial = c.layout.partialFile(P, 'v1.0.0');
  await mkdir(c.layout.downloadDir(P), { recursive: true });
  await writeFile(partial, '');
  assert.equal(await c.removePartialDir(P, 'v1.0.0', { minAgeMs: 60_000 }), false, 'a fresh .partial may be a live go');
  const old = new Date(now - 120_000);
  await utimes(partial, old, old);
  assert.equal(await c.removePartialDir(P, 'v1.0.0', { minAgeMs: 60_000 }), true);
  assert.equal(await c.dirState(P, 'v1.0.0'), 'missing');
  assert.deepEqual((await readdir(c.layout.downloadDir(P))).filter((n) => n.endsWith('.partial')), []);
});

test('removeStaleStaging removes read-only <dir>.tmp-* trees and nothing else', async (t) => {
  const c = cacheIn(tempDir(t));
  const oldStaging = async (version: string): Promise<string> => {
    const d = c.layout.moduleDir(P, version) + '.tmp-' + version.length;
    await mkdir(join(d, 'sub', 'deep'), { recursive: true });
    return d;
  };
  const a = await oldStaging('v1.0.0');
  await chmod(join(a, 'sub', 'deep'), 0o555);
  await chmod(join(a, 'sub'), 0o555);
  await chmod(a, 0o555);
  await oldStaging('v1.0.1');
  const removed = await c.removeStaleStaging(P, 'v1.0.0');
  assert.deepEqual(removed, [a]);
  const left = await readdir(join(c.layout.moduleDir(P, 'v1.0.0'), '..'));
  assert.equal(left.length, 1);
  assert.ok(left[0]!.startsWith('m@v1.0.1.tmp-'));
});

test('go accepts a cache entry published by ModCache without downloading anything', async (t) => {
  const dir = tempDir(t);
  const c = new ModCache(join(dir, 'gomodcache'));
  const m = await buildModule({ path: P, version: 'v1.0.0', files: { 'a.go': 'package m\n', 'sub/b.go': 'package sub\n' } });
  await c.writeInfo(P, decodeInfo(m.info));
  await c.writeMod(P, 'v1.0.0', m.mod);
  const { path: tmpZip, handle } = await c.createZipTemp(P, 'v1.0.0');
  await handle.writeFile(m.zip);
  await handle.close();
  const staging = await c.stagingDir(P, 'v1.0.0');
  const { h1 } = await extractZip({ zipFile: tmpZip, path: P, version: 'v1.0.0', targetDir: staging });
  await c.publishZip(tmpZip, P, 'v1.0.0', h1);
  assert.equal(await c.publishDir(staging, P, 'v1.0.0'), 'published');

  // GOPROXY=off: any miss in our cache would be a "module lookup disabled" error.
  const r = await runGo(['mod', 'download', '-json', `${P}@v1.0.0`], { gomodcache: c.layout.root, t });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const out = JSON.parse(r.stdout) as { Dir: string; Sum: string; Error?: string };
  assert.equal(out.Error, undefined);
  assert.equal(out.Sum, h1);
  assert.equal(out.Dir, c.layout.moduleDir(P, 'v1.0.0'));
});
