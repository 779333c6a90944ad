/**
 * Argument parsing shared by go.mod and go.work directives: strings, versions, replace, retract
 * intervals, directive comments. Like x/mod, parsing rewrites the line's tokens in place (quoted
 * strings re-quoted with AutoQuote, versions canonicalized) so a formatted file shows the fixes.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
import { GoError } from '../internal/errors.js';
import { quote, unquote } from '../internal/gostrconv.js';
import { isPrint } from '../internal/gostrconv.js';
import { canonicalVersion, checkPathMajor, InvalidVersionError, ModuleError, splitPathVersion } from '../module/index.js';
import type { ModuleVersion } from '../module/index.js';
import { ModfileError } from './errors.js';
import type { Comment, Line, LineBlock } from './syntax.js';
import { trimSpace } from './text.js';

/**
 * Canonicalizes a version of a module while parsing (x/mod `VersionFixer`). cmd/go passes one for
 * the main module (resolving branch names through the proxy); gomod-dl's resolver may pass a
 * synchronous one. Throw to reject the version: a `ModuleError` is unwrapped as x/mod does.
 */
export type VersionFixer = (path: string, version: string) => string;

/** A view of a line's tokens from `off` on (Go's `args := line.Token[1:]`), writable in place. */
export class Args {
  constructor(private readonly tokens: string[], private off: number) {}
  get length(): number {
    return this.tokens.length - this.off;
  }
  at(i: number): string {
    return this.tokens[this.off + i]!;
  }
  set(i: number, v: string): void {
    this.tokens[this.off + i] = v;
  }
  /** Drops the first `n` arguments from the view (not from the line). */
  advance(n: number): void {
    this.off += n;
  }
}

/** An error of a directive's arguments; the caller adds the file position. */
export class ArgError extends GoError {
  constructor(readonly inner: Error) {
    super('EMODFILEARG', inner.message);
  }
}

