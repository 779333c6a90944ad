/**
 * Go toolchain and language versions as written in go.mod `go` and `toolchain` lines: `1.21`,
 * `1.21.0`, `1.21rc1`, `1.2beta1` (no `v`, unlike module versions).
 *
 * Ordering: `1.21` (the language) < `1.21rc1` < `1.21.0` < `1.21.1`; but before Go 1.21, `1.20` meant
 * the release `1.20.0` (and `1.20rc1` < `1.20`). Invalid strings parse as all-empty and so order below
 * every valid version.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/internal/gover/gover.go
 * @see https://go.dev/doc/toolchain#version
 */
import { GoError } from '../internal/errors.js';

interface GoVersion {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** "", "alpha", "beta" or "rc" (any lower-case word parses). */
  readonly kind: string;
  readonly pre: string;
}

const INVALID: GoVersion = Object.freeze({ major: '', minor: '', patch: '', kind: '', pre: '' });

/** Cuts a decimal without a leading zero off the front of x: [digits, rest], or undefined. */
function cutInt(x: string): [string, string] | undefined {
  const m = /^(?:0|[1-9][0-9]*)/.exec(x);
  if (m === null || /^0[0-9]/.test(x)) return undefined;
  return [m[0], x.slice(m[0].length)];
}

/** Compares decimal strings without leading zeros ("" is smallest). */
function cmpInt(x: string, y: string): number {
  if (x === y) return 0;
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : 1;
}

/** Parses by version string, remembered (as semver.ts's: every module's go line is compared often). */
const parsed = new Map<string, GoVersion>();
const PARSED_MAX = 1024;

function parse(x: string): GoVersion {
  let v = parsed.get(x);
  if (v === undefined) {
    v = scan(x);
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(x, v);
  }
  return v;
}

function scan(x: string): GoVersion {
  const mj = cutInt(x);
  if (mj === undefined) return INVALID;
  const [major, afterMajor] = mj;
  if (afterMajor === '') return { ...INVALID, major, minor: '0', patch: '0' };
  if (afterMajor[0] !== '.') return INVALID;
  const mn = cutInt(afterMajor.slice(1));
  if (mn === undefined) return INVALID;
  const [minor, rest] = mn;
  // Before Go 1.21 the first release was `1.N`, not `1.N.0`, so `1.20` means patch 0.
  if (rest === '') return { ...INVALID, major, minor, patch: cmpInt(minor, '21') < 0 ? '0' : '' };
  if (rest[0] === '.') {
    const p = cutInt(rest.slice(1));
    if (p === undefined || p[1] !== '') return INVALID;
    return { ...INVALID, major, minor, patch: p[0] };
  }
  const k = /^[a-z]+/.exec(rest);
  if (k === null) return INVALID;
  const kind = k[0];
  const afterKind = rest.slice(kind.length);
  if (afterKind === '') return { ...INVALID, major, minor, kind };
  const pre = cutInt(afterKind);
  if (pre === undefined || pre[1] !== '') return INVALID;
  return { major, minor, patch: '', kind, pre: pre[0] };
}

const isInvalid = (v: GoVersion): boolean => v.major === '';

/**
 * Compares Go versions x and y: -1, 0 or +1. Invalid versions compare below valid ones.
 * @see https://github.com/golang/go/blob/go1.26.8/src/internal/gover/gover.go (Compare)
 */
export function goCompare(x: string, y: string): number {
  const vx = parse(x);
  const vy = parse(y);
  return (
    cmpInt(vx.major, vy.major) ||
    cmpInt(vx.minor, vy.minor) ||
    cmpInt(vx.patch, vy.patch) ||
    // "" < alpha < beta < rc, by plain string order as in Go.
    (vx.kind === vy.kind ? 0 : vx.kind < vy.kind ? -1 : 1) ||
    cmpInt(vx.pre, vy.pre)
  );
}

/**
 * The larger of two Go versions (x on ties).
 * @see https://github.com/golang/go/blob/go1.26.8/src/internal/gover/gover.go (Max)
 */
export function goMax(x: string, y: string): string {
  return goCompare(x, y) < 0 ? y : x;
}

