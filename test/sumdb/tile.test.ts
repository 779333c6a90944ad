import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  hashFromTile,
  newTiles,
  parseTilePath,
  readTileData,
  tileForIndex,
  tileHashReader,
  tileParent,
  tilePath,
  type Tile,
  type TileReader,
} from '../../src/sumdb/tile.js';
import { arrayHashReader, splitStoredHashIndex, proveRecord, checkRecord, storedHashes, storedHashIndex, treeHash, type Hash } from '../../src/sumdb/tlog.js';
import type { Tree } from '../../src/sumdb/records.js';

async function buildTree(n: number): Promise<{ stored: Hash[]; tree: Tree }> {
  const stored: Hash[] = [];
  for (let i = 0; i < n; i++) stored.push(...(await storedHashes(i, Buffer.from(`leaf ${i}`), arrayHashReader(stored))));
  return { stored, tree: { n, hash: await treeHash(n, arrayHashReader(stored)) } };
}

/** A TileReader serving tiles computed from stored hashes, optionally zeroing one stored index. */
function memoryTiles(h: number, stored: Hash[], zeroIndex?: number): TileReader & { saved: string[] } {
  const saved: string[] = [];
  return {
    height: h,
    saved,
    async readTiles(tiles: Tile[]) {
      const out: Uint8Array[] = [];
      for (const t of tiles) {
        let data = await readTileData(t, arrayHashReader(stored));
        if (zeroIndex !== undefined) {
          const z = tileForIndex(h, zeroIndex);
          const { start, end } = tileRange(h, zeroIndex);
          if (z.l === t.l && z.n === t.n && end <= data.length) {
            data = data.slice();
            data.fill(0, start, end);
          }
        }
        out.push(data);
      }
      return out;
    },
    saveTiles(tiles: Tile[]) {
      saved.push(...tiles.map(tilePath));
    },
  };
}

// The bytes of its tile that the stored hash at index is computed from (Go's tileForIndex start/end).
function tileRange(h: number, index: number): { start: number; end: number } {
  const t = tileForIndex(h, index);
  const lv = splitStoredHashIndex(index).level - t.l * h;
  return { start: (t.w - 2 ** lv) * 32, end: t.w * 32 };
}

test('tile paths format and parse like x/mod, with x groups, .p/W and data tiles', () => {
  const cases: [string, Tile | undefined][] = [
    ['tile/4/0/001', { h: 4, l: 0, n: 1, w: 16 }],
    ['tile/4/0/001.p/5', { h: 4, l: 0, n: 1, w: 5 }],
    ['tile/3/5/x123/x456/078', { h: 3, l: 5, n: 123456078, w: 8 }],
    ['tile/3/5/x123/x456/078.p/2', { h: 3, l: 5, n: 123456078, w: 2 }],
    ['tile/1/0/x003/x057/500', { h: 1, l: 0, n: 3057500, w: 2 }],
    ['tile/3/5/123/456/078', undefined],
    ['tile/3/-1/123/456/078', undefined],
    ['tile/1/data/x003/x057/500', { h: 1, l: -1, n: 3057500, w: 2 }],
    ['tile/8/0/000.p/256', undefined],
    ['tile/8/0/000.p/0', undefined],
    ['tile/31/0/000', undefined],
    ['tile/8/+0/000', undefined],
    ['tile/8/0/x000/001', undefined],
    ['tiles/8/0/001', undefined],
  ];
  for (const [path, tile] of cases) {
    if (tile === undefined) {
      assert.throws(() => parseTilePath(path), { message: `malformed tile path "${path}"` }, path);
    } else {
      assert.equal(tilePath(tile), path);
      assert.deepEqual(parseTilePath(path), tile, path);
    }
  }
});

test('newTiles lists the tiles a growing tree changes', () => {
  assert.deepEqual(newTiles(8, 0, 1000).map(tilePath), [
    'tile/8/0/000',
    'tile/8/0/001',
    'tile/8/0/002',
    'tile/8/0/003.p/232',
    'tile/8/1/000.p/3',
  ]);
  const counts: [number, number, number][] = [
    [1, 1, 0],
    [100, 101, 1],
    [1023, 1025, 3],
    [1024, 1030, 1],
    [1030, 2000, 1],
    [1030, 10000, 10],
    [49516517, 49516586, 3],
  ];
  for (const [o, n, want] of counts) assert.equal(newTiles(10, o, n).length, want, `${o}-${n}`);
});

