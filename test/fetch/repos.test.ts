// The Repo family of src/fetch (listrepo.ts, repowrap.ts) and Fetcher.lookup: one Repo per module
// path, each wrapper's one concern. The GOPROXY walk itself is held to go end to end in
// fetcher.test.ts; here the pieces are checked against fake Repos and a local proxy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { loadGoEnv } from '../../src/config/index.js';
import { NotExistError } from '../../src/fetch/errors.js';
import { Fetcher } from '../../src/fetch/fetcher.js';
import { ErrorRepo, ProxyListRepo } from '../../src/fetch/listrepo.js';
import { parseProxyList } from '../../src/fetch/proxylist.js';
import { CachingRepo, VersionErrorRepo } from '../../src/fetch/repowrap.js';
import { ZERO_TIME } from '../../src/internal/gotime.js';
import type { Repo } from '../../src/module/repo.js';
import { buildModule } from '../support/modbuilder.js';
import { startProxy } from '../support/proxy-server.js';
import { ModuleStore } from '../support/store.js';
import { tempDir } from '../support/tmp.js';

const M = 'example.com/m';

/** A Repo whose every operation logs `name op` and then answers `answer()` (or throws it). */
function fakeRepo(name: string, log: string[], answer: () => unknown): Repo {
  const op = async (what: string): Promise<never> => {
    log.push(`${name} ${what}`);
    const a = answer();
    if (a instanceof Error) throw a;
    return a as never;
  };
  return {
    versions: () => op('versions'),
    latest: () => op('latest'),
    stat: (rev) => op(`stat ${rev}`),
    goMod: (v) => op(`goMod ${v}`),
    zip: (v) => op(`zip ${v}`),
  };
}

test('ErrorRepo fails every operation with its error (go errRepo)', async () => {
  const err = new NotExistError('EPROXYOFF', 'module lookup disabled by GOPROXY=off');
  const r: Repo = new ErrorRepo(M, err);
  for (const p of [r.versions(''), r.latest(), r.stat('v1.0.0'), r.goMod('v1.0.0'), r.zip('v1.0.0', undefined as never)]) {
    await assert.rejects(p, (e) => e === err);
  }
});

test("ProxyListRepo: ',' moves on after not-exist only, '|' after any error, and each operation starts again at the first entry", async () => {
  const log: string[] = [];
  const notFound = new NotExistError('ENOTFOUND', 'not found');
  const broken = new Error('500 Internal Server Error');
  const answers: Record<string, () => unknown> = {
    'https://a.example': () => notFound,
    'https://b.example': () => broken,
    'https://c.example': () => ({ Version: 'v1.0.0', Time: ZERO_TIME }),
  };
  const walk = (goproxy: string) => new ProxyListRepo(M, {
    list: () => parseProxyList({ GOPROXY: goproxy, GONOPROXY: '' }),
    entryRepo: async (e) => fakeRepo(e.url, log, answers[e.url]!),
    trace: () => {},
  });

  await assert.rejects(walk('https://a.example,https://b.example,https://c.example').stat('v1.0.0'), (e) => e === broken);
  assert.deepEqual(log, ['https://a.example stat v1.0.0', 'https://b.example stat v1.0.0']);

  log.length = 0;
  const r = walk('https://a.example,https://b.example|https://c.example');
  assert.equal((await r.stat('v1.0.0')).Version, 'v1.0.0');
  assert.equal((await r.latest()).Version, 'v1.0.0');
  assert.deepEqual(log, [
    'https://a.example stat v1.0.0', 'https://b.example stat v1.0.0', 'https://c.example stat v1.0.0',
    'https://a.example latest', 'https://b.example latest', 'https://c.example latest',
  ]);
});

test('CachingRepo shares versions, latest and stat answers and failures for the run, but not go.mod', async () => {
  const log: string[] = [];
  let n = 0;
  const r = new CachingRepo(fakeRepo('inner', log, () => (++n % 2 === 0 ? new Error(`failure ${n}`) : ['v1.0.0'])));
  const [a, b] = await Promise.all([r.versions(''), r.versions('')]);
  assert.equal(a, b);
  await assert.rejects(r.latest(), /failure 2/);
  await assert.rejects(r.latest(), /failure 2/); // the failure is remembered, not retried
  await r.stat('v1.0.0');
  await r.stat('v1.0.0');
  await r.goMod('v1.0.0').catch(() => {});
  await r.goMod('v1.0.0').catch(() => {});
  assert.deepEqual(log, ['inner versions', 'inner latest', 'inner stat v1.0.0', 'inner goMod v1.0.0', 'inner goMod v1.0.0']);
});

test('VersionErrorRepo adds path@version to errors, and leaves routing errors of list and latest bare', async () => {
  const off = new NotExistError('EPROXYOFF', 'module lookup disabled by GOPROXY=off');
  const r = new VersionErrorRepo(M, new ErrorRepo(M, off));
  await assert.rejects(r.versions(''), (e) => e === off);
  await assert.rejects(r.latest(), (e) => e === off);
  await assert.rejects(r.stat('v1.0.0'), (e: Error) => e.message === `${M}@v1.0.0: module lookup disabled by GOPROXY=off`);
  await assert.rejects(r.goMod('v1.0.0'), (e: Error) => e.message === `${M}@v1.0.0: module lookup disabled by GOPROXY=off`);
});

test('Fetcher.lookup gives one Repo per module path: concurrent and later stats make one request, zips in flight one download', async (t) => {
  const mod = await buildModule({ path: M, version: 'v1.0.0', files: { 'a.go': 'package m\n' } });
  const server = await startProxy(new ModuleStore().add(mod));
  t.after(() => server.close());
  const env = await loadGoEnv({ env: { HOME: '/nonexistent', GOPROXY: server.url }, cwd: '/' });
  const f = new Fetcher({ env });
  t.after(() => f.close());

  assert.equal(f.lookup(M), f.lookup(M));
  assert.notEqual(f.lookup(M), f.lookup('example.com/other'));
  const [x, y] = await Promise.all([f.lookup(M).stat('v1.0.0'), f.lookup(M).stat('v1.0.0')]);
  assert.equal(x, y);
  await f.lookup(M).stat('v1.0.0');
  assert.equal(server.count(/\/@v\/v1\.0\.0\.info$/), 1);

  const h = await open(join(tempDir(t, 'repos'), 'm.zip'), 'w+');
  try {
    const [n1, n2] = await Promise.all([f.lookup(M).zip('v1.0.0', h), f.lookup(M).zip('v1.0.0', h)]);
    assert.equal(n1, mod.zip.length);
    assert.equal(n2, mod.zip.length);
    assert.equal(server.count(/\.zip$/), 1);
    await f.lookup(M).zip('v1.0.0', h); // a later call downloads again: only in-flight calls share
    assert.equal(server.count(/\.zip$/), 2);
  } finally {
    await h.close();
  }
});
