/**
 * go's file locks (flock(2) on Linux and the BSDs), taken without a native addon.
 *
 * go serialises every writer of one module version with an exclusive flock on
 * `cache/download/<path>/@v/<version>.lock` (lockedfile.MutexAt), and every rewrite of `@v/list` with
 * one on `list` itself (lockedfile.Edit). Node has no flock, so the lock is taken by a helper process
 * on a descriptor this process shares with it: gomod-dl opens the lock file (O_RDWR|O_CREAT, 0666, as
 * go does), passes that descriptor to `flock -x 3` (util-linux) or to a one-line perl script as fd 3,
 * and waits for the helper to exit 0. A flock belongs to the open file description, which the helper
 * inherited rather than opened, so the lock stays held after the helper exits, for as long as
 * gomod-dl keeps its descriptor open. Closing it releases the lock; so does the kernel when gomod-dl
 * dies, however it dies (SIGKILL included): a killed gomod-dl never leaves go waiting.
 *
 * Cost: one short-lived process per lock: with `flock`, 2.5-4.5 ms of latency and 1.3 ms of this
 * process's CPU; with perl, 13 ms and 1.5 ms (200 sequential lock/release pairs on the busy 2-core
 * machine). Locks are taken only to write, never on a warm run.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/lockedfile/internal/filelock/filelock_unix.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/lockedfile/mutex.go
 */
import { GoError } from '../internal/errors.js';
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
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
  /** `flock`, `perl`, or `none` (no tool found: {@link lock} returns undefined). */
  readonly kind: 'flock' | 'perl' | 'none';
  /**
   * Blocks until `file` (created 0666 with its parent directories if missing) is locked
   * exclusively; undefined when no lock tool exists. Rejects with the signal's reason on abort.
   */
  lock(file: string, signal?: AbortSignal): Promise<HeldLock | undefined>;
  /** Locks `file` only if nobody holds it; undefined when it is held or no lock tool exists. */
  tryLock(file: string): Promise<HeldLock | undefined>;
}

const PERL_LOCK = 'use Fcntl qw(:flock); open(my $f, "+<&=", 3) or exit 2; flock($f, LOCK_EX | ($ARGV[0] ? LOCK_NB : 0)) or exit 1; exit 0';

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

/** A locker that spawns `tool` to take each lock (see the file comment). */
class ToolLocker implements FileLocker {
  readonly kind: 'flock' | 'perl';
  readonly #bin: string;

  constructor(kind: 'flock' | 'perl', bin: string) {
    this.kind = kind;
    this.#bin = bin;
  }

  lock(file: string, signal?: AbortSignal): Promise<HeldLock | undefined> {
    return this.#take(file, false, signal);
  }

  tryLock(file: string): Promise<HeldLock | undefined> {
    return this.#take(file, true);
  }

  async #take(file: string, nonBlocking: boolean, signal?: AbortSignal): Promise<HeldLock | undefined> {
    signal?.throwIfAborted();
    await mkdir(dirname(file), { recursive: true, mode: 0o777 });
    // O_RDWR|O_CREATE, 0666: lockedfile.OpenFile's flags for a mutex or an Edit (no O_APPEND).
    const handle = await open(file, constants.O_RDWR | constants.O_CREAT, 0o666);
    let ok = false;
    try {
      const args =
        this.kind === 'flock' ? ['-x', ...(nonBlocking ? ['-n'] : []), '3'] : ['-e', PERL_LOCK, nonBlocking ? '1' : '0'];
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn(this.#bin, args, { stdio: ['ignore', 'ignore', 'ignore', handle.fd] });
        const onAbort = (): void => void child.kill('SIGKILL');
        signal?.addEventListener('abort', onAbort, { once: true });
        child.once('error', reject);
        child.once('exit', (c) => {
          signal?.removeEventListener('abort', onAbort);
          if (signal?.aborted) reject(signal.reason);
          else resolve(c ?? -1);
        });
      });
      if (code === 1 && nonBlocking) return undefined;
      if (code !== 0) throw new GoError('ELOCK', `${this.kind}: could not lock ${file} (exit status ${code})`);
      ok = true;
      let released = false;
      return {
        handle,
        release: async () => {
          if (released) return;
          released = true;
          await handle.close();
        },
      };
    } finally {
      if (!ok) await handle.close().catch(() => undefined);
    }
  }
}

/** No lock tool: callers fall back to the lock-free protocol (ARCHITECTURE.md). */
const NO_LOCKER: FileLocker = {
  kind: 'none',
  lock: async () => undefined,
  tryLock: async () => undefined,
};

/**
 * The best locker this machine offers: util-linux `flock`, else `perl` (both take flock(2), the
 * lock go takes), else none. Only Linux and the BSDs/macOS are tried: on Windows go locks with
 * LockFileEx, which neither tool takes.
 */
export function findLocker(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): FileLocker {
  if (platform === 'win32') return NO_LOCKER;
  const flock = onPath('flock', env);
  if (flock !== undefined) return new ToolLocker('flock', flock);
  const perl = onPath('perl', env);
  if (perl !== undefined) return new ToolLocker('perl', perl);
  return NO_LOCKER;
}

/** A locker that never locks (the fallback protocol; tests use it to pin that path). */
export function noLocker(): FileLocker {
  return NO_LOCKER;
}
