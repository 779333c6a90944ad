/**
 * Go's semantic versions (golang.org/x/mod/semver): `vMAJOR[.MINOR[.PATCH[-PRE][+BUILD]]]`.
 *
 * Not npm semver: the leading `v` is required, `v1` and `v1.2` are valid shorthands, numbers have
 * unbounded length (compared by length, then digits), invalid versions compare below valid ones instead
 * of throwing, and every function returns strings cut from its input so versions stay verbatim.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/semver/semver.go
 */
import { compareGoStrings } from '../internal/gostrconv.js';

interface Parsed {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** `.0.0` or `.0` for the shorthands `v1` and `v1.2`, else "". */
  readonly short: string;
  readonly prerelease: string;
  readonly build: string;
}

const isNum = (s: string): boolean => /^[0-9]*$/.test(s);

/** One identifier of PRE: alphanumerics and `-`, a number without a leading zero if all digits. */
const PRE_IDENT = '(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)';
/**
 * `vMAJOR[.MINOR[.PATCH[-PRE][+BUILD]]]`, as x/mod's hand-written scanner reads it. One regular
 * expression, which V8 runs as machine code from its first call: the scanner, run in the
 * interpreter by a short process, was most of the time a run spent checking versions (issue #16).
 * Groups: major, minor, patch, prerelease (with its `-`), build (with its `+`).
 */
const SEMVER = new RegExp(
  `^v(0|[1-9][0-9]*)(?:\\.(0|[1-9][0-9]*)(?:\\.(0|[1-9][0-9]*)(-${PRE_IDENT}(?:\\.${PRE_IDENT})*)?(\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?)?)?$`,
);

/**
 * Parses by version string, remembered: module loading compares and checks the same few hundred
 * versions tens of thousands of times (a warm caddy run parsed 20,000 times, 3 MiB of garbage).
 * null marks an invalid version. Cleared when full, so a long process does not grow it forever.
 */
const parsed = new Map<string, Parsed | null>();
const PARSED_MAX = 8192;

function parse(v: string): Parsed | undefined {
  let p = parsed.get(v);
  if (p === undefined) {
    p = scan(v) ?? null;
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(v, p);
  }
  return p ?? undefined;
}

function scan(v: string): Parsed | undefined {
  const m = SEMVER.exec(v);
  if (m === null) return undefined;
  if (m[2] === undefined) return { major: m[1]!, minor: '0', patch: '0', short: '.0.0', prerelease: '', build: '' };
  if (m[3] === undefined) return { major: m[1]!, minor: m[2], patch: '0', short: '.0', prerelease: '', build: '' };
  return { major: m[1]!, minor: m[2], patch: m[3], short: '', prerelease: m[4] ?? '', build: m[5] ?? '' };
}

/**
 * Whether v is a valid semantic version in Go's syntax.
 * @see https://pkg.go.dev/golang.org/x/mod/semver#IsValid
 */
export function isValid(v: string): boolean {
  return parse(v) !== undefined;
}

/**
 * The canonical form of v: shorthands completed (`v1` → `v1.0.0`), build suffix dropped, prerelease
 * kept; "" if v is invalid.
 * @see https://pkg.go.dev/golang.org/x/mod/semver#Canonical
 */
export function canonical(v: string): string {
  const p = parse(v);
  if (p === undefined) return '';
  if (p.build !== '') return v.slice(0, v.length - p.build.length);
  return v + p.short;
}

/**
 * The major version prefix `vN` of v, or "" if v is invalid.
 * @see https://pkg.go.dev/golang.org/x/mod/semver#Major
 */
export function major(v: string): string {
  const p = parse(v);
  return p === undefined ? '' : v.slice(0, 1 + p.major.length);
}

/**
 * The `vN.M` prefix of v (`v1` → `v1.0`), or "" if v is invalid.
 * @see https://pkg.go.dev/golang.org/x/mod/semver#MajorMinor
 */
export function majorMinor(v: string): string {
  const p = parse(v);
  if (p === undefined) return '';
  const i = 1 + p.major.length;
  const j = i + 1 + p.minor.length;
  if (j <= v.length && v[i] === '.' && v.slice(i + 1, j) === p.minor) return v.slice(0, j);
  return v.slice(0, i) + '.' + p.minor;
}

/**
 * The prerelease suffix of v including its `-` (`-pre`), or "".
 * @see https://pkg.go.dev/golang.org/x/mod/semver#Prerelease
 */
export function prerelease(v: string): string {
  return parse(v)?.prerelease ?? '';
}

/**
 * The build suffix of v including its `+` (`+incompatible`), or "".
 * @see https://pkg.go.dev/golang.org/x/mod/semver#Build
 */
export function build(v: string): string {
  return parse(v)?.build ?? '';
}

/** Compares decimal strings without leading zeros: by length, then digit by digit. */
function compareInt(x: string, y: string): number {
  if (x === y) return 0;
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : 1;
}

function comparePrerelease(x: string, y: string): number {
  if (x === y) return 0;
  if (x === '') return 1;
  if (y === '') return -1;
  const xs = x.slice(1).split('.');
  const ys = y.slice(1).split('.');
  for (let k = 0; k < xs.length && k < ys.length; k++) {
    const dx = xs[k]!;
    const dy = ys[k]!;
    if (dx === dy) continue;
    const nx = isNum(dx);
    const ny = isNum(dy);
    if (nx !== ny) return nx ? -1 : 1;
    if (nx && dx.length !== dy.length) return dx.length < dy.length ? -1 : 1;
    // Identifiers are ASCII, so UTF-16 order is byte order.
    return dx < dy ? -1 : 1;
  }
  return xs.length < ys.length ? -1 : 1;
}

/**
 * Compares v and w: -1, 0 or +1. Never throws: an invalid version is below every valid one and equal
 * to every other invalid one; build suffixes are ignored.
 * @see https://pkg.go.dev/golang.org/x/mod/semver#Compare
 */
export function compare(v: string, w: string): number {
  const pv = parse(v);
  const pw = parse(w);
  if (pv === undefined) return pw === undefined ? 0 : -1;
  if (pw === undefined) return 1;
  return (
    compareInt(pv.major, pw.major) ||
    compareInt(pv.minor, pw.minor) ||
    compareInt(pv.patch, pw.patch) ||
    comparePrerelease(pv.prerelease, pw.prerelease)
  );
}

/**
 * The larger of v and w in canonical form (w on ties); invalid inputs canonicalize to "", so
 * `max("bad", "v1")` is `v1.0.0`.
 * @see https://pkg.go.dev/golang.org/x/mod/semver#Max
 */
export function max(v: string, w: string): string {
  const cv = canonical(v);
  const cw = canonical(w);
  return compare(cv, cw) > 0 ? cv : cw;
}

/**
 * Sorts list in place (and returns it) ascending by {@link compare}, ties by string order
 * (`v1` < `v1.0.0` < `v1.0.0+a`); invalid versions first.
 * @see https://pkg.go.dev/golang.org/x/mod/semver#Sort
 */
export function sortVersions(list: string[]): string[] {
  return list.sort((a, b) => compare(a, b) || compareGoStrings(a, b));
}
