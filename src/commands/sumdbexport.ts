/**
 * The checksum database's part of an exported GOPROXY tree: what a proxy serves under
 * `/sumdb/<name>/` for go to verify the exported modules through the tree alone.
 *
 * A lookup answer is the record plus a signed tree head, and go proves the record against its newest
 * head through tiles (x/mod sumdb Client.checkRecord), and every head it meets against the newest
 * (checkTrees). Lookups fetched at different times name different heads, and the tiles that prove one
 * against another were never read by gomod-dl, so the tree could not serve them. The export therefore
 * serves every lookup — new and already exported — with ONE head, the database's latest, and exactly
 * the tiles that prove each record in it (read through the same authenticating tile reader go uses),
 * plus those that prove earlier exported heads consistent with it, for a go that met them before.
 *
 * @see https://go.dev/ref/mod#checksum-database
 * @see https://github.com/golang/mod/blob/v0.29.0/sumdb/client.go (Lookup, checkRecord, checkTrees)
 */
import { GoError } from '../internal/errors.js';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import nodePath from 'node:path';
import type { CacheLayout } from '../cache/index.js';
import type { GoEnv } from '../config/index.js';
import type { Fetcher } from '../fetch/fetcher.js';
import { escapePath, escapeVersion } from '../module/index.js';
import { parseGosumdb } from '../sumdb/gosumdb.js';
import { newVerifier, openNote, verifierList } from '../sumdb/note.js';
import { formatRecord, parseRecord, parseTree, type Tree } from '../sumdb/records.js';
import { concatBytes } from '../sumdb/bytes.js';
import { tileHashReader, tilePath, type Tile } from '../sumdb/tile.js';
import { proveTree, storedHashIndex } from '../sumdb/tlog.js';

/** Tile height of every public checksum database (and of go's client). */
const TILE_HEIGHT = 8;

/** What {@link exportSumdb} changed, for the summary line. */
export interface SumdbExport {
  added: number;
}

/**
 * Writes `<dir>/sumdb/<name>/{supported,latest,lookup/…,tile/…}` for the module versions in `versions`
 * whose lookups are in the GOMODCACHE sumdb cache (gomod-dl looked them up and verified them while
 * downloading), re-serving lookups already in the tree with the new head. Nothing when GOSUMDB is off.
 */
export async function exportSumdb(
  dir: string, cache: CacheLayout, env: GoEnv, versions: ReadonlyMap<string, ReadonlySet<string>>,
  /** The run's fetcher: its proxies, credentials, trusted CAs, retries and -x lines reach the database too. */
  fetcher: Pick<Fetcher, 'get' | 'sumdbBase'>,
): Promise<SumdbExport> {
  const out = { added: 0 };
  if (env.GOSUMDB === 'off') return out;
  const cfg = parseGosumdb(env.GOSUMDB);
  const root = nodePath.join(dir, 'sumdb', ...cfg.name.split('/'));
  const put = async (rel: string, data: Uint8Array | string, isNew: boolean): Promise<void> => {
    const file = nodePath.join(root, ...rel.split('/'));
    await mkdir(nodePath.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, file);
    if (isNew) out.added++;
  };
  const existing = async (rel: string): Promise<Buffer | undefined> => readFile(nodePath.join(root, ...rel.split('/'))).catch(() => undefined);

  // The lookups: newly verified ones from the cache, and those a previous export wrote.
  const lookups = new Map<string, { id: number; text: Uint8Array; old: Tree | undefined }>();
  for (const name of await listFiles(nodePath.join(root, 'lookup'))) {
    if (name.endsWith('.tmp')) continue;
    const r = parseRecord((await existing(`lookup/${name}`))!);
    lookups.set(name, { id: r.id, text: r.text, old: parseTree(openNote(r.rest, verifiers(cfg.key)).text) });
  }
  const fresh = new Set<string>();
  for (const [path, vs] of versions) {
    for (const v of vs) {
      const name = `${escapePath(path)}@${escapeVersion(v)}`;
      if (lookups.has(name)) continue;
      const data = await readFile(cache.sumdbLookupFile(cfg.name, path, v)).catch(() => undefined);
      if (data === undefined) continue; // go.sum had it: go will not ask the database either
      const r = parseRecord(data);
      lookups.set(name, { id: r.id, text: r.text, old: undefined });
      fresh.add(name);
    }
  }
  if (lookups.size === 0) return out;

  let base = cfg.url;
  if (base === undefined) {
    const found = await fetcher.sumdbBase(cfg.name);
    base = found.kind === 'proxy' ? found.url : cfg.direct;
  }
  const remote = (p: string): Promise<Uint8Array> => fetcher.get(base.replace(/\/$/, '') + p);
  const latest = await remote('/latest');
  const tree = parseTree(openNote(latest, verifiers(cfg.key)).text);

  // Tiles: each read once, from the tree when exported before (a tile's path names its content),
  // else from GOMODCACHE's sumdb cache, else from the database (a partial tile it no longer serves
  // is cut from the full one, as go's client does); written only after the reader authenticated
  // them against the head.
  const cached = (t: Tile): Promise<Buffer | undefined> => readFile(cache.sumdbTileFile(cfg.name, tilePath(t))).catch(() => undefined);
  const fetchTile = async (t: Tile): Promise<Uint8Array> => {
    try {
      return await remote('/' + tilePath(t));
    } catch (err) {
      const full = { ...t, w: 2 ** t.h };
      if (full.w === t.w) throw err;
      const data = await remote('/' + tilePath(full)).catch(() => Promise.reject(err));
      return data.subarray(0, t.w * 32);
    }
  };
  const tr = {
    height: TILE_HEIGHT,
    readTiles: (tiles: Tile[]) => Promise.all(tiles.map(async (t) => (await existing(tilePath(t))) ?? (await cached(t)) ?? fetchTile(t))),
    saveTiles: async (tiles: Tile[], data: Uint8Array[]) => {
      for (let i = 0; i < tiles.length; i++) {
        if ((await existing(tilePath(tiles[i]!))) === undefined) await put(tilePath(tiles[i]!), data[i]!, true);
      }
    },
  };
  const thr = tileHashReader(tree, tr);
  const ids = [...lookups.values()].map((l) => l.id);
  if (ids.some((id) => id >= tree.n)) throw new GoError('ESUMDBEXPORT', `checksum database ${cfg.name}: latest tree (size ${tree.n}) is older than a lookup`);
  await thr.readHashes(ids.map((id) => storedHashIndex(0, id)));
  for (const n of new Set([...lookups.values()].map((l) => l.old?.n).filter((n): n is number => n !== undefined && n < tree.n))) {
    await proveTree(tree.n, n, thr);
  }
  for (const [name, l] of lookups) await put(`lookup/${name}`, concatBytes(formatRecord(l.id, l.text), latest), fresh.has(name));
  await put('latest', latest, false);
  if ((await existing('supported')) === undefined) await put('supported', '', true);
  return out;
}

/** Files under `dir` as `/`-separated relative paths (lookup names hold the module path's slashes). */
async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const ent of await readdir(nodePath.join(dir, rel), { withFileTypes: true }).catch(() => [])) {
    const r = rel === '' ? ent.name : `${rel}/${ent.name}`;
    if (ent.isDirectory()) out.push(...(await listFiles(dir, r)));
    else out.push(r);
  }
  return out;
}

function verifiers(key: string) {
  return verifierList(newVerifier(key));
}
