/**
 * Errors of module loading, queries and argument resolution, with the go command's exact texts.
 * Each has a stable `code`; `message` is what go prints after `go: `.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/query.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/mvs/errors.go
 */
import { GoError } from '../internal/errors.js';
import { InvalidVersionError, ModuleError, versionError } from '../module/index.js';
import { mvString, type ModuleVersion } from './modver.js';

/** The first ModuleError in `err`'s chain (through `cause`). */
export function findModuleError(err: unknown): ModuleError | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 16; depth++) {
    if (e instanceof ModuleError) return e;
    e = e.cause;
  }
  return undefined;
}

/** An error with go's text that wraps another (Go `fmt.Errorf("…%w", err)`). */
export class WrappedError extends GoError {
  readonly err: Error;
  constructor(code: string, message: string, err: Error) {
    super(code, message);
    this.name = 'WrappedError';
    this.err = err;
    this.cause = err;
  }
}

export { TooNewError } from '../module/index.js';

/**
 * `no matching versions for query "<q>"[ (current version is V)]`.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/query.go (NoMatchingVersionError)
 */
export class NoMatchingVersionError extends GoError {
  constructor(
    readonly query: string,
    readonly current: string,
  ) {
    const suffix =
      (query === 'upgrade' || query === 'patch') && current !== '' && current !== 'none'
        ? ` (current version is ${current})`
        : '';
    super('ENOMATCH', `no matching versions for query "${query}"${suffix}`);
    this.name = 'NoMatchingVersionError';
  }
}

/** @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/query.go (NoPatchBaseError) */
export class NoPatchBaseError extends GoError {
  constructor(readonly path: string) {
    super('ENOPATCHBASE', `can't query version "patch" of module ${path}: no existing version is required`);
    this.name = 'NoPatchBaseError';
  }
}

/** `invalid semantic version …` / `ambiguous semantic version …` in a range query. */
export class QuerySyntaxError extends GoError {
  constructor(message: string) {
    super('EQUERYSYNTAX', message);
    this.name = 'QuerySyntaxError';
  }
}

/**
 * A version excluded by a main module's go.mod (`excluded by go.mod`) or retracted by its author
 * (`retracted by module author[: rationale]`): go's `ErrDisallowed` family.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (excludedError, ModuleRetractedError)
 */
export class DisallowedError extends GoError {
  constructor(message: string) {
    super('EDISALLOWED', message);
    this.name = 'DisallowedError';
  }
}

/** Whether `err` (or what it wraps) is a {@link DisallowedError}. */
export function isDisallowed(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 16; depth++) {
    if (e instanceof DisallowedError) return true;
    const o = e as { err?: unknown; cause?: unknown };
    e = o.err ?? o.cause;
  }
  return false;
}

/**
 * An error found while loading the module graph, printed with the chain of requirements that
 * leads to it (`a@v requires\n\tb@v: …`).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/mvs/errors.go (BuildListError)
 */
export class BuildListError extends GoError {
  constructor(
    readonly err: Error,
    /** The requirement path from a root to the module that failed. */
    readonly requirePath: readonly ModuleVersion[],
  ) {
    super('EBUILDLIST', formatBuildListError(err, requirePath));
    this.name = 'BuildListError';
  }
}

function formatBuildListError(err: Error, path: readonly ModuleVersion[]): string {
  let stack = path.slice();
  // Leading modules without a version are main modules (or a synthetic root): not printed.
  while (stack.length > 0 && stack[0]!.version === '') stack = stack.slice(1);
  if (stack.length === 0) return err.message;
  let b = '';
  for (const m of stack.slice(0, -1)) b += `${mvString(m)} requires\n\t`;
  const m = stack[stack.length - 1]!;
  const mErr = err instanceof ModuleError ? err : undefined;
  if (mErr !== undefined) {
    const actual = { path: mErr.path, version: invalidVersionOf(mErr) ?? mErr.version };
    if (actual.path === m.path && actual.version === m.version) return b + err.message;
    return b + `${mvString(m)} (replaced by ${mvString(actual)}): ${mErr.err.message}`;
  }
  return b + versionError(m, err).message;
}

function invalidVersionOf(e: ModuleError): string | undefined {
  return e.err instanceof InvalidVersionError ? e.err.version : undefined;
}

/** The resolver's fatal conditions are the run's one {@link FatalError} (kept under this name for callers). */
export { FatalError as ResolveFatalError } from '../internal/errors.js';

/**
 * `go.mod file not found in current directory or any parent directory; see 'go help modules'`
 * (or the workspace variant).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (noMainModulesError)
 */
export class NoMainModulesError extends GoError {
  constructor(inWorkspace = false) {
    super('ENOMAINMODULE', 
      inWorkspace
        ? "no modules were found in the current workspace; see 'go help work'"
        : "go.mod file not found in current directory or any parent directory; see 'go help modules'",
    );
    this.name = 'NoMainModulesError';
  }
}
