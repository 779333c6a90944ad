/**
 * Where things live in a GOMODCACHE, named exactly as go names them.
 *
 *   <root>/cache/download/<escpath>/@v/<escver>.{info,mod,zip,ziphash,lock,partial}
 *   <root>/cache/download/<escpath>/@v/list
 *   <root>/cache/download/sumdb/<db>/lookup/<escpath>@<escver>
 *   <root>/cache/download/sumdb/<db>/tile/…
 *   <root>/cache/lock
 *   <root>/<escpath>@<escver>/                      (extracted tree)
 *
 * Paths and versions are escaped (`A` → `!a`) with x/mod's EscapePath / EscapeVersion. A version
 * must be valid semver and canonical before it can name a file, as go's CachePath demands; the
 * `go` and `toolchain` pseudo-modules are never cached.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (cacheDir, CachePath, DownloadDir)
 * @see https://go.dev/ref/mod#module-cache
 */
import { existsSync, mkdirSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, sep } from 'node:path';
import { canonicalVersion, escapePath, escapeVersion, isValid } from '../module/index.js';
import { quote } from '../internal/gostrconv.js';
import { CacheRootError, CacheVersionError, ToolchainModuleError } from './errors.js';

/** The kinds of per-version metadata files in `…/@v/`. */
export type CacheSuffix = 'info' | 'mod' | 'zip' | 'ziphash' | 'lock' | 'partial';

/** True for the `go` and `toolchain` pseudo-modules (gover.IsToolchain). */
export function isToolchainPath(path: string): boolean {
  return path === 'go' || path === 'toolchain';
}

/**
 * Checks `version` the way CachePath and DownloadDir do before using it in a file name, and
 * returns its escaped form.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (CachePath)
 */
export function checkCacheVersion(version: string): string {
  if (!isValid(version)) throw new CacheVersionError('ENONSEMVER', version);
  if (canonicalVersion(version) !== version) throw new CacheVersionError('ENONCANONICAL', version);
  return escapeVersion(version);
}

/**
 * Paths inside one GOMODCACHE. The first path asked for creates the root if it is missing, as go's
 * checkCacheDir does (so a run that fails before writing anything still leaves the empty cache
 * directory go leaves); nothing else touches the disk but {@link ensureRoot}.
 */
export class CacheLayout {
  /** The GOMODCACHE root, as given (absolute). */
  readonly root: string;

  /**
   * @throws CacheRootError with go's text when `root` is relative (the text ends in `.\n`, as go's does).
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (checkCacheDir)
   */
  constructor(root: string) {
    if (!isAbsolute(root)) {
      throw new CacheRootError('EGOMODCACHERELATIVE', `GOMODCACHE entry is relative; must be absolute path: ${quote(root)}.\n`);
    }
    this.root = root;
  }

