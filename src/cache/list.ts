/**
 * The `@v/list` file of the module cache: not the proxy's list, but the versions whose `.mod`
 * file is cached.
 *
 * Rules (go's rewriteVersionList): take every `*.mod` name in the directory, strip `.mod`, do NOT
 * unescape it, keep it only if it is non-empty and `CanonicalVersion(v) == v` (so `!`-escaped
 * versions such as `v1.0.0-!r!c1` never appear), sort with semver.Sort, write each followed by
 * `\n`, and leave the file alone when the content is unchanged.
 *
 * Difference from go, on purpose: go edits `list` in place under a flock (truncate, zero-fill,
 * write). Without flock we write a temp file and rename it, so a reader (or a GOPROXY serving the
 * cache) sees the old or the new list, never a torn one. Two concurrent rewrites each list what
 * they saw; the later rename wins, and a `.mod` written in between is listed by the next rewrite,
 * which is the same eventual consistency go's comment accepts.
 *
 * @see /usr/local/go/src/cmd/go/internal/modfetch/cache.go (rewriteVersionList)
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { canonicalVersion, sortVersions } from '../module/index.js';
import { writeFileAtomic, type TempOptions } from './atomic.js';

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

/**
 * Rewrites `<downloadDir>/list` from the `*.mod` files in `downloadDir` (which must end in `@v`).
 * Returns whether the file was written.
 *
 * @see /usr/local/go/src/cmd/go/internal/modfetch/cache.go (rewriteVersionList)
 */
export async function rewriteVersionList(downloadDir: string, opts: TempOptions = {}): Promise<boolean> {
  if (basename(downloadDir) !== '@v') {
    throw new Error('go: internal error: misuse of rewriteVersionList');
  }
  const listFile = join(downloadDir, 'list');
  const content = versionListContent(await readdir(downloadDir));
  const old = await readFile(listFile, 'latin1').catch(() => undefined);
  // Versions are ASCII, so comparing latin1 text is comparing bytes.
  if (old === content) return false;
  await writeFileAtomic(listFile, content, opts);
  return true;
}
