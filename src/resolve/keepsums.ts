/**
 * Which go.sum lines go keeps after `go mod download`, and when it writes go.sum at all.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (keepSums, commitRequirements)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/download.go (runDownload)
 */
import type { ModuleGraph } from './graph.js';
import { sumFileOf, type MainModuleSet } from './mainmodules.js';
import type { Requirements } from './loader.js';
import type { ModuleVersion } from './modver.js';

/** A go.sum key: `path version` for a zip sum, `path version/go.mod` for a go.mod sum. */
export function sumKey(m: ModuleVersion, goMod: boolean): string {
  return `${m.path} ${m.version}${goMod ? '/go.mod' : ''}`;
}

/**
 * The set of go.sum keys go keeps (its `keep` map with `addBuildListZipSums`), as keys from
 * {@link sumKey}. With the graph loaded: the go.mod sum of every module whose requirements are in
 * the graph, plus both sums of every build-list module; without: both sums of every root. Each
 * module is first replaced by its replacement.
 *
 * A sum that was newly checked during the run is written only if its key is in this set; sums
 * already in go.sum stay.
 */
export function keepSums(mainModules: MainModuleSet, rs: Requirements, mg: ModuleGraph | undefined): Set<string> {
  const keep = new Set<string>();
  const add = (m: ModuleVersion, zip: boolean): void => {
    const r = mainModules.resolveReplacement(m);
    keep.add(sumKey(r, true));
    if (zip) keep.add(sumKey(r, false));
  };
  if (mg === undefined) {
    for (const m of rs.rootModules) add(m, true);
    return keep;
  }
  mg.g.walkBreadthFirst((m) => {
    if (mg.requiredBy(m) !== undefined) add(m, false);
  });
  for (const m of mg.buildList()) add(m, true);
  return keep;
}

/** When go writes the sum file in a `go mod download` run. */
export interface GoSumWritePolicy {
  /** The sum file (`<go.mod minus .mod>.sum`, or `<go.work>.sum`); undefined outside a module. */
  readonly file: string | undefined;
  /** No-argument download in a module: written before downloading, so no zip sum is ever saved. */
  readonly beforeDownload: boolean;
  /** Explicit arguments, or a workspace: written after downloading. */
  readonly afterDownload: boolean;
  /** Plain (non -json) mode: any module error exits before go.sum is written. */
  readonly skipAfterOnModuleError: boolean;
}

/**
 * go's rules for writing go.sum in `go mod download`.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/download.go
 */
export function goSumWritePolicy(opts: {
  mainModules: MainModuleSet | undefined;
  explicitArgs: boolean;
  json: boolean;
}): GoSumWritePolicy {
  const mm = opts.mainModules;
  if (mm === undefined) return { file: undefined, beforeDownload: false, afterDownload: false, skipAfterOnModuleError: false };
  const file = mm.work ? mm.work.path + '.sum' : sumFileOf(mm.modules[0]!.gomod);
  const after = opts.explicitArgs || mm.inWorkspace;
  return { file, beforeDownload: !after, afterDownload: after, skipAfterOnModuleError: !opts.json };
}
