/**
 * The objects `go mod edit -json` and `go work edit -json` print for a parsed file: Go's field names
 * and order, `omitempty` fields left out (as `undefined`), empty lists as `null`. Before printing,
 * go removes duplicate exclude, replace, tool and ignore directives (`SortBlocks` → `removeDups`:
 * the first exclude/tool/ignore wins, the last replace wins); require and retract keep duplicates.
 *
 * Print with `marshalIndent(v, '', '\t') + '\n'` (src/internal/gojson) to get go's bytes.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/edit.go (editPrintJSON, fileJSON)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/workcmd/edit.go (editPrintJSON, workfileJSON)
 */
import type { ModuleVersion } from '../module/index.js';
import { dedupStatements } from './normalize.js';
import type { GoModFile, ReplaceStmt } from './rule.js';
import type { GoWorkFile } from './work.js';

/** x/mod `module.Version` as JSON (`Version` is omitempty). */
export type ModuleVersionJson = {
  Path: string;
  Version?: string;
};

/** `go mod edit -json` output. */
export type EditJson = {
  Module: { Path: string; Deprecated?: string };
  Go?: string;
  Toolchain?: string;
  GoDebug?: { Key: string; Value: string }[];
  Require: { Path: string; Version?: string; Indirect?: boolean }[] | null;
  Exclude: ModuleVersionJson[] | null;
  Replace: { Old: ModuleVersionJson; New: ModuleVersionJson }[] | null;
  Retract: { Low?: string; High?: string; Rationale?: string }[] | null;
  Tool: { Path: string }[] | null;
  Ignore: { Path: string }[] | null;
};

/** `go work edit -json` output (go prints neither toolchain nor godebug there). */
export type WorkEditJson = {
  Go?: string;
  Use: { DiskPath: string; ModPath?: string }[] | null;
  Replace: { Old: ModuleVersionJson; New: ModuleVersionJson }[] | null;
};

const omit = (s: string): string | undefined => (s === '' ? undefined : s);
const orNull = <T>(xs: T[]): T[] | null => (xs.length === 0 ? null : xs);

function versionJson(m: ModuleVersion): ModuleVersionJson {
  return { Path: m.path, Version: omit(m.version) };
}

function replaceJson(xs: readonly ReplaceStmt[]): EditJson['Replace'] {
  return orNull(xs.filter((r) => r.old.path !== '').map((r) => ({ Old: versionJson(r.old), New: versionJson(r.new) })));
}

/**
 * The object `go mod edit -json` prints for `f`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/edit.go
 */
export function toEditJson(f: GoModFile): EditJson {
  // go prints after SortBlocks (duplicates removed) and Cleanup (entries with an empty key dropped).
  const d = dedupStatements(f);
  return {
    Module: { Path: f.module?.path ?? '', Deprecated: omit(f.module?.deprecated ?? '') },
    Go: omit(f.go?.version ?? ''),
    Toolchain: omit(f.toolchain?.name ?? ''),
    GoDebug: orNull(f.godebug.filter((g) => g.key !== '').map((g) => ({ Key: g.key, Value: g.value }))) ?? undefined,
    Require: orNull(
      f.require.filter((r) => r.path !== '').map((r) => ({ Path: r.path, Version: omit(r.version), Indirect: r.indirect || undefined })),
    ),
    Exclude: orNull(d.exclude.filter((x) => x.path !== '').map(versionJson)),
    Replace: replaceJson(d.replace),
    Retract: orNull(
      f.retract.filter((r) => r.low !== '' || r.high !== '').map((r) => ({ Low: omit(r.low), High: omit(r.high), Rationale: omit(r.rationale) })),
    ),
    Tool: orNull(d.tool.map((t) => ({ Path: t.path }))),
    Ignore: orNull(d.ignore.map((t) => ({ Path: t.path }))),
  };
}

/**
 * The object `go work edit -json` prints for `f`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/workcmd/edit.go
 */
export function toWorkEditJson(f: GoWorkFile): WorkEditJson {
  return {
    Go: omit(f.go?.version ?? ''),
    Use: orNull(f.use.filter((u) => u.path !== '').map((u) => ({ DiskPath: u.path, ModPath: omit(u.modulePath) }))),
    Replace: replaceJson(dedupStatements(f).replace),
  };
}
