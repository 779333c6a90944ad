/**
 * go.mod semantics: the directives of a parsed syntax tree, strict (main module) or lax
 * (dependencies).
 *
 * Strict accepts every directive go 1.26 knows and rejects anything else. Lax interprets only
 * `go module retract require ignore` and silently ignores the rest, so that go.mod files written for
 * newer go versions still load as dependencies; it also repairs go versions like `1.21.0-rc1` and
 * drops retract directives it cannot read.
 *
 * @see https://go.dev/ref/mod#go-mod-file
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
import { quote } from '../internal/gostrconv.js';
import type { ModuleVersion } from '../module/index.js';
import { ArgError, Args, checkMajor, parseGodebug, modulePathMajor, parseDeprecation, parseDirectiveComment, parseQuoted, parseReplace, parseVersion, parseVersionInterval } from './directives.js';
import type { VersionFixer, VersionInterval } from './directives.js';
import { ModfileError, ModfileErrorList } from './errors.js';
import { parseSyntax } from './read.js';
import type { FileSyntax, Line, LineBlock } from './syntax.js';
import { fields } from './text.js';

/** x/mod `GoVersionRE`: the go versions a `go` directive may name. */
export const GO_VERSION_RE = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;
/** What a lax parse accepts as a go version: the leading `1.N` is kept (`1.21rc1` → `1.21`). */
export const LAX_GO_VERSION_RE = /^v?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9][^\n]*)$/;
/** x/mod `ToolchainRE`: deliberately looser than a real toolchain name, for forward compatibility. */
export const TOOLCHAIN_RE = /^default$|^go1($|\.)/;

export interface ModuleStmt { path: string; deprecated: string; syntax: Line }
export interface GoStmt { version: string; syntax: Line }
export interface ToolchainStmt { name: string; syntax: Line }
export interface GodebugStmt { key: string; value: string; syntax: Line }
export interface RequireStmt extends ModuleVersion { indirect: boolean; syntax: Line }
export interface ExcludeStmt extends ModuleVersion { syntax: Line }
export interface ReplaceStmt { old: ModuleVersion; new: ModuleVersion; syntax: Line }
export interface RetractStmt extends VersionInterval { rationale: string; syntax: Line }
export interface ToolStmt { path: string; syntax: Line }
export interface IgnoreStmt { path: string; syntax: Line }

/** A parsed go.mod (x/mod `modfile.File`); statements keep their syntax lines for editing. */
export interface GoModFile {
  module?: ModuleStmt;
  go?: GoStmt;
  toolchain?: ToolchainStmt;
  godebug: GodebugStmt[];
  require: RequireStmt[];
  exclude: ExcludeStmt[];
  replace: ReplaceStmt[];
  retract: RetractStmt[];
  tool: ToolStmt[];
  ignore: IgnoreStmt[];
  syntax: FileSyntax;
}

/** Options of {@link parseGoMod}. */
export interface ParseOptions {
  /** Canonicalizes versions instead of requiring canonical forms (x/mod's `fix`). */
  fix?: VersionFixer;
}

const BLOCK_VERBS = new Set(['module', 'godebug', 'require', 'exclude', 'replace', 'retract', 'tool', 'ignore']);
const LAX_VERBS = new Set(['go', 'module', 'retract', 'require', 'ignore']);

/**
 * Parses a go.mod file. `strict` is for the main module, `lax` for dependencies (x/mod `Parse` /
 * `ParseLax`). `file` is the name used in error positions. The tree reads its comments' text from
 * `data` when asked (parseSyntax): `data` must not change while the tree is in use.
 *
 * @throws ModfileErrorList with go's texts: the syntax error, or every directive error in order.
 * @see https://go.dev/ref/mod#go-mod-file-grammar
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go (parseToFile)
 */
export function parseGoMod(file: string, data: Uint8Array | string, mode: 'strict' | 'lax', opts: ParseOptions = {}): GoModFile {
  const syntax = parseSyntax(file, data);
  const strict = mode === 'strict';
  const f: GoModFile = { godebug: [], require: [], exclude: [], replace: [], retract: [], tool: [], ignore: [], syntax };
  const errs: ModfileError[] = [];
  for (const x of syntax.stmt) {
    if (x.kind === 'line') {
      add(f, errs, undefined, x, x.token[0]!, new Args(x.token, 1), opts.fix, strict);
    } else if (x.kind === 'block') {
      if (x.token.length > 1 || !BLOCK_VERBS.has(x.token[0]!)) {
        if (strict) errs.push(new ModfileError({ filename: file, pos: x.start, err: `unknown block type: ${x.token.join(' ')}` }));
        continue;
      }
      for (const l of x.line) add(f, errs, x, l, x.token[0]!, new Args(l.token, 0), opts.fix, strict);
    }
  }
  // Retract versions are fixed last: they need the module path, which may come at the end.
  fixRetract(f, errs, opts.fix);
  if (errs.length > 0) throw new ModfileErrorList(errs);
  return f;
}

/**
 * Whether a require line carries an `// indirect` comment (its first suffix comment is exactly
 * `indirect` or starts with the field `indirect;`).
 */
