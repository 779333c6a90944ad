// cmd/go's side of the checksum database: GOSUMDB forms, useSumDB, the files on disk and the
// verification texts, against the test server with tile height 8 as go uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GoSumdb, parseGosumdb, useSumDB, type GosumdbConfig } from '../../src/sumdb/gosumdb.js';
import { TestSumdbServer } from '../support/sumdb-server.js';
import { snapshotTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';

const SKEY = 'PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXHDfDGxSPk';
const VKEY = 'localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6';
const SUM_KEY = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';
const H1 = 'h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=';
const H1MOD = 'h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA=';
const OTHER = 'h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=';

test('GOSUMDB forms parse as cmd/go dbDial parses them', () => {
  assert.deepEqual(parseGosumdb('sum.golang.org'), { name: 'sum.golang.org', key: SUM_KEY, direct: 'https://sum.golang.org' });
  assert.deepEqual(parseGosumdb('sum.golang.google.cn'), {
    name: 'sum.golang.org',
    key: SUM_KEY,
    direct: 'https://sum.golang.org',
    url: 'https://sum.golang.google.cn',
  });
  assert.deepEqual(parseGosumdb(`  ${VKEY}\thttp://127.0.0.1:1234/x `), {
    name: 'localhost.localdev/sumdb',
    key: VKEY,
    direct: 'https://localhost.localdev/sumdb',
    url: 'http://127.0.0.1:1234/x',
  });
  assert.equal(parseGosumdb(`${SUM_KEY} https://example.com`).url, 'https://example.com');
  const errors: [string, string][] = [
    ['off', 'checksum database disabled by GOSUMDB=off'],
    ['  ', 'missing GOSUMDB'],
    ['a b c', 'invalid GOSUMDB: too many fields'],
    ['bogus', 'invalid GOSUMDB: malformed verifier id'],
    ['localhost.localdev/sumdb+00000c68+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6', 'invalid GOSUMDB: invalid verifier hash'],
    [`${VKEY} http://x/%zz`, 'invalid GOSUMDB URL: parse "http://x/%zz": invalid URL escape "%zz"'],
  ];
  for (const [v, msg] of errors) assert.throws(() => parseGosumdb(v), { message: msg, code: 'ESUMDB_CONFIG' }, v);
});

test('useSumDB honours GOSUMDB=off and GONOSUMDB, and always checks golang.org/toolchain', () => {
  const env = { GOSUMDB: 'sum.golang.org', GONOSUMDB: 'example.com/private,*.corp', GOPROXY: 'https://proxy.golang.org,direct' };
  assert.equal(useSumDB(env, 'rsc.io/quote'), true);
  assert.equal(useSumDB(env, 'example.com/private/x'), false);
  assert.equal(useSumDB(env, 'git.corp/x'), false);
  assert.equal(useSumDB({ ...env, GOSUMDB: 'off' }, 'rsc.io/quote'), false);
  assert.equal(useSumDB({ ...env, GOSUMDB: 'off' }, 'golang.org/toolchain'), true);
  assert.equal(useSumDB({ ...env, GOSUMDB: 'off', GOPROXY: 'file:///tmp/p' }, 'golang.org/toolchain'), false);
  assert.equal(useSumDB({ ...env, GOSUMDB: 'off', GIT_HTTP_USER_AGENT: 'proxy.golang.org' }, 'golang.org/toolchain'), false);
});

async function setup(t: import('node:test').TestContext) {
  const dir = tempDir(t, 'sumdb');
  const server = new TestSumdbServer({ signerKey: SKEY });
  await server.add({ path: 'rsc.io/sampler', version: 'v1.3.0', hash: H1, goModHash: H1MOD });
  const reads: string[] = [];
  let online = true;
  const read = async (path: string, db: GosumdbConfig): Promise<Uint8Array> => {
    assert.equal(db.name, 'localhost.localdev/sumdb');
    if (!online) throw new Error(`network disabled: ${path}`);
    reads.push(path);
    const r = await server.handle(path);
    if (r.status !== 200) throw new Error(`reading ${path}: ${r.status}`);
    return r.body;
  };
  const opts = { gosumdb: VKEY, gopath: join(dir, 'gopath'), gomodcache: join(dir, 'modcache'), read };
  return { dir, server, reads, opts, offline: () => (online = false) };
}

test('checkSumDB accepts the database hash and writes latest, lookup and tiles where go keeps them', async (t) => {
  const { dir, reads, opts, offline } = await setup(t);
  const db = new GoSumdb(opts);
  await db.checkSumDB({ path: 'rsc.io/sampler', version: 'v1.3.0/go.mod' }, H1MOD);
  await db.checkSumDB({ path: 'rsc.io/sampler', version: 'v1.3.0' }, H1);
  assert.deepEqual(reads, ['/lookup/rsc.io/sampler@v1.3.0', '/tile/8/0/000.p/1']);
  const files = (await snapshotTree(dir)).filter((e) => e.type === 'file').map((e) => `${e.path} ${e.mode.toString(8)}`);
  assert.deepEqual(files, [
    'gopath/pkg/sumdb/localhost.localdev/sumdb/latest 644',
    'modcache/cache/download/sumdb/localhost.localdev/sumdb/lookup/rsc.io/sampler@v1.3.0 644',
    'modcache/cache/download/sumdb/localhost.localdev/sumdb/tile/8/0/000.p/1 644',
  ]);
  assert.match(await readFile(join(dir, 'gopath/pkg/sumdb/localhost.localdev/sumdb/latest'), 'utf8'), /^go\.sum database tree\n1\n/);

  // A new run (new client) with the network off is served from the cache.
  offline();
  await new GoSumdb(opts).checkSumDB({ path: 'rsc.io/sampler', version: 'v1.3.0' }, H1);
});

test('checkSumDB reports a mismatch and a missing hash with go texts', async (t) => {
  const { opts } = await setup(t);
  const db = new GoSumdb(opts);
  await assert.rejects(db.checkSumDB({ path: 'rsc.io/sampler', version: 'v1.3.0' }, OTHER), {
    code: 'ESUMDB_MISMATCH',
    message:
      'rsc.io/sampler@v1.3.0: verifying module: checksum mismatch\n' +
      `\tdownloaded: ${OTHER}\n` +
      `\tlocalhost.localdev/sumdb: ${H1}\n\n` +
      'SECURITY ERROR\nThis download does NOT match the one reported by the checksum server.\n' +
      'The bits may have been replaced on the origin server, or an attacker may\n' +
      'have intercepted the download attempt.\n\n' +
      "For more information, see 'go help module-auth'.\n",
  });
  await assert.rejects(db.checkSumDB({ path: 'rsc.io/sampler', version: 'v1.3.0/go.mod' }, OTHER), (e: Error) =>
    e.message.startsWith(`rsc.io/sampler@v1.3.0: verifying go.mod: checksum mismatch\n\tdownloaded: ${OTHER}\n\tlocalhost.localdev/sumdb: ${H1MOD}\n\nSECURITY ERROR\n`),
  );
  // Only a go.mod line in the record: the zip hash is missing from the response.
  await opts.read('/supported', parseGosumdb(VKEY)); // keep the server warm; no effect
  const server2 = new TestSumdbServer({ signerKey: SKEY });
  await server2.add({ path: 'example.com/m', version: 'v1.0.0', goModHash: H1MOD });
  // Its own GOPATH: the first server's tree head would make server2 look like a fork.
  const db2 = new GoSumdb({ ...opts, gopath: `${opts.gopath}2`, gomodcache: `${opts.gomodcache}2`, read: async (p) => (await server2.handle(p)).body });
  await assert.rejects(db2.checkSumDB({ path: 'example.com/m', version: 'v1.0.0' }, H1), {
    code: 'ESUMDB_ABSENT',
    message:
      'example.com/m@v1.0.0: verifying module: checksum missing from sumdb response\n\n' +
      'SECURITY ERROR\nThis download does NOT match one reported by the checksum server.\n' +
      'The checksum server has provided checksums, but the checksums do\nnot contain an entry for the download.\n' +
      'The checksum server may be malfunctioning, or an attacker may have\nintercepted the checksum request.\n' +
      "The download cannot be verified.\n\nFor more information, see 'go help module-auth'.\n",
  });
});

test('lookup failures name the module twice, as go prints them, and bad GOSUMDB fails each check', async (t) => {
  const { opts } = await setup(t);
  await assert.rejects(new GoSumdb(opts).checkSumDB({ path: 'example.com/nope', version: 'v1.0.0/go.mod' }, H1), {
    message: 'example.com/nope@v1.0.0: verifying go.mod: example.com/nope@v1.0.0/go.mod: reading /lookup/example.com/nope@v1.0.0: 404',
  });
  const bad = new GoSumdb({ ...opts, gosumdb: 'a b c' });
  for (let i = 0; i < 2; i++) {
    await assert.rejects(bad.checkSumDB({ path: 'rsc.io/sampler', version: 'v1.3.0' }, H1), {
      message: 'rsc.io/sampler@v1.3.0: verifying module: invalid GOSUMDB: too many fields',
    });
  }
  await assert.rejects(new GoSumdb({ ...opts, gopath: '' }).checkSumDB({ path: 'rsc.io/sampler', version: 'v1.3.0' }, H1), {
    message: 'rsc.io/sampler@v1.3.0: verifying module: rsc.io/sampler@v1.3.0: initializing sumdb.Client: could not locate sumdb file: missing $GOPATH: ',
  });
});

test('the tree head on disk grows with the log, an empty cache file counts as missing, and a fork is a security report', async (t) => {
  const { dir, server, opts } = await setup(t);
  await new GoSumdb(opts).checkSumDB({ path: 'rsc.io/sampler', version: 'v1.3.0' }, H1);
  const fillers = (tag: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({ path: `example.com/${tag}${i}`, version: 'v1.0.0', goModHash: H1MOD }));
  await server.add(...fillers('a', 300));
  const fork = server.fork(); // same first 301 records
  await server.add({ path: 'example.com/m', version: 'v1.0.0', hash: H1, goModHash: H1MOD });
  await new GoSumdb(opts).checkSumDB({ path: 'example.com/m', version: 'v1.0.0' }, H1);
  const latest = join(dir, 'gopath/pkg/sumdb/localhost.localdev/sumdb/latest');
  assert.match(await readFile(latest, 'utf8'), /^go\.sum database tree\n302\n/);

  // An empty cached lookup is ignored (go's ReadCache) and fetched again.
  const lookupFile = join(dir, 'modcache/cache/download/sumdb/localhost.localdev/sumdb/lookup/example.com/m@v1.0.0');
  await writeFile(lookupFile, '');
  await new GoSumdb(opts).checkSumDB({ path: 'example.com/m', version: 'v1.0.0' }, H1);
  assert.ok((await readFile(lookupFile)).length > 0);

  // The fork diverges at record 301 (a different example.com/m) and grows past our head.
  await fork.add({ path: 'example.com/m', version: 'v1.0.0', hash: OTHER, goModHash: H1MOD }, ...fillers('c', 5));
  const forkRead = async (p: string) => (await fork.handle(p)).body;
  await rm(lookupFile);
  const forked = new GoSumdb({ ...opts, read: forkRead });
  const err = await forked.checkSumDB({ path: 'example.com/m', version: 'v1.0.0' }, H1).then(
    () => assert.fail('forked log accepted'),
    (e: Error & { securityReport?: string }) => e,
  );
  assert.equal(err.message, 'example.com/m@v1.0.0: verifying module: example.com/m@v1.0.0: security error: misbehaving server');
  assert.match(
    err.securityReport ?? '',
    /^SECURITY ERROR\ngo\.sum database server misbehavior detected!\n\nold database:\n\tgo\.sum database tree\n\t302\n[^]*\nnew database:\n\tgo\.sum database tree\n\t307\n[^]*\nproof of misbehavior:\n\t[A-Za-z0-9+/=]{44}(\n\t[A-Za-z0-9+/=]{44})+$/,
  );
  assert.deepEqual(forked.securityReports, [err.securityReport]);
  assert.match(await readFile(latest, 'utf8'), /^go\.sum database tree\n302\n/, 'the forked head is not persisted');

  // With a fresh cache the same fork cannot even produce tiles matching our head.
  await mkdir(join(dir, 'modcache2'));
  await assert.rejects(new GoSumdb({ ...opts, gomodcache: join(dir, 'modcache2'), read: forkRead }).checkSumDB({ path: 'example.com/m', version: 'v1.0.0' }, H1), {
    message: 'example.com/m@v1.0.0: verifying module: example.com/m@v1.0.0: initializing sumdb.Client: checking tree#302: downloaded inconsistent tile',
  });
});