test('record 1234567 lives in tile/8/0/x004/822.p/136 and climbs to tile/8/2/000.p/30 at size 2000000', () => {
  const index = storedHashIndex(0, 1234567);
  assert.equal(index, 2469123);
  const t = tileForIndex(8, index);
  assert.equal(tilePath(t), 'tile/8/0/x004/822.p/136');
  assert.equal(tilePath(tileParent(t, 0, 2000000)!), 'tile/8/0/x004/822');
  assert.equal(tilePath(tileParent(t, 1, 2000000)!), 'tile/8/1/018');
  assert.equal(tilePath(tileParent(t, 2, 2000000)!), 'tile/8/2/000.p/30');
  assert.equal(tileParent(t, 3, 2000000), undefined);
});

test('every stored hash is readable from its tile, and tiles extend earlier partial tiles', async () => {
  const H = 2;
  const { stored } = await buildTree(60);
  const tiles = new Map<string, Uint8Array>();
  for (let i = 0; i < 60; i++) {
    for (const t of newTiles(H, i, i + 1)) {
      const data = await readTileData(t, arrayHashReader(stored));
      const old = tiles.get(tilePath({ ...t, w: t.w - 1 }));
      if (t.w > 1) assert.deepEqual(old, data.subarray(0, data.length - 32), `tile ${tilePath(t)} extends its predecessor`);
      tiles.set(tilePath(t), data);
    }
    const { stored: s } = await buildTree(i + 1);
    for (let j = 0; j < s.length; j++) {
      const t = tileForIndex(H, j);
      const data = tiles.get(tilePath(t));
      assert.ok(data, `tile ${tilePath(t)} for index ${j} stored`);
      assert.deepEqual(hashFromTile(t, data, j), s[j]);
    }
  }
});

test('the tile hash reader returns every hash of trees up to 40 records and saves the tiles it checked', async () => {
  for (let n = 1; n <= 40; n++) {
    const { stored, tree } = await buildTree(n);
    const tr = memoryTiles(2, stored);
    const thr = tileHashReader(tree, tr);
    const all = Array.from({ length: stored.length }, (_, i) => i);
    assert.deepEqual(await thr.readHashes(all), stored);
    for (const i of [0, stored.length - 1]) assert.deepEqual(await thr.readHashes([i]), [stored[i]]);
    assert.ok(tr.saved.length > 0);
    await assert.rejects(thr.readHashes([storedHashIndex(0, n)]), { message: 'indexes not in tree' });
    for (let j = 0; j < n; j++) {
      checkRecord(await proveRecord(n, j, thr), n, tree.hash, j, stored[storedHashIndex(0, j)]!);
    }
  }
});

test('a tampered tile is detected as downloaded inconsistent tile, and nothing is saved', async () => {
  for (const n of [1, 2, 5, 8, 13, 21, 34]) {
    const { stored, tree } = await buildTree(n);
    for (let i = 0; i < stored.length; i++) {
      const tr = memoryTiles(2, stored, i);
      await assert.rejects(tileHashReader(tree, tr).readHashes([i]), { message: 'downloaded inconsistent tile' }, `N=${n} i=${i}`);
      assert.deepEqual(tr.saved, []);
    }
  }
});

test('a tile reader returning the wrong length is reported with go text', async () => {
  const { stored, tree } = await buildTree(5);
  const tr: TileReader = {
    height: 2,
    readTiles: (tiles) => Promise.resolve(tiles.map(() => new Uint8Array(32))),
    saveTiles: () => undefined,
  };
  await assert.rejects(tileHashReader(tree, tr).readHashes([0]), {
    message: 'TileReader returned bad result slice (tile/2/0/000 len=32, want 128)',
  });
  void stored;
});

test('property: tileForIndex and hashFromTile agree with the stored hashes for height 1..4', async () => {
  const { stored } = await buildTree(70);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.nat({ max: stored.length - 1 }), async (h, i) => {
      const t = tileForIndex(h, i);
      const data = await readTileData(t, arrayHashReader(stored));
      assert.deepEqual(hashFromTile(t, data, i), stored[i]);
      assert.deepEqual(parseTilePath(tilePath(t)), t);
    }),
    { numRuns: 200 },
  );
});
