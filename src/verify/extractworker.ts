/**
 * The worker side of {@link ExtractPool}: runs {@link extractSharing} for each job it is sent and posts
 * back the result (or its part, when the calling thread helped) or the serialized error.
 */
import { parentPort } from 'node:worker_threads';
import { extractSharing } from './extract.js';
import { GoError } from '../internal/errors.js';
import { serializeError, type WorkerCancel, type WorkerJob, type WorkerReply } from './extractpool.js';

/** Called once, after the first job's reply (bin's loader saves the worker's code cache then). */
let afterFirst: (() => void) | undefined;

/** Registers `fn` to run once the first job has been answered: the extraction code is compiled by then. */
export function afterFirstJob(fn: () => void): void {
  afterFirst = fn;
}

function replied(): void {
  const fn = afterFirst;
  afterFirst = undefined;
  fn?.();
}

/** The running jobs' cancellations, by job id. */
const running = new Map<number, AbortController>();

parentPort!.on('message', (msg: WorkerJob | WorkerCancel) => {
  if ('cancel' in msg) {
    running.get(msg.id)?.abort(new GoError('EEXTRACTCANCELLED', 'extraction cancelled'));
    return;
  }
  const job = msg;
  const ac = new AbortController();
  running.set(job.id, ac);
  extractSharing({ ...job.opts, signal: ac.signal }).then(
    (result) => parentPort!.postMessage({ id: job.id, result } satisfies WorkerReply),
    (err: unknown) => parentPort!.postMessage({ id: job.id, error: serializeError(err) } satisfies WorkerReply),
  ).finally(() => running.delete(job.id)).then(replied);
});
