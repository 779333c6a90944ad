/**
 * Reads and writes of one GOMODCACHE, in the order and with the names go uses, so that go and
 * gomod-dl can share the cache (ARCHITECTURE.md, "Publish protocol").
 *
 * - Every temp file and staging tree lives in the run's work directory ({@link WorkDir}), outside
 *   the names go removes, until it is renamed into place; nothing is ever written in place except
 *   `list`, as go writes it, under go's lock.
 * - Publishing takes go's version lock (`@v/<version>.lock`, {@link FileLocker}) and re-checks under
 *   it, as go's downloadZip and download do: a zip or tree that appeared meanwhile wins and ours is
 *   discarded; go's leftovers (`E.zip*.tmp`, `<dir>.tmp-*`, a tree with `.partial`) are removed only
 *   while the lock is held, when their writers are provably gone.
 * - zip: `.ziphash` first, then the zip renamed into place (go counts a zip as present only when
 *   both exist). tree: made read-only in staging, renamed to the final name.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (download, downloadZip, lockVersion)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (DownloadDir, readDiskStat, readDiskGoMod)
 */
import { lstatSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { makeTreeReadOnly } from '../verify/extract.js';
import { createTempFile, defaultRandom, removeStaleTemps, writeFileAtomic, writeTempFile, type RandomInt, type TempOptions } from './atomic.js';
import { findLocker, type FileLocker, type HeldLock } from './flock.js';
import { errnoCode, exists, mkdirAll, readIfExists, removeTree, statExists, trimSpace } from './fsutil.js';
import { decodeInfo, encodeInfo, type RevInfo } from './info.js';
import { CacheLayout } from './layout.js';
import { rewriteVersionList } from './list.js';
import { WorkDir } from './workdir.js';

/** Options of {@link ModCache}. */
export interface ModCacheOptions {
  /** Temp-name randomness (tests inject a fixed sequence). */
  random?: RandomInt;
  /** fsync files before renaming them into place (go does not). */
  fsync?: boolean;
  /** The clock, in ms since the epoch, for age checks (default Date.now). */
  now?: () => number;
  /** How go's locks are taken (default {@link findLocker}); tests pass `noLocker()` to pin the fallback. */
  locker?: FileLocker;
}

/** The state of an extracted tree, as go's DownloadDir judges it. */
export type DirState = 'missing' | 'partial' | 'complete';

/** What {@link ModCache.publishDir} did. */
export type PublishDirResult =
  /** The staging tree is now the final directory. */
  | 'published'
  /** A complete final directory was already there; the staging tree was discarded. */
  | 'existing'
  /** Without a lock tool only: a young `.partial` may be a live go extracting into the final
   * directory; the staging tree was discarded and the final directory is not complete yet. */
  | 'busy';

/** What {@link ModCache.publishZip} did. */
export type PublishZipResult = 'published' | 'existing';

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
  /** The run's private directory for temps and staging trees. */
  readonly work: WorkDir;
  readonly locker: FileLocker;
  readonly #temp: TempOptions;
  readonly #random: RandomInt;
  readonly #now: () => number;

  constructor(root: string | CacheLayout, opts: ModCacheOptions = {}) {
    this.layout = typeof root === 'string' ? new CacheLayout(root) : root;
    this.locker = opts.locker ?? findLocker();
    this.work = new WorkDir(this.layout.root, this.locker);
    this.#random = opts.random ?? defaultRandom;
    this.#temp = { random: this.#random, fsync: opts.fsync ?? false, dir: () => this.work.dir() };
    this.#now = opts.now ?? Date.now;
  }

  /**
   * Takes go's lock on `path@version` (`@v/<version>.lock`), or undefined when no lock tool exists.
   * Hold it only for short steps that wait on nothing but the disk (and the checksum database, as go
   * does in hashZip): never while waiting for another lock.
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (lockVersion)
   */
  lockVersion(path: string, version: string, signal?: AbortSignal): Promise<HeldLock | undefined> {
    return this.locker.lock(this.layout.lockFile(path, version), signal);
  }

  /** Runs `fn` holding go's version lock (when a lock tool exists). */
  async withVersionLock<T>(path: string, version: string, fn: (locked: boolean) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const held = await this.lockVersion(path, version, signal);
    try {
      return await fn(held !== undefined);
    } finally {
      await held?.release();
    }
  }

  /**
   * The cached RevInfo, or undefined when the `.info` is missing or does not decode (go then
   * treats it as not cached and fetches it again).
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (readDiskStat)
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
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (writeDiskStat)
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
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (readDiskGoMod)
   */
  async readMod(path: string, version: string): Promise<Buffer | undefined> {
    const data = await readIfExists(this.layout.modFile(path, version));
    if (data === undefined || data.subarray(0, OLD_VGO_PREFIX.length).equals(OLD_VGO_PREFIX)) return undefined;
    return data;
  }

  /**
   * Writes `.mod` (call only after its go.sum check passed) and `list`: under go's lock on `list`,
   * the version is listed, then the `.mod` renamed into place (see {@link rewriteVersionList}).
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (writeDiskCache)
   */
  async writeMod(path: string, version: string, data: Uint8Array): Promise<string> {
    const file = this.layout.modFile(path, version);
    const tmp = await writeTempFile(file, data, this.#temp);
    try {
      await this.#rewriteList(dirname(file), { name: basename(file), publish: async () => renameSync(tmp, file) });
    } finally {
      rmSync(tmp, { force: true }); // gone after the rename; left by a failure before it
    }
    return file;
  }

  /**
   * Makes sure `list` names `version` when its `.mod` is cached: a run killed between publishing a
   * `.mod` and rewriting `list` (go's order) leaves a list without it. Called only where the
   * module needs writing anyway (zip or tree missing), so a warm run reads no list.
   */
  async ensureListed(path: string, version: string): Promise<boolean> {
    const list = await readIfExists(this.layout.listFile(path));
    if (list?.toString('latin1').split('\n').includes(version)) return false;
    if (!(await exists(this.layout.modFile(path, version)))) return false;
    return this.#rewriteList(this.layout.downloadDir(path));
  }

  /** One rewrite at a time per directory in this process (go's flock orders them across processes). */
  async #rewriteList(dir: string, adding?: { name: string; publish: () => Promise<void> }): Promise<boolean> {
    const prev = this.#listWrites.get(dir) ?? Promise.resolve();
    const mine = prev.then(() => rewriteVersionList(dir, { ...this.#temp, locker: this.locker, ...(adding ? { adding } : {}) }));
    const tail = mine.then(() => {}, () => {});
    this.#listWrites.set(dir, tail);
    try {
      return await mine;
    } finally {
      if (this.#listWrites.get(dir) === tail) this.#listWrites.delete(dir);
    }
  }

  /**
   * The `h1:` in `.ziphash`, or undefined when it is missing or invalid (after TrimSpace: not
   * exactly 47 bytes, or containing NUL, as a torn go write would).
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (Sum, isValidSum)
   */
  async readZiphash(path: string, version: string): Promise<string | undefined> {
    const data = await readIfExists(this.layout.ziphashFile(path, version));
    if (data === undefined) return undefined;
    const h = trimSpace(data);
    if (h.length !== ZIPHASH_LEN || h.includes(0)) return undefined;
    return Buffer.from(h).toString('latin1');
  }

  /**
   * Creates go's side-lock file `cache/lock` (empty, 0666 minus the umask) if it is missing, as go's
   * SideLock does whenever go.mod or go.sum is written; go takes it only to keep go commands older
   * than 1.16 from editing them at once, so the file, not a lock on it, is what matters here.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (SideLock)
   */
  async touchSideLock(): Promise<void> {
    const file = this.layout.sideLockFile();
    await mkdirAll(dirname(file));
    await (await open(file, 'a', 0o666)).close();
  }

  /**
   * Creates the version's lock file `E.lock` (empty, 0666 minus the umask) if it is missing, as go's
   * DownloadZip does when it takes the lock before downloading: a zip that then fails to download
   * leaves it behind in go's cache too. Best effort: where it cannot be made, the publish that needs
   * it reports why.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (DownloadZip, lockVersion)
   */
  async touchVersionLock(path: string, version: string): Promise<void> {
    try {
      await (await open(this.layout.lockFile(path, version), 'a', 0o666)).close();
    } catch {
      // see above
    }
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
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (DownloadZip)
   */
  async zipComplete(path: string, version: string): Promise<boolean> {
    // os.Stat, as go's DownloadZip: a link to nothing is no zip.
    return statExists(this.layout.zipFile(path, version)) && statExists(this.layout.ziphashFile(path, version));
  }

  /**
   * The extracted tree's state as go's DownloadDir sees it: `missing` (no such path), `partial`
   * (not a directory, `.partial` present, or `.ziphash` missing) or `complete`.
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (DownloadDir)
   */
  async dirState(path: string, version: string): Promise<DirState> {
    const dir = this.layout.moduleDir(path, version);
    // Synchronous, like the other small checks here: a warm run makes one per module, and a stat
    // through the thread pool costs far more than the stat itself.
    try {
      const st = statSync(dir, { throwIfNoEntry: false });
      if (st === undefined) return 'missing';
      if (!st.isDirectory()) return 'partial';
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
   * Creates the zip download temp in the work directory (`<work>/<escver>.zip<N>.tmp`), outside
   * go's cleanup pattern `E.zip*.tmp`, which go applies under its lock to files it believes dead.
   */
  async createZipTemp(path: string, version: string): Promise<{ path: string; handle: FileHandle }> {
    return createTempFile(this.layout.zipFile(path, version), this.#temp);
  }

  /**
   * Removes `E.zip*.tmp` (which includes `E.ziphash*.tmp`) left by a killed go. Call it only while
   * holding the version lock, as go's downloadZip does: every writer of such a temp holds it.
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (downloadZip)
   */
  async removeStaleZipTemps(path: string, version: string): Promise<string[]> {
    return removeStaleTemps(this.layout.zipFile(path, version));
  }

  /**
   * Publishes a verified zip under go's version lock: when the zip and its `.ziphash` are both
   * there already (go or another gomod-dl won the race) the temp is removed and nothing changes;
   * otherwise go's dead temps are removed, `.ziphash` written, and the temp renamed to `E.zip`.
   * Without a lock tool, go's temps are left alone (a live go may own them).
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (downloadZip, hashZip)
   */
  async publishZip(tmpZip: string, path: string, version: string, h1: string): Promise<PublishZipResult> {
    return this.withVersionLock(path, version, (locked) => this.#publishZip(tmpZip, path, version, h1, locked));
  }

  async #publishZip(tmpZip: string, path: string, version: string, h1: string, locked: boolean): Promise<PublishZipResult> {
    if (await this.zipComplete(path, version)) {
      rmSync(tmpZip, { force: true });
      return 'existing';
    }
    if (locked) await this.removeStaleZipTemps(path, version);
    await this.writeZiphash(path, version, h1);
    renameSync(tmpZip, this.layout.zipFile(path, version));
    return 'published';
  }

  /**
   * {@link publishZip} then {@link publishDir} under one hold of the version lock (one lock helper
   * instead of two; go takes the lock twice, which no reader can tell apart).
   */
  async publishZipAndDir(
    tmpZip: string,
    h1: string,
    staging: string,
    path: string,
    version: string,
    opts: { modcacherw?: boolean } = {},
  ): Promise<{ zip: PublishZipResult; dir: PublishDirResult }> {
    if (!opts.modcacherw) await makeTreeReadOnly(staging);
    return this.withVersionLock(path, version, async (locked) => {
      let zip: PublishZipResult;
      try {
        zip = await this.#publishZip(tmpZip, path, version, h1, locked);
      } catch (err) {
        await removeTree(staging);
        throw err;
      }
      return { zip, dir: await this.#publishDir(staging, path, version, locked) };
    });
  }

  /**
   * Makes the parent of a module's tree, as go's download does before it unzips (and leaves when
   * the unzip fails).
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (download)
   */
  async makeModuleParent(path: string, version: string): Promise<void> {
    await mkdirAll(dirname(this.layout.moduleDir(path, version)));
  }

  /** Creates a fresh, empty staging directory in the work directory. */
  async stagingDir(path: string, version: string): Promise<string> {
    return this.work.mkdir(`${basename(this.layout.moduleDir(path, version))}.`);
  }

  /**
   * Moves a verified staging tree into place. Unless `modcacherw`, its directories are made
   * read-only first (children before parents; files stay as extracted, 0444). Then, under go's
   * version lock and after re-checking, as go's download does: a complete final directory wins and
   * the staging tree is removed; otherwise go's dead leftovers (`<dir>.tmp-*`, an incomplete tree,
   * `.partial`) are removed and the staging tree renamed to the final name.
   *
   * Without a lock tool nothing another writer may own is removed: an existing final directory
   * (complete or not) makes this discard the staging tree ('existing' or 'busy').
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (download, makeDirsReadOnly)
   */
  async publishDir(staging: string, path: string, version: string, opts: { modcacherw?: boolean } = {}): Promise<PublishDirResult> {
    if (!opts.modcacherw) await makeTreeReadOnly(staging);
    return this.withVersionLock(path, version, (locked) => this.#publishDir(staging, path, version, locked));
  }

  async #publishDir(staging: string, path: string, version: string, locked: boolean): Promise<PublishDirResult> {
    const final = this.layout.moduleDir(path, version);
    const state = await this.dirState(path, version);
    if (state === 'complete') {
      await removeTree(staging);
      return 'existing';
    }
    if (locked) {
      await this.removeStaleStaging(path, version);
      if (state === 'partial') await removeTree(final);
      // A dangling symlink in the tree's place stats as missing, and a rename onto it fails: it goes
      // (go fails this run with `mkdir <dir>: file exists` and removes it; gomod-dl repairs at once).
      else if (lstatSync(final, { throwIfNoEntry: false }) !== undefined) rmSync(final, { force: true });
      rmSync(this.layout.partialFile(path, version), { force: true });
    } else if (state === 'partial' || (await exists(final))) {
      // Never rename over a directory go may be extracting into: on Linux a rename onto an
      // empty directory succeeds and would pull it out from under go.
      await removeTree(staging);
      return 'busy';
    }
    await mkdirAll(dirname(final));
    try {
      renameSync(staging, final); // synchronous, as the small files' steps are (cache/atomic.ts)
    } catch (err) {
      await removeTree(staging);
      const code = errnoCode(err);
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EISDIR' || code === 'ENOTDIR') {
        return (await this.dirState(path, version)) === 'complete' ? 'existing' : 'busy';
      }
      throw err;
    }
    return 'published';
  }

  /**
   * Removes staging directories `<moduleDir>.tmp-*` (go < 1.16's, and gomod-dl < 0.2's) whose mtime
   * is at least `minAgeMs` old (default 0: all). go removes them all under its lock; without one, a
   * minimum age keeps an older gomod-dl's live staging tree safe.
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (unzip)
   */
  async removeStaleStaging(path: string, version: string, opts: { minAgeMs?: number } = {}): Promise<string[]> {
    const final = this.layout.moduleDir(path, version);
    const prefix = basename(final) + '.tmp-';
    const parent = dirname(final);
    let names: string[];
    try {
      names = readdirSync(parent);
    } catch {
      names = [];
    }
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
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (unzip: RemoveAll of a partial dir)
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
