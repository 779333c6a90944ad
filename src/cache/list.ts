/**
 * The `@v/list` file of the module cache: not the proxy's list, but the versions whose `.mod`
 * file is cached.
 *
 * Rules (go's rewriteVersionList): take every `*.mod` name in the directory, strip `.mod`, do NOT
 * unescape it, keep it only if it is non-empty and `CanonicalVersion(v) == v` (so `!`-escaped
 * versions such as `v1.0.0-!r!c1` never appear), sort with semver.Sort, write each followed by
 * `\n`, and leave the file alone when the content is unchanged.
 *
 * go edits `list` in place under an exclusive flock on `list` itself (lockedfile.Edit), reading the
 * directory while it holds the lock, so no rewrite can drop a `.mod` another writer renamed into
 * place before taking the lock. With a lock tool ({@link FileLocker}) gomod-dl does exactly that:
 * same lock, same in-place write, so it and go exclude each other. Without one it writes a temp
 * file and renames it (a reader sees the old or the new list); two concurrent rewrites then each
 * list what they saw, and a version can be missing until the next rewrite.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (rewriteVersionList)
 */
import { InternalError } from '../internal/errors.js';
import { fstatSync, ftruncateSync, readdirSync, readFileSync, readSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { canonicalVersion, sortVersions } from '../module/index.js';
import { writeFileAtomic, type TempOptions } from './atomic.js';
import type { FileLocker } from './flock.js';

/** The `list` body go would write for these directory entry names. */
export function versionListContent(names: Iterable<string>): string {
  const list: string[] = [];
  for (const name of names) {
    if (!name.endsWith('.mod')) continue;
    const v = name.slice(0, -'.mod'.length);
    if (v !== '' && canonicalVersion(v) === v) list.push(v);
  }
  return sortVersions(list).map((v) => v + '\n').join('');
}

/** Options of {@link rewriteVersionList}. */
export interface RewriteListOptions extends TempOptions {
  /** Takes go's lock on `list`; without one (or without a tool) the list is replaced by rename. */
  locker?: FileLocker;
  /**
   * A `.mod` about to be published: its version is listed first, then `publish` (which renames the
   * `.mod` into place) runs before the lock is released. A run killed in between leaves a list
   * naming a version whose `.mod` is not there yet, which the next run's write of that `.mod`
   * makes true, rather than a `.mod` the list lacks, which no later run would notice.
   */
  adding?: { name: string; publish: () => Promise<void> };
}

/**
 * Rewrites `<downloadDir>/list` from the `*.mod` files in `downloadDir` (which must end in `@v`).
 * Returns whether the file was written.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (rewriteVersionList)
 */
export async function rewriteVersionList(downloadDir: string, opts: RewriteListOptions = {}): Promise<boolean> {
  if (basename(downloadDir) !== '@v') {
    throw new InternalError('go: internal error: misuse of rewriteVersionList');
  }
  const listFile = join(downloadDir, 'list');
  // The reads and writes are synchronous: a few hundred bytes each, once per .mod written, where a
  // trip through the thread pool per step cost more than the step (see cache/atomic.ts).
  const names = (): string[] => {
    const n = readdirSync(downloadDir);
    return opts.adding !== undefined ? [...n, opts.adding.name] : n;
  };
  const held = await opts.locker?.lock(listFile);
  if (held !== undefined) {
    try {
      const fd = held.handle.fd;
      const content = Buffer.from(versionListContent(new Set(names())), 'latin1');
      const { size } = fstatSync(fd);
      const old = Buffer.alloc(size);
      if (size > 0) readSync(fd, old, 0, size, 0);
      const changed = !old.equals(content);
      if (changed) {
        // Written, then cut to length: the file never reads empty on the way.
        if (content.length > 0) writeSync(fd, content, 0, content.length, 0);
        ftruncateSync(fd, content.length);
      }
      await opts.adding?.publish();
      return changed;
    } finally {
      await held.release();
    }
  }
  const content = versionListContent(new Set(names()));
  let old: string | undefined;
  try {
    old = readFileSync(listFile, 'latin1');
  } catch {
    old = undefined;
  }
  // Versions are ASCII, so comparing latin1 text is comparing bytes.
  const changed = old !== content;
  if (changed) await writeFileAtomic(listFile, content, opts);
  await opts.adding?.publish();
  return changed;
}
