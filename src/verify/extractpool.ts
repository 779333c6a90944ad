/**
 * Module zips extracted on worker threads, so that inflating, hashing and writing files (the CPU-bound
 * part of a cold download) use every core while the main thread keeps the network busy. go gets the
 * same effect from goroutines; a Node process has one JavaScript thread unless it asks for more.
 *
 * A worker costs its start (about 0.1 s of CPU: a Node environment and the extraction code) and
 * 15-30 MiB; a small project's few small zips extract in less. So the pool starts on the calling
 * thread, one zip at a time, and starts workers once a zip arrives while that thread is busy and the
 * zips so far add up to more than {@link INLINE_BACKLOG} bytes; from then on jobs go to the workers,
 * except that the calling thread takes a waiting one whenever it is idle (see IDLE_CHECK_MS), or,
 * with none waiting, joins a worker's large extraction and reads its entries beside it
 * ({@link SHARE_MIN}, sharedclaims.ts).
 *
 * Each job is {@link extractZip} run as is in a worker; the result or the error (with go's text, and
 * the `h1` an UnzipError carries) comes back to the caller unchanged. A shared job whose part failed
 * on either thread is extracted again alone, so its error is the one a single thread reports.
 */
import { statSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { whileWorkerStarts } from '../internal/v8setup.js';
import { extractZip, helpExtract, joinParts, type ExtractOptions, type ExtractPart, type ExtractResult, type HelperPart } from './extract.js';
import { SharedClaims } from './sharedclaims.js';
import { UnzipError } from './ziperrors.js';
import { GoError } from '../internal/errors.js';

/** Options a worker can receive (an AbortSignal cannot cross threads). */
export type PoolExtractOptions = Omit<ExtractOptions, 'signal'>;

/** A job as posted to a worker. */
export interface WorkerJob {
  id: number;
  opts: PoolExtractOptions & { share?: SharedArrayBuffer | undefined };
}

/** Stops job `id` on its worker: the extraction ends at its next entry, rejecting. */
export interface WorkerCancel {
  id: number;
  cancel: true;
}

/** An error as it crosses from a worker. */
export interface SerializedError {
  message: string;
  code?: string | undefined;
  unzip?: { zipFile: string; reason: string; h1?: string | undefined } | undefined;
}

/** What a worker posts back for job `id`. */
export type WorkerReply = { id: number; result: ExtractResult | ExtractPart } | { id: number; error: SerializedError };

/** Turns an error into its transferable form. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof UnzipError) {
    return { message: err.message, code: err.code, unzip: { zipFile: err.zipFile, reason: err.reason.message, h1: err.h1 } };
  }
  if (err instanceof Error) return { message: err.message, code: (err as { code?: string }).code };
  return { message: String(err) };
}

/** Rebuilds an error posted by a worker (UnzipError keeps its class, reason and h1). */
export function deserializeError(e: SerializedError): Error {
  if (e.unzip !== undefined) return new UnzipError(e.unzip.zipFile, new Error(e.unzip.reason), e.unzip.h1);
  return Object.assign(new Error(e.message), e.code !== undefined ? { code: e.code } : {});
}

/**
 * Workers a run starts at most: one per available core beyond the one the calling thread keeps
 * busy (downloads, the module graph, publishing: about a core's worth on a cold run at 0 ms), at
 * least one, at most 4 (a run extracts at most -j zips at once). On 2 cores, one worker instead of
 * two took 8-12 % less CPU and 20-40 MiB less peak RSS for 3-15 % more wall time (cold gin,
 * caddy, rclone against the bench mirror at 0 ms; commit message): two workers and the main
 * thread on two cores spent the difference competing (TurboFan and GC in a third isolate,
 * context switches).
 */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/** Young-generation size of each worker's heap, MiB. */
const YOUNG_MB = 1;

/** Extractions one worker runs at once. */
const JOBS_PER_WORKER = 2;

/**
 * Zip bytes (all submitted so far) beyond which workers start: about what the calling thread
 * extracts in the CPU time two workers take to start. Counting only the zips still waiting started
 * them late: on a cold caddy run the calling thread, busy with the downloads and the module graph
 * as well, kept the wait short, and workers started after 2.3-3.1 of 5.7 s.
 */
export const INLINE_BACKLOG = 4 << 20;

/**
 * Zips a run expects (its main modules' requirements, known once go.mod is read; the session tells
 * the pool when the first zip is requested) from which a worker starts at once rather than when the
 * zips pass {@link INLINE_BACKLOG}: it boots on another core while this thread walks the module graph,
 * and extracts from the first zip (issue #16, the commit that added this: cold gin, caddy and rclone
 * had one thread busy for their first 0.3-0.8 s).
 * Below it (most CI runs: a few modules) no worker starts unless the zips turn out heavy: a worker
 * costs about 10 MiB and 40 ms of CPU.
 */
export const EARLY_WORKER_ZIPS = 20;

/**
 * While jobs wait for a worker, the calling thread's event loop is sampled every IDLE_CHECK_MS; busy
 * less than IDLE_UTILIZATION of that time, it takes the next job itself. On a cold run that is the
 * end, when the downloads are done and the last zips queue for the workers (gin at 0 ms: one worker
 * busy for a second after the last download, the main thread idle).
 */
const IDLE_CHECK_MS = 20;
const IDLE_UTILIZATION = 0.3;

/**
 * After a job of its own, this thread looks again this soon: the last period was busy with that job,
 * and at the end of a run (the downloads done, zips queued for the workers) it would otherwise idle
 * a whole period between jobs.
 */
const AFTER_JOB_MS = 2;

/**
 * Zips of at least this many bytes are extracted by a worker with their entries open to the calling
 * thread ({@link SharedClaims}): once idle, it joins the largest such extraction instead of waiting
 * for it. A smaller zip is over before joining would pay (the helper opens the zip again). Cold
 * runs at 0 ms, interleaved medians against no sharing (commit message): caddy 3.53 -> 3.22 s
 * against 4 MiB, 3.76 -> 3.22-3.70 s against none; rclone 6.18 -> 5.82 s; gin within the noise.
 */
export const SHARE_MIN = 1 << 20;

/** A job waiting for its thread. */
interface Waiting {
  opts: PoolExtractOptions;
  /** The zip's bytes (0 if it cannot be read: the extraction reports why). */
  size: number;
  resolve: (r: ExtractResult) => void;
  reject: (e: unknown) => void;
  /** Stops listening for the job's cancellation while it waits (once it has started). */
  started: () => void;
  /** The job's cancellation: once it has started, it stops the extraction at its next entry. */
  cancel: AbortSignal | undefined;
}

/**
 * Takes the largest waiting job out of `waiting` (the first of equals): the longest job first
 * shortens the run's tail (see {@link ExtractPool.extract}).
 */
export function takeLargest<W extends { readonly size: number }>(waiting: W[]): W | undefined {
  let best = -1;
  for (let i = 0; i < waiting.length; i++) if (best < 0 || waiting[i]!.size > waiting[best]!.size) best = i;
  return best < 0 ? undefined : waiting.splice(best, 1)[0];
}

interface Slot {
  worker: Worker;
  busy: number;
}

/** A worker's extraction open to the calling thread. */
interface SharedJob {
  readonly opts: PoolExtractOptions & { readonly share: SharedArrayBuffer };
  readonly claims: SharedClaims;
  /** The zip's bytes: the largest is joined first. */
  readonly size: number;
  /** This thread's part, once it joined. */
  helper?: Promise<HelperPart>;
}

interface Job {
  slot: Slot;
  resolve: (r: ExtractResult | ExtractPart) => void;
  reject: (e: Error) => void;
}

/** Extraction on the calling thread while the work is light, on lazily started workers once it is not; one per run. */
export class ExtractPool {
  readonly #size: number;
  /** Jobs run on the calling thread until the zips pass {@link INLINE_BACKLOG}; false: workers only. */
  #inline: boolean;
  /** Whether the calling thread, once idle, takes jobs waiting for a worker. */
  readonly #helps: boolean;
  #inlineBusy = false;
  /** Jobs not started: they hold nothing but their options, which keeps peak memory flat however
   * many zips arrive at once. */
  readonly #waiting: Waiting[] = [];
  /** Bytes of every zip submitted while inline. */
  #submitted = 0;
  /** Jobs on workers: at most {@link JOBS_PER_WORKER} per worker. */
  #onWorkers = 0;
  readonly #slots: Slot[] = [];
  readonly #jobs = new Map<number, Job>();
  /** Worker jobs this thread may join. */
  readonly #shared = new Set<SharedJob>();
  #next = 0;
  #closed = false;
  #helped = 0;
  #joined = 0;
  /** Checks, while jobs wait for a worker, whether the calling thread is idle. */
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #elu: EventLoopUtilization | undefined;

  /**
   * @param size workers (default: {@link defaultWorkers}).
   * @param opts.inline start on the calling thread, and let it take waiting jobs when it is idle
   *   (default); false sends every job to a worker.
   */
  constructor(size = defaultWorkers(), opts: { inline?: boolean } = {}) {
    this.#size = Math.max(1, size);
    this.#inline = opts.inline ?? true;
    this.#helps = this.#inline;
  }

  /**
   * Told how many zips the run expects: from {@link EARLY_WORKER_ZIPS} on, a worker starts now and
   * jobs go to workers (this thread still takes waiting ones when idle).
   */
  expect(zips: number): void {
    if (!this.#inline || zips < EARLY_WORKER_ZIPS || this.#slots.length > 0) return;
    this.#inline = false;
    this.#start();
  }

  /** Workers started so far. */
  get workers(): number {
    return this.#slots.length;
  }

  /** Jobs the calling thread took, while idle, from the queue of busy workers. */
  get helped(): number {
    return this.#helped;
  }

  /** Worker jobs the calling thread, while idle, joined ({@link SHARE_MIN}). */
  get joined(): number {
    return this.#joined;
  }

  /**
   * Extracts on the calling thread while the backlog is light, else on the least busy worker
   * (starting one if fewer than `size` run), or on the calling thread when it is idle and every
   * worker is busy. Waiting jobs start largest first, on either thread: the longest job first
   * shortens the run's tail (gin at 50 ms had its 7 MiB golang.org/x/text wait behind smaller zips
   * until the end).
   */
  extract(opts: PoolExtractOptions, cancel?: AbortSignal): Promise<ExtractResult> {
    return new Promise<ExtractResult>((resolve, reject) => {
      if (cancel?.aborted) {
        reject(cancel.reason);
        return;
      }
      const size = statSync(opts.zipFile, { throwIfNoEntry: false })?.size ?? 0;
      // Cancelled while waiting: the job leaves the queue; one that has started stops at its next entry.
      const onCancel = (): void => {
        const i = this.#waiting.indexOf(job);
        if (i < 0) return;
        this.#waiting.splice(i, 1);
        reject(cancel!.reason);
      };
      const job: Waiting = { opts, size, resolve, reject, started: () => cancel?.removeEventListener('abort', onCancel), cancel };
      cancel?.addEventListener('abort', onCancel, { once: true });
      this.#waiting.push(job);
      if (this.#inline) {
        this.#submitted += size;
        // The work is too much for one thread: the waiting jobs and every later one go to workers.
        if (this.#inlineBusy && this.#submitted > INLINE_BACKLOG) this.#inline = false;
      }
      this.#pump();
    });
  }

  /**
   * Starts what can start: jobs on free worker slots, or the next job on this thread. `firstCheckMs`:
   * when this thread next checks whether it is idle ({@link AFTER_JOB_MS} after a job of its own).
   */
  #pump(firstCheckMs = IDLE_CHECK_MS): void {
    if (!this.#inline) {
      while (this.#onWorkers < this.#size * JOBS_PER_WORKER && this.#waiting.length > 0) {
        const job = this.#take()!;
        this.#onWorkers++;
        this.#dispatch(job.opts, job.size, job.cancel)
          .then(job.resolve, job.reject)
          .finally(() => {
            this.#onWorkers--;
            this.#pump();
          });
      }
      // Every worker is busy: this thread takes the next job, or joins a large one, once it is idle
      // (the timer decides).
      const joinable = [...this.#shared].some((s) => s.helper === undefined);
      if ((this.#waiting.length > 0 || joinable) && this.#helps && !this.#inlineBusy) this.#watchIdle(firstCheckMs);
      else this.#unwatchIdle();
      return;
    }
    this.#runInline();
  }

  /** The next job to start, out of the queue and no longer cancellable. */
  #take(): Waiting | undefined {
    const job = takeLargest(this.#waiting);
    job?.started();
    return job;
  }

  /** Runs the next waiting job on this thread when none runs here. */
  #runInline(): void {
    if (this.#inlineBusy) return;
    const job = this.#take();
    if (job === undefined) return;
    this.#inlineBusy = true;
    if (!this.#inline) this.#helped++;
    this.#unwatchIdle();
    // Positional reads here: a whole-zip buffer on this thread raised a small project's peak RSS by
    // 2 MiB (x-mod 63 -> 61 MiB, logrus 62 -> 60, gin 95 -> 89 read so in both threads; commit message).
    extractZip({ ...job.opts, positional: true, ...(job.cancel !== undefined ? { signal: job.cancel } : {}) })
      .then(job.resolve, job.reject)
      .finally(() => {
        this.#inlineBusy = false;
        this.#pump(AFTER_JOB_MS);
      });
  }

  /**
   * Checks every {@link IDLE_CHECK_MS} whether this thread is idle, and if so takes a waiting job or
   * joins a shared one. The first check comes after `firstMs`: {@link AFTER_JOB_MS} when this thread
   * has just finished a job (its own work would otherwise count as business for a whole period).
   */
  #watchIdle(firstMs = IDLE_CHECK_MS): void {
    if (this.#idleTimer !== undefined) return;
    this.#elu = performance.eventLoopUtilization();
    const check = (): void => {
      this.#idleTimer = undefined;
      const now = performance.eventLoopUtilization();
      const busy = performance.eventLoopUtilization(now, this.#elu).utilization;
      this.#elu = now;
      if (busy < IDLE_UTILIZATION) {
        if (this.#waiting.length > 0) this.#runInline();
        else this.#join();
        if (this.#inlineBusy) return; // #pump watches again when the job ends
      }
      this.#arm(check, IDLE_CHECK_MS);
    };
    this.#arm(check, firstMs);
  }

  #arm(check: () => void, ms: number): void {
    this.#idleTimer = setTimeout(check, ms);
    this.#idleTimer.unref();
  }

  #unwatchIdle(): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }

  /** Joins, on this thread, the largest of the workers' extractions open to it. */
  #join(): void {
    if (this.#inlineBusy) return;
    for (const s of [...this.#shared].sort((a, b) => b.size - a.size)) {
      if (s.helper !== undefined) continue;
      const helper = helpExtract(s.opts);
      if (helper === undefined) continue;
      s.helper = helper;
      this.#joined++;
      this.#inlineBusy = true;
      this.#unwatchIdle();
      const done = (): void => {
        this.#inlineBusy = false;
        this.#pump(AFTER_JOB_MS);
      };
      helper.then(done, done);
      return;
    }
  }

  /**
   * Runs a job on a worker; a zip of {@link SHARE_MIN} bytes or more with its entries open to this
   * thread. When a part failed on either thread, the zip is extracted again, alone on the worker,
   * into the emptied directory: that run reports go's error (which entry fails first is go's order).
   */
  async #dispatch(opts: PoolExtractOptions, size: number, cancel: AbortSignal | undefined): Promise<ExtractResult> {
    if (!this.#helps || size < SHARE_MIN) return (await this.#post(opts, cancel)) as ExtractResult;
    const share = SharedClaims.create();
    const job: SharedJob = { opts: { ...opts, share }, claims: new SharedClaims(share), size };
    this.#shared.add(job);
    try {
      let reply: ExtractResult | ExtractPart;
      try {
        reply = await this.#post(job.opts, cancel);
      } catch (err) {
        job.claims.stop();
        await job.helper?.catch(() => undefined);
        throw err;
      }
      const helper = await job.helper;
      if ('h1' in reply) return reply;
      const joined = helper !== undefined ? joinParts(reply, helper) : undefined;
      if (joined !== undefined) return joined;
      await emptyDir(opts.targetDir);
      return (await this.#post(opts, cancel)) as ExtractResult;
    } finally {
      this.#shared.delete(job);
    }
  }

  #post(opts: WorkerJob['opts'], cancel?: AbortSignal): Promise<ExtractResult | ExtractPart> {
    // After close, no worker starts again (a job waiting, or a shared one to extract again).
    if (this.#closed) return Promise.reject(new GoError('EPOOLCLOSED', 'extraction stopped'));
    cancel?.throwIfAborted();
    const slot = this.#pick();
    const id = this.#next++;
    slot.busy++;
    // Cancelled while it runs: the worker stops the extraction at its next entry and answers with
    // the abort (a failing run then waits for no more than an entry of each running job).
    const onCancel = (): void => slot.worker.postMessage({ id, cancel: true } satisfies WorkerCancel);
    cancel?.addEventListener('abort', onCancel, { once: true });
    return new Promise<ExtractResult | ExtractPart>((resolve, reject) => {
      this.#jobs.set(id, { slot, resolve, reject });
      slot.worker.postMessage({ id, opts } satisfies WorkerJob);
    }).finally(() => {
      cancel?.removeEventListener('abort', onCancel);
      slot.busy--;
    });
  }

  /** Stops the workers (jobs still running are rejected). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#unwatchIdle();
    const slots = this.#slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  #pick(): Slot {
    const idle = this.#slots.find((s) => s.busy === 0);
    if (idle !== undefined) return idle;
    if (this.#slots.length < this.#size) return this.#start();
    return this.#slots.reduce((a, b) => (b.busy < a.busy ? b : a));
  }

  #start(): Slot {
    // A small young generation: the workers allocate mostly short-lived buffers, and each isolate's
    // default (16 MiB semi-spaces) would add tens of MiB of RSS per worker.
    const worker = new Worker(new URL('./extractworker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
    worker.unref();
    // V8 sets up the worker's heap, and with it resets a flag of the whole process (v8setup.ts).
    whileWorkerStarts(worker);
    const slot: Slot = { worker, busy: 0 };
    worker.on('message', (reply: WorkerReply) => {
      const job = this.#jobs.get(reply.id);
      if (job === undefined) return;
      this.#jobs.delete(reply.id);
      if ('result' in reply) job.resolve(reply.result);
      else job.reject(deserializeError(reply.error));
    });
    worker.on('error', (err) => this.#fail(slot, err));
    worker.on('exit', (code) => this.#fail(slot, new GoError('EWORKEREXIT', `extraction worker exited with code ${code}`)));
    this.#slots.push(slot);
    return slot;
  }

  /** A worker died: its slot is dropped and its jobs fail rather than hang. */
  #fail(slot: Slot, err: Error): void {
    const i = this.#slots.indexOf(slot);
    if (i >= 0) this.#slots.splice(i, 1);
    for (const [id, job] of this.#jobs) {
      if (job.slot !== slot) continue;
      this.#jobs.delete(id);
      job.reject(err);
    }
  }
}

/** Removes everything inside `dir`, keeping `dir`. */
async function emptyDir(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.map((n) => rm(join(dir, n), { recursive: true, force: true })));
}
