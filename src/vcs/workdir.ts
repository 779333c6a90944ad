/**
 * go's codehost.WorkDir: `GOMODCACHE/cache/vcs/<sha256 hex of "type:name">` with its `.info` (the key,
 * no newline) and `.lock` files, reused when both the directory and a matching `.info` exist, else
 * started from scratch.
 *
 * The `.lock` file is created as go creates it; git.ts takes go's flock on it (cache/flock.ts) around
 * the repository's creation and every fetch, as go's r.mu does, so go and gomod-dl take turns.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/codehost/codehost.go (WorkDir)
 */
import { GoError } from '../internal/errors.js';
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { quote } from '../internal/gostrconv.js';
import type { FileLocker } from '../cache/flock.js';

/** Returns the work directory for `typ:name`, creating it as go does. */
export async function workDir(gomodcache: string, typ: string, name: string, trace?: (line: string) => void, locker?: FileLocker): Promise<string> {
  if (gomodcache === '') throw new GoError('ENOMODCACHE', 'neither GOPATH nor GOMODCACHE are set');
  const key = `${typ}:${name}`;
  const dir = join(gomodcache, 'cache', 'vcs', createHash('sha256').update(key).digest('hex'));
  trace?.(`mkdir -p ${dirname(dir)} # ${typ} ${name}\n`);
  await mkdir(dirname(dir), { recursive: true });
  const lockfile = dir + '.lock';
  trace?.(`# lock ${lockfile}\n`);
  try {
    await (await open(lockfile, 'a', 0o666)).close();
  } catch (e) {
    throw new GoError('EWORKDIRLOCK', `codehost.WorkDir: can't find or create lock file: ${(e as Error).message}`);
  }
  // go checks and (re)creates the directory holding the lock: a go creating it at this moment must
  // never see it removed under it.
  const held = await locker?.lock(lockfile);
  try {
    return await checkOrCreate(dir, key, typ, name, trace);
  } finally {
    await held?.release();
  }
}

async function checkOrCreate(dir: string, key: string, typ: string, name: string, trace?: (line: string) => void): Promise<string> {
  const data = await readFile(dir + '.info', 'utf8').catch(() => undefined);
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (data !== undefined && isDir) {
    const have = data.replace(/\n$/, '');
    if (have !== key) throw new GoError('EWORKDIRINFO', `${dir}.info exists with wrong content (have ${quote(have)} want ${quote(key)})`);
    trace?.(`# ${dir} for ${typ} ${name}\n`);
    return dir;
  }
  trace?.(`mkdir -p ${dir} # ${typ} ${name}\n`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(dir + '.info', key, { mode: 0o666 });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return dir;
}
