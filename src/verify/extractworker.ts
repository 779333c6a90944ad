/**
 * The worker side of {@link ExtractPool}: runs {@link extractSharing} for each job it is sent and posts
 * back the result (or its part, when the calling thread helped) or the serialized error.
 */
import { parentPort } from 'node:worker_threads';
import { extractSharing } from './extract.js';
import { serializeError, type WorkerJob, type WorkerReply } from './extractpool.js';

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

parentPort!.on('message', (job: WorkerJob) => {
  extractSharing(job.opts).then(
    (result) => parentPort!.postMessage({ id: job.id, result } satisfies WorkerReply),
    (err: unknown) => parentPort!.postMessage({ id: job.id, error: serializeError(err) } satisfies WorkerReply),
  ).then(replied);
});
