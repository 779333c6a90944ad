/**
 * Reads and writes of one GOMODCACHE, in the order and with the names go uses, so that go and
 * gomod-dl can share the cache (ARCHITECTURE.md, "Publish protocol").
 *
 * Without flock we never write in place:
 * - `.info`, `.mod`, `.ziphash`, `list`: temp file (`<final><N>.tmp`) + rename.
 * - zip: downloaded to `E.zip<N>.tmp` by the caller ({@link ModCache.createZipTemp}), published
 *   by {@link ModCache.publishZip}: `.ziphash` first, then the zip renamed into place. go counts a
 *   zip as present only when both exist, so it never sees a zip without its hash.
 * - tree: extracted into a staging directory `<escpath>@<escver>.tmp-<N>` (a name go deletes when
 *   it next extracts the module), made read-only, then renamed to the final name. go counts a
 *   tree as complete when the directory exists, `E.partial` does not, and `E.ziphash` does.
 *
 * @see /usr/local/go/src/cmd/go/internal/modfetch/fetch.go (download, unzip, DownloadZip, Sum)
 * @see /usr/local/go/src/cmd/go/internal/modfetch/cache.go (DownloadDir, readDiskStat, readDiskGoMod)
 */
import { lstat, mkdir, readdir, rename, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { makeTreeReadOnly } from '../verify/extract.js';
import { createTempFile, defaultRandom, removeStaleTemps, writeFileAtomic, type RandomInt, type TempOptions } from './atomic.js';
import { errnoCode, exists, readIfExists, removeTree, trimSpace } from './fsutil.js';
import { decodeInfo, encodeInfo, type RevInfo } from './info.js';
import { CacheLayout } from './layout.js';
import { rewriteVersionList } from './list.js';

/** Options of {@link ModCache}. */
export interface ModCacheOptions {
  /** Temp-name randomness (tests inject a fixed sequence). */
  random?: RandomInt;
  /** fsync files before renaming them into place (go does not). */
  fsync?: boolean;
  /** The clock, in ms since the epoch, for age checks (default Date.now). */
  now?: () => number;
}

/** The state of an extracted tree, as go's DownloadDir judges it. */
export type DirState = 'missing' | 'partial' | 'complete';

/** What {@link ModCache.publishDir} did. */
export type PublishDirResult =
  /** The staging tree is now the final directory. */
  | 'published'
  /** A complete final directory was already there; the staging tree was discarded. */
  | 'existing'
  /** Someone (go, under its lock) is extracting into the final directory (`.partial` present);
   * the staging tree was discarded and the final directory is not complete yet. */
  | 'busy';

/** The length of a valid `.ziphash`: `h1:` + base64 of a SHA-256. */
const ZIPHASH_LEN = 47;

/** go's marker of a go.mod auto-converted by very old versions; such files count as missing. */
const OLD_VGO_PREFIX = Buffer.from('//vgo 0.0.');

/** The module that is unpacked from GOROOT and so needs no `.ziphash`. */
const FIPS140_MODULE = 'golang.org/fips140';

/** One GOMODCACHE: reads, atomic writes and the publish protocol. */
export class ModCache {
  /** The last `list` rewrite queued per @v directory. */
  readonly #listWrites = new Map<string, Promise<void>>();
  readonly layout: CacheLayout;
  readonly #temp: TempOptions;
  readonly #random: RandomInt;
  readonly #now: () => number;

  constructor(root: string | CacheLayout, opts: ModCacheOptions = {}) {
    this.layout = typeof root === 'string' ? new CacheLayout(root) : root;
    this.#random = opts.random ?? defaultRandom;
    this.#temp = { random: this.#random, fsync: opts.fsync ?? false };
    this.#now = opts.now ?? Date.now;
  }

  /**
   * The cached RevInfo, or undefined when the `.info` is missing or does not decode (go then
   * treats it as not cached and fetches it again).
   *
   * @see /usr/local/go/src/cmd/go/internal/modfetch/cache.go (readDiskStat)
   */
  async readInfo(path: string, version: string): Promise<RevInfo | undefined> {
    const data = await readIfExists(this.layout.infoFile(path, version));
    if (data === undefined) return undefined;
    try {
      return decodeInfo(data);
    } catch {
      return undefined;
    }
  }

  /**
   * Writes `.info` for `info.Version` (the resolved version, as go does after a query) with go's
   * encoding. Returns the file written.
   *
   * @see /usr/local/go/src/cmd/go/internal/modfetch/cache.go (writeDiskStat)
   */
  async writeInfo(path: string, info: RevInfo): Promise<string> {
    const file = this.layout.infoFile(path, info.Version);
    await writeFileAtomic(file, encodeInfo(info), this.#temp);
    return file;
  }

  /**
   * The cached go.mod bytes, or undefined when missing (or an ancient `//vgo 0.0.` conversion).
   * The caller still checks them against go.sum, as go's readDiskGoMod does.
   *
   * @see /usr/local/go/src/cmd/go/internal/modfetch/cache.go (readDiskGoMod)
   */
  async readMod(path: string, version: string): Promise<Buffer | undefined> {
    const data = await readIfExists(this.layout.modFile(path, version));
    if (data === undefined || data.subarray(0, OLD_VGO_PREFIX.length).equals(OLD_VGO_PREFIX)) return undefined;
    return data;
  }

  /**
   * Writes `.mod` (call only after its go.sum check passed), then rewrites `list`.
   *
   * @see /usr/local/go/src/cmd/go/internal/modfetch/cache.go (writeDiskCache)
   */
  async writeMod(path: string, version: string, data: Uint8Array): Promise<string> {
    const file = this.layout.modFile(path, version);
    await writeFileAtomic(file, data, this.#temp);
    // One rewrite at a time per directory: two concurrent ones could each list the directory before
    // the other's .mod landed, and the later rename would then drop a version from `list`.
    const dir = dirname(file);
    const prev = this.#listWrites.get(dir) ?? Promise.resolve();
    const mine = prev.then(async () => void (await rewriteVersionList(dir, this.#temp)));
    const tail = mine.catch(() => {});
    this.#listWrites.set(dir, tail);
    try {
      await mine;
    } finally {
      if (this.#listWrites.get(dir) === tail) this.#listWrites.delete(dir);
    }
    return file;
  }

  /**
   * The `h1:` in `.ziphash`, or undefined when it is missing or invalid (after TrimSpace: not
   * exactly 47 bytes, or containing NUL, as a torn go write would).
   *
   * @see /usr/local/go/src/cmd/go/internal/modfetch/fetch.go (Sum, isValidSum)
   */
  async readZiphash(path: string, version: string): Promise<string | undefined> {
    const data = await readIfExists(this.layout.ziphashFile(path, version));
    if (data === undefined) return undefined;
    const h = trimSpace(data);
    if (h.length !== ZIPHASH_LEN || h.includes(0)) return undefined;
    return Buffer.from(h).toString('latin1');
  }

  /** Writes `.ziphash` (no newline) by temp + rename. @see modfetch/fetch.go (hashZip) */
  async writeZiphash(path: string, version: string, h1: string): Promise<string> {
    const file = this.layout.ziphashFile(path, version);
    await writeFileAtomic(file, h1, this.#temp);
    return file;
  }

  /**
   * Whether go would skip downloading the zip: `.zip` and `.ziphash` both exist.
   *
   * @see /usr/local/go/src/cmd/go/internal/modfetch/fetch.go (DownloadZip)
   */
  async zipComplete(path: string, version: string): Promise<boolean> {
    return (await exists(this.layout.zipFile(path, version))) && (await exists(this.layout.ziphashFile(path, version)));
  }

  /**
   * The extracted tree's state as go's DownloadDir sees it: `missing` (no such path), `partial`
   * (not a directory, `.partial` present, or `.ziphash` missing) or `complete`.
   *
   * @see /usr/local/go/src/cmd/go/internal/modfetch/cache.go (DownloadDir)
   */
  async dirState(path: string, version: string): Promise<DirState> {
    const dir = this.layout.moduleDir(path, version);
    try {
      if (!(await stat(dir)).isDirectory()) return 'partial';
    } catch (err) {
      return errnoCode(err) === 'ENOENT' ? 'missing' : 'partial';
    }
    if (await exists(this.layout.partialFile(path, version))) return 'partial';
    if (path === FIPS140_MODULE) return 'complete';
    return (await exists(this.layout.ziphashFile(path, version))) ? 'complete' : 'partial';
  }

  /** Whether the extracted tree is complete (see {@link dirState}). */
  async dirComplete(path: string, version: string): Promise<boolean> {
    return (await this.dirState(path, version)) === 'complete';
  }

  /**
   * Creates the zip download temp, `E.zip<N>.tmp`, exclusively; go's cleanup pattern
   * `E.zip*.tmp` covers it.
   *
   * @see /usr/local/go/src/cmd/go/internal/modfetch/fetch.go (downloadZip)
   */
  async createZipTemp(path: string, version: string): Promise<{ path: string; handle: FileHandle }> {
    const zip = this.layout.zipFile(path, version);
    await mkdir(dirname(zip), { recursive: true, mode: 0o777 });
    return createTempFile(zip, this.#temp);
  }

  /**
   * Removes `E.zip*.tmp` (which includes `E.ziphash*.tmp`) left by a killed go or gomod-dl. go does
   * this under the version lock; without one, call it only when no other writer can be working
   * on this version's zip.
   *
   * @see /usr/local/go/src/cmd/go/internal/modfetch/fetch.go (downloadZip)
   */
  async removeStaleZipTemps(path: string, version: string): Promise<string[]> {
    return removeStaleTemps(this.layout.zipFile(path, version));
  }

  /**
   * Publishes a verified zip: `.ziphash` first, then the temp zip renamed to `E.zip`.
   *
   * @see /usr/local/go/src/cmd/go/internal/modfetch/fetch.go (downloadZip, hashZip)
   */
  async publishZip(tmpZip: string, path: string, version: string, h1: string): Promise<string> {
    await this.writeZiphash(path, version, h1);
    const zip = this.layout.zipFile(path, version);
    await rename(tmpZip, zip);
    return zip;
  }

  /**
   * Creates a fresh, empty staging directory `<moduleDir>.tmp-<N>` next to the final directory.
   *
   * @see /usr/local/go/src/cmd/go/internal/modfetch/fetch.go (unzip: the `.tmp-` prefix go cleans)
   */
  async stagingDir(path: string, version: string): Promise<string> {
    const final = this.layout.moduleDir(path, version);
    await mkdir(dirname(final), { recursive: true, mode: 0o777 });
    for (;;) {
      const dir = `${final}.tmp-${this.#random()}`;
      try {
        await mkdir(dir, { mode: 0o777 });
        return dir;
      } catch (err) {
        if (errnoCode(err) !== 'EEXIST') throw err;
      }
    }
  }

  /**
   * Moves a verified staging tree into place. Unless `modcacherw`, its directories are made
   * read-only first (children before parents; files stay as extracted, 0444). If the final
   * directory is already complete, or go is extracting into it (`.partial`), the staging tree is
   * removed instead.
   *
   * @see /usr/local/go/src/cmd/go/internal/modfetch/fetch.go (unzip, makeDirsReadOnly)
   */
  async publishDir(staging: string, path: string, version: string, opts: { modcacherw?: boolean } = {}): Promise<PublishDirResult> {
    const final = this.layout.moduleDir(path, version);
    const settle = async (): Promise<PublishDirResult> => {
      await removeTree(staging);
      return (await this.dirState(path, version)) === 'complete' ? 'existing' : 'busy';
    };
    // Never rename over a directory go may be extracting into: on Linux a rename onto an empty
    // directory succeeds and would pull it out from under go.
    if (await exists(final)) return settle();
    if (!opts.modcacherw) await makeTreeReadOnly(staging);
    try {
      await rename(staging, final);
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EISDIR' || code === 'ENOTDIR') return settle();
      await removeTree(staging);
      throw err;
    }
    return 'published';
  }

  /**
   * Removes staging directories `<moduleDir>.tmp-*` (also go < 1.16's) whose mtime is at least
   * `minAgeMs` old (default 0: all). go removes them all under its lock; without one, a minimum age
   * keeps a concurrent gomod-dl's live staging tree safe.
   *
   * @see /usr/local/go/src/cmd/go/internal/modfetch/fetch.go (unzip)
   */
  async removeStaleStaging(path: string, version: string, opts: { minAgeMs?: number } = {}): Promise<string[]> {
    const final = this.layout.moduleDir(path, version);
    const prefix = basename(final) + '.tmp-';
    const parent = dirname(final);
    const names = await readdir(parent).catch(() => [] as string[]);
    const removed: string[] = [];
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      const p = join(parent, name);
      if (!(await this.#oldEnough(p, opts.minAgeMs ?? 0))) continue;
      await removeTree(p);
      removed.push(p);
    }
    return removed;
  }

  /**
   * Removes an incomplete final directory and its `.partial` (go's crash leftovers), making
   * directories writable first. Only when `.partial` is at least `minAgeMs` old (default 0): a
   * fresh one may belong to a go process extracting right now under its flock. Returns whether
   * anything was removed.
   *
   * @see /usr/local/go/src/cmd/go/internal/modfetch/fetch.go (unzip: RemoveAll of a partial dir)
   */
  async removePartialDir(path: string, version: string, opts: { minAgeMs?: number } = {}): Promise<boolean> {
    if ((await this.dirState(path, version)) !== 'partial') return false;
    const partial = this.layout.partialFile(path, version);
    if ((await exists(partial)) && !(await this.#oldEnough(partial, opts.minAgeMs ?? 0))) return false;
    await removeTree(this.layout.moduleDir(path, version));
    await removeTree(partial);
    return true;
  }

  async #oldEnough(p: string, minAgeMs: number): Promise<boolean> {
    if (minAgeMs <= 0) return true;
    try {
      return this.#now() - (await lstat(p)).mtimeMs >= minAgeMs;
    } catch {
      return false;
    }
  }
}
