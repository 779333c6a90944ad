// (f) A damaged restored cache, repaired by gomod-dl and by go on two identical copies: both exit 0,
// both end with the same cache, gomod-dl makes no request go does not make, and under -x it says what
// it repaired. Where go repairs, the result is the reference cache and `go mod verify` passes; where go
// silently accepts the damage (an edited extracted file, a missing list), so does gomod-dl.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertSameTree, rmrf } from '../support/tree.js';
import { copyCache, makeFixture, type Fixture } from './harness.js';

let fx: Fixture;
before(async () => {
  fx = await makeFixture({ big: 3, size: 600_000, chunkDelayMs: 0 });
});
after(() => fx.close());

const at = (cache: string, rel: string): string => join(cache, ...rel.split('/'));
const DL = 'cache/download/example.com';

/** Writes a read-only file in place (as a bit flip or a truncation on disk would). */
async function damageFile(file: string, f: (b: Buffer) => Buffer): Promise<void> {
  const data = await readFile(file);
  await chmod(file, 0o644);
  await writeFile(file, f(data));
  await chmod(file, 0o444);
}

interface Damage {
  name: string;
  apply: (cache: string) => Promise<void>;
  /** go repairs it: the result must be the reference cache (else: only equal to go's result). */
  repaired: boolean;
  /** A `# gomod-dl: repaired` line -x must print. */
  says?: RegExp;
  /** go fails on it (then repairs on its next run): the result is compared with the reference only. */
  goFails?: boolean;
  /** Extra check on gomod-dl's result. */
  after?: (cache: string, before: Map<string, number>) => Promise<void>;
}

const treeIno = async (cache: string, rel: string): Promise<number> => (await stat(at(cache, rel))).ino;

const DAMAGES: Damage[] = [
  {
    name: 'three .ziphash files deleted',
    apply: async (c) => {
      for (const m of ['big0/@v/v1.0.0', 'big1/@v/v1.0.0', 'multi/@v/v1.1.0']) await rm(at(c, `${DL}/${m}.ziphash`));
    },
    repaired: true,
    says: /repaired .*big0\/@v\/v1\.0\.0\.ziphash: missing or unreadable; re-hashed/,
    after: async (c, before) => {
      // Re-hashed, not re-extracted: the trees others may be reading are the same directories.
      for (const [rel, ino] of before) assert.equal(await treeIno(c, rel), ino, `${rel} was extracted again`);
    },
  },
  { name: 'an extracted file truncated', apply: (c) => damageFile(at(c, 'example.com/big0@v1.0.0/data/text.txt'), (b) => b.subarray(0, 100)), repaired: false },
  { name: 'an extracted file edited in place', apply: (c) => damageFile(at(c, 'example.com/big1@v1.0.0/go.mod'), (b) => Buffer.from(b.toString().toUpperCase())), repaired: false },
  { name: 'a tree deleted, its zip kept', apply: (c) => rmrf(at(c, 'example.com/big2@v1.0.0')), repaired: true, says: /repaired .*big2@v1\.0\.0: missing; extracting/ },
  {
    name: 'a fresh stray .partial beside a complete tree',
    apply: (c) => writeFile(at(c, `${DL}/big0/@v/v1.0.0.partial`), ''),
    repaired: true,
    says: /repaired .*big0@v1\.0\.0: incomplete \(\.partial\); extracting/,
  },
  {
    name: 'an old stray .partial beside a complete tree',
    apply: async (c) => {
      const p = at(c, `${DL}/multi/@v/v1.0.0.partial`);
      await writeFile(p, '');
      const old = new Date(Date.now() - 3600_000);
      await utimes(p, old, old);
    },
    repaired: true,
  },
  { name: 'a .mod deleted', apply: (c) => rm(at(c, `${DL}/multi/@v/v1.1.0.mod`)), repaired: true },
  {
    name: 'a garbage .info',
    apply: (c) => writeFile(at(c, `${DL}/multi/@v/v1.0.0.info`), '{"Version": garbage'),
    repaired: true,
    says: /repaired .*multi\/@v\/v1\.0\.0\.info: unreadable; fetching it again/,
  },
  { name: 'the list deleted', apply: (c) => rm(at(c, `${DL}/multi/@v/list`)), repaired: false },
  {
    name: 'a dangling symlink in place of a zip',
    apply: async (c) => {
      await rm(at(c, `${DL}/big1/@v/v1.0.0.zip`));
      await symlink(join(c, 'nowhere.zip'), at(c, `${DL}/big1/@v/v1.0.0.zip`));
    },
    repaired: true,
  },
  {
    // go fails this run (`mkdir <dir>: file exists`) and removes the link; gomod-dl repairs at once.
    name: 'a dangling symlink in place of a tree',
    apply: async (c) => {
      await rmrf(at(c, 'example.com/big2@v1.0.0'));
      await symlink(join(c, 'nowhere'), at(c, 'example.com/big2@v1.0.0'));
    },
    repaired: true,
    goFails: true,
  },
];

