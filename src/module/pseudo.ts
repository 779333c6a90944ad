/**
 * Pseudo-versions: versions that name a revision by commit time and hash, in three forms:
 *   (1) `vX.0.0-yyyymmddhhmmss-abcdefabcdef` when no earlier tag is known;
 *   (2) `vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef…[+build]` after the release vX.Y.Z;
 *   (3) `vX.Y.Z-pre.0.yyyymmddhhmmss-abcdef…[+build]` after the prerelease vX.Y.Z-pre.
 * The time is UTC. Patch numbers are decimal strings of any length, incremented without overflow.
 *
 * @see https://go.dev/ref/mod#pseudo-versions
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/module/pseudo.go
 */
import { quote } from '../internal/gostrconv.js';
import { InvalidVersionError } from './errors.js';
import { build as buildOf, canonical, isValid, major as majorOf, prerelease } from './semver.js';

const PSEUDO_RE =
  /^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** Go's layout for the time in a pseudo-version (`20060102150405`), always UTC. */
export const PSEUDO_VERSION_TIMESTAMP_FORMAT = '20060102150405';

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Formats t in UTC as `yyyymmddhhmmss`. */
function formatTimestamp(t: Date): string {
  return (
    pad(t.getUTCFullYear(), 4) +
    pad(t.getUTCMonth() + 1, 2) +
    pad(t.getUTCDate(), 2) +
    pad(t.getUTCHours(), 2) +
    pad(t.getUTCMinutes(), 2) +
    pad(t.getUTCSeconds(), 2)
  );
}

/** Adds one to a decimal string ("99" → "100"). */
function incDecimal(d: string): string {
  let i = d.length - 1;
  while (i >= 0 && d[i] === '9') i--;
  if (i < 0) return '1' + '0'.repeat(d.length);
  return d.slice(0, i) + String.fromCharCode(d.charCodeAt(i) + 1) + '0'.repeat(d.length - 1 - i);
}

/** Subtracts one from a decimal string ("100" → "99"); "" for "0". */
function decDecimal(d: string): string {
  let i = d.length - 1;
  while (i >= 0 && d[i] === '0') i--;
  if (i < 0) return '';
  const tail = '9'.repeat(d.length - 1 - i);
  if (i === 0 && d[0] === '1' && d.length > 1) return tail;
  return d.slice(0, i) + String.fromCharCode(d.charCodeAt(i) - 1) + tail;
}

/**
 * The pseudo-version for revision rev at time t: form (1) with major ("" = v0) when older is not a
 * valid version, else (2) or (3) derived from older, keeping older's build suffix.
 * @see https://pkg.go.dev/golang.org/x/mod/module#PseudoVersion
 */
export function pseudoVersion(major: string, older: string, t: Date, rev: string): string {
  if (major === '') major = 'v0';
  const segment = `${formatTimestamp(t)}-${rev}`;
  const build = buildOf(older);
  const base = canonical(older);
  if (base === '') return `${major}.0.0-${segment}`;
  if (prerelease(base) !== '') return `${base}.0.${segment}${build}`;
  const i = base.lastIndexOf('.') + 1;
  return `${base.slice(0, i)}${incDecimal(base.slice(i))}-0.${segment}${build}`;
}

/** Go's zero `time.Time`: January 1, year 1, 00:00:00 UTC. */
function zeroTime(): Date {
  const t = new Date(0);
  t.setUTCFullYear(1, 0, 1);
  return t;
}

/**
 * The pseudo-version go uses when nothing better is known: `vX.0.0-00010101000000-000000000000`.
 * @see https://pkg.go.dev/golang.org/x/mod/module#ZeroPseudoVersion
 */
export function zeroPseudoVersion(major: string): string {
  return pseudoVersion(major, '', zeroTime(), '000000000000');
}

/**
 * Whether v has pseudo-version syntax (it need not name a real revision).
 * @see https://pkg.go.dev/golang.org/x/mod/module#IsPseudoVersion
 */
export function isPseudoVersion(v: string): boolean {
  return v.split('-').length > 2 && isValid(v) && PSEUDO_RE.test(v);
}

