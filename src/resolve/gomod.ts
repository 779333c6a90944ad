/**
 * The one place that reads src/modfile's parse results: go.mod and go.work files reduced to what
 * module loading uses. Keeping the mapping here means the rest of src/resolve does not depend on
 * the modfile AST.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (summaryFromModFile)
 */
import { parseGoMod, parseGoWork, parseLaxFast, type Line, type VersionFixer } from '../modfile/index.js';
import type { ModuleVersion } from './modver.js';

/** One `require` line. */
export interface Require extends ModuleVersion {
  readonly indirect: boolean;
}

/** One `replace` line; `old.version` is `""` for a whole-module replacement, `new.version` `""` for a directory. */
export interface Replace {
  readonly old: ModuleVersion;
  readonly new: ModuleVersion;
  /** 1-based line of the directive, for messages. */
  readonly line: number;
}

/** One `retract` interval. */
export interface Retraction {
  readonly low: string;
  readonly high: string;
  readonly rationale: string;
}

/** The parts of a go.mod file that module loading reads. */
export interface ParsedGoMod {
  readonly module: string | undefined;
  readonly deprecated: string;
  readonly go: string | undefined;
  readonly toolchain: string | undefined;
  readonly require: readonly Require[];
  readonly exclude: readonly ModuleVersion[];
  readonly replace: readonly Replace[];
  readonly retract: readonly Retraction[];
  readonly godebug?: readonly Godebug[];
  /** The fixer the file was parsed with (go's fixVersion answers), for rewriting it. */
  readonly fix?: VersionFixer;
}

/** One `godebug` setting, with its 1-based line. */
export interface Godebug {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

/** The parts of a go.work file that module loading reads. */
export interface ParsedGoWork {
  readonly go: string | undefined;
  readonly toolchain: string | undefined;
  readonly use: readonly { readonly path: string; readonly line: number }[];
  readonly replace: readonly Replace[];
  readonly godebug?: readonly Godebug[];
}

interface ModVersionLike {
  path: string;
  version?: string | undefined;
}

function mv(v: ModVersionLike): ModuleVersion {
  return { path: v.path, version: v.version ?? '' };
}

function lineOf(x: { syntax: Line }): number {
  return x.syntax.start.line;
}

/** A go.mod's or go.work's `godebug` settings (a line that did not parse has no key). */
function godebugs(f: { godebug: readonly { key: string; value: string; syntax: Line }[] }): Godebug[] {
  return f.godebug.filter((g) => g.key !== '').map((g) => ({ key: g.key, value: g.value, line: lineOf(g) }));
}

/**
 * Parses a go.mod file: `strict` for main modules, `lax` for dependencies (unknown directives and
 * most errors in retract/exclude/replace are ignored). Throws src/modfile's `ModfileErrorList`.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/read.go (Parse, ParseLax)
 */
export function parseGoModFile(file: string, data: Uint8Array, mode: 'strict' | 'lax', fix?: VersionFixer): ParsedGoMod {
  if (mode === 'lax' && fix === undefined) {
    // Most dependencies' go.mod files take the fast path; the rest, and every error, the parser.
    const fast = parseLaxFast(data);
    if (fast !== undefined) {
      return {
        ...fast, deprecated: '', toolchain: undefined, exclude: [], replace: [], godebug: [],
        retract: fast.retract.map((r) => ({ ...r, rationale: '' })),
      };
    }
  }
  const f = parseGoMod(file, data, mode, fix !== undefined ? { fix } : {});
  return {
    module: f.module?.path,
    deprecated: f.module?.deprecated ?? '',
    go: f.go?.version,
    toolchain: f.toolchain?.name,
    require: f.require.map((r) => ({ path: r.path, version: r.version, indirect: r.indirect })),
    exclude: f.exclude.map((e) => ({ path: e.path, version: e.version })),
    replace: f.replace.map((r) => ({ old: mv(r.old), new: mv(r.new), line: lineOf(r) })),
    retract: f.retract.map((r) => ({ low: r.low, high: r.high, rationale: r.rationale })),
    godebug: godebugs(f),
    ...(fix !== undefined ? { fix } : {}),
  };
}

/**
 * Parses a go.work file. Throws src/modfile's `ModfileErrorList`.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/work.go (ParseWork)
 */
export function parseGoWorkFile(file: string, data: Uint8Array): ParsedGoWork {
  const f = parseGoWork(file, data);
  return {
    go: f.go?.version,
    toolchain: f.toolchain?.name,
    use: f.use.map((u) => ({ path: u.path, line: lineOf(u) })),
    replace: f.replace.map((r) => ({ old: mv(r.old), new: mv(r.new), line: lineOf(r) })),
    godebug: godebugs(f),
  };
}
