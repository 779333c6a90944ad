import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  arrayHashReader,
  checkRecord,
  checkTree,
  formatHash,
  parseHash,
  proveRecord,
  proveTree,
  recordHash,
  splitStoredHashIndex,
  storedHashCount,
  storedHashes,
  storedHashIndex,
  treeHash,
  type Hash,
} from '../../src/sumdb/tlog.js';
import { formatRecord, formatTree, parseRecord, parseTree } from '../../src/sumdb/records.js';

// Vectors: xmod-formats.md "tlog" (from x/mod tlog_test.go and recomputed).
const HELLO = 'TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=';

/** Builds a tree of records "leaf 0".."leaf n-1"; returns its stored hashes and tree hashes. */
async function buildTree(n: number, record: (i: number) => string = (i) => `leaf ${i}`) {
  const stored: Hash[] = [];
  const trees: Hash[] = [];
  const leaves: Hash[] = [];
  for (let i = 0; i < n; i++) {
    const data = Buffer.from(record(i));
    stored.push(...(await storedHashes(i, data, arrayHashReader(stored))));
    leaves.push(recordHash(data));
    trees.push(await treeHash(i + 1, arrayHashReader(stored)));
  }
  return { stored, trees, leaves };
}

test('record hashes, tree notes and records format as x/mod formats them', () => {
  const h = recordHash(Buffer.from('hello world'));
  assert.equal(formatHash(h), HELLO);
  assert.deepEqual(parseHash(HELLO), h);
  assert.throws(() => parseHash('abc'), { message: 'malformed hash' });
  assert.equal(formatTree({ n: 123456789012, hash: h }), `go.sum database tree\n123456789012\n${HELLO}\n`);
  assert.equal(Buffer.from(formatRecord(123456789012, 'hello, world\n')).toString(), '123456789012\nhello, world\n\n');
});

test('tree notes parse only in their canonical form', () => {
  const text = `go.sum database tree\n123456789012\n${HELLO}\n`;
  assert.deepEqual(parseTree(text), { n: 123456789012, hash: parseHash(HELLO) });
  assert.equal(parseTree(text + 'extra line\n').n, 123456789012);
  assert.equal(parseTree(Buffer.from(text)).n, 123456789012);
  for (const bad of [
    `go.sum database tree\n123456789012\n${HELLO}`, // too few newlines
    `go.sum database tree\n0123\n${HELLO}\n`,
    `go.sum database tree\n+123\n${HELLO}\n`,
    `go.sum database tree\n-1\n${HELLO}\n`,
    `go.sum database tree\n1\n${HELLO.slice(4)}\n`,
    `go.sum database tree!\n1\n${HELLO}\n`,
  ]) {
    assert.throws(() => parseTree(bad), { message: 'malformed tree note' }, bad);
  }
});

test('records format and parse with x/mod validity rules', () => {
  for (const bad of ['hello', 'hello\n\nworld\n', 'a\x01b\n', '']) {
    assert.throws(() => formatRecord(1, bad), { message: 'malformed record data' }, JSON.stringify(bad));
  }
  assert.throws(() => formatRecord(1, Uint8Array.of(0xff, 0x0a)), { message: 'malformed record data' });
  const msg = Buffer.from('12\nrsc.io/x v1.0.0 h1:abc=\n\ngo.sum database tree\n');
  const r = parseRecord(msg);
  assert.equal(r.id, 12);
  assert.equal(Buffer.from(r.text).toString(), 'rsc.io/x v1.0.0 h1:abc=\n');
  assert.equal(Buffer.from(r.rest).toString(), 'go.sum database tree\n');
  assert.equal(parseRecord(Buffer.from('+7\nx\n\n')).id, 7); // strconv.ParseInt accepts a sign
  for (const bad of ['12', 'x\na\n\n', '12\na\n', '12\na\x02\n\n']) {
    assert.throws(() => parseRecord(Buffer.from(bad)), { message: 'malformed record data' }, JSON.stringify(bad));
  }
});

test('stored hash indexes match the x/mod table and split back', () => {
  const want = [
    [0, 1, 3, 4, 7, 8, 10, 11],
    [2, 5, 9, 12, 17, 20, 24, 27],
    [6, 13, 21, 28, 37, 44, 52, 59],
  ];
  want.forEach((row, level) => row.forEach((x, n) => assert.equal(storedHashIndex(level, n), x, `level ${level} n ${n}`)));
  for (let l = 0; l < 10; l++) {
    for (let n = 0; n < 100; n++) assert.deepEqual(splitStoredHashIndex(storedHashIndex(l, n)), { level: l, n });
  }
  // Beyond 32 bits: shifts must not wrap.
  const big = 2 ** 40 + 12345;
  assert.deepEqual(splitStoredHashIndex(storedHashIndex(3, big)), { level: 3, n: big });
  assert.equal(storedHashIndex(0, 1234567), 2469123);
});

