// Tiles (golang.org/x/mod/sumdb/tlog/tile.go): how the checksum database serves its stored hashes.
//
// Invariants:
// - Tile (H, L, N, W) holds W consecutive level-L·H hashes starting at hash N·2^H of that level;
//   W = 2^H is a full tile, smaller W a partial one (`.p/W`). L = -1 is a data tile (record texts).
// - A tile stores only its bottom row; a hash of a higher level inside the tile is the Merkle root
//   of a slice of that row.
// - Tiles read for a tree are trusted only after they hash up to the tree's signed root
//   (tileHashReader); only then are they handed to saveTiles.
import { InternalError } from '../internal/errors.js';
import { quote } from '../internal/gostrconv.js';
import { shl, shr } from './bytes.js';
import { BadTilePathError, InconsistentTileError, TileReadError } from './errors.js';
import type { Tree } from './records.js';
import {
  HASH_SIZE,
  hashEqual,
  nodeHash,
  splitStoredHashIndex,
  storedHashIndex,
  subTreeIndex,
  type Hash,
  type HashReader,
} from './tlog.js';

/** A tile: height h (1..30), level l (-1 = data), number n, width w (1..2^h). */
export interface Tile {
  h: number;
  l: number;
  n: number;
  w: number;
}

function tileForIndexWithRange(h: number, index: number): { tile: Tile; start: number; end: number } {
  const split = splitStoredHashIndex(index);
  const l = Math.floor(split.level / h);
  const level = split.level - l * h; // level within the tile
  const tn = shr(shl(split.n, level), h);
  const n = split.n - shr(shl(tn, h), level); // n within the tile, at that level
  return {
    tile: { h, l, n: tn, w: shl(n + 1, level) },
    start: shl(n, level) * HASH_SIZE,
    end: shl(n + 1, level) * HASH_SIZE,
  };
}

/**
 * The smallest tile of height h that contains the stored hash with the given index.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tile.go TileForIndex
 */
export function tileForIndex(h: number, index: number): Tile {
  if (h <= 0) throw new RangeError(`TileForIndex: invalid height ${h}`);
  return tileForIndexWithRange(h, index).tile;
}

/**
 * The Merkle root of a tile's bottom-row slice (a single hash is itself).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tile.go tileHash
 */
export function tileHash(data: Uint8Array): Hash {
  if (data.length === 0) throw new InternalError('bad math in tileHash');
  if (data.length === HASH_SIZE) return data.slice();
  const n = data.length / 2;
  return nodeHash(tileHash(data.subarray(0, n)), tileHash(data.subarray(n)));
}

/**
 * The stored hash with the given index, read from the tile's data.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tile.go HashFromTile
 */
export function hashFromTile(t: Tile, data: Uint8Array, index: number): Hash {
  if (t.h < 1 || t.h > 30 || t.l < 0 || t.l >= 64 || t.w < 1 || t.w > 2 ** t.h) {
    throw new TileReadError(`invalid tile ${tilePath(t)}`);
  }
  if (data.length < t.w * HASH_SIZE) {
    throw new TileReadError(`data len ${data.length} too short for tile ${tilePath(t)}`);
  }
  const { tile: t1, start, end } = tileForIndexWithRange(t.h, index);
  if (t.l !== t1.l || t.n !== t1.n || t.w < t1.w) {
    throw new TileReadError(`index ${index} is in ${tilePath(t1)} not ${tilePath(t)}`);
  }
  return tileHash(data.subarray(start, end));
}

/**
 * The tiles of height h that change when a tree grows from oldTreeSize to newTreeSize.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tile.go NewTiles
 */
export function newTiles(h: number, oldTreeSize: number, newTreeSize: number): Tile[] {
  if (h <= 0) throw new RangeError(`NewTiles: invalid height ${h}`);
  const tiles: Tile[] = [];
  for (let level = 0; shr(newTreeSize, h * level) > 0; level++) {
    const oldN = shr(oldTreeSize, h * level);
    const newN = shr(newTreeSize, h * level);
    if (oldN === newN) continue;
    for (let n = shr(oldN, h); n < shr(newN, h); n++) tiles.push({ h, l: level, n, w: 2 ** h });
    const n = shr(newN, h);
    const w = newN - shl(n, h);
    if (w > 0) tiles.push({ h, l: level, n, w });
  }
  return tiles;
}

