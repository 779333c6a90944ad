// Snapshots and compares directory trees (a GOMODCACHE written by go vs one written by gomod-dl).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, lstat, readFile, readdir, readlink, rm } from 'node:fs/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One node of a tree; `path` is relative and slash-separated. */
export interface TreeEntry {
  path: string;
  type: 'file' | 'dir' | 'symlink';
  /** Permission bits (mode & 0o7777). */
  mode: number;
  /** Bytes for files, 0 otherwise. */
  size: number;
  /** Hex SHA-256 of a file's content, of a symlink's target, '' for a directory. */
  sha256: string;
  /** A symlink's target. */
  target?: string;
}

/** Options of {@link snapshotTree}. */
export interface SnapshotOptions {
  /** Leave out this relative path (and everything below it, for a directory). */
  ignore?: (rel: string) => boolean;
}

function byPath(a: TreeEntry, b: TreeEntry): number {
  return Buffer.compare(Buffer.from(a.path), Buffer.from(b.path));
}

/**
 * Snapshots every node below `dir` (not `dir` itself), sorted bytewise by path. Mtimes are ignored
 * (go does not preserve zip mtimes either).
 * @see ../shared/reference/go-mod-download.md §1.2 (files, modes)
 */
export async function snapshotTree(dir: string, opts: SnapshotOptions = {}): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  async function walk(abs: string, rel: string): Promise<void> {
    for (const name of await readdir(abs)) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (opts.ignore?.(r)) continue;
      const a = join(abs, name);
      const st = await lstat(a);
      const mode = st.mode & 0o7777;
      if (st.isSymbolicLink()) {
        const target = await readlink(a);
        out.push({ path: r, type: 'symlink', mode, size: 0, sha256: sha256(Buffer.from(target)), target });
      } else if (st.isDirectory()) {
        out.push({ path: r, type: 'dir', mode, size: 0, sha256: '' });
        await walk(a, r);
      } else {
        out.push({ path: r, type: 'file', mode, size: st.size, sha256: sha256(await readFile(a)) });
      }
    }
  }
  await walk(dir, '');
  return out.sort(byPath);
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

const oct = (m: number): string => '0' + m.toString(8).padStart(3, '0');

/** Options of {@link diffTrees}. */
export interface DiffOptions {
  /** Compare permission bits (default true). */
  modes?: boolean;
  /** Stop after this many differences (default 20; a last line says how many more). */
  max?: number;
}

/**
 * Readable differences between two snapshots (`a` = actual, `b` = expected), at most `max` lines.
 * An empty list means the trees are the same.
 */
export function diffTrees(a: TreeEntry[], b: TreeEntry[], opts: DiffOptions = {}): string[] {
  const { modes = true, max = 20 } = opts;
  const diffs: string[] = [];
  const am = new Map(a.map((e) => [e.path, e]));
  const bm = new Map(b.map((e) => [e.path, e]));
  const paths = [...new Set([...am.keys(), ...bm.keys()])].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  for (const p of paths) {
    const x = am.get(p);
    const y = bm.get(p);
    if (!y) diffs.push(`only in actual:   ${p} (${x!.type})`);
    else if (!x) diffs.push(`only in expected: ${p} (${y.type})`);
    else if (x.type !== y.type) diffs.push(`type differs:     ${p}: ${x.type}, expected ${y.type}`);
    else {
      if (modes && x.mode !== y.mode) diffs.push(`mode differs:     ${p}: ${oct(x.mode)}, expected ${oct(y.mode)}`);
      if (x.type === 'symlink' && x.target !== y.target) diffs.push(`target differs:   ${p}: ${x.target}, expected ${y.target}`);
      else if (x.size !== y.size) diffs.push(`size differs:     ${p}: ${x.size} bytes, expected ${y.size}`);
      else if (x.sha256 !== y.sha256) diffs.push(`content differs:  ${p} (same size ${x.size})`);
    }
  }
  if (diffs.length > max) return [...diffs.slice(0, max), `… and ${diffs.length - max} more differences`];
  return diffs;
}

/** Which of go's by-products a cache comparison leaves out. */
export interface CacheIgnoreOptions {
  /**
   * Compare `*.lock` files and `cache/lock` (default false). go creates these empty flock files and
   * never deletes them; gomod-dl creates a version's `.lock` when it downloads its zip, as go's
   * DownloadZip does, or writes the version (a module go had already cached may get none;
   * ARCHITECTURE.md, "Publish protocol") and `cache/lock`
   * when it writes go.mod or go.sum, as go does (test/download/mainmodfile.test.ts compares that
   * one); go creates a missing lock file on demand, so their absence is not an observable difference.
   */
  locks?: boolean;
  /** Compare `cache/download/sumdb/**` (default false): lookup/tile caching is an optimisation. */
  sumdbCache?: boolean;
  /** Further paths to leave out. */
  ignore?: (rel: string) => boolean;
}

/**
 * The standard ignore predicate for comparing module caches (see {@link CacheIgnoreOptions}).
 * @see ../shared/reference/go-mod-download.md §1.2–1.3 (.lock, cache/lock, sumdb cache)
 */
export function cacheIgnore(opts: CacheIgnoreOptions = {}): (rel: string) => boolean {
  const { locks = false, sumdbCache = false, ignore } = opts;
  return (rel) => {
    if (!locks && (rel === 'cache/lock' || rel.endsWith('.lock'))) return true;
    if (!sumdbCache && (rel === 'cache/download/sumdb' || rel.startsWith('cache/download/sumdb/'))) return true;
    return ignore?.(rel) ?? false;
  };
}

/**
 * Asserts that two directories hold the same tree (paths, types, modes, contents), leaving out go's
 * by-products per {@link cacheIgnore}. The failure message lists the first differences.
 */
export async function assertSameTree(actualDir: string, expectedDir: string, opts: CacheIgnoreOptions & DiffOptions = {}): Promise<void> {
  const ignore = cacheIgnore(opts);
  const [a, b] = await Promise.all([snapshotTree(actualDir, { ignore }), snapshotTree(expectedDir, { ignore })]);
  const diffs = diffTrees(a, b, opts);
  if (diffs.length > 0) {
    assert.fail(`trees differ\n  actual:   ${actualDir}\n  expected: ${expectedDir}\n  ${diffs.join('\n  ')}`);
  }
}

/**
 * Removes a tree that may contain read-only directories (go's module cache is 0555): directories are
 * made writable first, as `go clean -modcache` does. A missing `dir` is not an error.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (RemoveAll after makeDirsReadOnly)
 */
export async function rmrf(dir: string): Promise<void> {
  async function unlock(d: string): Promise<void> {
    await chmod(d, 0o755).catch(() => undefined);
    let names: string[];
    try {
      names = await readdir(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      const st = await lstat(p).catch(() => undefined);
      if (st?.isDirectory()) await unlock(p);
    }
  }
  const st = await lstat(dir).catch(() => undefined);
  if (!st) return;
  if (st.isDirectory()) await unlock(dir);
  // Retries: a process that just exited (go's telemetry child) may still be adding files.
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

/** Writes files (relative path → text) under `dir`, creating their directories. */
export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}
