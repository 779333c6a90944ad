/**
 * go.work semantics: always strict, with its own directives (`go toolchain godebug use replace`).
 *
 * @see https://go.dev/ref/mod#go-work-file
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/work.go
 */
import { ArgError, Args, parseGodebug, parseQuoted, parseReplace } from './directives.js';
import type { VersionFixer } from './directives.js';
import { ModfileError, ModfileErrorList } from './errors.js';
import { parseSyntax } from './read.js';
import { GO_VERSION_RE, TOOLCHAIN_RE } from './rule.js';
import type { GodebugStmt, GoStmt, ReplaceStmt, ToolchainStmt } from './rule.js';
import type { FileSyntax, Line } from './syntax.js';

/** A `use` directive: a directory holding a workspace module. */
export interface UseStmt {
  path: string;
  /** The module path from an editor's comment; never set by parsing (x/mod `Use.ModulePath`). */
  modulePath: string;
  syntax: Line;
}

/** A parsed go.work (x/mod `modfile.WorkFile`). */
export interface GoWorkFile {
  go?: GoStmt;
  toolchain?: ToolchainStmt;
  godebug: GodebugStmt[];
  use: UseStmt[];
  replace: ReplaceStmt[];
  syntax: FileSyntax;
}

const BLOCK_VERBS = new Set(['godebug', 'use', 'replace']);

/**
 * Parses a go.work file (x/mod `ParseWork`).
 *
 * @throws ModfileErrorList with go's texts.
 * @see https://go.dev/ref/mod#go-work-file-grammar
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/work.go
 */
export function parseGoWork(file: string, data: Uint8Array | string, opts: { fix?: VersionFixer } = {}): GoWorkFile {
  const syntax = parseSyntax(file, data);
  const f: GoWorkFile = { godebug: [], use: [], replace: [], syntax };
  const errs: ModfileError[] = [];
  for (const x of syntax.stmt) {
    if (x.kind === 'line') {
      add(f, errs, x, x.token[0]!, new Args(x.token, 1), opts.fix);
    } else if (x.kind === 'block') {
      if (x.token.length > 1 || !BLOCK_VERBS.has(x.token[0]!)) {
        errs.push(new ModfileError({ filename: file, pos: x.start, err: `unknown block type: ${x.token.join(' ')}` }));
        continue;
      }
      for (const l of x.line) add(f, errs, l, x.token[0]!, new Args(l.token, 0), opts.fix);
    }
  }
  if (errs.length > 0) throw new ModfileErrorList(errs);
  return f;
}

function add(f: GoWorkFile, errs: ModfileError[], line: Line, verb: string, args: Args, fix: VersionFixer | undefined): void {
  const filename = f.syntax.name;
  const errorf = (msg: string): void => {
    errs.push(new ModfileError({ filename, pos: line.start, err: msg }));
  };
  try {
    switch (verb) {
      default:
        return errorf(`unknown directive: ${verb}`);
      case 'go':
        if (f.go) return errorf('repeated go statement');
        if (args.length !== 1) return errorf('go directive expects exactly one argument');
        if (!GO_VERSION_RE.test(args.at(0))) return errorf(`invalid go version '${args.at(0)}': must match format 1.23.0`);
        f.go = { version: args.at(0), syntax: line };
        return;
      case 'toolchain':
        if (f.toolchain) return errorf('repeated toolchain statement');
        if (args.length !== 1) return errorf('toolchain directive expects exactly one argument');
        if (!TOOLCHAIN_RE.test(args.at(0))) {
          return errorf(`invalid toolchain version '${args.at(0)}': must match format go1.23.0 or default`);
        }
        f.toolchain = { name: args.at(0), syntax: line };
        return;
      case 'godebug': {
        f.godebug.push({ ...parseGodebug(args), syntax: line });
        return;
      }
      case 'use':
        if (args.length !== 1) return errorf(`usage: ${verb} local/dir`);
        f.use.push({ path: parseQuoted(args, 0), modulePath: '', syntax: line });
        return;
      case 'replace': {
        const r = parseReplace(verb, args, fix);
        f.replace.push({ old: r.old, new: r.new, syntax: line });
        return;
      }
    }
  } catch (e) {
    if (!(e instanceof ArgError)) throw e;
    errs.push(ModfileError.at(filename, line.start, e.inner));
  }
}
