/**
 * One status line at the bottom of a terminal, redrawn in place, with ordinary output printed above it.
 *
 * Invariants:
 * - The line never wraps, so it never scrolls: it is cut to one column less than the terminal's width
 *   (writing into the last column makes some terminals wrap early).
 * - It is drawn with a carriage return and overwritten with spaces, no escape sequences, so it works
 *   on any terminal that honours `\r` and adds nothing that NO_COLOR or a dumb terminal would object to.
 * - Text written through {@link StatusLine.write} first erases the line, then the line is drawn again
 *   below the text, so output never interleaves with it. Text without a final newline leaves the
 *   cursor mid-line: the status line waits until a later write ends the line.
 * - {@link StatusLine.stop} erases it and leaves the cursor at the start of an empty line.
 */

export interface StatusLineOptions {
  /** Writes to the terminal. */
  write: (s: string) => void;
  /** The text of the line, asked for at each redraw. */
  render: () => string;
  /** The terminal's width in columns, asked for at each redraw (it may change). */
  columns: () => number;
  /** Redraws per second are at most 1000 / intervalMs (default 250 ms: calm, yet alive). */
  intervalMs?: number;
}

/** A status line redrawn on a timer. */
export class StatusLine {
  readonly #o: Required<StatusLineOptions>;
  /** Columns of the line now on screen (0: none). */
  #shown = 0;
  /** Output left the cursor mid-line: no drawing until a newline. */
  #midLine = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: StatusLineOptions) {
    this.#o = { intervalMs: 250, ...opts };
  }

  /** Starts redrawing every interval (the first draw after one interval, so quick runs show nothing). */
  start(): void {
    this.#timer ??= setInterval(() => this.draw(), this.#o.intervalMs);
    this.#timer.unref();
  }

  /** Draws the line now (between timer ticks: tests and phase changes). */
  draw(): void {
    if (this.#midLine) return;
    const width = Math.max(0, this.#o.columns() - 1);
    const text = truncate(this.#o.render(), width);
    // Blank what the last frame left, but never past this width: after the terminal shrank, a
    // frame padded to the old width would itself wrap.
    this.#o.write('\r' + text + ' '.repeat(Math.max(0, Math.min(this.#shown, width) - text.length)));
    this.#shown = text.length;
  }

  /** Writes output above the line. */
  write(text: string): void {
    if (text === '') return;
    this.#erase();
    this.#o.write(text);
    this.#midLine = !text.endsWith('\n');
    if (this.#timer !== undefined && !this.#midLine) this.draw();
  }

  /** Runs `f` (output to another stream on the same terminal) with the line erased, then redraws it. */
  around(f: () => void): void {
    this.#erase();
    f();
    if (this.#timer !== undefined && !this.#midLine) this.draw();
  }

  /** Stops redrawing and erases the line. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#erase();
  }

  #erase(): void {
    if (this.#shown === 0) return;
    this.#o.write('\r' + ' '.repeat(Math.min(this.#shown, Math.max(0, this.#o.columns() - 1))) + '\r');
    this.#shown = 0;
  }
}

/** Cuts `s` to `width` columns, ending in `…` when cut. The line is ASCII but for that ellipsis. */
export function truncate(s: string, width: number): string {
  if (s.length <= width) return s;
  if (width <= 0) return '';
  return s.slice(0, width - 1) + '…';
}
