// The per-module pipeline's branches (src/modfetch/downloader.ts) against a fake Repo: which
// files the cache ends with, and which requests reach the network, for a fresh download, a cached
// zip and tree, a zip without its tree, a tree without its zip, a prefetched zip, and each failure.
// The end-to-end suites (test/download, test/concurrency) hold the same pipeline to the real go.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { decodeInfo, ModCache } from '../../src/cache/index.js';
import { FatalError } from '../../src/internal/errors.js';
import { Downloader, GoSumMismatchError, ModSums, type ModuleJSON } from '../../src/modfetch/index.js';
import type { Repo, RepoLookup } from '../../src/module/repo.js';
import { CachingRepo } from '../../src/fetch/repowrap.js';
import { buildModule, type BuiltModule } from '../support/modbuilder.js';
import { tempDir } from '../support/tmp.js';

const PATH = 'example.com/pipe';
const VERSION = 'v1.0.0';

/**
 * A fake Repo serving `mod` for every path (the pipeline asks the fake lookup for the Repo of a path),
 * logging each request; `fail` makes one operation throw.
 */
function fakeFetcher(mod: BuiltModule, fail: { zip?: Error; goMod?: Error } = {}) {
  const log: string[] = [];
  const repoOf = (path: string): Repo => ({
    async versions() {
      log.push(`list ${path}`);
      return [mod.version];
    },
    async latest() {
      log.push(`latest ${path}`);
      return decodeInfo(mod.info);
    },
    async stat(rev) {
      log.push(`stat ${path}@${rev}`);
      return decodeInfo(mod.info);
    },
    async goMod(version) {
      log.push(`mod ${path}@${version}`);
      if (fail.goMod !== undefined) throw fail.goMod;
      return new Uint8Array(mod.mod);
    },
    async zip(version, dest: FileHandle) {
      log.push(`zip ${path}@${version}`);
      if (fail.zip !== undefined) throw fail.zip;
      await dest.truncate(0);
      await dest.write(mod.zip, 0, mod.zip.length, 0);
      return mod.zip.length;
    },
  });
  const repos = new Map<string, Repo>();
  const fetcher: RepoLookup = {
    lookup(path) {
      if (!repos.has(path)) repos.set(path, repoOf(path));
      return repos.get(path)!;
    },
  };
  return { fetcher, log };
}

async function setup(t: TestContext, opts: { fail?: { zip?: Error; goMod?: Error }; sums?: Map<string, string[]> } = {}) {
  const mod = await buildModule({ path: PATH, version: VERSION, files: { 'a.go': 'package pipe\n' } });
  const root = tempDir(t, 'modfetch');
  const cache = new ModCache(root);
  t.after(() => cache.work.remove());
  const { fetcher, log } = fakeFetcher(mod, opts.fail);
  const newDownloader = () => new Downloader({ cache, fetcher, sums: new ModSums({ main: opts.sums ?? null }), modcacherw: true });
  return { mod, cache, log, dl: newDownloader(), newDownloader };
}

async function download(dl: Downloader): Promise<ModuleJSON> {
  const m = { Path: PATH, Version: VERSION } as ModuleJSON & { Path: string; Version: string };
  await dl.download(m);
  return m;
}

test('a fresh module is fetched once: .info, .mod, zip, .ziphash and the tree are published', async (t) => {
  const { cache, log, dl } = await setup(t);
  const m = await download(dl);
  // The zip's transfer overlaps the .info and .mod steps: each is asked for once, in any order.
  assert.deepEqual([...log].sort(), [`mod ${PATH}@${VERSION}`, `stat ${PATH}@${VERSION}`, `zip ${PATH}@${VERSION}`]);
  for (const f of [m.Info!, m.GoMod!, m.Zip!, cache.layout.zipFile(PATH, VERSION) + 'hash']) assert.ok(existsSync(f), f);
  assert.equal(readFileSync(`${m.Dir}/a.go`, 'utf8'), 'package pipe\n');
  assert.equal(readFileSync(cache.layout.zipFile(PATH, VERSION) + 'hash', 'utf8'), m.Sum);
  assert.match(m.Sum!, /^h1:/);
  assert.match(m.GoModSum!, /^h1:/);
});

test('a cached zip and tree are used without a request', async (t) => {
  const { log, dl, newDownloader } = await setup(t);
  const first = await download(dl);
  log.length = 0;
  const again = await download(newDownloader());
  assert.deepEqual(log, []);
  assert.deepEqual(again, first);
});