/**
 * The bytes of a (hash) tile, read through r.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tile.go ReadTileData
 */
export async function readTileData(t: Tile, r: HashReader): Promise<Uint8Array> {
  const size = t.w === 0 ? 2 ** t.h : t.w;
  const start = shl(t.n, t.h);
  const indexes: number[] = [];
  for (let i = 0; i < size; i++) indexes.push(storedHashIndex(t.h * t.l, start + i));
  const hashes = await r.readHashes(indexes);
  if (hashes.length !== indexes.length) {
    throw new TileReadError(`tlog: ReadHashes(${indexes.length} indexes) = ${hashes.length} hashes`);
  }
  const out = new Uint8Array(size * HASH_SIZE);
  hashes.forEach((h, i) => out.set(h, i * HASH_SIZE));
  return out;
}

const PATH_BASE = 1000;

/**
 * `tile/H/L/NNN[.p/W]`, NNN in 3-digit groups with all but the last prefixed `x`; L = -1 is `data`.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tile.go Tile.Path
 */
export function tilePath(t: Tile): string {
  let n = t.n;
  let nStr = String(n % PATH_BASE).padStart(3, '0');
  while (n >= PATH_BASE) {
    n = Math.floor(n / PATH_BASE);
    nStr = `x${String(n % PATH_BASE).padStart(3, '0')}/${nStr}`;
  }
  const pStr = t.w !== 2 ** t.h ? `.p/${t.w}` : '';
  return `tile/${t.h}/${t.l === -1 ? 'data' : t.l}/${nStr}${pStr}`;
}

// strconv.Atoi: optional sign, decimal digits (leading zeros allowed).
function atoi(s: string): number | undefined {
  return /^[+-]?[0-9]{1,18}$/.test(s) ? Number(s) : undefined;
}

/**
 * Parses a tile path; only the canonical form is accepted. Throws BadTilePathError
 * (`malformed tile path "P"`).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tile.go ParseTilePath
 */
export function parseTilePath(path: string): Tile {
  const bad = (): BadTilePathError => new BadTilePathError(path, quote(path));
  let f = path.split('/');
  if (f.length < 4 || f[0] !== 'tile') throw bad();
  const h = atoi(f[1]!);
  const isData = f[2] === 'data';
  const l = isData ? 0 : atoi(f[2]!);
  if (h === undefined || l === undefined || h < 1 || l < 0 || h > 30) throw bad();
  let w = 2 ** h;
  const dotP = f[f.length - 2]!;
  if (dotP.endsWith('.p')) {
    const ww = atoi(f[f.length - 1]!);
    if (ww === undefined || ww <= 0 || ww >= w) throw bad();
    w = ww;
    f = [...f.slice(0, -2), dotP.slice(0, -2)];
  }
  let n = 0;
  for (const s of f.slice(3)) {
    const nn = atoi(s.startsWith('x') ? s.slice(1) : s);
    if (nn === undefined || nn < 0 || nn >= PATH_BASE) throw bad();
    n = n * PATH_BASE + nn;
  }
  const t: Tile = { h, l: isData ? -1 : l, n, w };
  if (path !== tilePath(t)) throw bad();
  return t;
}

/** Reads and saves tiles for tileHashReader (the client's cache-then-network reader). */
export interface TileReader {
  /** Tile height; 8 for every public checksum database. */
  readonly height: number;
  /** Reads all tiles; each result must be exactly w·32 bytes. */
  readTiles(tiles: Tile[]): Promise<Uint8Array[]>;
  /** Called once the tiles are known to be authentic. */
  saveTiles(tiles: Tile[], data: Uint8Array[]): void | Promise<void>;
}

/**
 * The tile at level t.l + k above t, as wide as the tree of size n allows; undefined if the tree
 * has no hashes there.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tile.go tileParent
 */
