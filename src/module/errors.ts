/**
 * The error types of golang.org/x/mod/module, with x/mod's exact texts as `message`.
 *
 * Paths and versions are Go strings held as JS strings (bytes that are not UTF-8 as U+DC80–U+DCFF,
 * see src/internal/gostrconv.ts), so `%q` of them prints `\xNN` as go does.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/module/module.go
 */
import { GoError } from '../internal/errors.js';
import { quote } from '../internal/gostrconv.js';

/** The kind of path a check applies to; it names the path in messages (`malformed file path …`). */
export type PathKind = 'module' | 'import' | 'file';

/**
 * A module, import or file path that does not pass its check:
 * `malformed module path "P": missing dot in first path element`.
 * @see https://pkg.go.dev/golang.org/x/mod/module#InvalidPathError
 */
export class InvalidPathError extends GoError {
  override readonly name = 'InvalidPathError';
  /**
   * @param kind which check failed
   * @param path the path as given
   * @param reason the underlying error text (`invalid char '+'`)
   */
  constructor(
    readonly kind: PathKind,
    readonly path: string,
    readonly reason: string,
  ) {
    super('ERR_INVALID_PATH', `malformed ${kind} path ${quote(path)}: ${reason}`);
  }
}

/**
 * A version that is invalid on its own or for its module: `version "v2.0.0" invalid: should be v0 or
 * v1, not v2`; for pseudo-versions the noun is `pseudo-version`.
 * @see https://pkg.go.dev/golang.org/x/mod/module#InvalidVersionError
 */
export class InvalidVersionError extends GoError {
  override readonly name = 'InvalidVersionError';
  /**
   * @param version the version as given
   * @param reason the underlying error text (`not a semantic version`)
   * @param pseudo whether the version is a pseudo-version (changes the noun)
   */
  constructor(
    readonly version: string,
    readonly reason: string,
    readonly pseudo = false,
  ) {
    super('ERR_INVALID_VERSION', `${pseudo ? 'pseudo-version' : 'version'} ${quote(version)} invalid: ${reason}`);
  }

  /** `version` or `pseudo-version`, as used in the text of a {@link ModuleError}. */
  get noun(): string {
    return this.pseudo ? 'pseudo-version' : 'version';
  }
}

/**
 * An error about one module (and maybe version). Its text is `P@V: invalid version: R` when it wraps
 * an {@link InvalidVersionError} (V being that error's version), else `P@V: E`, or `module P: E`
 * without a version.
 * @see https://pkg.go.dev/golang.org/x/mod/module#ModuleError
 */
/**
 * Marks an error of another class that go returns as a ModuleError (its message already starts with
 * `path@version: `, e.g. the checksum database's `verifying go.mod: …`), so that {@link versionError}
 * does not put the module in front a second time.
 */
export const MODULE_VERSION: unique symbol = Symbol('gomod-dl.moduleVersion');
export interface ModuleScoped {
  readonly [MODULE_VERSION]: { readonly path: string; readonly version: string };
}

export class ModuleError extends GoError {
  override readonly name = 'ModuleError';
  constructor(
    readonly path: string,
    readonly version: string,
    readonly err: Error,
  ) {
    super('ERR_MODULE', moduleErrorText(path, version, err));
    this.cause = err;
  }
}

function moduleErrorText(path: string, version: string, err: Error): string {
  if (err instanceof InvalidVersionError) {
    return `${path}@${err.version}: invalid ${err.noun}: ${err.reason}`;
  }
  return version !== '' ? `${path}@${version}: ${err.message}` : `module ${path}: ${err.message}`;
}

/**
 * x/mod `module.VersionError`: err wrapped in a {@link ModuleError} for path@version, unless it
 * already is (or wraps, through `cause`) one for the same module version.
 * @see https://pkg.go.dev/golang.org/x/mod/module#VersionError
 */
export function versionError(mod: { path: string; version: string }, err: Error): Error {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e instanceof ModuleError && e.path === mod.path && e.version === mod.version) return err;
    const scoped = (e as Partial<ModuleScoped>)[MODULE_VERSION];
    if (scoped !== undefined && scoped.path === mod.path && scoped.version === mod.version) return err;
  }
  return new ModuleError(mod.path, mod.version, err);
}

/**
 * A proxy-escaped path or version that does not unescape (`invalid escaped module path "E"`, possibly
 * followed by `: ` and the path check's text). x/mod returns these as plain errors.
 * @see https://pkg.go.dev/golang.org/x/mod/module#UnescapePath
 */
export class InvalidEscapeError extends GoError {
  override readonly name = 'InvalidEscapeError';
  constructor(
    readonly escaped: string,
    message: string,
  ) {
    super('ERR_INVALID_ESCAPE', message);
  }
}