/**
 * Whether `s` must be quoted to be one go.mod token (x/mod `MustQuote`).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
export function mustQuote(s: string): boolean {
  // By UTF-16 unit (no string iterator: every go.mod token of a run passes here), pairs joined.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      switch (c) {
        case 0x20: case 0x22: case 0x27: case 0x60: // space " ' `
          return true;
        case 0x28: case 0x29: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x2c: // ( ) [ ] { } ,
          if (s.length > 1) return true;
          break;
        default:
          if (c < 0x20 || c === 0x7f) return true; // not printable
      }
      continue;
    }
    const r = s.codePointAt(i)!; // a pair's code point, or a lone surrogate itself
    if (r > 0xffff) i++;
    // A lone surrogate stands for an invalid byte, which Go decodes as U+FFFD (printable).
    if (!(r >= 0xd800 && r <= 0xdfff) && !isPrint(r)) return true;
  }
  return s === '' || s.includes('//') || s.includes('/*');
}

/**
 * `s`, or its Go quotation when it must be quoted to appear in a go.mod (x/mod `AutoQuote`).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
export function autoQuote(s: string): string {
  return mustQuote(s) ? quote(s) : s;
}

/**
 * Whether a replacement path is a directory (`.`/`..` prefixes, rooted, or a drive letter), checking
 * Unix and Windows syntax alike (x/mod `IsDirectoryPath`).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
export function isDirectoryPath(ns: string): boolean {
  return (
    ns === '.' || ns.startsWith('./') || ns.startsWith('.\\') ||
    ns === '..' || ns.startsWith('../') || ns.startsWith('..\\') ||
    ns.startsWith('/') || ns.startsWith('\\') ||
    (ns.length >= 2 && /^[A-Za-z]$/.test(ns[0]!) && ns[1] === ':')
  );
}

/** Unquotes a token (x/mod `parseString`) and rewrites it in AutoQuote form; throws a plain Error. */
export function parseString(args: Args, i: number): string {
  let t = args.at(i);
  if (t.startsWith('"')) {
    try {
      t = unquote(t);
    } catch {
      throw new GoError('EQUOTE', 'invalid syntax');
    }
  } else if (/["'`]/.test(t)) {
    // Other quotes are reserved; 'x' must not silently mean x.
    throw new GoError('EQUOTE', 'unquoted string cannot contain quote');
  }
  args.set(i, autoQuote(t));
  return t;
}

/** x/mod `parseString` with the `invalid quoted string: ` prefix its callers add. */
export function parseQuoted(args: Args, i: number): string {
  try {
    return parseString(args, i);
  } catch (e) {
    throw new ArgError(new Error(`invalid quoted string: ${(e as Error).message}`));
  }
}

/**
 * Parses and canonicalizes a version token (x/mod `parseVersion`). Without a fixer the version must
 * have a canonical form and is replaced by it (`v1.2` → `v1.2.0`).
 */
export function parseVersion(verb: string, path: string, args: Args, i: number, fix: VersionFixer | undefined): string {
  let t: string;
  try {
    t = parseString(args, i);
  } catch (e) {
    throw new ArgError(new ModfileError({ verb, modPath: path, err: new InvalidVersionError(args.at(i), (e as Error).message) }));
  }
  if (fix) {
    try {
      t = fix(path, t);
    } catch (e) {
      if (e instanceof ModuleError) throw new ArgError(new ModfileError({ verb, modPath: path, err: e.err }));
      throw new ArgError(e instanceof Error ? e : new Error(String(e)));
    }
  } else {
    const cv = canonicalVersion(t);
    if (cv === '') {
      throw new ArgError(
        new ModfileError({ verb, modPath: path, err: new InvalidVersionError(t, 'must be of the form v1.2.3') }),
      );
    }
    t = cv;
  }
  args.set(i, t);
  return t;
}

/** The major-version suffix of a module path, or `invalid module path`. */
export function modulePathMajor(path: string): string {
  const { pathMajor, ok } = splitPathVersion(path);
  if (!ok) throw new ArgError(new Error('invalid module path'));
  return pathMajor;
}

/** `checkPathMajor` with its error wrapped as `VERB PATH: …`. */
export function checkMajor(verb: string, path: string, v: string, pathMajor: string): void {
  try {
    checkPathMajor(v, pathMajor);
  } catch (e) {
    throw new ArgError(new ModfileError({ verb, modPath: path, err: e as Error }));
  }
}

/** `godebug key=value`: one argument, no quotes or commas, split at the first `=`. */
export function parseGodebug(args: Args): { key: string; value: string } {
  const kv = args.length === 1 ? args.at(0) : '';
  const eq = kv.indexOf('=');
  if (args.length !== 1 || /["`',]/.test(kv) || eq < 0) throw new ArgError(new Error('usage: godebug key=value'));
  return { key: kv.slice(0, eq), value: kv.slice(eq + 1) };
}

/** A parsed replace directive. */
export interface ReplaceArgs {
  old: ModuleVersion;
  new: ModuleVersion;
}

/**
 * `replace OLD [V] => NEW [V]` (x/mod `parseReplace`).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
export function parseReplace(verb: string, args: Args, fix: VersionFixer | undefined): ReplaceArgs {
  const fail = (msg: string): never => {
    throw new ArgError(new Error(msg));
  };
  let arrow = 2;
  if (args.length >= 2 && args.at(1) === '=>') arrow = 1;
  if (args.length < arrow + 2 || args.length > arrow + 3 || args.at(arrow) !== '=>') {
    fail(`usage: ${verb} module/path [v1.2.3] => other/module v1.4\n\t or ${verb} module/path [v1.2.3] => ../local/directory`);
  }
  const s = parseQuoted(args, 0);
  let pathMajor: string;
  try {
    pathMajor = modulePathMajor(s);
  } catch (e) {
    throw new ArgError(new ModfileError({ verb, modPath: s, err: (e as ArgError).inner }));
  }
  let v = '';
  if (arrow === 2) {
    v = parseVersion(verb, s, args, 1, fix);
    checkMajor(verb, s, v, pathMajor);
  }
  const ns = parseQuoted(args, arrow + 1);
  let nv = '';
  if (args.length === arrow + 2) {
    if (!isDirectoryPath(ns)) {
      if (ns.includes('@')) fail("replacement module must match format 'path version', not 'path@version'");
      fail('replacement module without version must be directory path (rooted or starting with . or ..)');
    }
    // gomod-dl runs where the separator is '/', as go does on Unix.
    if (ns.includes('\\')) fail('replacement directory appears to be Windows path (on a non-windows system)');
  }
  if (args.length === arrow + 3) {
    nv = parseVersion(verb, ns, args, arrow + 2, fix);
    if (isDirectoryPath(ns)) fail(`replacement module directory path ${quote(ns)} cannot have version`);
  }
  return { old: { path: s, version: v }, new: { path: ns, version: nv } };
}

/** A closed version interval; `low === high` for a single version. */
export interface VersionInterval {
  low: string;
  high: string;
}

/**
 * `V` or `[LOW, HIGH]` (x/mod `parseVersionInterval`); consumes the tokens it reads from `args`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
export function parseVersionInterval(verb: string, path: string, args: Args, fix: VersionFixer | undefined): VersionInterval {
  const fail = (msg: string): never => {
    throw new ArgError(new Error(msg));
  };
  if (args.length === 0 || args.at(0) === '(') fail("expected '[' or version");
  if (args.at(0) !== '[') {
    const v = parseVersion(verb, path, args, 0, fix);
    args.advance(1);
    return { low: v, high: v };
  }
  args.advance(1);
  if (args.length === 0) fail("expected version after '['");
  const low = parseVersion(verb, path, args, 0, fix);
  args.advance(1);
  if (args.length === 0 || args.at(0) !== ',') fail("expected ',' after version");
  args.advance(1);
  if (args.length === 0) fail("expected version after ','");
  const high = parseVersion(verb, path, args, 0, fix);
  args.advance(1);
  if (args.length === 0 || args.at(0) !== ']') fail("expected ']' after version");
  args.advance(1);
  return { low, high };
}

/**
 * The text of a directive's comments: the line's (or, if it has none, its block's) Before and Suffix
 * comments, `//`-stripped and trimmed, joined by `\n` (x/mod `parseDirectiveComment`).
 */
export function parseDirectiveComment(block: LineBlock | undefined, line: Line): string {
  let comments = line.comments;
  if (block && comments.before.length === 0 && comments.suffix.length === 0) comments = block.comments;
  const lines: string[] = [];
  for (const c of [...comments.before, ...comments.suffix] as Comment[]) {
    if (!c.token.startsWith('//')) continue; // a blank-line placeholder
    lines.push(trimSpace(c.token.slice(2)));
  }
  return lines.join('\n');
}

/**
 * The deprecation message in a module directive's comments: the first paragraph starting with
 * `Deprecated:` (x/mod `parseDeprecation`).
 */
export function parseDeprecation(block: LineBlock | undefined, line: Line): string {
  const m = /(?:^|\n\n)Deprecated: *([\s\S]*?)(?:$|\n\n)/.exec(parseDirectiveComment(block, line));
  return m ? m[1]! : '';
}