test('a cached zip without its tree is extracted from the cache, not downloaded', async (t) => {
  const { log, dl, newDownloader } = await setup(t);
  const first = await download(dl);
  rmSync(first.Dir!, { recursive: true, force: true });
  log.length = 0;
  const again = await download(newDownloader());
  assert.deepEqual(log, []);
  assert.equal(again.Sum, first.Sum);
  assert.equal(readFileSync(`${again.Dir}/a.go`, 'utf8'), 'package pipe\n');
});

test('a cached tree without its zip: the zip is downloaded and published, the tree stays', async (t) => {
  const { log, dl, newDownloader } = await setup(t);
  const first = await download(dl);
  rmSync(first.Zip!);
  rmSync(first.Zip! + 'hash');
  log.length = 0;
  const again = await download(newDownloader());
  assert.deepEqual(log, [`zip ${PATH}@${VERSION}`]);
  assert.equal(again.Sum, first.Sum);
  assert.ok(existsSync(first.Zip!));
});

test('a prefetched zip is the one the download publishes (one zip request)', async (t) => {
  const { log, dl } = await setup(t);
  dl.prefetchZip(PATH, VERSION);
  const m = await download(dl);
  assert.equal(log.filter((l) => l.startsWith('zip ')).length, 1);
  assert.equal(readFileSync(`${m.Dir}/a.go`, 'utf8'), 'package pipe\n');
  await dl.discardPrefetched();
});

test('a zip fetch failure fails the module and publishes no zip or tree', async (t) => {
  const boom = new Error('zip fetch failed');
  const { cache, dl } = await setup(t, { fail: { zip: boom } });
  await assert.rejects(download(dl), boom);
  assert.ok(!existsSync(cache.layout.zipFile(PATH, VERSION)));
  assert.ok(!existsSync(cache.layout.moduleDir(PATH, VERSION)));
});

test('a go.mod fetch failure fails the module; a zip fetched ahead is never published', async (t) => {
  const boom = new Error('mod fetch failed');
  const { cache, dl } = await setup(t, { fail: { goMod: boom } });
  await assert.rejects(download(dl), boom);
  await dl.discardPrefetched();
  assert.ok(!existsSync(cache.layout.zipFile(PATH, VERSION)));
  assert.ok(!existsSync(cache.layout.moduleDir(PATH, VERSION)));
});

test('a zip hash that go.sum contradicts is a fatal checksum mismatch and nothing is published', async (t) => {
  const key = `${PATH} ${VERSION}`;
  const { cache, dl } = await setup(t, { sums: new Map([[key, ['h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=']]]) });
  const err = await download(dl).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof GoSumMismatchError, String(err));
  assert.ok(err instanceof FatalError);
  assert.ok(!existsSync(cache.layout.zipFile(PATH, VERSION)));
  assert.ok(!existsSync(cache.layout.moduleDir(PATH, VERSION)));
});

test('a prefetched .info is the one the download writes (one stat request); a cached one is not fetched ahead', async (t) => {
  const mod = await buildModule({ path: PATH, version: VERSION, files: { 'a.go': 'package pipe\n' } });
  const cache = new ModCache(tempDir(t, 'modfetch'));
  t.after(() => cache.work.remove());
  const { fetcher: plain, log } = fakeFetcher(mod);
  // As the run's Fetcher does: one caching repo per path, which shares answers (fetch/repowrap.ts).
  const caching = new Map<string, Repo>();
  const fetcher: RepoLookup = { lookup: (p) => caching.get(p) ?? caching.set(p, new CachingRepo(plain.lookup(p))).get(p)! };
  const dl = new Downloader({ cache, fetcher, sums: new ModSums({ main: null }), modcacherw: true });
  dl.prefetchInfo(PATH, VERSION);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(log, [`stat ${PATH}@${VERSION}`], 'the prefetch asked once');
  assert.ok(!existsSync(cache.layout.infoFile(PATH, VERSION)), 'nothing written before the download asks');
  const m = await download(dl);
  assert.equal(log.filter((l) => l.startsWith('stat ')).length, 1);
  assert.ok(existsSync(m.Info!));

  log.length = 0;
  const again = new Downloader({ cache, fetcher: plain, sums: new ModSums({ main: null }), modcacherw: true });
  again.prefetchInfo(PATH, VERSION);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(log, [], 'a cached .info needs no request');
});