/**
 * Whether x is a valid Go version (`1`, `1.21`, `1.21.0`, `1.21rc1`, `1.2beta1`; not `1.2.beta1`).
 * @see https://github.com/golang/go/blob/go1.26.8/src/internal/gover/gover.go (IsValid)
 */
export function goIsValid(x: string): boolean {
  return !isInvalid(parse(x));
}

/**
 * The Go version a toolchain name stands for (`go1.21.3`, `go1.22rc1-custom` → `1.22rc1`), or `""`:
 * a custom suffix after a space, tab or `-` is dropped; a path separator names no toolchain (it would
 * make exec.LookPath resolve the name relative to the working directory).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/gover/toolchain.go (FromToolchain)
 */
export function goFromToolchain(name: string): string {
  if (/[\\/]/.test(name) || !name.startsWith('go')) return '';
  const v = name.slice(2).split(/[ \t-]/, 1)[0]!;
  return goIsValid(v) ? v : '';
}

/**
 * Whether x is a language version (`1.21`, not `1.21.0` or `1.21rc1`).
 * @see https://github.com/golang/go/blob/go1.26.8/src/internal/gover/gover.go (IsLang)
 */
export function goIsLang(x: string): boolean {
  const v = parse(x);
  return !isInvalid(v) && v.patch === '' && v.kind === '' && v.pre === '';
}

/**
 * The language version of x: `1.21.3` → `1.21`, `1.21rc1` → `1.21`, `1.0.1` → `1`.
 * @see https://github.com/golang/go/blob/go1.26.8/src/internal/gover/gover.go (Lang)
 */
export function goLang(x: string): string {
  const v = parse(x);
  if (v.minor === '' || (v.major === '1' && v.minor === '0')) return v.major;
  return `${v.major}.${v.minor}`;
}

/**
 * The value of the first `key` line of a go.mod, without parsing the file (go's quick look at a
 * downloaded tree's go line): each line trimmed, `key` then a space or tab, a `//` comment cut.
 * "" when there is none. `gomod` holds the file's bytes one char each (latin1).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/gover/gomod.go (GoModLookup)
 */
export function goModLookup(gomod: string, key: string): string {
  for (const raw of gomod.split('\n')) {
    const line = raw.replace(EDGE_SPACE, '');
    if (!line.startsWith(key)) continue;
    const s = line.slice(key.length);
    if (s === '' || (s[0] !== ' ' && s[0] !== '\t')) continue;
    const comment = s.indexOf('//');
    return (comment < 0 ? s : s.slice(0, comment)).replace(EDGE_SPACE, '');
  }
  return '';
}

/** ASCII white space at either end (bytes.TrimSpace on the bytes go.mod lines are made of). */
const EDGE_SPACE = /^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g;

/**
 * go's check of a fetched module's go line (modfetch Download, and codeRepo.Zip in direct mode):
 * go's TooNewError when the go.mod bytes ask for a newer go than `local`, else undefined. A module
 * without a go.mod (`gomod` undefined) passes.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (Download)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/coderepo.go (Zip)
 */
export function goModTooNew(what: string, gomod: Uint8Array | undefined, local: string, gotoolchain: string): TooNewError | undefined {
  if (gomod === undefined) return undefined;
  const v = goModLookup(Buffer.from(gomod.buffer, gomod.byteOffset, gomod.byteLength).toString('latin1'), 'go');
  return goCompare(v, local) > 0 ? new TooNewError(what, v, local, gotoolchain) : undefined;
}

/**
 * A module needs a newer Go than the one being emulated.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/gover/toolchain.go (TooNewError)
 */
export class TooNewError extends GoError {
  constructor(
    readonly what: string,
    readonly goVersion: string,
    local: string,
    gotoolchain = '',
  ) {
    const explain = gotoolchain !== '' && gotoolchain !== 'auto' ? `; GOTOOLCHAIN=${gotoolchain}` : '';
    super('ETOONEW', `${what} requires go >= ${goVersion} (running go ${local}${explain})`);
    this.name = 'TooNewError';
  }
}
