/**
 * SIGINT, SIGTERM and SIGHUP: stop starting work, clean up, say so, exit as a shell expects.
 *
 * On the first signal the run's AbortSignal fires (no new request, extraction or publish starts),
 * the cleanups registered by the run execute (extraction workers stopped, the run's work directory
 * with every temp and staging tree removed: ARCHITECTURE.md, "Publish protocol"), one line
 * `gomod-dl: interrupted` goes to stderr, and the process exits with 128 + the signal number
 * (130, 143, 129). In-flight requests die with the process; go's locks are released by the kernel
 * when the descriptors close. The progress line stops at once. A second signal says the same line
 * and exits at once, with the same status; the next run sweeps the work directory.
 */

import type { Interrupt } from '../session.js';

/** The exit status for each handled signal: 128 + its number. */
export const SIGNAL_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** go's status when a reader closes its stdout: killed by SIGPIPE, 128 + 13, as a shell reports it. */
const BROKEN_PIPE_EXIT = 141;

/** What a closed stdout does while a run's handlers are installed: the run's cleanups, then exit. */
let brokenPipe: (() => void) | undefined;
let pipeWatched = false;

/**
 * A reader that closes gomod-dl's stdout (`gomod-dl -json | head -c 10`) ends the process as SIGPIPE
 * ends go: nothing said, exit 141, after the run's cleanups when a run is under way. Without this,
 * Node reports the EPIPE as an unhandled 'error' event with a stack trace. Called before each write
 * to stdout; it installs the handler once.
 */
export function exitOnBrokenPipe(): void {
  if (pipeWatched) return;
  pipeWatched = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    if (brokenPipe !== undefined) brokenPipe();
    else process.exit(BROKEN_PIPE_EXIT);
  });
}

/** Cleanups wait at most this long before the process exits anyway. */
const CLEANUP_LIMIT_MS = 10_000;

/** Installs the handlers; `dispose` removes them (the run is over). */
export function handleSignals(
  stderr: (s: string) => void,
  exit: (code: number) => never = (code) => process.exit(code),
  /** Called at the first signal, before anything else: the progress line stops and is erased. */
  quiet: () => void = () => {},
): { interrupt: Interrupt; dispose: () => void } {
  const controller = new AbortController();
  const cleanups = new Set<{ before?: () => Promise<void>; last?: () => void }>();
  let exiting = false;

  const onSignal = (name: keyof typeof SIGNAL_EXIT): void => stop(SIGNAL_EXIT[name], 'gomod-dl: interrupted\n');
  const stop = (code: number, message: string): void => {
    if (exiting) {
      // A second signal does not wait for the cleanups (the next run removes what is left).
      stderr(message);
      exit(code);
    }
    exiting = true;
    quiet();
    controller.abort(new Error('interrupted'));
    const all = [...cleanups];
    const before = Promise.allSettled(all.map((c) => c.before?.()));
    const limit = new Promise((resolve) => setTimeout(resolve, CLEANUP_LIMIT_MS).unref());
    void Promise.race([before, limit]).then(() => {
      for (const c of all) {
        try {
          c.last?.();
        } catch {
          // best effort: exit anyway
        }
      }
      stderr(message);
      exit(code);
    });
  };
  brokenPipe = () => stop(BROKEN_PIPE_EXIT, '');
  const handlers = (Object.keys(SIGNAL_EXIT) as (keyof typeof SIGNAL_EXIT)[]).map((name) => {
    const h = (): void => onSignal(name);
    process.on(name, h);
    return [name, h] as const;
  });
  return {
    interrupt: {
      signal: controller.signal,
      onInterrupt: (c) => {
        cleanups.add(c);
        return () => void cleanups.delete(c);
      },
    },
    dispose: () => {
      for (const [name, h] of handlers) process.off(name, h);
      brokenPipe = undefined;
    },
  };
}
