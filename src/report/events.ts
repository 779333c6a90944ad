/**
 * The events a run reports, for the progress line, the summary and the notes: the run's own
 * milestones (emitted by run.ts), the pipeline's (modfetch/: a module's zip, a module done) and the
 * fetcher's (fetch/).
 * report/ owns this vocabulary so that it never imports the run that emits it.
 */
import type { DownloadEvent, ModuleDoneEvent } from '../modfetch/index.js';
import type { FetchEvent } from '../fetch/events.js';

/** Milestones of a run, for reporters. */
export type RunEvent =
  /** Resolution starts (`graph`, with -x and -json as GOFLAGS may set them), or downloads start (`download`). */
  | { readonly kind: 'phase'; readonly phase: 'graph'; readonly x: boolean; readonly json: boolean }
  | { readonly kind: 'phase'; readonly phase: 'download'; readonly total: number }
  /** A go.mod joined the module graph. */
  | { readonly kind: 'gomod-loaded' }
  /** The sum files in use (go.sum or go.work.sum first), once the main modules are known. */
  | { readonly kind: 'sum-files'; readonly files: readonly string[] };

/** Everything a reporter can observe during a run. */
export type ProgressEvent = RunEvent | DownloadEvent | ModuleDoneEvent | FetchEvent;