export function tileParent(t: Tile, k: number, n: number): Tile | undefined {
  const p: Tile = { h: t.h, l: t.l + k, n: shr(t.n, k * t.h), w: 2 ** t.h };
  const max = shr(n, p.l * p.h);
  if (shl(p.n, p.h) + p.w >= max) {
    if (shl(p.n, p.h) >= max) return undefined;
    p.w = max - shl(p.n, p.h);
  }
  return p;
}

const tileKey = (t: Tile | undefined): string => (t === undefined ? '' : tilePath(t));

/**
 * A HashReader that reads hashes from tiles and checks every tile against the tree's signed root
 * before returning anything: the tiles holding the tree's complete subtrees must hash to
 * tree.hash, and every lower tile must hash to the entry its parent tile holds for it.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tile.go TileHashReader
 */
export function tileHashReader(tree: Tree, tr: TileReader): HashReader {
  return {
    async readHashes(indexes: number[]): Promise<Hash[]> {
      const h = tr.height;
      const tileOrder = new Map<string, number>();
      const tiles: Tile[] = [];
      const add = (t: Tile): number => {
        tileOrder.set(tileKey(t), tiles.length);
        tiles.push(t);
        return tiles.length - 1;
      };

      // The tiles holding the complete subtrees of the tree, at their size-N widths.
      const stx = subTreeIndex(0, tree.n);
      const stxTileOrder = stx.map((x) => {
        const t = tileParent(tileForIndex(h, x), 0, tree.n)!;
        return tileOrder.get(tileKey(t)) ?? add(t);
      });

      // For each index, the chain of (full) tiles from the first planned ancestor down to it.
      const indexTileOrder = indexes.map((x) => {
        if (x >= storedHashIndex(0, tree.n)) throw new TileReadError('indexes not in tree');
        const t = tileForIndex(h, x);
        let k = 0;
        let found = -1;
        for (; ; k++) {
          const j = tileOrder.get(tileKey(tileParent(t, k, tree.n)));
          if (j !== undefined) {
            if (k === 0) found = j;
            break;
          }
        }
        for (k--; k >= 0; k--) {
          const p = tileParent(t, k, tree.n)!;
          if (p.w !== 2 ** p.h) {
            throw new TileReadError(`bad math in tileHashReader: ${tree.n} ${x} ${tilePath(p)}`);
          }
          const j = add(p);
          if (k === 0) found = j;
        }
        return found;
      });

      const data = await tr.readTiles(tiles);
      if (data.length !== tiles.length) {
        throw new TileReadError(`TileReader returned bad result slice (len=${data.length}, want ${tiles.length})`);
      }
      tiles.forEach((t, i) => {
        if (data[i]!.length !== t.w * HASH_SIZE) {
          throw new TileReadError(
            `TileReader returned bad result slice (${tilePath(t)} len=${data[i]!.length}, want ${t.w * HASH_SIZE})`,
          );
        }
      });

      // The subtree tiles must reproduce the signed tree hash...
      let th: Hash | undefined;
      for (let i = stx.length - 1; i >= 0; i--) {
        const j = stxTileOrder[i]!;
        const sh = hashFromTile(tiles[j]!, data[j]!, stx[i]!);
        th = th === undefined ? sh : nodeHash(sh, th);
      }
      if (th === undefined || !hashEqual(th, tree.hash)) throw new InconsistentTileError();

      // ...and every later tile must match the hash its parent tile records for it.
      for (let i = stxTileOrder[stx.length - 1]! + 1; i < tiles.length; i++) {
        const t = tiles[i]!;
        const p = tileParent(t, 1, tree.n);
        const j = tileOrder.get(tileKey(p));
        if (p === undefined || j === undefined) {
          throw new TileReadError(`bad math in tileHashReader ${tree.n} ${indexes}: lost parent of ${tilePath(t)}`);
        }
        const ph = hashFromTile(p, data[j]!, storedHashIndex(p.l * p.h, t.n));
        if (!hashEqual(ph, tileHash(data[i]!))) throw new InconsistentTileError();
      }

      await tr.saveTiles(tiles, data);
      return indexes.map((x, i) => {
        const j = indexTileOrder[i]!;
        return hashFromTile(tiles[j]!, data[j]!, x);
      });
    },
  };
}
