// The x/mod client tests (sumdb/client_test.go), replayed against this folder's client and test
// server with tile height 2, plus behaviour the go command relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SumdbClient, WriteConflictError, type ClientOps } from '../../src/sumdb/client.js';
import { TestSumdbServer, type SumdbEntry } from '../support/sumdb-server.js';
import { newSigner, signNote } from '../../src/sumdb/note.js';
import { formatRecord, formatTree } from '../../src/sumdb/records.js';
import { newTiles, readTileData, tilePath } from '../../src/sumdb/tile.js';
import { arrayHashReader, recordHash, storedHashesForRecordHash, treeHash, type Hash } from '../../src/sumdb/tlog.js';

const NAME = 'localhost.localdev/sumdb';
const VKEY = 'localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6';
const SKEY = 'PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXHDfDGxSPk';

const QUOTE: SumdbEntry = {
  path: 'rsc.io/quote',
  version: 'v1.5.2',
  text:
    'rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=\n' +
    'rsc.io/quote v1.5.2/go.mod h1:LzX7hefJvL54yjefDEDHNONDjII0t9xZLPXsUe+TKr0=\n' +
    'rsc.io/quote v1.5.2 h2:xyzzy\n',
};
const TEXT: SumdbEntry = {
  path: 'golang.org/x/text',
  version: 'v0.0.0-20170915032832-14c0d48ead0c',
  hash: 'h1:qgOY6WgZOaTkIIMiVjBQcw93ERBE4m30iBm00nkL0i8=',
  goModHash: 'h1:NqM8EUOU14njkJ3fqMW+pc6Ldnwhi/IjpwHt7yyuwOQ=',
};
const SAMPLER: SumdbEntry = {
  path: 'rsc.io/sampler',
  version: 'v1.3.0',
  hash: 'h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=',
  goModHash: 'h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA=',
};
const UPPER: SumdbEntry = { path: 'rsc.io/Quote', version: 'v1.5.2', text: 'rsc.io/Quote v1.5.2 h1:uppercase!=\n' };
const pkg1 = (v: string): SumdbEntry => ({ path: 'rsc.io/pkg1', version: v, text: `rsc.io/pkg1 ${v} h1:hash!=\n` });

/** In-memory ClientOps in the style of x/mod's testClient; the remote is a function. */
class MemOps implements ClientOps {
  config = new Map<string, Uint8Array>();
  cache = new Map<string, Uint8Array>();
  security: string[] = [];
  remoteReads: string[] = [];
  getOK = true;
  getTileOK = true;
  constructor(public remote: (path: string) => Promise<Uint8Array>) {
    this.config.set('key', Buffer.from(VKEY + '\n'));
  }
  readRemote(path: string): Promise<Uint8Array> {
    if (!this.getOK) return Promise.reject(new Error(`disallowed remote read ${path}`));
    if (path.includes('/tile/') && !this.getTileOK) return Promise.reject(new Error(`disallowed remote tile read ${path}`));
    this.remoteReads.push(path);
    return this.remote(path);
  }
  readConfig(file: string): Promise<Uint8Array> {
    const d = this.config.get(file);
    return d ? Promise.resolve(d) : Promise.reject(new Error(`no config ${file}`));
  }
  writeConfig(file: string, old: Uint8Array, data: Uint8Array): Promise<void> {
    if (!Buffer.from(this.config.get(file) ?? []).equals(old)) return Promise.reject(new WriteConflictError());
    this.config.set(file, data);
    return Promise.resolve();
  }
  readCache(file: string): Promise<Uint8Array> {
    const d = this.cache.get(file);
    return d ? Promise.resolve(d) : Promise.reject(new Error(`no cache ${file}`));
  }
  writeCache(file: string, data: Uint8Array): Promise<void> {
    this.cache.set(file, data);
    return Promise.resolve();
  }
  securityError(msg: string): void {
    this.security.push(msg);
  }
  latestSize(): string {
    return Buffer.from(this.config.get(`${NAME}/latest`) ?? []).toString().split('\n')[1] ?? '';
  }
}

