/**
 * Module zips extracted on worker threads, so that inflating, hashing and writing files (the CPU-bound
 * part of a cold download) use every core while the main thread keeps the network busy. go gets the
 * same effect from goroutines; a Node process has one JavaScript thread unless it asks for more.
 *
 * A worker costs its start (about 0.1 s of CPU: a Node environment and the extraction code) and
 * 15-30 MiB; a small project's few small zips extract in less. So the pool starts on the calling
 * thread, one zip at a time, and starts workers once a zip arrives while that thread is busy and the
 * zips so far add up to more than {@link INLINE_BACKLOG} bytes; from then on every job goes to the
 * workers.
 *
 * Each job is {@link extractZip} run as is in a worker; the result or the error (with go's text, and
 * the `h1` an UnzipError carries) comes back to the caller unchanged.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import pLimit, { type LimitFunction } from 'p-limit';
import { extractZip, type ExtractOptions, type ExtractResult } from './extract.js';
import { UnzipError } from './ziperrors.js';
import { GoError } from '../internal/errors.js';

/** Options a worker can receive (an AbortSignal cannot cross threads). */
export type PoolExtractOptions = Omit<ExtractOptions, 'signal'>;

/** An error as it crosses from a worker. */
export interface SerializedError {
  message: string;
  code?: string | undefined;
  unzip?: { zipFile: string; reason: string; h1?: string | undefined } | undefined;
}

/** What a worker posts back for job `id`. */
export type WorkerReply = { id: number; result: ExtractResult } | { id: number; error: SerializedError };

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

/** A job waiting for the calling thread. */
interface Waiting {
  opts: PoolExtractOptions;
  resolve: (r: ExtractResult) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  busy: number;
}

interface Job {
  slot: Slot;
  resolve: (r: ExtractResult) => void;
  reject: (e: Error) => void;
}

/** Extraction on the calling thread while the work is light, on lazily started workers once it is not; one per run. */
export class ExtractPool {
  readonly #size: number;
  /** Jobs run on the calling thread until the zips pass {@link INLINE_BACKLOG}; false: workers only. */
  #inline: boolean;
  #inlineBusy = false;
  readonly #waiting: Waiting[] = [];
  /** Bytes of every zip submitted while inline. */
  #submitted = 0;
  readonly #slots: Slot[] = [];
  readonly #jobs = new Map<number, Job>();
  /** Jobs running at once: two per worker (one can wait on I/O while the other computes); the rest
   * queue here, holding nothing but their options, which keeps peak memory flat however many zips
   * arrive at once. */
  readonly #running: LimitFunction;
  #next = 0;

  /**
   * @param size workers (default: {@link defaultWorkers}).
   * @param opts.inline start on the calling thread (default); false sends every job to a worker.
   */
  constructor(size = defaultWorkers(), opts: { inline?: boolean } = {}) {
    this.#size = Math.max(1, size);
    this.#running = pLimit(this.#size * JOBS_PER_WORKER);
    this.#inline = opts.inline ?? true;
  }

  /** Workers started so far. */
  get workers(): number {
    return this.#slots.length;
  }

  /**
   * Extracts on the calling thread while the backlog is light, else on the least busy worker
   * (starting one if fewer than `size` run).
   */
  extract(opts: PoolExtractOptions): Promise<ExtractResult> {
    if (!this.#inline) return this.#running(() => this.#dispatch(opts));
    return new Promise<ExtractResult>((resolve, reject) => {
      const bytes = statSync(opts.zipFile, { throwIfNoEntry: false })?.size ?? 0;
      this.#waiting.push({ opts, resolve, reject });
      this.#submitted += bytes;
      if (this.#inlineBusy && this.#submitted > INLINE_BACKLOG) this.#toWorkers();
      else this.#pump();
    });
  }

  /** Runs the next waiting job on this thread when none runs here. */
  #pump(): void {
    if (this.#inlineBusy) return;
    const job = this.#waiting.shift();
    if (job === undefined) return;
    this.#inlineBusy = true;
    extractZip(job.opts)
      .then(job.resolve, job.reject)
      .finally(() => {
        this.#inlineBusy = false;
        this.#pump();
      });
  }

  /** The work is too much for one thread: the waiting jobs and every later one go to workers. */
  #toWorkers(): void {
    this.#inline = false;
    for (const job of this.#waiting.splice(0)) this.#running(() => this.#dispatch(job.opts)).then(job.resolve, job.reject);
  }

  #dispatch(opts: PoolExtractOptions): Promise<ExtractResult> {
    const slot = this.#pick();
    const id = this.#next++;
    slot.busy++;
    return new Promise<ExtractResult>((resolve, reject) => {
      this.#jobs.set(id, { slot, resolve, reject });
      slot.worker.postMessage({ id, opts });
    }).finally(() => {
      slot.busy--;
    });
  }

  /** Stops the workers (jobs still running are rejected). */
  async close(): Promise<void> {
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
