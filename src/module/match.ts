/**
 * Go's `path.Match` glob matching and x/mod's `MatchPrefixPatterns` (GOPRIVATE, GONOPROXY,
 * GONOSUMDB, GOINSECURE lists).
 *
 * Matching works on the bytes of Go strings, as Go's does: `?` and `[…]` consume one UTF-8 rune,
 * literal characters one byte.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/path/match.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/module/module.go (MatchPrefixPatterns)
 */
import { GoError } from '../internal/errors.js';
import { RUNE_ERROR, decodeRune, goBytes } from '../internal/gostrconv.js';

/** A malformed glob (Go `path.ErrBadPattern`). */
export class BadPatternError extends GoError {
  override readonly name = 'BadPatternError';
  constructor(readonly pattern: string) {
    super('ERR_BAD_PATTERN', 'syntax error in pattern');
  }
}

const STAR = 0x2a;
const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const QUESTION = 0x3f;
const CARET = 0x5e;
const DASH = 0x2d;

/** Thrown internally for a malformed pattern; turned into {@link BadPatternError} at the top. */
const BAD = Symbol('bad pattern');

/** Splits off leading stars and the following chunk: [star, chunk, rest]. */
function scanChunk(p: Uint8Array): [boolean, Uint8Array, Uint8Array] {
  let star = false;
  while (p.length > 0 && p[0] === STAR) {
    p = p.subarray(1);
    star = true;
  }
  let inRange = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === BACKSLASH) {
      if (i + 1 < p.length) i++;
    } else if (c === LBRACKET) inRange = true;
    else if (c === RBRACKET) inRange = false;
    else if (c === STAR && !inRange) return [star, p.subarray(0, i), p.subarray(i)];
  }
  return [star, p, p.subarray(p.length)];
}

/** Reads one (possibly escaped) rune of a character class: [rune, rest]; throws BAD. */
function getEsc(chunk: Uint8Array): [number, Uint8Array] {
  if (chunk.length === 0 || chunk[0] === DASH || chunk[0] === RBRACKET) throw BAD;
  if (chunk[0] === BACKSLASH) {
    chunk = chunk.subarray(1);
    if (chunk.length === 0) throw BAD;
  }
  const [r, n] = decodeRune(chunk, 0);
  const rest = chunk.subarray(n);
  if ((r === RUNE_ERROR && n === 1) || rest.length === 0) throw BAD;
  return [r, rest];
}

/** Matches chunk (no stars) against the front of s: the rest of s, or undefined; throws BAD. */
function matchChunk(chunk: Uint8Array, s: Uint8Array): Uint8Array | undefined {
  // Like Go, keep scanning after a mismatch so that a malformed chunk is always reported.
  let failed = false;
  while (chunk.length > 0) {
    failed ||= s.length === 0;
    const c = chunk[0]!;
    if (c === LBRACKET) {
      let r = 0;
      if (!failed) {
        const [rr, n] = decodeRune(s, 0);
        r = rr;
        s = s.subarray(n);
      }
      chunk = chunk.subarray(1);
      let negated = false;
      if (chunk.length > 0 && chunk[0] === CARET) {
        negated = true;
        chunk = chunk.subarray(1);
      }
      let match = false;
      for (let nrange = 0; ; nrange++) {
        if (chunk.length > 0 && chunk[0] === RBRACKET && nrange > 0) {
          chunk = chunk.subarray(1);
          break;
        }
        let lo: number;
        [lo, chunk] = getEsc(chunk);
        let hi = lo;
        if (chunk[0] === DASH) [hi, chunk] = getEsc(chunk.subarray(1));
        match ||= lo <= r && r <= hi;
      }
      failed ||= match === negated;
    } else if (c === QUESTION) {
      if (!failed) {
        failed = s[0] === SLASH;
        s = s.subarray(decodeRune(s, 0)[1]);
      }
      chunk = chunk.subarray(1);
    } else {
      if (c === BACKSLASH) {
        chunk = chunk.subarray(1);
        if (chunk.length === 0) throw BAD;
      }
      if (!failed) {
        failed = chunk[0] !== s[0];
        s = s.subarray(1);
      }
      chunk = chunk.subarray(1);
    }
  }
  return failed ? undefined : s;
}

function matchBytes(pattern: Uint8Array, name: Uint8Array): boolean {
  outer: while (pattern.length > 0) {
    let star: boolean;
    let chunk: Uint8Array;
    [star, chunk, pattern] = scanChunk(pattern);
    if (star && chunk.length === 0) return !name.includes(SLASH);
    const t = matchChunk(chunk, name);
    if (t !== undefined && (t.length === 0 || pattern.length > 0)) {
      name = t;
      continue;
    }
    if (star) {
      // A star matches any run of non-slash bytes; try each split point.
      for (let i = 0; i < name.length && name[i] !== SLASH; i++) {
        const t2 = matchChunk(chunk, name.subarray(i + 1));
        if (t2 !== undefined) {
          if (pattern.length === 0 && t2.length > 0) continue;
          name = t2;
          continue outer;
        }
      }
    }
    // Before reporting no match, check the rest of the pattern for syntax errors.
    while (pattern.length > 0) {
      [, chunk, pattern] = scanChunk(pattern);
      matchChunk(chunk, new Uint8Array(0));
    }
    return false;
  }
  return name.length === 0;
}

/**
 * Go `path.Match`: whether name matches the shell pattern (`*` = any run of non-`/` characters,
 * `?` = one non-`/` character, `[…]`/`[^…]` character classes with ranges, `\` escapes). Throws
 * {@link BadPatternError} for a malformed pattern when matching reaches the problem; like Go, the rest
 * of the pattern is scanned for syntax errors before a mismatch is reported.
 * @see https://pkg.go.dev/path#Match
 */
export function pathMatch(pattern: string, name: string): boolean {
  try {
    return matchBytes(goBytes(pattern), goBytes(name));
  } catch (err) {
    if (err === BAD) throw new BadPatternError(pattern);
    throw err;
  }
}

/**
 * Whether target, or a prefix of it made of whole path elements, matches any glob of the
 * comma-separated list (GOPRIVATE syntax). A glob with k slashes is matched against the first k+1
 * elements of target; empty entries are skipped, a trailing slash is ignored, and malformed globs
 * never match.
 * @see https://pkg.go.dev/golang.org/x/mod/module#MatchPrefixPatterns
 */
export function matchPrefixPatterns(globs: string, target: string): boolean {
  for (let glob of globs.split(',')) {
    if (glob.endsWith('/')) glob = glob.slice(0, -1);
    if (glob === '') continue;
    let n = glob.split('/').length - 1;
    let prefix = target;
    for (let i = 0; i < target.length; i++) {
      if (target[i] !== '/') continue;
      if (n === 0) {
        prefix = target.slice(0, i);
        break;
      }
      n--;
    }
    if (n > 0) continue;
    try {
      if (pathMatch(glob, prefix)) return true;
    } catch (err) {
      if (!(err instanceof BadPatternError)) throw err;
    }
  }
  return false;
}
