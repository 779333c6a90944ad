/**
 * Module, import and file path checks, major-version suffixes and version checks (x/mod module.go).
 *
 * Paths are Go strings: a `Uint8Array` is taken as raw bytes, a JS string as text in which
 * U+DC80–U+DCFF stand for bytes that are not UTF-8 (see src/internal/gostrconv.ts), so a zip entry
 * name with a stray `\xff` fails with `invalid UTF-8` and quotes as go quotes it.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/module/module.go
 * @see https://go.dev/ref/mod#go-mod-file-ident
 */
import { goString, isLetter, quote, quoteRune } from '../internal/gostrconv.js';
import { InvalidPathError, InvalidVersionError, ModuleError, type PathKind } from './errors.js';
import { build, canonical, isValid, major } from './semver.js';

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const FILE_PUNCT = "!#$%&()+,-.=@[]^_{}~ ";
/** Windows reserved device names; compared ASCII-case-insensitively (no `u` flag, so no Unicode folding). */
const WINDOWS_RESERVED = /^(?:CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])$/i;

/** Whether ASCII character `c` may appear in a path of this kind (beyond ASCII only file paths allow letters). */
function asciiOK(c: number, kind: PathKind): boolean {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return true;
  if (c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e) return true; // - . _ ~
  if (kind === 'import') return c === 0x2b; // +
  return kind === 'file' && FILE_PUNCT.includes(String.fromCharCode(c));
}

/**
 * Checks one path element (x/mod `checkElem`); returns the reason it is bad, or "" if it is fine.
 * Versions are checked as file path elements before they are escaped.
 */
export function checkElem(elem: string, kind: PathKind): string {
  if (elem === '') return 'empty path element';
  if (/^\.+$/.test(elem)) return `invalid path element ${quote(elem)}`;
  if (elem[0] === '.' && kind === 'module') return 'leading dot in path element';
  if (elem.endsWith('.')) return 'trailing dot in path element';
  // By UTF-16 unit with an ASCII fast path (every file name of every zip passes here), pairs joined.
  for (let i = 0; i < elem.length; i++) {
    const c = elem.charCodeAt(i);
    if (c < 0x80) {
      if (!asciiOK(c, kind)) return `invalid char ${quoteRune(c)}`;
      continue;
    }
    const r = elem.codePointAt(i)!;
    if (r > 0xffff) i++;
    if (!(kind === 'file' && isLetter(r))) return `invalid char ${quoteRune(r)}`;
  }
  const dot = elem.indexOf('.');
  const short = dot >= 0 ? elem.slice(0, dot) : elem;
  if (WINDOWS_RESERVED.test(short)) {
    return `${quote(short)} disallowed as path element component on Windows`;
  }
  if (kind === 'file') return '';
  // Windows 8.3 short names such as PROGRA~1 could alias another element.
  const tilde = short.lastIndexOf('~');
  if (tilde >= 0 && tilde < short.length - 1 && /^[0-9]+$/.test(short.slice(tilde + 1))) {
    return 'trailing tilde and digits in path element';
  }
  return '';
}

/**
 * File paths that pass every rule of checkElem, recognised at once: elements of ASCII letters,
 * digits and `_.~+-`, none all dots or ending in a dot (each ends in a non-dot). A regular
 * expression runs as machine code from its first call, where the rule-by-rule loop runs in the
 * interpreter for most of a short run: x/tools' 1,588 zip entries spent 12 ms of a cold run here
 * (cpu profile). Windows' reserved names still go the long way ({@link RESERVED_ELEM}).
 */
