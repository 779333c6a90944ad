/**
 * The one error base of gomod-dl and the one way to end a run.
 *
 * Every error a person can see is a {@link GoError}: a stable `code` for programs and go's exact text
 * as `message` (what go prints after `go: `), in the style of golang.org/x/mod's error types and
 * cacache's coded errors. A {@link FatalError} is go's base.Fatal: the run stops on the spot and exits 1.
 * Code that can meet a fatal verdict inside work that otherwise turns failures into per-module errors
 * (the resolver loading go.mod files, the download loop) records it in a {@link FatalLatch}, which stops
 * all further work and is raised by the caller.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/base/base.go (Fatalf, Fatal)
 */

/** An error with a stable `code` and go's text as `message`. */
export class GoError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/**
 * A broken invariant of gomod-dl itself (go's panic or `internal error`): no input is expected to
 * reach it. The message is go's text where go has one.
 */
export class InternalError extends GoError {
  constructor(message: string) {
    super('EINTERNAL', message);
  }
}

/**
 * A verdict that ends the whole run with exit status 1. `message` is go's text; report/lines.ts prints
 * it after the program name (`gomod-dl: <message>`, go's `base.Fatal(err)`), or as it is when `verbatim`
 * (go's `base.Fatalf` of a complete text such as a checksum mismatch's SECURITY ERROR).
 */
export class FatalError extends GoError {
  readonly verbatim: boolean;
  /**
   * The messages of an errors.Join: go's base.Error prints each with its own `go: ` prefix.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/base/base.go (Error)
   */
  readonly parts: readonly string[] | undefined;
  constructor(code: string, message: string, opts: { verbatim?: boolean; cause?: unknown } = {}) {
    super(code, message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.verbatim = opts.verbatim ?? false;
    this.parts = undefined;
  }

  /** errors.Join of `messages` (one message is just that error). */
  static joined(code: string, messages: readonly string[]): FatalError {
    const e = new FatalError(code, messages.join('\n'));
    if (messages.length > 1) (e as { parts: readonly string[] | undefined }).parts = [...messages];
    return e;
  }
}

/**
 * The first fatal verdict of a run. Once set, {@link check} throws it, so no further work starts
 * (go has exited by then); the caller raises {@link first} when its work returns.
 */
export class FatalLatch {
  first: FatalError | undefined;

  /** @param onFatal told of the first fatal error when it is noted (e.g. to stop work under way) */
  constructor(private readonly onFatal?: (err: FatalError) => void) {}

  /** Records `err` when it is fatal (the first one wins); returns whether it was. */
  note(err: unknown): err is FatalError {
    if (!(err instanceof FatalError)) return false;
    if (this.first === undefined) {
      this.first = err;
      this.onFatal?.(err);
    }
    return true;
  }

  /** Throws the recorded fatal error, if any. */
  check(): void {
    if (this.first !== undefined) throw this.first;
  }

  /** Runs `f` unless the run has ended, recording a fatal error it throws. */
  async guard<T>(f: () => Promise<T>): Promise<T> {
    this.check();
    try {
      return await f();
    } catch (err) {
      this.note(err);
      throw err;
    }
  }
}
