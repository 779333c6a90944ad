/**
 * The run's private work directory inside the GOMODCACHE: every temp file and staging tree gomod-dl
 * makes lives in `<root>/cache/gomod-dl/<host>.<pid>.<N>/` until it is renamed into place.
 *
 * Why there: go removes `E.zip*.tmp` and `<dir>.tmp-*` when it takes a version's lock, believing their
 * writers dead (they are go's own names, and go writes them only under that lock). gomod-dl's
 * temps and staging trees are written before it takes the lock, so they must not match those
 * globs; go never looks inside `cache/gomod-dl/`. One directory per process also makes cleanup
 * trivial: an interrupted run removes one tree, and the next run removes the trees of dead runs.
 *
 * Liveness: the owner holds `<workdir>/owner.lock` (flock) for as long as it lives; a later run that
 * can lock it knows the owner is dead (the kernel released its lock), whatever the pid became. Without
 * a lock tool the name's host and pid decide: same host and no such process. A directory of another
 * host is never touched (its owner cannot be proven dead).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (downloadZip, download)
 */
import { mkdirSync, rmdirSync } from 'node:fs';
import { mkdir, readdir, rename, rmdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { removeTree, removeTreeSync } from './fsutil.js';
import type { FileLocker, HeldLock } from './flock.js';

/** `cache/gomod-dl`, relative to the GOMODCACHE root. */
export const WORK_PARENT = join('cache', 'gomod-dl');

const OWNER_LOCK = 'owner.lock';

/** A host name safe in a file name (the part before the first dot, odd bytes replaced). */
function hostTag(): string {
  return (hostname().split('.')[0] || 'host').replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Parses `<host>.<pid>.<N>`. */
function parseName(name: string): { host: string; pid: number } | undefined {
  const m = /^([A-Za-z0-9_-]+)\.(\d+)\.\d+$/.exec(name);
  return m === null ? undefined : { host: m[1]!, pid: Number(m[2]) };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One process's work directory (created on first use) and the sweep of dead ones. */
export class WorkDir {
  readonly #parent: string;
  readonly #locker: FileLocker;
  #dir: Promise<string> | undefined;
  #path: string | undefined;
  #owner: HeldLock | undefined;
  #seq = 0;

  constructor(root: string, locker: FileLocker) {
    this.#parent = join(root, WORK_PARENT);
    this.#locker = locker;
  }

  /** The directory, created (with its owner lock held) on first call. */
  dir(): Promise<string> {
    this.#dir ??= this.#create();
    return this.#dir;
  }

  /** A fresh path inside the work directory (nothing is created there). */
  async fresh(prefix: string): Promise<string> {
    return join(await this.dir(), `${prefix}${this.#seq++}`);
  }

  async #create(): Promise<string> {
    for (let i = 0; ; i++) {
      const dir = join(this.#parent, `${hostTag()}.${process.pid}.${Date.now()}${i}`);
      try {
        await mkdir(this.#parent, { recursive: true, mode: 0o777 });
        await mkdir(dir, { mode: 0o777 });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // ENOENT: another run removed the (empty) parent between the two mkdirs.
        if ((code === 'EEXIST' || code === 'ENOENT') && i < 100) continue;
        throw err;
      }
      this.#path = dir;
      // Locked under another name, then renamed: a sweeping run sees owner.lock only once it is held.
      this.#owner = await this.#locker.lock(join(dir, OWNER_LOCK + '.new'));
      if (this.#owner !== undefined) await rename(join(dir, OWNER_LOCK + '.new'), join(dir, OWNER_LOCK));
      else await writeFile(join(dir, 'owner'), `${process.pid} ${hostname()}\n`);
      return dir;
    }
  }

  /**
   * Removes the work directories of dead runs (see the file comment) and returns them. Cheap when
   * there are none: one readdir that fails with ENOENT.
   */
  async sweepDead(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.#parent);
    } catch {
      return [];
    }
    const removed: string[] = [];
    for (const name of names) {
      const p = join(this.#parent, name);
      if (p === this.#path) continue;
      const owner = parseName(name);
      if (owner === undefined || owner.host !== hostTag()) continue;
      if (!(await this.#dead(p, owner.pid))) continue;
      await removeTree(p);
      removed.push(p);
    }
    await rmdir(this.#parent).catch(() => undefined);
    return removed;
  }

  async #dead(dir: string, pid: number): Promise<boolean> {
    if (this.#locker.kind === 'none') return pid !== process.pid && !processAlive(pid);
    // A directory whose owner died before it created owner.lock has none: the pid decides.
    const names = await readdir(dir).catch(() => [] as string[]);
    if (!names.includes(OWNER_LOCK)) return pid !== process.pid && !processAlive(pid);
    const lock = join(dir, OWNER_LOCK);
    let held = await this.#locker.tryLock(lock);
    // Held, although its run is gone: the lock helper (perl) is still noticing that its owner died,
    // which takes milliseconds; wait for it rather than leave the directory to the next run.
    for (let i = 0; held === undefined && i < 50 && pid !== process.pid && !processAlive(pid); i++) {
      await new Promise((r) => setTimeout(r, 10));
      held = await this.#locker.tryLock(lock);
    }
    if (held === undefined) return false;
    await held.release();
    return true;
  }

  /** Removes this run's directory (and the parent when empty) and releases the owner lock. */
  async remove(): Promise<void> {
    if (this.#dir === undefined) return;
    const dir = await this.#dir.catch(() => undefined);
    this.#dir = undefined;
    if (dir !== undefined) await removeTree(dir);
    await this.#owner?.release();
    this.#owner = undefined;
    await rmdir(this.#parent).catch(() => undefined);
  }

  /** {@link remove}, synchronously: for a signal handler about to exit (the kernel drops the lock). */
  removeSync(): void {
    if (this.#path === undefined) return;
    removeTreeSync(this.#path);
    try {
      rmdirSync(this.#parent);
    } catch {
      // not empty: other runs are working
    }
  }

  /** Creates `dir` inside the work directory (for staging trees). */
  async mkdir(prefix: string): Promise<string> {
    const p = await this.fresh(prefix);
    mkdirSync(p, { mode: 0o777 });
    return p;
  }
}
