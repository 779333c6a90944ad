/**
 * A fast path for the lax parse of a dependency's go.mod, for the plain files nearly every module
 * has: printable ASCII, no brackets, no escapes, no comments where x/mod reads them (before or after
 * `module` and `retract`).
 * On such a file it returns what {@link parseGoMod}(…, 'lax') reads from it, without the lexer's
 * positions, the syntax tree and its comments. Module loading parses every go.mod of the graph, 319
 * for caddy (115 KB): in a fresh process the full parse of them took 47 ms, this one 9 ms (726 of
 * the 758 go.mod files of caddy's and rclone's graphs and the corpus take it; the rest are mostly
 * retractions with their rationale).
 *
 * It answers `undefined` for any file outside that subset, and for any file the full parse would
 * reject: the caller then runs the full parser, which gives the answer or go's error. So it can
 * only be faster, never different; test/modfile/laxfast.test.ts compares the two on the corpus
 * and on generated files.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go (parseToFile, ParseLax)
 */
import { canonicalVersion, checkPathMajor, splitPathVersion } from '../module/index.js';
import { GO_VERSION_RE, isIndirectComment, LAX_GO_VERSION_RE } from './rule.js';

/** What a lax parse of a go.mod yields, for a file of the fast path's subset (no comments, so no deprecation or rationale). */
export interface LaxGoMod {
  module: string | undefined;
  go: string | undefined;
  require: { path: string; version: string; indirect: boolean }[];
  retract: { low: string; high: string }[];
}

/**
 * What sends a file to the full parser: anything but printable ASCII, tab, CR and LF; the quotes
 * x/mod reserves and the escape character; brackets, braces and commas (their own tokens); `/*`
 * (the lexer's error anywhere). A regular expression, not a loop over the bytes: V8 runs it as
 * machine code from the first call, where a loop would run in the interpreter for a short run.
 */
const SLOW = /[^\t\n\r -~]|['`\\[\]{},]|\/\*/;

/** The lexer's spaces between tokens: space, tab, CR (the only ones left once SLOW passed). */
const SEPARATOR = /[ \t\r]+/;

/** A double-quoted token the fast path reads: no spaces or escapes inside, so its text is its value. */
const SIMPLE_QUOTED = /^"[^" \t\r]*"$/;

/**
 * The lax parse of go.mod `data`, or `undefined` when the file is outside the fast path's subset or
 * the full parse would fail (call {@link parseGoMod} then).
 */
export function parseLaxFast(data: Uint8Array): LaxGoMod | undefined {
  const n = data.length;
  // latin1: one character a byte, so SLOW sees every byte as it is.
  const text = Buffer.from(data.buffer, data.byteOffset, n).toString('latin1');
  if (SLOW.test(text)) return undefined;
  const out: LaxGoMod = { module: undefined, go: undefined, require: [], retract: [] };
  /** The verb of the block being read, or undefined outside a block. */
  let block: string | undefined;
  /** Whether a whole-line comment came since the last statement: x/mod attaches it to the next one. */
  let pending = false;
  for (let start = 0; start <= n; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    let code = text.slice(start, end);
    start = end + 1;
    let comment = '';
    const c = code.indexOf('//');
    const quoted = code.includes('"');
    if (c >= 0) {
      // A `//` inside a quoted string is not a comment.
      if (quoted) return undefined;
      comment = code.slice(c);
      code = code.slice(0, c);
    }
    const tokens = code.split(SEPARATOR);
    if (tokens[0] === '') tokens.shift();
    if (tokens.length > 0 && tokens[tokens.length - 1] === '') tokens.pop();
    if (tokens.length === 0) {
      // A whole-line comment; or a blank line, which at the top level leaves the comments above it
      // to no statement (inside a block they still go to the next line).
      if (comment !== '') pending = true;
      else if (block === undefined) pending = false;
      continue;
    }
    if (quoted && !unquoteTokens(tokens)) return undefined;
    const parens = code.includes('(') || code.includes(')');
    if (block !== undefined) {
      if (parens) {
        if (tokens.length !== 1 || tokens[0] !== ')') return undefined;
        block = undefined;
        pending = false;
        continue;
      }
      if (!directive(out, block, tokens, 0, comment, pending)) return undefined;
      pending = false;
      continue;
    }
    if (parens) {
      // Only `verb (` opens a block here; `verb ()`, `( )` mid-line and the rest go the slow way.
      if (tokens.length !== 2 || tokens[1] !== '(' || tokens[0]!.includes('(') || tokens[0]!.includes(')')) return undefined;
      block = tokens[0]!;
      // Lax reads `module` and `ignore` blocks too; they are rare enough to leave to the parser. A
      // retract block's comments are its lines' rationale.
      if (block === 'module' || block === 'ignore' || (block === 'retract' && (pending || comment !== ''))) return undefined;
      pending = false;
      continue;
    }
    if (!directive(out, tokens[0]!, tokens, 1, comment, pending)) return undefined;
    pending = false;
  }
  // An unterminated block is a syntax error.
  return block === undefined ? out : undefined;
}

/** Replaces each double-quoted token by its value; false if one is not {@link SIMPLE_QUOTED}. */
function unquoteTokens(tokens: string[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.includes('"')) continue;
    if (!SIMPLE_QUOTED.test(t)) return false;
    tokens[i] = t.slice(1, -1);
  }
  return true;
}

/**
 * Applies one directive, `verb` with the arguments tokens[from:], as x/mod's lax parse does.
 * `comment` is the line's suffix comment (or ''), `before` whether a whole-line comment preceded it.
 * Returns false where the fast path stops: an error of the full parse, or a comment it would read.
 */
function directive(out: LaxGoMod, verb: string, tokens: string[], from: number, comment: string, before: boolean): boolean {
  const argc = tokens.length - from;
  // x/mod reads these comments: the module's deprecation, a retraction's rationale.
  if ((verb === 'module' || verb === 'retract') && (comment !== '' || before)) return false;
  switch (verb) {
    case 'module':
      if (out.module !== undefined || argc !== 1) return false;
      out.module = tokens[from]!;
      return true;
    case 'go': {
      if (out.go !== undefined || argc !== 1) return false;
      const v = tokens[from]!;
      if (GO_VERSION_RE.test(v)) {
        out.go = v;
        return true;
      }
      const m = LAX_GO_VERSION_RE.exec(v);
      if (m === null) return false;
      out.go = m[1]!;
      return true;
    }
    case 'require': {
      if (argc !== 2) return false;
      const path = tokens[from]!;
      const version = canonicalVersion(tokens[from + 1]!);
      if (version === '') return false;
      const { pathMajor, ok } = splitPathVersion(path);
      if (!ok) return false;
      try {
        checkPathMajor(version, pathMajor);
      } catch {
        return false;
      }
      out.require.push({ path, version, indirect: comment !== '' && isIndirectComment(comment) });
      return true;
    }
    case 'retract':
      // Lax keeps a single version as written (fixed later, with the module path) and ignores the
      // rest of the line; a retract it cannot read is dropped.
      if (argc > 0) out.retract.push({ low: tokens[from]!, high: tokens[from]! });
      return true;
    case 'ignore':
      return argc === 1;
    default:
      // Lax ignores every other directive, known or not.
      return true;
  }
}
