/**
 * go's file locks (flock(2) on Linux and the BSDs), taken without a native addon.
 *
 * go serialises every writer of one module version with an exclusive flock on
 * `cache/download/<path>/@v/<version>.lock` (lockedfile.MutexAt), and every rewrite of `@v/list` with
 * one on `list` itself (lockedfile.Edit). Node has no flock, so a helper process takes it. gomod-dl
 * opens the lock file itself (O_RDWR|O_CREAT, 0666, as go does: the descriptor serves in-place
 * edits), and then:
 * - with perl on PATH (Debian's perl-base is essential, so nearly always): one helper for the whole
 *   run holds every lock on its own descriptors and answers over a pipe (lockserver.ts); it dies
 *   with gomod-dl, however gomod-dl dies, and its locks with it;
 * - else with util-linux `flock`: `flock -x 3` per lock on a descriptor shared with gomod-dl (a flock
 *   belongs to the open file description, which the helper inherited, so the lock stays held after
 *   the helper exits, until gomod-dl closes its descriptor or dies).
 * A killed gomod-dl never leaves go waiting.
 *
 * Cost: a process per lock costs several ms of CPU in a Node process with a large heap (fork copies
 * its page tables): about 4 s of CPU over a cold caddy download (~340 locks; 12 s of CPU with them,
 * 7.7 s without, /usr/bin/time). The perl helper costs one spawn per run and a pipe round trip per
 * lock. Locks are taken only to write, never on a warm run.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/lockedfile/internal/filelock/filelock_unix.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/lockedfile/mutex.go
 */
import { GoError } from '../internal/errors.js';
import { spawn } from 'node:child_process';
import { LockServer } from './lockserver.js';
import { accessSync, constants } from 'node:fs';
import { mkdirAll } from './fsutil.js';
import { open, type FileHandle } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';

/** A held lock: its open file (for in-place edits, as lockedfile.Edit) and the release. */
export interface HeldLock {
  /** The lock file, open read-write. Closing it releases the lock; call {@link release} instead. */
  readonly handle: FileHandle;
  /** Releases the lock (closes the descriptor). Idempotent. */
  release(): Promise<void>;
}

/** Takes go-compatible exclusive file locks. */
export interface FileLocker {
  /** `perl` (one helper), `flock` (one per lock), or `none` (no tool: {@link lock} returns undefined). */
  readonly kind: 'flock' | 'perl' | 'none';
  /**
   * Blocks until `file` (created 0666 with its parent directories if missing) is locked
   * exclusively; undefined when no lock tool exists. Rejects with the signal's reason on abort.
   */
  lock(file: string, signal?: AbortSignal): Promise<HeldLock | undefined>;
  /** Locks `file` only if nobody holds it; undefined when it is held or no lock tool exists. */
  tryLock(file: string): Promise<HeldLock | undefined>;
  /**
   * Starts the lock helper, if there is one, ahead of the first lock: a run calls it once it knows
   * it will write, so that the helper's start overlaps the first download instead of delaying it.
   */
  prepare(): void;
}

function onPath(cmd: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return undefined;
}

/** Opens (creating) a lock file as lockedfile does: O_RDWR|O_CREATE, 0666, no O_APPEND. */
async function openLockFile(file: string): Promise<FileHandle> {
  await mkdirAll(dirname(file));
  return open(file, constants.O_RDWR | constants.O_CREAT, 0o666);
}

/**
 * How a helper takes the lock of an open lock file: resolves to the step that releases it besides
 * closing the file, or to undefined when `tryOnly` and another holder has it.
 */
type Acquire = (file: string, handle: FileHandle, tryOnly: boolean, signal?: AbortSignal) => Promise<(() => void) | undefined>;

/** A locker that opens the lock file as go does and has a helper take the lock (see the file comment). */
class HelperLocker implements FileLocker {
  constructor(
    readonly kind: 'perl' | 'flock',
    private readonly acquire: Acquire,
    readonly prepare: () => void = () => {},
  ) {}

  lock(file: string, signal?: AbortSignal): Promise<HeldLock | undefined> {
    return this.#take(file, false, signal);
  }

  tryLock(file: string): Promise<HeldLock | undefined> {
    return this.#take(file, true);
  }

  async #take(file: string, tryOnly: boolean, signal?: AbortSignal): Promise<HeldLock | undefined> {
    signal?.throwIfAborted();
    const handle = await openLockFile(file);
    let unlock: (() => void) | undefined;
    try {
      unlock = await this.acquire(file, handle, tryOnly, signal);
    } finally {
      if (unlock === undefined) await handle.close().catch(() => undefined);
    }
    if (unlock === undefined) return undefined;
    let released = false;
    return {
      handle,
      release: async () => {
        if (released) return;
        released = true;
        unlock();
        await handle.close();
      },
    };
  }
}

/** `flock -x [-n] 3` on the shared descriptor: the lock is the descriptor's, released by closing it. */
function flockTool(bin: string): Acquire {
  return async (file, handle, tryOnly, signal) => {
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(bin, ['-x', ...(tryOnly ? ['-n'] : []), '3'], { stdio: ['ignore', 'ignore', 'ignore', handle.fd] });
      const onAbort = (): void => void child.kill('SIGKILL');
      signal?.addEventListener('abort', onAbort, { once: true });
      child.once('error', reject);
      child.once('exit', (c) => {
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) reject(signal.reason);
        else resolve(c ?? -1);
      });
    });
    if (code === 1 && tryOnly) return undefined;
    if (code !== 0) throw new GoError('ELOCK', `flock: could not lock ${file} (exit status ${code})`);
    return () => {};
  };
}

/** No lock tool: callers fall back to the lock-free protocol (ARCHITECTURE.md). */
const NO_LOCKER: FileLocker = {
  kind: 'none',
  lock: async () => undefined,
  tryLock: async () => undefined,
  prepare: () => {},
};

/**
 * The best locker this machine offers: `perl` (one helper for the run), else util-linux `flock` (a
 * helper per lock); both take flock(2), the lock go takes; else none. Only Linux and the BSDs/macOS
 * are tried: on Windows go locks with LockFileEx, which neither tool takes.
 */
export function findLocker(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): FileLocker {
  if (platform === 'win32') return NO_LOCKER;
  const perl = onPath('perl', env);
  if (perl !== undefined) {
    const server = new LockServer(perl);
    return new HelperLocker('perl', (file, _handle, tryOnly, signal) => server.lock(file, tryOnly, signal), () => server.prepare());
  }
  const flock = onPath('flock', env);
  if (flock !== undefined) return new HelperLocker('flock', flockTool(flock));
  return NO_LOCKER;
}

/** A locker that never locks (the fallback protocol; tests use it to pin that path). */
export function noLocker(): FileLocker {
  return NO_LOCKER;
}
