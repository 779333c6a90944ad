/**
 * go.mod / go.work errors with x/mod's exact texts.
 *
 * A `ModfileError` is x/mod's `modfile.Error`: `FILE:LINE[:COL]: [VERB [PATH]: ]MSG`. A
 * `ModfileErrorList` is `modfile.ErrorList`: its message is the entries joined by `\n`. Syntax errors
 * abort the parse (a list of one); directive errors are collected.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go (Error, ErrorList)
 */
import { GoError } from '../internal/errors.js';
import type { Position } from './syntax.js';

/** One go.mod error (x/mod `modfile.Error`). */
export class ModfileError extends GoError {
  readonly filename: string;
  readonly pos: Position | undefined;
  readonly verb: string;
  readonly modPath: string;
  /** The underlying error; its message is the last part of this one. */
  readonly err: Error;

  constructor(opts: { filename?: string; pos?: Position; verb?: string; modPath?: string; err: Error | string }) {
    const err = typeof opts.err === 'string' ? new Error(opts.err) : opts.err;
    super('EMODFILE', formatModfileError(opts.filename ?? '', opts.pos, opts.verb ?? '', opts.modPath ?? '', err.message));
    this.name = 'ModfileError';
    this.filename = opts.filename ?? '';
    this.pos = opts.pos;
    this.verb = opts.verb ?? '';
    this.modPath = opts.modPath ?? '';
    this.err = err;
  }

  /**
   * `err` positioned at `pos` in `filename`. An unpositioned inner modfile error (x/mod's
   * `{Verb, ModPath, Err}` from parseVersion) keeps its `VERB PATH: ` part.
   */
  static at(filename: string, pos: Position, err: Error): ModfileError {
    if (err instanceof ModfileError && err.filename === '' && !err.pos) {
      return new ModfileError({ filename, pos, verb: err.verb, modPath: err.modPath, err: err.err });
    }
    return new ModfileError({ filename, pos, err });
  }

  /** A copy with another file name, as cmd/go's `shortPathErrorList` rewrites names. */
  withFilename(filename: string): ModfileError {
    return new ModfileError({
      filename,
      ...(this.pos ? { pos: this.pos } : {}),
      verb: this.verb,
      modPath: this.modPath,
      err: this.err,
    });
  }
}

function formatModfileError(filename: string, pos: Position | undefined, verb: string, modPath: string, msg: string): string {
  let prefix = '';
  // x/mod prints the column only when it is not 1: scanner errors and block lines.
  if (pos && pos.lineRune > 1) prefix = `${filename}:${pos.line}:${pos.lineRune}: `;
  else if (pos && pos.line > 0) prefix = `${filename}:${pos.line}: `;
  else if (filename !== '') prefix = `${filename}: `;
  let directive = '';
  if (modPath !== '') directive = `${verb} ${modPath}: `;
  else if (verb !== '') directive = `${verb}: `;
  return prefix + directive + msg;
}

/** The errors of one parse (x/mod `modfile.ErrorList`); the message joins them with `\n`. */
export class ModfileErrorList extends GoError {
  readonly errors: readonly ModfileError[];

  constructor(errors: readonly ModfileError[]) {
    super('EMODFILE', errors.map((e) => e.message).join('\n'));
    this.name = 'ModfileErrorList';
    this.errors = errors;
  }
}

/**
 * The text cmd/go prints (after `go: `) when the main module's go.mod or the go.work file does not
 * parse: `errors parsing <short path>:` then the entries, each file name replaced by `shortName`
 * (cmd/go shortens paths relative to the working directory: `modload.ReadModFile`,
 * `shortPathErrorList`). For a go.work file (`work: true`) the header is always `errors parsing
 * go.work:` (`modload.ReadWorkFile`).
 *
 * `go mod download`, `go list -m` and `go build` print this; `go work edit` prints the go.work header
 * twice, and `go mod edit FILE` keeps the unshortened name in the entries.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (ReadWorkFile)
 */
export function formatParseError(err: ModfileErrorList, shortName: string, opts: { work?: boolean } = {}): string {
  const header = opts.work ? 'errors parsing go.work:' : `errors parsing ${shortName}:`;
  return [header, ...err.errors.map((e) => e.withFilename(shortName).message)].join('\n');
}