/**
 * Whether v is the zero pseudo-version of its major version.
 * @see https://pkg.go.dev/golang.org/x/mod/module#IsZeroPseudoVersion
 */
export function isZeroPseudoVersion(v: string): boolean {
  return v === zeroPseudoVersion(majorOf(v));
}

interface PseudoParts {
  base: string;
  timestamp: string;
  rev: string;
  build: string;
}

function parsePseudoVersion(v: string): PseudoParts {
  if (!isPseudoVersion(v)) throw new InvalidVersionError(v, 'syntax error', true);
  const build = buildOf(v);
  let rest = v.slice(0, v.length - build.length);
  const j = rest.lastIndexOf('-');
  const rev = rest.slice(j + 1);
  rest = rest.slice(0, j);
  const i = rest.lastIndexOf('-');
  const dot = rest.lastIndexOf('.');
  if (dot > i) return { base: rest.slice(0, dot), timestamp: rest.slice(dot + 1), rev, build };
  return { base: rest.slice(0, i), timestamp: rest.slice(i + 1), rev, build };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Go `time.Parse("20060102150405", s)` for 14 digits: undefined if a field is out of range. */
function parseTimestamp(s: string): Date | undefined {
  const [y, mo, d, h, mi, se] = [0, 4, 6, 8, 10, 12].map((k, n) => Number(s.slice(k, n === 0 ? 4 : k + 2)));
  const leap = y! % 4 === 0 && (y! % 100 !== 0 || y! % 400 === 0);
  if (mo! < 1 || mo! > 12) return undefined;
  const days = mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo! - 1]!;
  if (d! < 1 || d! > days || h! > 23 || mi! > 59 || se! > 59) return undefined;
  const t = new Date(0);
  t.setUTCFullYear(y!, mo! - 1, d!);
  t.setUTCHours(h!, mi!, se!, 0);
  return t;
}

/**
 * The commit time encoded in a pseudo-version. Throws {@link InvalidVersionError}
 * (`pseudo-version "…" invalid: syntax error` or `…: malformed time "…"`).
 * @see https://pkg.go.dev/golang.org/x/mod/module#PseudoVersionTime
 */
export function pseudoVersionTime(v: string): Date {
  const { timestamp } = parsePseudoVersion(v);
  const t = parseTimestamp(timestamp);
  if (t === undefined) throw new InvalidVersionError(v, `malformed time ${quote(timestamp)}`, true);
  return t;
}

/**
 * The revision identifier (usually a 12-character commit hash prefix) of a pseudo-version. Throws
 * {@link InvalidVersionError} for a non-pseudo-version.
 * @see https://pkg.go.dev/golang.org/x/mod/module#PseudoVersionRev
 */
export function pseudoVersionRev(v: string): string {
  return parsePseudoVersion(v).rev;
}

/**
 * The tagged version a pseudo-version builds on: "" for form (1), vX.Y.Z for form (2) (patch
 * decremented), vX.Y.Z-pre for form (3); the build suffix is kept. Throws
 * {@link InvalidVersionError} for non-pseudo-versions and impossible bases.
 * @see https://pkg.go.dev/golang.org/x/mod/module#PseudoVersionBase
 */
export function pseudoVersionBase(v: string): string {
  const { base, build } = parsePseudoVersion(v);
  const pre = prerelease(base);
  if (pre === '') {
    if (build !== '') {
      throw new InvalidVersionError(v, `lacks base version, but has build metadata ${quote(build)}`, true);
    }
    return '';
  }
  if (pre === '-0') {
    const release = base.slice(0, -pre.length);
    const i = release.lastIndexOf('.');
    const patch = decDecimal(release.slice(i + 1));
    if (patch === '') {
      throw new InvalidVersionError(v, `version before ${release} would have negative patch number`, true);
    }
    return release.slice(0, i + 1) + patch + build;
  }
  // The regular expression guarantees that a prerelease base ends in ".0".
  return base.slice(0, -'.0'.length) + build;
}
