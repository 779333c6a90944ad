/**
 * One zip's entries shared between two threads: the worker that runs the extraction (the owner) and,
 * once it is idle, the calling thread (the helper; see ExtractPool). Each takes the next unread entry
 * from counters in a SharedArrayBuffer, so a large zip that arrives last is not left to one thread
 * while the other waits (issue #16: the last zip of a cold caddy run, 43 MiB, kept one core busy for
 * a second with the other idle).
 *
 * The owner checks the zip and makes its directories first, then opens the counters to a helper;
 * when its own loop runs out of entries it closes them. A helper joins only an open extraction, and
 * at most one joins. Either side failing stops both (the counters jump past the end).
 */
import { NO_MORE, type Claims } from './entries.js';

const STATE = 0;
const SMALL = 1;
const LARGE = 2;

const PREPARING = 0;
const OPEN = 1;
const CLOSED = 2;
const JOINED = 3;

/** A thread's view of the counters of one shared extraction. */
export class SharedClaims implements Claims {
  readonly #a: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.#a = new Int32Array(buffer);
  }

  /** The memory of a new shared extraction, to send to the owner with its job. */
  static create(): SharedArrayBuffer {
    return new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  }

  nextSmall(): number {
    return Atomics.add(this.#a, SMALL, 1);
  }

  nextLarge(): number {
    return Atomics.add(this.#a, LARGE, 1);
  }

  stop(): void {
    Atomics.store(this.#a, SMALL, NO_MORE);
    Atomics.store(this.#a, LARGE, NO_MORE);
  }

  /** The owner: the zip passed its checks and its directories exist; a helper may join. */
  open(): void {
    Atomics.compareExchange(this.#a, STATE, PREPARING, OPEN);
  }

  /**
   * The owner, out of entries: no helper may join from now on. False when one joined: the owner's
   * digests are then only part of the zip's.
   */
  close(): boolean {
    return Atomics.compareExchange(this.#a, STATE, OPEN, CLOSED) !== JOINED;
  }

  /** Whether a helper could join now. */
  get joinable(): boolean {
    return Atomics.load(this.#a, STATE) === OPEN;
  }

  /** The helper: joins an open extraction; false when it is not open (not yet, or no longer). */
  join(): boolean {
    return Atomics.compareExchange(this.#a, STATE, OPEN, JOINED) === OPEN;
  }
}