function serverRemote(server: TestSumdbServer, tamper?: (path: string, body: Uint8Array) => Uint8Array) {
  return async (path: string): Promise<Uint8Array> => {
    const r = await server.handle(path);
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${Buffer.from(r.body).toString().trim()}`);
    return tamper ? tamper(path, r.body) : r.body;
  };
}

/** The x/mod test setup: three records, latest = tree 1 in the config. */
async function newTestClient(tamper?: (path: string, body: Uint8Array) => Uint8Array) {
  const server = new TestSumdbServer({ signerKey: SKEY, tileHeight: 2 });
  await server.add(QUOTE, TEXT, SAMPLER);
  const ops = new MemOps(serverRemote(server, tamper));
  ops.config.set(`${NAME}/latest`, await server.signedTree(1));
  const newClient = () => new SumdbClient(ops, { tileHeight: 2 });
  return { server, ops, client: newClient(), newClient };
}

test('the test server signs and answers lookups exactly like the x/mod test server', async () => {
  const server = new TestSumdbServer({ signerKey: SKEY, tileHeight: 2 });
  assert.equal(server.verifierKey, VKEY);
  await server.add(QUOTE);
  assert.match(Buffer.from(await server.signedTree()).toString(), /^go\.sum database tree\n1\nWjvL\/HG\+LcMcRc63kFcpeP289Y\+SW6L8uHapnVU30FU=\n/);
  await server.add(TEXT, SAMPLER);
  const r = await server.handle('/lookup/rsc.io/sampler@v1.3.0');
  assert.equal(r.status, 200);
  assert.equal(
    Buffer.from(r.body).toString(),
    '2\nrsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=\n' +
      'rsc.io/sampler v1.3.0/go.mod h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA=\n\n' +
      'go.sum database tree\n3\nBqP+0lgg2eJ2ftkPcKT+ltQjkVMh3THoMw60om6MwKo=\n\n' +
      '— localhost.localdev/sumdb AAAMZ7LFXswF2N3CLFvkbLG1n2Hx5SHNE+44EVr3kW/2wMlprpbogoxXRsDsaIMQ4kEmV+g6ObO1hQwtuEupEvEHTwo=\n',
  );
  assert.equal((await server.handle('/tile/2/0/000.p/3')).body.length, 3 * 32);
  assert.equal((await server.handle('/tile/2/0/000')).status, 404); // only 3 records so far
  assert.equal(Buffer.from((await server.handle('/tile/2/data/000.p/2')).body).toString(), `${QUOTE.text}\n${TEXT.path} ${TEXT.version} ${TEXT.hash}\n${TEXT.path} ${TEXT.version}/go.mod ${TEXT.goModHash}\n\n`);
  assert.equal((await server.handle('/lookup/rsc.io/sampler@1.3.0')).status, 400);
  assert.equal((await server.handle('/lookup/rsc.io/nope@v1.3.0')).status, 404);
  assert.equal((await server.handle('/supported')).status, 200);
});

test('lookups verify against tiles, persist the newest tree head and are answered from the cache', async () => {
  const { server, ops, client } = await newTestClient();
  assert.deepEqual(await client.lookup('rsc.io/sampler', 'v1.3.0'), [`rsc.io/sampler v1.3.0 ${SAMPLER.hash}`]);
  assert.equal(ops.latestSize(), '3');

  // Everything is now cached, for the module and its /go.mod.
  ops.getOK = false;
  assert.deepEqual(await client.lookup('rsc.io/sampler', 'v1.3.0'), [`rsc.io/sampler v1.3.0 ${SAMPLER.hash}`]);
  assert.deepEqual(await client.lookup('rsc.io/sampler', 'v1.3.0/go.mod'), [`rsc.io/sampler v1.3.0/go.mod ${SAMPLER.goModHash}`]);
  ops.getOK = true;
  ops.getTileOK = false; // the cache has every tile the next lookup needs

  assert.deepEqual(await client.lookup('rsc.io/quote', 'v1.5.2'), [
    'rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=',
    'rsc.io/quote v1.5.2 h2:xyzzy',
  ]);
  assert.equal(ops.latestSize(), '3');

  // rsc.io/Quote (escaped rsc.io/!quote) is written after sampler, so it needs new tiles.
  await server.add(UPPER);
  ops.getTileOK = true;
  assert.deepEqual(await client.lookup('rsc.io/Quote', 'v1.5.2'), ['rsc.io/Quote v1.5.2 h1:uppercase!=']);
  assert.ok(ops.remoteReads.includes('/lookup/rsc.io/!quote@v1.5.2'));
  assert.equal(ops.latestSize(), '4');
  assert.deepEqual(
    [...ops.cache.keys()].sort(),
    [
      `${NAME}/lookup/rsc.io/!quote@v1.5.2`,
      `${NAME}/lookup/rsc.io/quote@v1.5.2`,
      `${NAME}/lookup/rsc.io/sampler@v1.3.0`,
      `${NAME}/tile/2/0/000`,
      `${NAME}/tile/2/0/000.p/1`, // read when the client checked the configured tree#1
      `${NAME}/tile/2/0/000.p/3`,
      `${NAME}/tile/2/1/000.p/1`,
    ].sort(),
  );
});

test('a fresh client reuses the cached lookup and tiles without any network access', async () => {
  const { ops, client, newClient } = await newTestClient();
  await client.lookup('rsc.io/sampler', 'v1.3.0');
  ops.getOK = false;
  assert.deepEqual(await newClient().lookup('rsc.io/sampler', 'v1.3.0/go.mod'), [`rsc.io/sampler v1.3.0/go.mod ${SAMPLER.goModHash}`]);
});

test('bad tiles are reported as downloaded inconsistent tile with go texts, and never cached', async () => {
  let flip = false;
  const tamper = (path: string, body: Uint8Array) => (flip && path.includes('/tile/') ? body.map((b) => b ^ 0x80) : body);
  const { server, ops, client, newClient } = await newTestClient(tamper);

  flip = true;
  await assert.rejects(client.lookup('rsc.io/sampler', 'v1.3.0'), {
    message: 'rsc.io/sampler@v1.3.0: initializing sumdb.Client: checking tree#1: downloaded inconsistent tile',
  });
  assert.equal(ops.cache.size, 0);
  flip = false;
  await newClient().lookup('rsc.io/sampler', 'v1.3.0');

  await server.add(UPPER);
  flip = true;
  const c2 = newClient();
  await assert.rejects(c2.lookup('rsc.io/Quote', 'v1.5.2'), {
    message: 'rsc.io/Quote@v1.5.2: checking tree#3 against tree#4: downloaded inconsistent tile',
  });
  flip = false;
  assert.deepEqual(await newClient().lookup('rsc.io/Quote', 'v1.5.2'), ['rsc.io/Quote v1.5.2 h1:uppercase!=']);

  // A bad starting tree hash looks like bad tiles.
  const signer = newSigner(SKEY);
  ops.config.set(`${NAME}/latest`, signNote(formatTree({ n: 1, hash: new Uint8Array(32) }), [signer]));
  ops.cache.clear();
  await assert.rejects(newClient().lookup('rsc.io/sampler', 'v1.3.0'), {
    message: 'rsc.io/sampler@v1.3.0: initializing sumdb.Client: checking tree#1: downloaded inconsistent tile',
  });
});

test('a forked log is a SECURITY ERROR with the exact x/mod transcript', async () => {
  const a = new TestSumdbServer({ signerKey: SKEY, tileHeight: 2 });
  await a.add(QUOTE, TEXT, SAMPLER, UPPER);
  const b = a.fork();
  await a.add(pkg1('v1.5.2'));
  const forkedLookup = (await a.handle('/lookup/rsc.io/pkg1@v1.5.2')).body; // signed at tree 5
  await a.add(pkg1('v1.5.4'));
  await b.add(pkg1('v1.5.3'), pkg1('v1.5.4'));

  const ops = new MemOps(async (path) => (path === '/lookup/rsc.io/pkg1@v1.5.2' ? forkedLookup : serverRemote(b)(path)));
  ops.config.set(`${NAME}/latest`, await b.signedTree(1));
  const client = new SumdbClient(ops, { tileHeight: 2 });
  assert.deepEqual(await client.lookup('rsc.io/pkg1', 'v1.5.4'), ['rsc.io/pkg1 v1.5.4 h1:hash!=']);
  const err = await client.lookup('rsc.io/pkg1', 'v1.5.2').then(
    () => assert.fail('lookup of a forked record succeeded'),
    (e: unknown) => e as Error & { securityReport?: string },
  );
  assert.equal(err.message, 'rsc.io/pkg1@v1.5.2: security error: misbehaving server');
  const want =
    'SECURITY ERROR\n' +
    'go.sum database server misbehavior detected!\n\n' +
    'old database:\n' +
    '\tgo.sum database tree\n\t5\n\tnWzN20+pwMt62p7jbv1/NlN95ePTlHijabv5zO/s36w=\n\t\n' +
    '\t— localhost.localdev/sumdb AAAMZ5/2FVAdMH58kmnz/0h299pwyskEbzDzoa2/YaPdhvLya4YWDFQQxu2TQb5GpwAH4NdWnTwuhILafisyf3CNbgg=\n\t\n' +
    'new database:\n' +
    '\tgo.sum database tree\n\t6\n\twc4SkQt52o5W2nQ8To2ARs+mWuUJjss+sdleoiqxMmM=\n\t\n' +
    '\t— localhost.localdev/sumdb AAAMZ6oRNswlEZ6ZZhxrCvgl1MBy+nusq4JU+TG6Fe2NihWLqOzb+y2c2kzRLoCr4tvw9o36ucQEnhc20e4nA4Qc/wc=\n\t\n' +
    'proof of misbehavior:\n' +
    '\tT7i+H/8ER4nXOiw4Bj0koZOkGjkxoNvlI34GpvhHhQg=\n' +
    '\tNsuejv72de9hYNM5bqFv8rv3gm3zJQwv/DT/WNbLDLA=\n' +
    '\tmOmqqZ1aI/lzS94oq/JSbj7pD8Rv9S+xDyi12BtVSHo=\n' +
    '\t/7Aw5jVSMM9sFjQhaMg+iiDYPMk6decH7QLOGrL9Lx0=';
  assert.deepEqual(ops.security, [want]);
  assert.equal(err.securityReport, want);
  assert.ok(!ops.cache.has(`${NAME}/lookup/rsc.io/pkg1@v1.5.2`), 'forked lookup not cached');
  assert.equal(ops.latestSize(), '6');
});

test('GONOSUMDB patterns skip lookups without touching the network', async () => {
  const { ops, server } = await newTestClient();
  const client = new SumdbClient(ops, { tileHeight: 2, gonosumdb: 'p,*/q' });
  await client.lookup('rsc.io/sampler', 'v1.3.0');
  ops.getOK = false;
  for (const path of ['abc', 'a/p', 'pq', 'q', 'n/o/p/q']) {
    await assert.rejects(client.lookup(path, 'v1.0.0'), (e: Error) => e.message !== 'skipped (listed in GONOSUMDB)', path);
  }
  for (const path of ['p', 'p/x', 'x/q', 'x/q/z']) {
    await assert.rejects(client.lookup(path, 'v1.0.0'), { message: 'skipped (listed in GONOSUMDB)' }, path);
  }
  void server;
});

test('lines outside the authenticated record are never returned', async () => {
  const signer = newSigner(SKEY);
  const stored: Hash[] = [];
  const data = Buffer.from('golang.org/x/good v1.0.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=\n');
  stored.push(...(await storedHashesForRecordHash(0, recordHash(data), arrayHashReader(stored))));
  const th = await treeHash(1, arrayHashReader(stored));
  const text = formatTree({ n: 1, hash: th }) + 'golang.org/x/bad v1.0.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=\n';
  const remote = new Map<string, Uint8Array>([['/lookup/golang.org/x/bad@v1.0.0', Buffer.concat([formatRecord(0, data), signNote(text, [signer])])]]);
  for (const t of newTiles(2, 0, 1)) remote.set(`/${tilePath(t)}`, await readTileData(t, arrayHashReader(stored)));
  const ops = new MemOps(async (p) => remote.get(p) ?? Promise.reject(new Error(`no remote path ${p}`)));
  ops.config.set(`${NAME}/latest`, new Uint8Array(0));
  assert.deepEqual(await new SumdbClient(ops, { tileHeight: 2 }).lookup('golang.org/x/bad', 'v1.0.0'), []);
});

test('concurrent identical lookups share one request, and the module and go.mod share one file', async () => {
  const { ops, client } = await newTestClient();
  const results = await Promise.all([
    client.lookup('rsc.io/sampler', 'v1.3.0'),
    client.lookup('rsc.io/sampler', 'v1.3.0'),
    client.lookup('rsc.io/sampler', 'v1.3.0/go.mod'),
  ]);
  assert.equal(results[2]![0], `rsc.io/sampler v1.3.0/go.mod ${SAMPLER.goModHash}`);
  assert.equal(ops.remoteReads.filter((p) => p.startsWith('/lookup/')).length, 1);
  const tileReads = ops.remoteReads.filter((p) => p.startsWith('/tile/'));
  assert.equal(new Set(tileReads).size, tileReads.length, 'each tile read once');
});

test('a server that stops answering makes the lookup fail, never pass', async () => {
  const { server, client, newClient } = await newTestClient();
  server.stopAnswering({ mode: 'status', status: 503 });
  await assert.rejects(client.lookup('rsc.io/sampler', 'v1.3.0'), {
    message: 'rsc.io/sampler@v1.3.0: initializing sumdb.Client: checking tree#1: /tile/2/0/000.p/1: 503 503 test server stopped answering',
  });

  // Lookups answer but tiles do not: the record cannot be authenticated.
  server.stopAnswering({ mode: 'status', only: (p) => p.startsWith('/tile/') });
  const c2 = newClient();
  await assert.rejects(c2.lookup('rsc.io/sampler', 'v1.3.0'), (e: Error) =>
    /^rsc\.io\/sampler@v1\.3\.0: .*\/tile\/2\/0\/000\.p\/1: 503/.test(e.message),
  );
  // A later lookup with a working server still fails: go's client caches the failure of a tile.
  server.resumeAnswering();
  await assert.rejects(c2.lookup('rsc.io/quote', 'v1.5.2'), /503/);

  // A hanging server: the transport's own timeout is what ends the wait.
  server.stopAnswering({ mode: 'hang' });
  const ops = new MemOps(async (p) => {
    const r = server.handle(p).then((res) => res.body);
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${p}: timeout`)), 50));
    return Promise.race([r, timeout]);
  });
  ops.config.set(`${NAME}/latest`, new Uint8Array(0));
  await assert.rejects(new SumdbClient(ops, { tileHeight: 2 }).lookup('rsc.io/sampler', 'v1.3.0'), {
    message: 'rsc.io/sampler@v1.3.0: /lookup/rsc.io/sampler@v1.3.0: timeout',
  });
  server.resumeAnswering();
});

