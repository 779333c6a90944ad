/**
 * File-system helpers for read-only module trees.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (RemoveAll)
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, type Dirent } from 'node:fs';
import { chmod, lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** The errno code of a Node fs error, if any. */
export function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * A file's bytes, or undefined when it (or a parent directory) does not exist.
 *
 * Synchronous inside: the files are small (.mod, .ziphash, .info, read by the thousand in a warm run)
 * and a read through the thread pool costs several times the CPU of the read itself (a hand-off to
 * a pool thread and back for each of open, fstat, read and close).
 */
export function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return Promise.resolve(readFileSync(file));
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return Promise.resolve(undefined);
    return Promise.reject(err as Error);
  }
}

/**
 * go's os.MkdirAll(dir, 0777), synchronous inside, as {@link readIfExists}. On failure the error
 * names the first directory that could not be created, as go's does: Node's synchronous recursive
 * mkdir names `dir` itself, its asynchronous one the failing directory, so a failure is retried
 * through the latter (which also settles a race with another creator).
 */
export async function mkdirAll(dir: string): Promise<void> {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o777 });
  } catch {
    await mkdir(dir, { recursive: true, mode: 0o777 });
  }
}

/** Whether `p` names something, following symlinks (go's os.Stat succeeding): a link to nothing does not. */
export function statExists(p: string): boolean {
  try {
    return statSync(p, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/** Whether `p` exists (lstat succeeds); synchronous inside, as {@link readIfExists}. */
export function exists(p: string): Promise<boolean> {
  try {
    return Promise.resolve(lstatSync(p, { throwIfNoEntry: false }) !== undefined);
  } catch {
    return Promise.resolve(false);
  }
}

/**
 * Removes a tree that may contain 0555 directories: every directory is made 0777 first (parents
 * before children, so their entries can be listed), then the tree is removed. A missing tree is
 * not an error.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (RemoveAll)
 */
export async function removeTree(dir: string): Promise<void> {
  // Directories only: a directory's entries say which of them are directories (no symlink is
  // followed), so files cost no stat (a discarded staging tree has thousands).
  const walk = async (p: string): Promise<void> => {
    await chmod(p, 0o777).catch(() => undefined);
    let entries: Dirent[];
    try {
      entries = await readdir(p, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory()) await walk(join(p, e.name));
  };
  const st = await lstat(dir).catch(() => undefined);
  if (st?.isDirectory()) await walk(dir);
  await rm(dir, { recursive: true, force: true });
}

/** {@link removeTree}, synchronously: for a signal handler about to exit. */
export function removeTreeSync(dir: string): void {
  const walk = (p: string): void => {
    try {
      chmodSync(p, 0o777);
      for (const e of readdirSync(p, { withFileTypes: true })) if (e.isDirectory()) walk(join(p, e.name));
    } catch {
      // best effort
    }
  };
  let st;
  try {
    st = lstatSync(dir);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) walk(dir);
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

const ASCII_SPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]);
/** Non-ASCII unicode.IsSpace runes, UTF-8 encoded as go's bytes.TrimSpace would see them. */
const UNICODE_SPACES = [0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000].map(
  (cp) => Buffer.from(String.fromCodePoint(cp), 'utf8'),
);

function spaceAt(b: Uint8Array, i: number): number {
  if (b[i]! < 0x80) return ASCII_SPACE.has(b[i]!) ? 1 : 0; // every byte of a multi-byte space is not ASCII
  for (const s of UNICODE_SPACES) if (s.every((x, k) => b[i + k] === x)) return s.length;
  return 0;
}

function spaceBefore(b: Uint8Array, end: number): number {
  if (b[end - 1]! < 0x80) return ASCII_SPACE.has(b[end - 1]!) ? 1 : 0;
  for (const s of UNICODE_SPACES) {
    if (end >= s.length && s.every((x, k) => b[end - s.length + k] === x)) return s.length;
  }
  return 0;
}

/**
 * go's bytes.TrimSpace: strips leading and trailing unicode.IsSpace runes.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/bytes/bytes.go (TrimSpace)
 */
export function trimSpace(b: Uint8Array): Uint8Array {
  let start = 0;
  let end = b.length;
  for (let w; start < end && (w = spaceAt(b, start)) > 0; ) start += w;
  for (let w; end > start && (w = spaceBefore(b, end)) > 0; ) end -= w;
  return b.subarray(start, end);
}
