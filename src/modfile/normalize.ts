/**
 * The normalisation go applies before writing or printing a go.mod / go.work: `SortBlocks` (remove
 * duplicate exclude/replace/tool/ignore lines, sort the lines of each block) and `Cleanup` (drop
 * removed lines and empty blocks, collapse one-line blocks into a plain line). `go mod edit -fmt`,
 * `-print` and `-json` all run both; `go mod download` writes go.mod through the same path when it
 * has to update it.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go (SortBlocks, removeDups, Cleanup)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/read.go (FileSyntax.Cleanup)
 */
import { goBytes } from '../internal/gostrconv.js';
import { compare as semverCompare } from '../module/index.js';
import type { ModuleVersion } from '../module/index.js';
import type { GoModFile, ReplaceStmt } from './rule.js';
import { newComments, type FileSyntax, type Line } from './syntax.js';
import type { GoWorkFile } from './work.js';

function compareStrings(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(goBytes(a), goBytes(b));
}

/** x/mod `compareLine`: tokens compared bytewise, then by count. */
function compareLine(a: Line, b: Line): number {
  for (let k = 0; k < a.token.length && k < b.token.length; k++) {
    if (a.token[k] !== b.token[k]) return compareStrings(a.token[k]!, b.token[k]!);
  }
  return a.token.length - b.token.length;
}

/** Exclude lines sort by path, then by semver (go 1.21 and later; go.dev/issue/60028). */
function compareLineExclude(a: Line, b: Line): number {
  if (a.token.length !== 2 || b.token.length !== 2) return compareLine(a, b);
  if (a.token[0] !== b.token[0]) return compareStrings(a.token[0]!, b.token[0]!);
  return semverCompare(a.token[1]!, b.token[1]!);
}

/** Retract lines sort as intervals, newest first (by low, then by high). */
function compareLineRetract(a: Line, b: Line): number {
  const interval = (l: Line): [string, string] => {
    const t = l.token;
    if (t.length === 1) return [t[0]!, t[0]!];
    if (t.length === 5 && t[0] === '[' && t[2] === ',' && t[4] === ']') return [t[1]!, t[3]!];
    return ['', ''];
  };
  const [al, ah] = interval(a);
  const [bl, bh] = interval(b);
  return -semverCompare(al, bl) || -semverCompare(ah, bh);
}

const mvKey = (m: ModuleVersion): string => `${m.path}\x00${m.version}`;

function dedup<T extends { syntax: Line }>(xs: T[], key: (x: T) => string, kill: Set<Line>, lastWins = false): T[] {
  const seen = new Set<string>();
  const order = lastWins ? [...xs].reverse() : xs;
  for (const x of order) {
    if (seen.has(key(x))) kill.add(x.syntax);
    else seen.add(key(x));
  }
  return xs.filter((x) => !kill.has(x.syntax));
}

function dropKilled(syntax: FileSyntax, kill: Set<Line>): void {
  syntax.stmt = syntax.stmt.filter((stmt) => {
    if (stmt.kind === 'line') return !kill.has(stmt);
    if (stmt.kind === 'block') {
      stmt.line = stmt.line.filter((l) => !kill.has(l));
      return stmt.line.length > 0;
    }
    return true;
  });
}

function sortLines(syntax: FileSyntax, less: (verb: string) => (a: Line, b: Line) => number): void {
  for (const stmt of syntax.stmt) {
    if (stmt.kind === 'block') stmt.line.sort(less(stmt.token[0]!));
  }
}

/** The statements x/mod `removeDups` keeps, and the syntax lines it drops. Does not mutate. */
export interface Deduped {
  exclude: GoModFile['exclude'];
  replace: ReplaceStmt[];
  tool: GoModFile['tool'];
  ignore: GoModFile['ignore'];
  kill: Set<Line>;
}

/**
 * x/mod `removeDups`: duplicate exclude, tool and ignore statements lose to the first one, duplicate
 * replacements of the same old module@version to the last one; require and retract keep theirs.
 * Works on a go.mod or (replace only) a go.work.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
export function dedupStatements(f: Pick<GoModFile, 'replace'> & Partial<Pick<GoModFile, 'exclude' | 'tool' | 'ignore'>>): Deduped {
  const kill = new Set<Line>();
  return {
    exclude: dedup(f.exclude ?? [], mvKey, kill),
    replace: dedup<ReplaceStmt>(f.replace, (r) => mvKey(r.old), kill, true),
    tool: dedup(f.tool ?? [], (t) => t.path, kill),
    ignore: dedup(f.ignore ?? [], (t) => t.path, kill),
    kill,
  };
}

/**
 * x/mod `File.SortBlocks`: removes duplicate statements ({@link dedupStatements}), then sorts the
 * lines of every block. Mutates `f`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
export function sortBlocks(f: GoModFile): void {
  const d = dedupStatements(f);
  Object.assign(f, { exclude: d.exclude, replace: d.replace, tool: d.tool, ignore: d.ignore });
  dropKilled(f.syntax, d.kill);
  const semanticExclude = f.go !== undefined && semverCompare(`v${f.go.version}`, 'v1.21') >= 0;
  sortLines(f.syntax, (verb) =>
    verb === 'exclude' && semanticExclude ? compareLineExclude : verb === 'retract' ? compareLineRetract : compareLine,
  );
}

/**
 * x/mod `WorkFile.SortBlocks`: removes duplicate replace lines (the last wins) and sorts every
 * block's lines. Mutates `f`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/work.go
 */
export function sortWorkBlocks(f: GoWorkFile): void {
  const d = dedupStatements(f);
  f.replace = d.replace;
  dropKilled(f.syntax, d.kill);
  sortLines(f.syntax, () => compareLine);
}

/**
 * x/mod `FileSyntax.Cleanup`: drops lines without tokens and empty blocks, and collapses a block of
 * one line (without comments before its `)`) into a plain line carrying the block's comments.
 * Mutates `syntax`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/read.go
 */
export function cleanupSyntax(syntax: FileSyntax): void {
  const out: FileSyntax['stmt'] = [];
  for (const stmt of syntax.stmt) {
    if (stmt.kind === 'line' && stmt.token.length === 0) continue;
    if (stmt.kind === 'block') {
      stmt.line = stmt.line.filter((l) => l.token.length > 0);
      if (stmt.line.length === 0) continue;
      if (stmt.line.length === 1 && stmt.rparen.comments.before.length === 0) {
        const only = stmt.line[0]!;
        // Keep the Line object: parsed statements point at it.
        const c = newComments();
        c.before = [...stmt.comments.before, ...only.comments.before];
        c.suffix = [...only.comments.suffix, ...stmt.comments.suffix];
        c.after = [...only.comments.after, ...stmt.comments.after];
        Object.assign(only, { comments: c, token: [...stmt.token, ...only.token], inBlock: false });
        out.push(only);
        continue;
      }
    }
    out.push(stmt);
  }
  syntax.stmt = out;
}