  /**
   * Creates the root (`MkdirAll 0777`) if it does not exist; fails with go's message when it exists
   * but is not a directory.
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (checkCacheDir)
   */
  async ensureRoot(): Promise<void> {
    let isDir: boolean;
    try {
      isDir = (await stat(this.root)).isDirectory();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new CacheRootError('EGOMODCACHECREATE', `could not create module cache: ${(err as Error).message}`);
      }
      try {
        await mkdir(this.root, { recursive: true, mode: 0o777 });
      } catch (mkErr) {
        throw new CacheRootError('EGOMODCACHECREATE', `could not create module cache: ${(mkErr as Error).message}`);
      }
      return;
    }
    if (!isDir) {
      throw new CacheRootError('EGOMODCACHENOTDIR', `could not create module cache: ${quote(this.root)} is not a directory`);
    }
  }

  /**
   * Directories and escaped versions already checked: a run names each module's files many times
   * (a warm caddy run asked for 2,400 cache paths, 9 % of its CPU in path.join and the semver checks
   * before these). Only successes are kept; a failure is checked, and thrown, each time.
   */
  readonly #dirs = new Map<string, string>();
  readonly #versions = new Map<string, string>();
  #rootChecked = false;

  /**
   * go's checkCacheDir, once: creates the root (`MkdirAll 0777`) when it is missing. A failure is
   * left to the write that needs the directory, which reports it as before. Every path asked for
   * does this first, as every go CachePath does.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (checkCacheDir)
   */
  checkRoot(): void {
    if (this.#rootChecked) return;
    this.#rootChecked = true;
    try {
      if (!existsSync(this.root)) mkdirSync(this.root, { recursive: true, mode: 0o777 });
    } catch {
      // Reported where a file is written.
    }
  }

  /** {@link checkCacheVersion}, remembered. */
  #escapedVersion(version: string): string {
    let esc = this.#versions.get(version);
    if (esc === undefined) {
      esc = checkCacheVersion(version);
      this.#versions.set(version, esc);
    }
    return esc;
  }

  /** `<root>/cache/download/<escpath>/@v`. @see modfetch/cache.go (cacheDir) */
  downloadDir(path: string): string {
    this.checkRoot();
    let dir = this.#dirs.get(path);
    if (dir === undefined) {
      if (isToolchainPath(path)) throw new ToolchainModuleError();
      dir = join(this.root, 'cache', 'download', escapePath(path), '@v');
      this.#dirs.set(path, dir);
    }
    return dir;
  }

  /**
   * `<downloadDir>/<escver>.<suffix>`, with go's checks in go's order (toolchain, path, semver,
   * canonical, version escaping).
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (CachePath)
   */
  cachePath(path: string, version: string, suffix: CacheSuffix): string {
    const dir = this.downloadDir(path);
    const esc = this.#escapedVersion(version);
    // What join would give: a canonical semantic version is one plain path element (no `/`, never
    // `.` or `..`), and the directory is already clean.
    return `${dir}${sep}${esc}.${suffix}`;
  }

  infoFile(path: string, version: string): string { return this.cachePath(path, version, 'info'); }
  modFile(path: string, version: string): string { return this.cachePath(path, version, 'mod'); }
  zipFile(path: string, version: string): string { return this.cachePath(path, version, 'zip'); }
  ziphashFile(path: string, version: string): string { return this.cachePath(path, version, 'ziphash'); }
  lockFile(path: string, version: string): string { return this.cachePath(path, version, 'lock'); }
  partialFile(path: string, version: string): string { return this.cachePath(path, version, 'partial'); }

  /** `<downloadDir>/list`: the versions whose .mod is cached. @see modfetch/cache.go (rewriteVersionList) */
  listFile(path: string): string {
    return join(this.downloadDir(path), 'list');
  }

  /**
   * The extracted tree, `<root>/<escpath>@<escver>`.
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (DownloadDir)
   */
  moduleDir(path: string, version: string): string {
    this.checkRoot();
    if (isToolchainPath(path)) throw new ToolchainModuleError();
    const enc = escapePath(path);
    return join(this.root, `${enc}@${this.#escapedVersion(version)}`);
  }

  /**
   * The name prefix of staging directories for `moduleDir`: `<escpath>@<escver>.tmp-`. go removes
   * every sibling with this prefix when it next extracts the module, so staging here is both
   * crash-safe and cleaned up by either tool.
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (unzip)
   */
  stagingPrefix(path: string, version: string): string {
    return basename(this.moduleDir(path, version)) + '.tmp-';
  }

  /** `<root>/cache/lock`, go's SideLock file. @see modfetch/cache.go (SideLock) */
  sideLockFile(): string {
    return join(this.root, 'cache', 'lock');
  }

  /** `<root>/cache/download/sumdb/<name>`. @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/sumdb.go (ReadCache) */
  sumdbDir(name: string): string {
    return join(this.root, 'cache', 'download', 'sumdb', name);
  }

  /**
   * The cached `/lookup` body: `<sumdbDir>/lookup/<escpath>@<escver>` (the `/go.mod` suffix is not
   * part of the name; one lookup serves both hashes).
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/client.go (Lookup)
   */
  sumdbLookupFile(name: string, path: string, version: string): string {
    return join(this.sumdbDir(name), 'lookup', `${escapePath(path)}@${escapeVersion(version)}`);
  }

  /**
   * A cached tile: `<sumdbDir>/<tilePath>` where tilePath is tlog's `tile/H/L/NNN[.p/W]` (or
   * `tile/H/data/…`), given with `/` separators.
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tile.go (Tile.Path)
   */
  sumdbTileFile(name: string, tilePath: string): string {
    return join(this.sumdbDir(name), ...tilePath.split('/'));
  }
}
