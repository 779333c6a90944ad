/**
 * The root requirements of a run and the module graph built from them: reading the main go.mod
 * into roots, making the roots consistent with the graph (as `go mod download` does before it
 * lists anything), and the selected versions.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (loadModFile, requirementsFromModFiles)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/buildlist.go (Requirements, expandGraph, updatePrunedRoots)
 */
import { readModGraph, type ModuleGraph } from './graph.js';
import type { BuildListError } from './errors.js';
import type { MainModuleSet } from './mainmodules.js';
import { modCompare, modSort, mvKey, type ModuleVersion } from './modver.js';
import { pruningForGoVersion, SummaryLoader, type LoaderOptions, type Pruning } from './summary.js';

/** A logically immutable set of root requirements (go's modload.Requirements). */
export class Requirements {
  readonly maxRootVersion = new Map<string, string>();
  private graphResult: Promise<{ mg: ModuleGraph; err: BuildListError | undefined }> | undefined;

  constructor(
    readonly pruning: Pruning,
    /** Sorted with modSort; may hold several versions of one path. Always holds `go`. */
    readonly rootModules: readonly ModuleVersion[],
    readonly direct: ReadonlySet<string>,
  ) {
    for (const m of rootModules) {
      const v = this.maxRootVersion.get(m.path);
      if (v === undefined || modCompare(m.path, v, m.version) < 0) this.maxRootVersion.set(m.path, m.version);
    }
  }

  /** Whether the graph of these roots was loaded (go.sum keeping depends on it). */
  get graphLoaded(): boolean {
    return this.graphResult !== undefined;
  }

  /** The module graph of these roots, loaded once. */
  graph(loader: ModLoader): Promise<{ mg: ModuleGraph; err: BuildListError | undefined }> {
    this.graphResult ??= readModGraph(loader.summaries, this.pruning, this.rootModules, loader.concurrency);
    return this.graphResult;
  }
}

/** Options for {@link ModLoader}. */
export interface ModLoaderOptions extends LoaderOptions {
  /** Parallel go.mod loads (go uses GOMAXPROCS). */
  readonly concurrency?: number;
}

/** Module loading state of one run (go's modload.State, for the parts `go mod download` uses). */
export class ModLoader {
  readonly summaries: SummaryLoader;
  readonly concurrency: number;
  requirements!: Requirements;
  /** go's stderr lines that are not errors of one module (`go: dropping requirement …`). */
  readonly diagnostics: string[] = [];
  /** The go version go would add to a go.mod that has no go line (it rewrites go.mod). */
  addedGoVersion: string | undefined;

  private constructor(
    readonly opts: ModLoaderOptions,
    readonly mainModules: MainModuleSet,
  ) {
    this.summaries = new SummaryLoader(opts, mainModules);
    this.concurrency = opts.concurrency ?? 8;
  }

  /**
   * Reads the roots from the main go.mod (or go.work) as `LoadModFile` does: excluded
   * requirements dropped, `go`/`toolchain` roots added, redundant roots resolved, and — for a
   * go.mod without a go line — the running go version added and the roots converted to a pruned
   * graph (which loads the full unpruned graph once).
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (loadModFile)
   */
  static async create(opts: ModLoaderOptions, mainModules: MainModuleSet): Promise<ModLoader> {
    const ld = new ModLoader(opts, mainModules);
    const ws = mainModules.work;
    if (ws !== undefined) {
      const roots: ModuleVersion[] = mainModules.versions();
      roots.push({ path: 'go', version: ws.file.go ?? '1.18' });
      if (ws.file.toolchain !== undefined) roots.push({ path: 'toolchain', version: ws.file.toolchain });
      const direct = new Set<string>();
      for (const m of mainModules.modules) for (const r of m.file.require) if (!r.indirect) direct.add(r.path);
      ld.requirements = new Requirements('workspace', modSort(roots), direct);
      return ld;
    }
    const mm = mainModules.modules[0]!;
    const roots: ModuleVersion[] = [];
    const direct = new Set<string>(['go']);
    for (const r of mm.file.require) {
      if (mainModules.isExcluded(r)) {
        ld.diagnostics.push(`go: dropping requirement on excluded version ${r.path} ${r.version}`);
        continue;
      }
      roots.push({ path: r.path, version: r.version });
      if (!r.indirect) direct.add(r.path);
    }
    const goVersion = mm.file.go ?? '1.16';
    roots.push({ path: 'go', version: goVersion });
    if (mm.file.toolchain !== undefined) roots.push({ path: 'toolchain', version: mm.file.toolchain });
    let rs = new Requirements(pruningForGoVersion(goVersion), modSort(roots), direct);
    if (ld.hasRedundantRoot(rs)) rs = await ld.updateRoots(rs);
    if (mm.file.go === undefined) {
      // go mod download runs with -mod=mod: go adds "go <local>" to go.mod and, since that is
      // >= 1.17, converts the roots to a pruned graph holding the whole unpruned build list.
      const v = opts.goVersion;
      ld.addedGoVersion = v;
      const kept = rs.rootModules.filter((m) => m.path !== 'go');
      rs = new Requirements(rs.pruning, modSort([...kept, { path: 'go', version: v }]), rs.direct);
      const { mg, err } = await rs.graph(ld);
      if (err !== undefined) throw err;
      rs = new Requirements('pruned', mg.buildList().slice(1), rs.direct);
    }
    ld.requirements = rs;
    return ld;
  }

