// Oracle: the real go command and this client talk to the same test checksum database (through a
// local GOPROXY's /sumdb/<name>/ route) and must leave byte-identical files behind:
// GOMODCACHE/cache/download/sumdb/** and GOPATH/pkg/sumdb/**. Also compares the SECURITY ERROR of a
// forked log with what go prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GoSumdb, type GosumdbConfig } from '../../src/sumdb/gosumdb.js';
import { TestSumdbServer, type SumdbEntry } from '../support/sumdb-server.js';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { parseJsonStream, requireGo, runGo } from '../support/gorun.js';
import { diffTrees, snapshotTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';

const SKEY = 'PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXHDfDGxSPk';
const VKEY = 'localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6';
const FILLER_MOD = 'h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA=';

const fillers = (tag: string, n: number): SumdbEntry[] =>
  Array.from({ length: n }, (_, i) => ({ path: `example.com/filler/${tag}${i}`, version: 'v1.0.0', goModHash: FILLER_MOD }));

async function sumdbFiles(gopath: string, gomodcache: string) {
  const files = async (dir: string) => snapshotTree(dir).catch(() => []);
  return { latest: await files(join(gopath, 'pkg/sumdb')), cache: await files(join(gomodcache, 'cache/download/sumdb')) };
}

async function assertSameSumdbFiles(mine: { gopath: string; gomodcache: string }, go: { gopath: string; gomodcache: string }, when: string) {
  const a = await sumdbFiles(mine.gopath, mine.gomodcache);
  const b = await sumdbFiles(go.gopath, go.gomodcache);
  assert.ok(b.latest.length > 0 && b.cache.length > 0, `${when}: go wrote sumdb files`);
  assert.deepEqual(diffTrees(a.latest, b.latest), [], `${when}: GOPATH/pkg/sumdb differs from go's`);
  assert.deepEqual(diffTrees(a.cache, b.cache), [], `${when}: GOMODCACHE/cache/download/sumdb differs from go's`);
}

test('ORACLE: go and this client write the same sumdb files, follow tree growth and report the same fork', async (t) => {
  requireGo(t);
  const mods = await Promise.all(
    ['example.com/sumtest', 'example.com/Upper', 'example.com/later', 'example.com/forked'].map((path) =>
      buildModule({ path, version: 'v1.0.0', files: { 'a.go': `package a // ${path}\n` } }),
    ),
  );
  const proxy = await startProxy(new ModuleStore().add(...mods));
  t.after(() => proxy.close());

  // The sums go computes, from a run without checksum database.
  const plain = await runGo(['mod', 'download', '-json', ...mods.map((m) => `${m.path}@v1.0.0`)], { proxy: proxy.url, t });
  assert.equal(plain.code, 0, plain.stderr);
  const sums = new Map(parseJsonStream<{ Path: string; Sum: string; GoModSum: string }>(plain.stdout).map((j) => [j.Path, j]));
  const entry = (path: string): SumdbEntry => ({ path, version: 'v1.0.0', hash: sums.get(path)!.Sum, goModHash: sums.get(path)!.GoModSum });

  let current = new TestSumdbServer({ signerKey: SKEY });
  proxy.setSumdb(async (name, rest, _req, res) => {
    const full = `${name}/${rest}`;
    if (!full.startsWith(`${current.name}/`)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: no checksum database ${full}\n`);
      return;
    }
    const r = await current.handle('/' + full.slice(current.name.length + 1));
    res.writeHead(r.status, { 'Content-Type': r.contentType, 'Content-Length': r.body.length }).end(r.body);
  });

  const dir = tempDir(t, 'sumdb-oracle');
  const goDirs = { gopath: join(dir, 'go/gopath'), gomodcache: join(dir, 'go/modcache') };
  const mine = { gopath: join(dir, 'mine/gopath'), gomodcache: join(dir, 'mine/modcache') };
  const read = async (path: string, db: GosumdbConfig): Promise<Uint8Array> => {
    const res = await fetch(`${proxy.url}/sumdb/${db.name}${path}`);
    if (res.status !== 200) throw new Error(`reading ${path}: ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
  const goEnv = { GOSUMDB: VKEY, GONOSUMDB: '' };
  const runGoHere = (paths: string[]) =>
    runGo(['mod', 'download', '-json', ...paths.map((p) => `${p}@v1.0.0`)], { proxy: proxy.url, env: goEnv, ...goDirs, t });
  const runMine = async (paths: string[]) => {
    const db = new GoSumdb({ gosumdb: VKEY, ...mine, read });
    for (const p of paths) {
      await db.checkSumDB({ path: p, version: 'v1.0.0/go.mod' }, sums.get(p)!.GoModSum);
      await db.checkSumDB({ path: p, version: 'v1.0.0' }, sums.get(p)!.Sum);
    }
  };

  // 1. A log of 302 records (a full level-0 tile, partial tiles on two levels).
  await current.add(...fillers('a', 300), entry('example.com/sumtest'), entry('example.com/Upper'));
  const first = await runGoHere(['example.com/sumtest', 'example.com/Upper']);
  assert.equal(first.code, 0, first.stderr);
  assert.ok(proxy.count('/sumdb/localhost.localdev/sumdb/supported') >= 1, 'go found the database through GOPROXY');
  await runMine(['example.com/sumtest', 'example.com/Upper']);
  await assertSameSumdbFiles(mine, goDirs, 'first run');

  // 2. The log grows to 603: both check the old head against the new tiles and persist the new head.
  await current.add(...fillers('b', 297), entry('example.com/later'));
  const fork = current.fork(); // 600 records
  await current.add(...fillers('c', 3));
  const second = await runGoHere(['example.com/later']);
  assert.equal(second.code, 0, second.stderr);
  await runMine(['example.com/later']);
  await assertSameSumdbFiles(mine, goDirs, 'after growth');

  // 3. A fork that rewrites records 600.. and grows past 603: go's SECURITY ERROR, byte for byte.
  await fork.add(entry('example.com/forked'), ...fillers('d', 9));
  current = fork;
  const third = await runGoHere(['example.com/forked']);
  assert.equal(third.code, 1, third.stdout);
  const err = await runMine(['example.com/forked']).then(
    () => assert.fail('forked log accepted'),
    (e: Error & { securityReport?: string }) => e,
  );
  assert.ok(err.securityReport, `a security report, got: ${err.message}`);
  assert.equal(third.stderr, `${err.securityReport}\n`);
  await assertSameSumdbFiles(mine, goDirs, 'after the fork');
});

test('ORACLE: a hash that differs from the database fails with the text go prints', async (t) => {
  requireGo(t);
  const good = await buildModule({ path: 'example.com/bad', version: 'v1.0.0', files: { 'a.go': 'package a\n' } });
  const proxy = await startProxy(new ModuleStore().add(good));
  t.after(() => proxy.close());
  const plain = await runGo(['mod', 'download', '-json', 'example.com/bad@v1.0.0'], { proxy: proxy.url, t });
  const sum = parseJsonStream<{ Sum: string; GoModSum: string }>(plain.stdout)[0]!;
  const lying = 'h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=';

  for (const [noun, entry] of [
    ['go.mod', { path: 'example.com/bad', version: 'v1.0.0', hash: sum.Sum, goModHash: lying }],
    ['module', { path: 'example.com/bad', version: 'v1.0.0', hash: lying, goModHash: sum.GoModSum }],
  ] as const) {
    const server = new TestSumdbServer({ signerKey: SKEY });
    await server.add(...fillers('x', 3), entry);
    proxy.setSumdb(async (name, rest, _req, res) => {
      const r = await server.handle('/' + `${name}/${rest}`.slice(server.name.length + 1));
      res.writeHead(r.status, { 'Content-Type': r.contentType }).end(r.body);
    });
    const go = await runGo(['mod', 'download', 'example.com/bad@v1.0.0'], { proxy: proxy.url, env: { GOSUMDB: VKEY }, t });
    const dir = tempDir(t, 'sumdb-mismatch');
    const db = new GoSumdb({
      gosumdb: VKEY,
      gopath: join(dir, 'gopath'),
      gomodcache: join(dir, 'modcache'),
      read: async (p) => (await server.handle(p)).body,
    });
    const version = noun === 'go.mod' ? 'v1.0.0/go.mod' : 'v1.0.0';
    const err = await db.checkSumDB({ path: 'example.com/bad', version }, noun === 'go.mod' ? sum.GoModSum : sum.Sum).then(
      () => assert.fail('mismatch accepted'),
      (e: Error) => e,
    );
    assert.equal(go.code, 1);
    assert.equal(go.stderr, `go: ${err.message}`, noun);
  }
});

test('ORACLE: a bad GOSUMDB fails the module check with the text go prints', async (t) => {
  requireGo(t);
  const mod = await buildModule({ path: 'example.com/m', version: 'v1.0.0' });
  const proxy = await startProxy(new ModuleStore().add(mod));
  t.after(() => proxy.close());
  const dir = tempDir(t, 'sumdb-config');
  for (const gosumdb of [
    'bogus',
    'a b c',
    'localhost.localdev/sumdb+00000c68+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6',
    `${VKEY} http://x/%zz`,
  ]) {
    const go = await runGo(['mod', 'download', 'example.com/m@v1.0.0'], { proxy: proxy.url, env: { GOSUMDB: gosumdb }, t });
    const db = new GoSumdb({ gosumdb, gopath: join(dir, 'gopath'), gomodcache: join(dir, 'modcache'), read: () => assert.fail('no read') });
    const err = await db.checkSumDB({ path: 'example.com/m', version: 'v1.0.0/go.mod' }, 'h1:x').then(
      () => assert.fail('accepted'),
      (e: Error) => e,
    );
    assert.equal(go.stderr, `go: ${err.message}\n`, gosumdb);
  }
});
