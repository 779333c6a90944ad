/**
 * An inventory of a GOMODCACHE for `gomod-dl verify --cache`: every module version that has a zip, a
 * `.ziphash` or an extracted tree, and what interrupted writers left behind (go's `.partial` markers
 * with their half-extracted trees, `*.tmp` files, staging directories `<module>@<version>.tmp-N`).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (download, unzip)
 */
import { readdir } from 'node:fs/promises';
import nodePath from 'node:path';
import type { CacheLayout } from '../cache/index.js';
import { compareModules, unescapePath, unescapeVersion } from '../module/index.js';

/** Something an interrupted writer left; removing it is always safe once no writer is running. */
export interface Leftover {
  file: string;
  message: string;
  /** For a `.partial` marker: the module version whose tree was not completely extracted. */
  partialOf?: { path: string; version: string };
  /**
   * The module version whose writers go serialises with its version lock (a zip temp, a staging
   * directory): removed only while holding that lock, as go's own cleanup does. Other temps (`.info`,
   * `.mod`, `list`) are written without a lock and removed only once old (verify.ts).
   */
  lockOf?: { path: string; version: string };
}

export interface CacheScan {
  modules: { path: string; version: string }[];
  leftovers: Leftover[];
}

function decode(escPath: string, escVer: string): { path: string; version: string } | undefined {
  try {
    return { path: unescapePath(escPath), version: unescapeVersion(escVer) };
  } catch {
    return undefined;
  }
}

/** Scans `layout.root` (reading directory names only; module trees are not entered). */
export async function scanCache(layout: CacheLayout): Promise<CacheScan> {
  const mods = new Map<string, { path: string; version: string }>();
  const leftovers: Leftover[] = [];
  const add = (escPath: string, escVer: string): boolean => {
    let path: string;
    let version: string;
    try {
      path = unescapePath(escPath);
      version = unescapeVersion(escVer);
    } catch {
      return false;
    }
    mods.set(`${path}@${version}`, { path, version });
    return true;
  };

  // Extracted trees: <escpath>@<escver> anywhere outside cache/.
  const walkTrees = async (dir: string, rel: string): Promise<void> => {
    for (const ent of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const name = ent.name;
      const r = rel === '' ? name : `${rel}/${name}`;
      if (r === 'cache') continue;
      const file = nodePath.join(dir, name);
      const at = name.indexOf('@');
      if (at < 0) {
        if (ent.isDirectory()) await walkTrees(file, r);
        continue;
      }
      const escVer = name.slice(at + 1);
      if (/\.tmp-\d+$/.test(escVer)) {
        const lockOf = decode(r.slice(0, r.length - name.length + at), escVer.replace(/\.tmp-\d+$/, ''));
        leftovers.push({ file, message: `${file}: leftover staging directory of an interrupted extraction`, ...(lockOf ? { lockOf } : {}) });
      } else if (!add(r.slice(0, r.length - name.length + at), escVer)) {
        leftovers.push({ file, message: `${file}: not a module directory` });
      }
    }
  };

  // Download metadata: cache/download/<escpath>/@v/<escver>.<suffix>.
  const download = nodePath.join(layout.root, 'cache', 'download');
  const walkDownload = async (dir: string, rel: string): Promise<void> => {
    for (const ent of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (!ent.isDirectory()) continue;
      const r = rel === '' ? ent.name : `${rel}/${ent.name}`;
      if (r === 'sumdb') continue;
      if (ent.name === '@v') await scanVersions(nodePath.join(dir, ent.name), rel);
      else await walkDownload(nodePath.join(dir, ent.name), r);
    }
  };
  const scanVersions = async (dir: string, escPath: string): Promise<void> => {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const file = nodePath.join(dir, name);
      if (name.endsWith('.tmp')) {
        // go's zip temps, `<v>.zip<N>.tmp` (and `.ziphash<N>.tmp`), belong to the version lock.
        const z = /^(.+)\.zip(?:hash)?\d+\.tmp$/.exec(name);
        const lockOf = z !== null ? decode(escPath, z[1]!) : undefined;
        leftovers.push({ file, message: `${file}: leftover temporary file of an interrupted download`, ...(lockOf ? { lockOf } : {}) });
        continue;
      }
      const m = /^(.+)\.(zip|ziphash|partial)$/.exec(name);
      if (m === null || !add(escPath, m[1]!)) continue;
      if (m[2] === 'partial') {
        const tree = nodePath.join(layout.root, `${escPath}@${m[1]!}`);
        const partialOf = { path: unescapePath(escPath), version: unescapeVersion(m[1]!) };
        leftovers.push({ file, message: `${file}: ${tree} was not completely extracted`, partialOf });
      }
    }
  };

  await walkTrees(layout.root, '');
  await walkDownload(download, '');
  const modules = [...mods.values()].sort(compareModules);
  leftovers.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { modules, leftovers };
}