export function isIndirect(line: Line): boolean {
  return line.comments.suffix.length > 0 && isIndirectComment(line.comments.suffix[0]!.token);
}

/** Whether a require line's first suffix comment (`// indirect`, `//indirect; …`) marks it indirect. */
export function isIndirectComment(tok: string): boolean {
  const f = fields(tok.startsWith('//') ? tok.slice(2) : tok);
  return (f.length === 1 && f[0] === 'indirect') || (f.length > 1 && f[0] === 'indirect;');
}

function add(
  f: GoModFile,
  errs: ModfileError[],
  block: LineBlock | undefined,
  line: Line,
  verb: string,
  args: Args,
  fix: VersionFixer | undefined,
  strict: boolean,
): void {
  // Dependencies' go.mod files may use directives newer than this parser, or main-module-only ones.
  if (!strict && !LAX_VERBS.has(verb)) return;
  const filename = f.syntax.name;
  const errorf = (msg: string): void => {
    errs.push(new ModfileError({ filename, pos: line.start, err: msg }));
  };
  try {
    switch (verb) {
      default:
        return errorf(`unknown directive: ${verb}`);
      case 'go': {
        if (f.go) return errorf('repeated go statement');
        if (args.length !== 1) return errorf('go directive expects exactly one argument');
        if (!GO_VERSION_RE.test(args.at(0))) {
          const m = strict ? null : LAX_GO_VERSION_RE.exec(args.at(0));
          if (!m) return errorf(`invalid go version '${args.at(0)}': must match format 1.23.0`);
          args.set(0, m[1]!);
        }
        f.go = { version: args.at(0), syntax: line };
        return;
      }
      case 'toolchain': {
        if (f.toolchain) return errorf('repeated toolchain statement');
        if (args.length !== 1) return errorf('toolchain directive expects exactly one argument');
        if (!TOOLCHAIN_RE.test(args.at(0))) {
          return errorf(`invalid toolchain version '${args.at(0)}': must match format go1.23.0 or default`);
        }
        f.toolchain = { name: args.at(0), syntax: line };
        return;
      }
      case 'module': {
        if (f.module) return errorf('repeated module statement');
        f.module = { path: '', deprecated: parseDeprecation(block, line), syntax: line };
        if (args.length !== 1) return errorf('usage: module module/path');
        f.module.path = parseQuoted(args, 0);
        return;
      }
      case 'godebug': {
        f.godebug.push({ ...parseGodebug(args), syntax: line });
        return;
      }
      case 'require':
      case 'exclude': {
        if (args.length !== 2) return errorf(`usage: ${verb} module/path v1.2.3`);
        const s = parseQuoted(args, 0);
        const v = parseVersion(verb, s, args, 1, fix);
        checkMajor(verb, s, v, modulePathMajor(s));
        if (verb === 'require') f.require.push({ path: s, version: v, indirect: isIndirect(line), syntax: line });
        else f.exclude.push({ path: s, version: v, syntax: line });
        return;
      }
      case 'replace': {
        const r = parseReplace(verb, args, fix);
        f.replace.push({ old: r.old, new: r.new, syntax: line });
        return;
      }
      case 'retract': {
        const rationale = parseDirectiveComment(block, line);
        let vi: VersionInterval;
        try {
          // Versions are only unquoted here; they are fixed with the module path afterwards.
          vi = parseVersionInterval(verb, '', args, (_p, v) => v);
        } catch (e) {
          // Dependencies may use interval syntax added later; only the main module reports it.
          if (strict) throw e;
          return;
        }
        if (args.length > 0 && strict) return errorf(`unexpected token after version: ${quote(args.at(0))}`);
        f.retract.push({ ...vi, rationale, syntax: line });
        return;
      }
      case 'tool':
      case 'ignore': {
        if (args.length !== 1) return errorf(`${verb} directive expects exactly one argument`);
        const p = parseQuoted(args, 0);
        (verb === 'tool' ? f.tool : f.ignore).push({ path: p, syntax: line });
        return;
      }
    }
  } catch (e) {
    if (!(e instanceof ArgError)) throw e;
    errs.push(ModfileError.at(filename, line.start, e.inner));
  }
}

function fixRetract(f: GoModFile, errs: ModfileError[], fix: VersionFixer | undefined): void {
  if (!fix) return;
  const path = f.module?.path ?? '';
  for (const r of f.retract) {
    const pos = r.syntax.start;
    if (path === '') {
      errs.push(new ModfileError({ filename: f.syntax.name, pos, err: 'no module directive found, so retract cannot be used' }));
      return; // only the first one
    }
    const tokens = r.syntax.token;
    const args = new Args(tokens, tokens[0] === 'retract' ? 1 : 0);
    try {
      const vi = parseVersionInterval('retract', path, args, fix);
      r.low = vi.low;
      r.high = vi.high;
    } catch (e) {
      if (!(e instanceof ArgError)) throw e;
      errs.push(ModfileError.at(f.syntax.name, pos, e.inner));
      r.low = '';
      r.high = '';
    }
  }
}
