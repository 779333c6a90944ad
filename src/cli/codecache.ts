/**
 * Loads a CommonJS file of the bundle (dist/bundle/*.cjs, scripts/bundle.mjs) with V8's code cache.
 *
 * Node 20 compiles every run from source: the whole bundle is parsed at start and each function again
 * when it is first called, and a run of gomod-dl is short, so compiling is a large share of it (a warm
 * caddy run, nothing to fetch: 0.41 -> 0.35 s with the cache; `--version` 0.14 -> 0.10 s; measured
 * in the commit that added this file). Node 22's module.enableCompileCache() does this for any
 * module; on Node 20 only vm.Script takes cached data, so the bundle is CommonJS and run through it.
 *
 * The cache is a file beside the bundle, `<file>.<key>.v8cache`: one byte of level (how much of the
 * program had been compiled when it was written, see {@link CachedModule.save}), then V8's data. The
 * key covers what V8's own check does not: the bundle's content (its first line names its build, as
 * V8 only compares the source's length), and the Node version, architecture and flags (command line
 * and NODE_OPTIONS),
 * so that two Nodes sharing a package directory do not overwrite each other's cache. V8 still
 * rejects data from another V8 or flag set, and then the file is written anew. Writing is atomic (a
 * temporary file renamed) and best effort: a package directory the user cannot write is run
 * without a cache, and any failure only costs the time it would have saved.
 *
 * @see https://nodejs.org/docs/latest-v20.x/api/vm.html#new-vmscriptcode-options (cachedData)
 * @see https://v8.dev/blog/code-caching-for-devs
 */
import { accessSync, constants, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import nodePath from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

/** What became of the cache file when the module was loaded. */
export type CacheStatus = 'none' | 'used' | 'rejected';

/** A loaded CommonJS module and its cache. */
export interface CachedModule {
  readonly exports: Record<string, unknown>;
  readonly status: CacheStatus;
  /**
   * Writes the cache when `level` is above the cached one's (no cache counts as -1): V8 saves every
   * function compiled so far, so a run that went further than the one that wrote the cache (a
   * download after a `--version`) leaves a more complete one. Never throws.
   */
  save(level: number): void;
}

const CACHE_SUFFIX = '.v8cache';

/** The build line scripts/bundle.mjs puts first in each .cjs file: `// gomod-dl build <id>`. */
const BUILD_LINE = /^\/\/ gomod-dl build ([0-9a-f]+)\n/;

/** FNV-1a, 32 bits, as 8 hex digits: a file-name key, not a check (V8 checks what it loads). */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** The cache file of `file` for this build of it and this Node. */
function cachePath(file: string, build: string): string {
  // NODE_OPTIONS too: its flags are not in execArgv, but V8's flag check sees them.
  const key = fnv1a([process.version, process.arch, process.env['NODE_OPTIONS'] ?? '', ...process.execArgv].join('\0'));
  return `${file}.${build}-${key}${CACHE_SUFFIX}`;
}

/**
 * Runs the CommonJS file `file` (an absolute path) as Node's loader would, with its code cache.
 * `__gomoddl_url` is the file's URL: the bundle's stand-in for `import.meta.url`.
 */
export function loadCached(file: string): CachedModule {
  const source = readFileSync(file, 'utf8');
  const build = BUILD_LINE.exec(source)?.[1];
  const cacheFile = build !== undefined ? cachePath(file, build) : undefined;
  let level = -1;
  let cachedData: Buffer | undefined;
  if (cacheFile !== undefined) {
    try {
      const data = readFileSync(cacheFile);
      if (data.length > 1) {
        level = data[0]!;
        cachedData = data.subarray(1);
      }
    } catch {
      // No cache yet.
    }
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname, __gomoddl_url) {${source}\n})`;
  const script = new Script(wrapped, { filename: file, ...(cachedData !== undefined ? { cachedData } : {}) });
  const status: CacheStatus = cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'rejected' : 'used';
  if (status === 'rejected') level = -1;
  const module = { exports: {} as Record<string, unknown> };
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(module.exports, module.exports, createRequire(file), module, file, nodePath.dirname(file), pathToFileURL(file).href);
  return {
    exports: module.exports,
    status,
    save(next: number): void {
      if (cacheFile === undefined || next <= level) return;
      // Checked first: serializing costs about 10 ms, for nothing in a directory the user cannot write.
      try {
        accessSync(nodePath.dirname(cacheFile), constants.W_OK);
      } catch {
        return;
      }
      // Unique per thread of any process: workers of one process save their caches side by side.
      const tmp = `${cacheFile}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
      try {
        writeFileSync(tmp, Buffer.concat([Buffer.from([next]), script.createCachedData()]));
        renameSync(tmp, cacheFile);
        level = next;
        removeOtherBuilds(file, build!, cacheFile);
      } catch {
        // A read-only package directory, a full disk: run without a cache, and leave nothing behind.
        try {
          unlinkSync(tmp);
        } catch {
          // Never written.
        }
      }
    },
  };
}

/** At most this many caches per build (one per Node version and flag set) are kept. */
const MAX_VARIANTS = 4;

/**
 * Deletes the caches of earlier builds of `file` (a rebuild or an upgrade leaves them behind), and
 * of this build all but `keep` (the one just written) and the newest others, {@link MAX_VARIANTS} in
 * all (a Node started with ever-changing flags would otherwise add a file per run).
 */
function removeOtherBuilds(file: string, build: string, keep: string): void {
  const dir = nodePath.dirname(file);
  const prefix = nodePath.basename(file) + '.';
  const mine: Array<{ path: string; mtime: number }> = [];
  const remove = (p: string): void => {
    try {
      unlinkSync(p);
    } catch {
      // Gone already, or not ours to delete.
    }
  };
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix) || !name.endsWith(CACHE_SUFFIX)) continue;
    const p = nodePath.join(dir, name);
    if (!name.startsWith(`${prefix}${build}-`)) remove(p);
    else if (p !== keep) mine.push({ path: p, mtime: statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? 0 });
  }
  mine.sort((a, b) => b.mtime - a.mtime);
  for (const { path } of mine.slice(MAX_VARIANTS - 1)) remove(path);
}
