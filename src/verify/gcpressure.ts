/**
 * Extraction's and downloads' garbage, collected before it piles up.
 *
 * Extracting allocates a buffer per entry read and per entry inflated, and a download one per chunk
 * received: megabytes a second, almost all dead at once. Their memory lies outside V8's heap: the
 * small young generation gomod-dl runs with frees a dead buffer only while it is still young, and V8
 * starts a full collection only once such external memory has grown by about 64 MiB since the last
 * one. On a cold run of caddy each extraction thread held 20-45 MiB of buffers at the peak, of which
 * a forced collection at that moment left 10-23 MiB (issue #16: peak RSS at most 150 MiB).
 *
 * {@link collectIfHeavy} is called between entries, per streamed chunk and per downloaded chunk:
 * once the thread's external memory passes {@link LIMIT}, it runs a full collection. Buffers still
 * alive (a thread streaming big files) keep it above the limit: the next collection then waits until
 * it has grown by {@link SLACK} more, or for {@link RETRY_MS}. Cost and gain on cold runs at 0 ms
 * (commit message): caddy 6-22 collections per thread, peak RSS 176-203 -> 152-159 MiB, CPU within
 * the noise; rclone about 40-50 per thread, 221 -> 164-169 MiB, and about 10-20 % more CPU.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** External memory (buffers) of a thread above which its garbage is collected. */
const LIMIT = 16 << 20;

/** Growth beyond the memory a collection left alive that starts the next one at once. */
const SLACK = 8 << 20;

/**
 * Longest wait between collections while above {@link LIMIT}, ms. The buffers each thread reuses
 * (two 4 MiB zip buffers, the inflater's output, the large-entry buffers) keep a busy thread near
 * the limit with nothing to free: every 200 ms, a cold rclone run forced 17 full collections on the
 * main thread and 13 on the worker, every 1000 ms 4 and 3 (commit message).
 */
const RETRY_MS = 1000;

/** Checks at most this often, ms (a check reads V8's heap statistics). */
const CHECK_EVERY_MS = 5;

/**
 * V8's full collection for this thread. `gc` is exposed by the V8 flag only to contexts created after
 * it is set (the flag is the process's; a context is a thread's), so a throwaway context hands it
 * over; node --expose-gc gives it directly.
 */
let gc: (() => void) | undefined;
function collector(): () => void {
  if (gc === undefined) {
    const own = (globalThis as { gc?: () => void }).gc;
    if (own !== undefined) gc = own;
    else {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    }
  }
  return gc;
}

let alive = 0;
let lastCheck = 0;
let lastCollect = 0;

/** Runs a full garbage collection when this thread's buffers take more than {@link LIMIT} (see the top). */
export function collectIfHeavy(): void {
  const now = performance.now();
  if (now - lastCheck < CHECK_EVERY_MS) return;
  lastCheck = now;
  const external = getHeapStatistics().external_memory;
  if (external < LIMIT) return;
  if (external < alive + SLACK && now - lastCollect < RETRY_MS) return;
  collector()();
  alive = getHeapStatistics().external_memory;
  lastCollect = now;
}
