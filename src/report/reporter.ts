/**
 * What a person sees on stderr besides go's own output: the progress line, colour, explanations under
 * errors, and the summary. One reporter per run; the run writes its stderr text through
 * {@link Reporter.stderr} and its events to {@link Reporter.onEvent}.
 *
 * Without a terminal and without `--progress`, `--summary` or `--color`, every piece is off and stderr
 * passes through unchanged, byte for byte what go prints.
 */
import type { ProgressEvent } from './events.js';
import { colourLevel, styles, type Styles, type When } from './colour.js';
import { Explainer } from './explain.js';
import { formatStatus, formatSummary } from './format.js';
import { StatusLine } from './statusline.js';
import { Tally } from './tally.js';

export type { When } from './colour.js';

export interface ReporterOptions {
  /** Writes to stderr. */
  write: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal. */
  isTTY: boolean;
  /** The terminal's width (default 80). */
  columns?: () => number;
  progress: When;
  summary: When;
  color: When;
  /** Milliseconds, monotonic (default performance.now). */
  now?: () => number;
  /** The progress line's redraw interval (default 250 ms). */
  intervalMs?: number;
}

/** The run's reporter. */
export class Reporter {
  readonly #o: ReporterOptions;
  readonly #tally = new Tally();
  readonly #explainer = new Explainer();
  readonly #styles: Styles;
  readonly #explain: boolean;
  readonly #summary: boolean;
  readonly #now: () => number;
  #status: StatusLine | undefined;
  #started: number | undefined;

  constructor(o: ReporterOptions) {
    this.#o = o;
    this.#now = o.now ?? (() => performance.now());
    this.#styles = styles(colourLevel(o.color, o.env, o.isTTY));
    this.#summary = o.summary === 'always' || (o.summary === 'auto' && o.isTTY);
    // Notes are gomod-dl's own output: only where the person asked for it or is watching.
    this.#explain = o.isTTY || o.summary === 'always';
  }

  /** Whether the run needs to send events at all. */
  get wantsEvents(): boolean {
    const { progress, isTTY } = this.#o;
    return this.#summary || this.#explain || progress === 'always' || (progress === 'auto' && isTTY);
  }

  /** Receives the run's events. */
  readonly onEvent = (e: ProgressEvent): void => {
    this.#tally.add(e);
    this.#explainer.add(e);
    if (e.kind === 'phase' && e.phase === 'graph') {
      this.#started = this.#now();
      if (this.#progressWanted(e.x, e.json)) this.#startProgress();
    }
  };

  /** Writes the run's stderr text (explained and coloured when enabled) above the progress line. */
  readonly stderr = (text: string): void => {
    if (text === '') return;
    let out = this.#explain ? this.#explainer.explain(text) : text;
    out = this.#colour(out);
    if (this.#status !== undefined) this.#status.write(out);
    else this.#o.write(out);
  };

  /** Erases the progress line without a summary (the process is exiting early, e.g. on a signal). */
  readonly abort = (): void => {
    this.#status?.stop();
    this.#status = undefined;
  };

  /**
   * Writes `text` to stdout (through `write`) with the progress line out of its way, for when
   * stdout is the same terminal (`-json --progress=always`).
   */
  stdoutVia(write: (s: string) => void): (s: string) => void {
    return (s) => (this.#status !== undefined ? this.#status.around(() => write(s)) : write(s));
  }

  /**
   * Ends the run's output: erases the progress line and prints the summary when one is due, green
   * only for a run that succeeded.
   */
  finish(failed = false): void {
    this.#status?.stop();
    this.#status = undefined;
    const c = this.#tally.counts;
    if (!this.#summary || this.#started === undefined || c.phase !== 'download' || c.total === 0) return;
    const line = `gomod-dl: ${formatSummary(c, this.#now() - this.#started)}`;
    this.#o.write((failed || c.failed > 0 ? line : this.#styles.summary(line)) + '\n');
  }

  #progressWanted(x: boolean, json: boolean): boolean {
    const { progress, isTTY, env } = this.#o;
    if (progress === 'always') return true;
    return progress === 'auto' && isTTY && env['TERM'] !== 'dumb' && !x && !json;
  }

  #startProgress(): void {
    this.#status = new StatusLine({
      write: this.#o.write,
      columns: this.#o.columns ?? (() => 80),
      // On a narrow terminal the counts matter more than the program's name.
      render: () => `${(this.#o.columns?.() ?? 80) < 60 ? '' : 'gomod-dl: '}${formatStatus(this.#tally.counts, this.#tally.sampleRate(this.#now()))}`,
      ...(this.#o.intervalMs !== undefined ? { intervalMs: this.#o.intervalMs } : {}),
    });
    this.#status.start();
  }

  /** Error prefixes, SECURITY headings and notes in colour (identity at colour level 0). */
  #colour(text: string): string {
    const s = this.#styles;
    return text
      .replace(/^gomod-dl: note: /gm, (m) => s.note(m))
      // Every line go prints with its name is an error, but these two, which say what was not done.
      .replace(/^gomod-dl: (?!note: |no module dependencies to download$|skipping download of )/gm, (m) => s.error(m))
      .replace(/^SECURITY (ERROR|WARNING)$/gm, (m) => s.alarm(m));
  }
}