  /** The version of `path` among the roots (`""` for a main module), or undefined. */
  rootSelected(rs: Requirements, path: string): string | undefined {
    if (this.mainModules.contains(path)) return '';
    return rs.maxRootVersion.get(path);
  }

  private hasRedundantRoot(rs: Requirements): boolean {
    return rs.rootModules.some((m, i) => this.mainModules.contains(m.path) || (i > 0 && m.path === rs.rootModules[i - 1]!.path));
  }

  private allRootsSelected(rs: Requirements, mg: ModuleGraph): boolean {
    const roots = this.mainModules.inWorkspace ? this.mainModules.versions() : rs.rootModules;
    return roots.every((m) => mg.selected(m.path) === m.version);
  }

  /**
   * Loads the graph of the current roots and, if some root is not its path's selected version,
   * moves the roots up (which, pruned, may pull in more go.mod files) until they are consistent.
   * Throws the graph's BuildListError.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/buildlist.go (LoadModGraph, expandGraph)
   */
  async loadModGraph(): Promise<ModuleGraph> {
    const { rs, mg, err } = await this.expandGraph(this.requirements);
    if (err !== undefined) throw err;
    this.requirements = rs;
    return mg;
  }

  /** expandGraph: never throws; returns the (possibly updated) roots, their graph and its error. */
  async expandGraph(rs0: Requirements): Promise<{ rs: Requirements; mg: ModuleGraph; err: BuildListError | undefined }> {
    let rs = rs0;
    let { mg, err } = await rs.graph(this);
    if (err !== undefined) return { rs, mg, err };
    if (!this.allRootsSelected(rs, mg)) {
      try {
        rs = await this.updateRoots(rs);
      } catch (e) {
        return { rs: rs0, mg, err: e as BuildListError };
      }
      ({ mg, err } = await rs.graph(this));
    }
    return { rs, mg, err };
  }

  /**
   * Makes each root appear once, at its path's selected version (pruned, repeated until stable).
   * Unpruned roots are kept at their selected versions; go would also minimise them (mvs.Req),
   * which changes go.mod but not the build list.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/buildlist.go (updatePrunedRoots, updateUnprunedRoots)
   */
  async updateRoots(rs0: Requirements): Promise<Requirements> {
    if (rs0.pruning === 'workspace') return rs0;
    let rs = rs0;
    const mainPaths = new Set(this.mainModules.versions().map((m) => m.path));
    for (;;) {
      const { mg, err } = await rs.graph(this);
      if (err !== undefined) throw err;
      const roots: ModuleVersion[] = [];
      const inRoot = new Set(mainPaths);
      let upgraded = false;
      for (const m of rs.rootModules) {
        if (inRoot.has(m.path)) continue;
        if (rs.pruning === 'unpruned' && mg.selected(m.path) !== m.version) continue;
        const v = mg.selected(m.path);
        roots.push({ path: m.path, version: v });
        inRoot.add(m.path);
        if (v !== m.version) upgraded = true;
      }
      if (rs.pruning === 'unpruned') {
        // Direct requirements stay roots at their selected versions.
        for (const m of mg.buildList().slice(this.mainModules.modules.length)) {
          if (rs.direct.has(m.path) && !inRoot.has(m.path)) {
            roots.push(m);
            inRoot.add(m.path);
          }
        }
        modSort(roots);
      }
      const same = roots.length === rs.rootModules.length && roots.every((m, i) => mvKey(m) === mvKey(rs.rootModules[i]!));
      if (same) return rs;
      const next = new Requirements(rs.pruning, roots, rs.direct);
      if (!upgraded || rs.pruning === 'unpruned') return next;
      rs = next;
    }
  }
}