const PLAIN_FILE_PATH = /^[A-Za-z0-9_.~+-]*[A-Za-z0-9_~+-](?:\/[A-Za-z0-9_.~+-]*[A-Za-z0-9_~+-])*$/;
/** An element whose part before its first dot may be a Windows reserved name (checked in full by checkElem). */
const RESERVED_ELEM = /(?:^|\/)(?:CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(?:[./]|$)/i;

/** x/mod `checkPath`: the reason path is bad for kind, or "" (rule by rule; exported for its test). */
export function checkPathReason(path: string, kind: PathKind): string {
  if (LONE_SURROGATE.test(path)) return 'invalid UTF-8';
  if (path === '') return 'empty string';
  if (path[0] === '-' && kind !== 'file') return 'leading dash';
  if (path.includes('//')) return 'double slash';
  if (path.endsWith('/')) return 'trailing slash';
  for (const elem of path.split('/')) {
    const reason = checkElem(elem, kind);
    if (reason !== '') return reason;
  }
  return '';
}

const asGoString = (p: string | Uint8Array): string => (typeof p === 'string' ? p : goString(p));

/** The reason a module path is bad (checkPath plus the first-element rules), or "". */
function checkModulePathReason(path: string): string {
  const reason = checkPathReason(path, 'module');
  if (reason !== '') return reason;
  const slash = path.indexOf('/');
  const first = slash < 0 ? path : path.slice(0, slash);
  if (first === '') return 'leading slash';
  if (!first.includes('.')) return 'missing dot in first path element';
  if (path[0] === '-') return 'leading dash in first path element';
  for (const ch of first) {
    const ok = ch === '-' || ch === '.' || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z');
    if (!ok) return `invalid char ${quoteRune(ch.codePointAt(0)!)} in first path element`;
  }
  if (!splitPathVersion(path).ok) return 'invalid version';
  return '';
}

/**
 * Checks a module path: import-path rules without `+`, a first element that looks like a lower-case
 * host name with a dot, and a valid major-version suffix. Throws {@link InvalidPathError}
 * (`malformed module path "…": …`).
 * @see https://pkg.go.dev/golang.org/x/mod/module#CheckPath
 */
export function checkPath(path: string | Uint8Array): void {
  const p = asGoString(path);
  const reason = checkModulePathReason(p);
  if (reason !== '') throw new InvalidPathError('module', p, reason);
}

/**
 * Checks an import path (module path rules per element, `+` allowed, no host rules). Throws
 * {@link InvalidPathError} (`malformed import path "…": …`).
 * @see https://pkg.go.dev/golang.org/x/mod/module#CheckImportPath
 */
export function checkImportPath(path: string | Uint8Array): void {
  const p = asGoString(path);
  const reason = checkPathReason(p, 'import');
  if (reason !== '') throw new InvalidPathError('import', p, reason);
}

/**
 * Checks a slash-separated file path inside a module zip: ASCII letters, digits and
 * ``!#$%&()+,-.=@[]^_{}~`` plus space, and non-ASCII letters. Throws {@link InvalidPathError}
 * (`malformed file path "…": …`).
 * @see https://pkg.go.dev/golang.org/x/mod/module#CheckFilePath
 */
export function checkFilePath(path: string | Uint8Array): void {
  const p = asGoString(path);
  if (PLAIN_FILE_PATH.test(p) && !RESERVED_ELEM.test(p)) return;
  const reason = checkPathReason(p, 'file');
  if (reason !== '') throw new InvalidPathError('file', p, reason);
}

/** Result of {@link splitPathVersion}. */
export interface SplitPath {
  prefix: string;
  /** `/vN` (N ≥ 2), `.vN` or `.vN-unstable` for gopkg.in, or "". */
  pathMajor: string;
  ok: boolean;
}

function splitGopkgIn(path: string): SplitPath {
  const bad: SplitPath = { prefix: path, pathMajor: '', ok: false };
  let i = path.length;
  if (path.endsWith('-unstable')) i -= '-unstable'.length;
  while (i > 0 && path[i - 1]! >= '0' && path[i - 1]! <= '9') i--;
  if (i <= 1 || path[i - 1] !== 'v' || path[i - 2] !== '.') return bad;
  const pathMajor = path.slice(i - 2);
  if (pathMajor.length <= 2 || (pathMajor[2] === '0' && pathMajor !== '.v0')) return bad;
  return { prefix: path.slice(0, i - 2), pathMajor, ok: true };
}

/**
 * Splits a module path into prefix and major-version suffix: `x/y/v2` → (`x/y`, `/v2`),
 * `gopkg.in/yaml.v2` → (`gopkg.in/yaml`, `.v2`). `ok` is false for `/v0`, `/v1`, `/v2.0`, `/v02`
 * and for gopkg.in paths without `.vN`.
 * @see https://pkg.go.dev/golang.org/x/mod/module#SplitPathVersion
 */
export function splitPathVersion(path: string): SplitPath {
  if (path.startsWith('gopkg.in/')) return splitGopkgIn(path);
  let i = path.length;
  let dot = false;
  for (; i > 0; i--) {
    const c = path[i - 1]!;
    if (c === '.') dot = true;
    else if (c < '0' || c > '9') break;
  }
  if (i <= 1 || i === path.length || path[i - 1] !== 'v' || path[i - 2] !== '/') {
    return { prefix: path, pathMajor: '', ok: true };
  }
  const pathMajor = path.slice(i - 2);
  if (dot || pathMajor.length <= 2 || pathMajor[2] === '0' || pathMajor === '/v1') {
    return { prefix: path, pathMajor: '', ok: false };
  }
  return { prefix: path.slice(0, i - 2), pathMajor, ok: true };
}

/**
 * Checks that version v suits a module path with suffix pathMajor: "" needs v0/v1 (or
 * `+incompatible`), `/vN` and `.vN` need vN. Throws {@link InvalidVersionError}
 * (`should be v0 or v1, not v2`).
 * @see https://pkg.go.dev/golang.org/x/mod/module#CheckPathMajor
 */
export function checkPathMajor(v: string, pathMajor: string): void {
  if (pathMajor.startsWith('.v') && pathMajor.endsWith('-unstable')) {
    pathMajor = pathMajor.slice(0, -'-unstable'.length);
  }
  // gopkg.in/…v1 was once allowed to use v0 pseudo-versions (golang/go#41500), and still is.
  if (v.startsWith('v0.0.0-') && pathMajor === '.v1') return;
  const m = major(v);
  let want = pathMajor;
  if (pathMajor === '') {
    if (m === 'v0' || m === 'v1' || build(v) === '+incompatible') return;
    want = 'v0 or v1';
  } else if (pathMajor[0] === '/' || pathMajor[0] === '.') {
    if (m === pathMajor.slice(1)) return;
    want = pathMajor.slice(1);
  }
  throw new InvalidVersionError(v, `should be ${want}, not ${m}`);
}

/**
 * Whether version v suits pathMajor ({@link checkPathMajor} without the error).
 * @see https://pkg.go.dev/golang.org/x/mod/module#MatchPathMajor
 */
export function matchPathMajor(v: string, pathMajor: string): boolean {
  try {
    checkPathMajor(v, pathMajor);
    return true;
  } catch (err) {
    if (err instanceof InvalidVersionError) return false;
    throw err;
  }
}

/**
 * The major version a pathMajor suffix requires (`/v2` → `v2`, `.v1-unstable` → `v1`), "" for "".
 * @see https://pkg.go.dev/golang.org/x/mod/module#PathMajorPrefix
 */
export function pathMajorPrefix(pathMajor: string): string {
  if (pathMajor === '') return '';
  if (pathMajor.startsWith('.v') && pathMajor.endsWith('-unstable')) {
    pathMajor = pathMajor.slice(0, -'-unstable'.length);
  }
  return pathMajor.slice(1);
}

/**
 * Checks a module path and version together. Throws {@link InvalidPathError} for a bad path, else a
 * {@link ModuleError} wrapping an {@link InvalidVersionError}: `P@V: invalid version: not a semantic
 * version` or `…: should be v2, not v3`.
 * @see https://pkg.go.dev/golang.org/x/mod/module#Check
 */
export function check(path: string, version: string): void {
  checkPath(path);
  if (!isValid(version)) {
    throw new ModuleError(path, '', new InvalidVersionError(version, 'not a semantic version'));
  }
  try {
    checkPathMajor(version, splitPathVersion(path).pathMajor);
  } catch (err) {
    if (err instanceof InvalidVersionError) throw new ModuleError(path, '', err);
    throw err;
  }
}

/**
 * `semver.canonical(v)`, keeping a build suffix that is exactly `+incompatible`.
 * @see https://pkg.go.dev/golang.org/x/mod/module#CanonicalVersion
 */
export function canonicalVersion(v: string): string {
  const cv = canonical(v);
  return build(v) === '+incompatible' ? cv + '+incompatible' : cv;
}
