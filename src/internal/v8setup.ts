/**
 * Node's built-in modules first, V8's flags second: what bin/gomod-dl.js does before it loads the
 * program.
 *
 * Node's binary carries a code cache of its own modules (fs, net, http, zlib…), and V8 accepts cached
 * code only when the flags are those it was made with: any V8 flag, on the command line or set with
 * `v8.setFlagsFromString`, makes every built-in required after it compile from source. gomod-dl sets
 * three flags, so it first requires the built-ins a download uses, while they still come from the
 * cache: requiring them took 20-35 ms flagless and 55-80 ms after a flag (in-process clock, the
 * commit that added this file). The flags are then set before the program is loaded, so that its own
 * code cache (codecache.ts) is always made and read under the same ones.
 *
 * The flags are the process's, so they apply to the extraction workers too.
 */
import { setFlagsFromString } from 'node:v8';
import type { Worker } from 'node:worker_threads';

/**
 * The public built-ins a cold download loads, the program's own and undici's (process.moduleLoadList
 * at the end of one; test/internal/v8setup.test.ts checks that the list still covers it). Each
 * brings its internal modules along. Not http2: the bundle gives undici the constants it reads
 * from it (scripts/bundle.mjs), which saves its 7-8 ms on every run.
 */
export const PRELOADED_BUILTINS: readonly string[] = [
  'assert', 'child_process', 'crypto', 'dgram', 'diagnostics_channel', 'fs', 'fs/promises', 'http',
  'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'stream', 'stream/promises', 'string_decoder',
  'timers/promises', 'tls', 'tty', 'url', 'v8', 'vm', 'worker_threads', 'zlib',
];

/**
 * - `--interrupt-budget`: V8 optimises a function once it has run about 66 KiB of bytecode. A run is
 *   short, and each of its threads compiles its own optimised code: with the default, TurboFan took
 *   about 14 % of the CPU of a cold caddy run (perf record), for hundreds of lukewarm functions. With
 *   8 times the budget only the hot ones are optimised: cold caddy 7.96 -> 6.7-7.1 s of CPU, warm
 *   caddy 516 -> 310-345 ms.
 * - `--liftoff-only`: undici parses HTTP with llhttp, a WebAssembly module, which V8 compiles with its
 *   baseline compiler and then, once it has run a little, again with TurboFan on a background thread:
 *   on a cold cobra download that second compile of llhttp's one large state machine was a third of
 *   the run's CPU (172 ms, perf record) and 35 MiB of peak RSS, and the process waited for it before
 *   exiting. Cold cobra 0.36 -> 0.32 s, CPU 0.46 -> 0.31 s, peak RSS 99 -> 63 MiB.
 * - {@link YOUNG_GENERATION_FLAG}: see there.
 */
export const V8_FLAGS: readonly string[] = ['--interrupt-budget=524288', '--liftoff-only'];

/**
 * The young generation stays at its first size (1 MiB semi-spaces) instead of doubling up to 16 MiB
 * ones: that halves the main thread's peak heap on big downloads (it mostly waits on the network and
 * hands zips on) at no cost in time. Unlike `--max-semi-space-size`, this flag takes effect after V8
 * has started, so it needs no `#!` flag (which would keep every built-in out of Node's code cache).
 *
 * V8 raises the factor back to 2 whenever it sets up an isolate's heap, which it does for each worker
 * thread (Heap::ConfigureHeap; seen in a test: one Worker, and the main thread's young generation grew
 * 1 -> 32 MiB again): {@link whileWorkerStarts} sets it anew while a worker starts, and the worker
 * sets it first thing.
 */
export const YOUNG_GENERATION_FLAG = '--semi-space-growth-factor=1';

/** Sets {@link YOUNG_GENERATION_FLAG} again: after a worker thread has started (see there). */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString(YOUNG_GENERATION_FLAG);
}

/** How often {@link whileWorkerStarts} sets the flag again, ms. */
const RESET_EVERY_MS = 2;

/**
 * Keeps {@link YOUNG_GENERATION_FLAG} set while `worker` starts: its heap is made early on its thread,
 * at a moment this thread does not see, and a busy worker took 100 ms to come online, long enough for
 * the main thread's young generation to double meanwhile (seen on a cold caddy run). The flag is set
 * again every {@link RESET_EVERY_MS} ms until the worker is online (or gone), and once more then.
 */
export function whileWorkerStarts(worker: Pick<Worker, 'once'>): void {
  const timer = setInterval(keepYoungGenerationSmall, RESET_EVERY_MS);
  timer.unref();
  const done = (): void => {
    clearInterval(timer);
    keepYoungGenerationSmall();
  };
  worker.once('online', done);
  worker.once('exit', done);
}

/**
 * Requires {@link PRELOADED_BUILTINS}, then sets {@link V8_FLAGS} and {@link YOUNG_GENERATION_FLAG}.
 * Call once, before loading the program.
 */
export function setUpProcess(): void {
  for (const id of PRELOADED_BUILTINS) process.getBuiltinModule(`node:${id}`);
  for (const flag of V8_FLAGS) setFlagsFromString(flag);
  keepYoungGenerationSmall();
}
