/**
 * Case-encoding of module paths and versions for proxy URLs and cache directories: each upper-case
 * ASCII letter becomes `!` plus its lower-case form, so paths that differ only in case stay distinct on
 * case-insensitive file systems (`github.com/Azure` → `github.com/!azure`).
 *
 * @see https://go.dev/ref/mod#goproxy-protocol
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/module/module.go (EscapePath, UnescapePath)
 */
import { quote } from '../internal/gostrconv.js';
import { InvalidEscapeError, InvalidVersionError } from './errors.js';
import { checkElem, checkPath } from './path.js';

function escapeString(s: string): string {
  if (/[!\u0080-\uffff]/.test(s)) {
    // Reachable: a version may hold non-ASCII letters, which pass the file-path check.
    throw new InvalidEscapeError(s, 'internal error: inconsistency in EscapePath');
  }
  return s.replace(/[A-Z]/g, (c) => '!' + c.toLowerCase());
}

/** Undoes {@link escapeString}; undefined if `escaped` is not a valid encoding. */
function unescapeString(escaped: string): string | undefined {
  // Only ASCII; `!` must precede a lower-case letter; bare upper case cannot occur in an encoding.
  if (!/^(?:[\0-\x20\x22-\x40\x5b-\x7f]|![a-z])*$/.test(escaped)) return undefined;
  return escaped.replace(/!([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * The case-encoded form of a module path, after checking it. Throws {@link InvalidPathError}.
 * @see https://pkg.go.dev/golang.org/x/mod/module#EscapePath
 */
export function escapePath(path: string): string {
  let e = escaped.get(path);
  if (e === undefined) {
    checkPath(path);
    e = escapeString(path);
    if (escaped.size >= ESCAPED_MAX) escaped.clear();
    escaped.set(path, e);
  }
  return e;
}

/**
 * Paths that passed checkPath, with their escaped form: a run asks for the same few hundred paths
 * thousands of times (every cache file name), and checkPath is the costly part. Failures are not kept.
 */
const escaped = new Map<string, string>();
const ESCAPED_MAX = 1 << 14;

/**
 * The case-encoded form of a version. The version must be a valid file path element without `!`,
 * else throws {@link InvalidVersionError} (`version "…" invalid: disallowed version string`).
 * @see https://pkg.go.dev/golang.org/x/mod/module#EscapeVersion
 */
export function escapeVersion(v: string): string {
  if (checkElem(v, 'file') !== '' || v.includes('!')) {
    throw new InvalidVersionError(v, 'disallowed version string');
  }
  return escapeString(v);
}

/**
 * Decodes a case-encoded module path and checks it. Throws {@link InvalidEscapeError}:
 * `invalid escaped module path "E"` or `invalid escaped module path "E": malformed module path …`.
 * @see https://pkg.go.dev/golang.org/x/mod/module#UnescapePath
 */
export function unescapePath(escaped: string): string {
  const path = unescapeString(escaped);
  if (path === undefined) {
    throw new InvalidEscapeError(escaped, `invalid escaped module path ${quote(escaped)}`);
  }
  try {
    checkPath(path);
  } catch (err) {
    const msg = `invalid escaped module path ${quote(escaped)}: ${(err as Error).message}`;
    throw new InvalidEscapeError(escaped, msg);
  }
  return path;
}

/**
 * Decodes a case-encoded version and checks it as a file path element. Throws
 * {@link InvalidEscapeError}; like x/mod, the second form quotes the decoded version:
 * `invalid escaped version "v1.0.0!x"`, `invalid escaped version "V..": …`.
 * @see https://pkg.go.dev/golang.org/x/mod/module#UnescapeVersion
 */
export function unescapeVersion(escaped: string): string {
  const v = unescapeString(escaped);
  if (v === undefined) throw new InvalidEscapeError(escaped, `invalid escaped version ${quote(escaped)}`);
  const reason = checkElem(v, 'file');
  if (reason !== '') throw new InvalidEscapeError(escaped, `invalid escaped version ${quote(v)}: ${reason}`);
  return v;
}