/** Two copies of the reference cache, one for go and one for gomod-dl, damaged alike. */
async function damagedCopies(apply: (cache: string) => Promise<void>): Promise<{ byGo: string; byUs: string }> {
  const ref = await fx.reference(false);
  const byGo = fx.freshCache();
  const byUs = fx.freshCache();
  copyCache(ref, byGo);
  copyCache(ref, byUs);
  await apply(byGo);
  await apply(byUs);
  return { byGo, byUs };
}

for (const d of DAMAGES) {
  test(`(f) ${d.name}: gomod-dl repairs as go does, never worse`, async () => {
    const { byGo, byUs } = await damagedCopies(d.apply);
    const inos = new Map<string, number>();
    for (const m of ['example.com/big0@v1.0.0', 'example.com/big1@v1.0.0', 'example.com/multi@v1.1.0']) inos.set(m, await treeIno(byUs, m));

    fx.proxy.reset();
    if (d.goFails === true) {
      const r = await fx.start('gomod-dl', byUs, false).done;
      assert.equal(r.code, 0, r.stderr);
      await fx.check(byUs, false);
      await Promise.all([rmrf(byGo), rmrf(byUs)]);
      return;
    }
    await fx.runOk('go', byGo, false);
    const goRequests = fx.proxy.requests.map((r) => r.path);
    fx.proxy.reset();
    const r = await fx.start('gomod-dl', byUs, false, ['-x']).done;
    assert.equal(r.code, 0, r.stderr);
    const ourRequests = fx.proxy.requests.map((q) => q.path);

    for (const kind of ['.info', '.mod', '.zip']) {
      const ours = ourRequests.filter((p) => p.endsWith(kind)).length;
      const gos = goRequests.filter((p) => p.endsWith(kind)).length;
      assert.ok(ours <= gos, `${kind} requests: gomod-dl ${ours}, go ${gos}\n${ourRequests.join('\n')}`);
    }
    if (d.says) assert.match(r.stderr, d.says);
    await assertSameTree(byUs, byGo);
    if (d.repaired) await fx.check(byUs, false);
    await d.after?.(byUs, inos);
    await Promise.all([rmrf(byGo), rmrf(byUs)]);
  });
}

// Damage go does not repair, on a tree that has to be extracted again from the cached zip: go
// unzips the cached zip as it is (never hashing it against its .ziphash), reports a zip it cannot
// read as x/mod's `unzip <zip>: …` (also as a `->` line), and checks the .ziphash text afterwards.
const UNREPAIRED: { name: string; apply: (cache: string) => Promise<void> }[] = [
  {
    name: 'a garbage zip, its tree deleted',
    apply: async (c) => {
      await damageFile(at(c, `${DL}/big2/@v/v1.0.0.zip`), () => Buffer.from('garbage\n'));
      await rmrf(at(c, 'example.com/big2@v1.0.0'));
    },
  },
  {
    name: 'a truncated zip and a stray .partial beside its old tree',
    apply: async (c) => {
      await damageFile(at(c, `${DL}/big1/@v/v1.0.0.zip`), (b) => b.subarray(0, b.length >> 1));
      await writeFile(at(c, `${DL}/big1/@v/v1.0.0.partial`), '');
    },
  },
  {
    name: 'a .ziphash that names another hash, its tree deleted',
    apply: async (c) => {
      await damageFile(at(c, `${DL}/big0/@v/v1.0.0.ziphash`), () => Buffer.from(`h1:${'A'.repeat(43)}=`));
      await rmrf(at(c, 'example.com/big0@v1.0.0'));
    },
  },
  {
    name: 'a .ziphash of the right length that is no h1: hash',
    apply: (c) => damageFile(at(c, `${DL}/big0/@v/v1.0.0.ziphash`), (b) => Buffer.from(`h2:${b.toString().slice(3)}`)),
  },
];

for (const d of UNREPAIRED) {
  test(`(f) ${d.name}: gomod-dl ends as go does (exit status, stderr, -json, cache)`, async () => {
    const { byGo, byUs } = await damagedCopies(d.apply);
    for (const json of [[], ['-json']]) {
      const go = await fx.start('go', byGo, false, json).done;
      const us = await fx.start('gomod-dl', byUs, false, json).done;
      assert.equal(us.code, go.code, `gomod-dl: ${us.stderr}\ngo: ${go.stderr}`);
      assert.equal(us.stderr.replaceAll('gomod-dl: ', 'go: ').split(byUs).join('$C'), go.stderr.split(byGo).join('$C'));
    }
    await assertSameTree(byUs, byGo);
    await Promise.all([rmrf(byGo), rmrf(byUs)]);
  });
}