test('a record id beyond the signed tree and a record that does not hash into it are rejected', async () => {
  const { server, ops, newClient } = await newTestClient();
  const good = (await server.handle('/lookup/rsc.io/sampler@v1.3.0')).body;
  const text = Buffer.from(good).toString();
  const onlyLookup = (body: string) => async (p: string) => (p.startsWith('/lookup/') ? Buffer.from(body) : serverRemote(server)(p));
  ops.remote = onlyLookup(text.replace(/^2\n/, '7\n'));
  await assert.rejects(newClient().lookup('rsc.io/sampler', 'v1.3.0'), {
    message: 'rsc.io/sampler@v1.3.0: cannot validate record 7 in tree of size 3',
  });
  ops.remote = onlyLookup(text.replace('h1:7uVk', 'h1:8uVk'));
  await assert.rejects(newClient().lookup('rsc.io/sampler', 'v1.3.0'), {
    message: 'rsc.io/sampler@v1.3.0: cannot authenticate record data in server response',
  });
  ops.remote = onlyLookup(text.replace('go.sum database tree', 'go.sum database trees'));
  await assert.rejects(newClient().lookup('rsc.io/sampler', 'v1.3.0'), (e: Error) =>
    e.message.startsWith('rsc.io/sampler@v1.3.0: reading tree note: invalid signature for key localhost.localdev/sumdb+00000c67\nnote:\ngo.sum database trees\n3\n'),
  );
  assert.deepEqual([...ops.cache.keys()].filter((k) => k.includes('/lookup/')), [], 'no rejected lookup cached');
});
