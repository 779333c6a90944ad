/**
 * go-compatible temp files and atomic replacement.
 *
 * go names a temp file `<final><N>.tmp`, N = decimal `rand.Intn(1e9)` without padding, opens it
 * O_CREATE|O_EXCL with mode 0666 (so 0644 under umask 022), writes, closes and renames it over the
 * final name. Using the same names matters: go's downloadZip removes `E.zip*.tmp` (a pattern that
 * also covers `E.ziphash*.tmp`) under the version lock, so a temp left by a killed gomod-dl is
 * cleaned by either tool. `.info` / `.mod` temps are never cleaned by go; a killed writer leaves a
 * stray temp but never a half-written final file.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (writeDiskCache, tempFile)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (downloadZip)
 */
import { randomInt } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { mkdirAll } from './fsutil.js';

/** Returns an integer in [0, 1e9), like Go's `rand.Intn(1000000000)`. Injected by tests. */
export type RandomInt = () => number;

/** The default source of temp-name randomness. */
export const defaultRandom: RandomInt = () => randomInt(1_000_000_000);

/** Options shared by the temp-file helpers. */
export interface TempOptions {
  /** Temp-name randomness; defaults to {@link defaultRandom}. */
  random?: RandomInt;
  /** Permission bits before the umask; go uses 0666. */
  mode?: number;
  /** fsync the file before the rename (go does not; off by default). */
  fsync?: boolean;
  /**
   * Create the temp in this directory (same file system) instead of beside the final name, as
   * `<dir>/<final's base name><N>.tmp`: a killed writer then leaves nothing beside the final name.
   */
  dir?: () => Promise<string>;
}

/** go's tempFile gives up after this many name collisions. */
const MAX_TEMP_ATTEMPTS = 10_000;

/**
 * Creates `<finalPath><N>.tmp` exclusively (`wx`), retrying on a name collision as go's tempFile
 * does. The caller owns the handle and must close it and rename or remove the file.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (tempFile)
 */
export async function createTempFile(finalPath: string, opts: TempOptions = {}): Promise<{ path: string; handle: FileHandle }> {
  const names = tempNames(await tempBase(finalPath, opts), opts);
  let lastErr: unknown;
  for (const path of names) {
    try {
      return { path, handle: await open(path, 'wx', opts.mode ?? 0o666) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      lastErr = err;
    }
  }
  throw lastErr;
}

/** The temp names for `finalPath` go would try, `<base><N>.tmp`, as many as go tries. */
function* tempNames(base: string, opts: TempOptions): Generator<string> {
  const random = opts.random ?? defaultRandom;
  for (let i = 0; i < MAX_TEMP_ATTEMPTS; i++) yield `${base}${random()}.tmp`;
}

/** `finalPath`, or its base name in `opts.dir`: what temp names for it start with. */
async function tempBase(finalPath: string, opts: TempOptions): Promise<string> {
  return opts.dir !== undefined ? join(await opts.dir(), basename(finalPath)) : finalPath;
}

/**
 * Names a thrown write error after the temp file. Node's errors from a write to a descriptor carry
 * no path; this one gets the temp file's, so that the error reads as go's (`write <tmp>: no space
 * left on device`, internal/goerrno.ts) whatever layer reports it.
 */
function namedWriteError(err: unknown, path: string): unknown {
  const e = err as NodeJS.ErrnoException;
  if (typeof e.code === 'string' && e.path === undefined) {
    e.path = path;
    e.syscall ??= 'write';
  }
  return err;
}

/**
 * Writes `data` to a fresh temp file for `finalPath` (closed) and returns its path; the caller
 * renames it into place and removes it on failure. The parent directory of `finalPath` is created
 * first (0777 before umask).
 *
 * Synchronous inside, like the other small-file work of the main thread (cache/fsutil.ts): these
 * are `.info`, `.mod`, `.ziphash`, `list` and go.sum, a few hundred bytes each but hundreds per
 * run, and each step through the thread pool (mkdir, open, write, close, rename) cost a hand-off to
 * a pool thread and back: on a cold caddy run the main thread made about 10,000 such calls
 * (counted with a wrapper over node:fs), about 1,700 of them here.
 */
export async function writeTempFile(finalPath: string, data: Uint8Array | string, opts: TempOptions = {}): Promise<string> {
  const names = tempNames(await tempBase(finalPath, opts), opts);
  await mkdirAll(dirname(finalPath));
  let lastErr: unknown;
  for (const tmp of names) {
    let fd: number;
    try {
      fd = openSync(tmp, 'wx', opts.mode ?? 0o666);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      lastErr = err;
      continue;
    }
    try {
      try {
        writeFileSync(fd, data);
        if (opts.fsync) fsyncSync(fd);
      } catch (err) {
        closeSync(fd);
        throw namedWriteError(err, tmp);
      }
      closeSync(fd);
    } catch (err) {
      removeQuietly(tmp);
      throw err;
    }
    return tmp;
  }
  throw lastErr;
}

/** Removes a temp file that failed, best effort: the failure is the error to report. */
function removeQuietly(tmp: string): void {
  try {
    unlinkSync(tmp);
  } catch {
    // nothing more to do
  }
}

/**
 * Writes `data` to `finalPath` through a go-named temp file and a rename (see
 * {@link writeTempFile}). On any failure the temp file is removed and the final name is untouched.
 * On success the temp is never removed: after the rename that name may already belong to another
 * writer.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (writeDiskCache)
 */
export async function writeFileAtomic(finalPath: string, data: Uint8Array | string, opts: TempOptions = {}): Promise<void> {
  const tmp = await writeTempFile(finalPath, data, opts);
  try {
    renameSync(tmp, finalPath);
  } catch (err) {
    removeQuietly(tmp);
    throw err;
  }
}

/**
 * True if `name` matches go's cleanup glob `<base>*.tmp`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (downloadZip: tmpPattern)
 */
export function isTempNameFor(base: string, name: string): boolean {
  return name.length >= base.length + '.tmp'.length && name.startsWith(base) && name.endsWith('.tmp');
}

/**
 * Removes `<finalPath>*.tmp` siblings, best effort, and returns the paths removed. go does this
 * only for the zip (`E.zip*.tmp`, which also matches `E.ziphash*.tmp`), under the version lock,
 * right before it downloads the zip again; callers must only use it where no other writer can
 * still be using such a temp.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (downloadZip)
 */
export async function removeStaleTemps(finalPath: string): Promise<string[]> {
  const dir = dirname(finalPath);
  const base = basename(finalPath);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!isTempNameFor(base, name)) continue;
    const p = join(dir, name);
    try {
      unlinkSync(p);
      removed.push(p);
    } catch {
      // best effort, as go's os.Remove here
    }
  }
  return removed;
}