test('tree hashes of "leaf %d" records match the x/mod values', async () => {
  const { stored, trees } = await buildTree(8);
  const want: Record<number, string> = {
    1: 'G7l9zCFjXUfiZj79/QoXRobZjdcBNS3SzQbotD/T0wU=',
    2: '/F9riP+FVPdbsvnm85wxsZNtRLaSdu33sSBalVuXYeM=',
    3: '1Pksj7uJcg6ztVZ3x9fvrd/rENEaGoSguo8aIzN/qpU=',
    4: 'T2MQhKFXxU9U/Psj/164ZQxLoWDClbsTqYMrEJ1SZ34=',
    5: 'NBUVmC1lDiNSDb1U1/zwr6G3DMOhakEdRk3JwayWwwE=',
    8: 'xcLIIO00L92ozolra5z1uMAKIcxLIHFMxuXTwFw1JAs=',
  };
  for (const [n, h] of Object.entries(want)) assert.equal(formatHash(trees[Number(n) - 1]!), h, `N=${n}`);
  assert.equal(formatHash(await treeHash(0, arrayHashReader(stored))), '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
  for (let n = 0; n <= 8; n++) {
    const { stored: s } = await buildTree(n);
    assert.equal(storedHashCount(n), s.length, `StoredHashCount(${n})`);
  }
});

test('every record and tree proof of trees up to 48 records verifies, and a flipped bit fails', async () => {
  const { stored, trees, leaves } = await buildTree(48);
  const r = arrayHashReader(stored);
  for (let t = 1; t <= 48; t++) {
    const th = trees[t - 1]!;
    for (let j = 0; j < t; j++) {
      const p = await proveRecord(t, j, r);
      checkRecord(p, t, th, j, leaves[j]!);
      for (let k = 0; k < p.length; k++) {
        const bad = p.map((h, i) => (i === k ? Uint8Array.from(h, (b, bi) => (bi === 0 ? b ^ 1 : b)) : h));
        assert.throws(() => checkRecord(bad, t, th, j, leaves[j]!), { message: 'invalid transparency proof' });
      }
      const tp = await proveTree(t, j + 1, r);
      checkTree(tp, t, th, j + 1, trees[j]!);
      for (let k = 0; k < tp.length; k++) {
        const bad = tp.map((h, i) => (i === k ? Uint8Array.from(h, (b, bi) => (bi === 0 ? b ^ 1 : b)) : h));
        assert.throws(() => checkTree(bad, t, th, j + 1, trees[j]!), { message: 'invalid transparency proof' });
      }
    }
  }
  assert.throws(() => checkRecord([], 3, trees[2]!, 3, leaves[0]!), { message: 'tlog: invalid inputs in CheckRecord' });
  assert.throws(() => checkTree([], 3, trees[2]!, 0, leaves[0]!), { message: 'tlog: invalid inputs in CheckTree' });
  await assert.rejects(proveTree(3, 4, r), { message: 'tlog: invalid inputs in ProveTree' });
});

test('property: proofs verify for random trees and fail when tampered or extended', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 70 }),
      fc.nat(),
      fc.nat(),
      fc.nat({ max: 31 }),
      async (records, a, b, byte) => {
        const { stored, trees, leaves } = await buildTree(records.length, (i) => records[i]!);
        const r = arrayHashReader(stored);
        const t = records.length;
        const n = a % t;
        const th = trees[t - 1]!;
        const p = await proveRecord(t, n, r);
        checkRecord(p, t, th, n, leaves[n]!);
        if (p.length > 0) {
          const k = b % p.length;
          const bad = p.map((h, i) => (i === k ? Uint8Array.from(h, (x, bi) => (bi === byte ? x ^ 0x80 : x)) : h));
          assert.throws(() => checkRecord(bad, t, th, n, leaves[n]!));
          assert.throws(() => checkRecord(p.slice(1), t, th, n, leaves[n]!));
        }
        assert.throws(() => checkRecord([...p, th], t, th, n, leaves[n]!));
        const m = (b % t) + 1;
        const tp = await proveTree(t, m, r);
        checkTree(tp, t, th, m, trees[m - 1]!);
        if (tp.length > 0) {
          const bad = tp.map((h, i) => (i === a % tp.length ? Uint8Array.from(h, (x, bi) => (bi === byte ? x ^ 1 : x)) : h));
          assert.throws(() => checkTree(bad, t, th, m, trees[m - 1]!));
        }
        // A proof for another old tree must not verify against this one's hash.
        if (m < t && !Buffer.from(trees[m]!).equals(trees[m - 1]!)) {
          assert.throws(() => checkTree(tp, t, th, m, trees[m]!));
        }
      },
    ),
    { numRuns: 150 },
  );
});
