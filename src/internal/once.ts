/**
 * Memoises one async computation per key for the life of a run, failures included, as cmd/go's
 * par.ErrCache does: concurrent and later callers with the same key share the first promise.
 */
export class OnceMap {
  readonly #m = new Map<string, Promise<unknown>>();

  /** The promise for `key`, starting `f` only for the first caller. */
  do<T>(key: string, f: () => Promise<T>): Promise<T> {
    let p = this.#m.get(key) as Promise<T> | undefined;
    if (p === undefined) {
      p = f();
      // Every caller awaits the same promise; a rejection a later caller never asks for is not unhandled.
      p.catch(() => undefined);
      this.#m.set(key, p);
    }
    return p;
  }

  /** Forgets `key`, so the next caller starts anew (for work deduplicated only while in flight). */
  delete(key: string): void {
    this.#m.delete(key);
  }
}
