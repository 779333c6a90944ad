/**
 * The resolution half of `go mod download`: find the main module(s), load the requirements (and
 * the graph when go would), turn the arguments into modules, and say what go would print and which
 * go.sum lines it would keep. The orchestrator then downloads `plan.modules` in order.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/download.go (runDownload)
 */
import { goAtLeast, mvKey, type ModuleVersion } from './modver.js';
import { MainModuleSet } from './mainmodules.js';
import { ModLoader, type ModLoaderOptions } from './loader.js';
import { listModules, type ListedModule } from './list.js';
import { readReuseFile, type ReuseMap } from './reuse.js';
import { Querier } from './query.js';
import { SummaryLoader } from './summary.js';
import { keepSums, goSumWritePolicy, type GoSumWritePolicy } from './keepsums.js';
import { openMainModules, shortPathFrom, type OpenOptions } from './workspace.js';
import type { BuildListError } from './errors.js';

/** Everything `go mod download` resolution needs. */
export interface PlanOptions extends ModLoaderOptions, Omit<OpenOptions, 'goVersion' | 'gotoolchain' | 'readFile'> {
  readonly args: readonly string[];
  /** -json (changes when go.sum is written). */
  readonly json?: boolean;
  /** -reuse: the file's name as given, read relative to `cwd` (go refuses it inside a module). */
  readonly reuse?: string;
  /**
   * Called once the main modules are known, before anything is fetched: the orchestrator opens the
   * go.sum files they imply (fetched go.mod files are checked against them).
   */
  readonly onMainModules?: (mainModules: MainModuleSet | undefined, inWorkspace: boolean) => void | Promise<void>;
}

/** One module to download (or an error to report in its place), in go's output order. */
export interface PlannedModule {
  readonly path: string;
  readonly version: string;
  readonly query?: string;
  readonly error?: string;
  readonly origin?: Readonly<Record<string, unknown>>;
  /** Reused from the -reuse file: not downloaded, `"Reuse": true` in -json. */
  readonly reuse?: true;
}

/** The result of resolution. */
export interface DownloadPlan {
  /** stderr lines go prints before downloading (skips, drops, conflicts, pattern warnings), in order. */
  readonly stderr: readonly string[];
  /** Whether one of the stderr lines is an error (exit status 1 even if all downloads succeed). */
  readonly stderrIsError: boolean;
  /** `go: no module dependencies to download` (exit 0) or `no modules specified` (exit 1) case. */
  readonly nothingToDo?: { readonly message: string; readonly exitCode: 0 | 1 };
  /** Modules to download, replacements applied, main modules and directories left out. */
  readonly modules: readonly PlannedModule[];
  /** The graph error go reports (after downloads and go.sum) as `go: <message>`. */
  readonly graphError?: BuildListError;
  /** go.sum write timing. */
  readonly goSum: GoSumWritePolicy;
  /** The keys go.sum keeps (see keepSums); empty outside a module. */
  readonly keep: ReadonlySet<string>;
  /** Module versions whose go.mod the resolver requested (each once), in request order. */
  readonly goModsFetched: readonly ModuleVersion[];
  /** go adds `go <version>` to a go.mod without a go line (and rewrites its requirements). */
  readonly addedGoVersion?: string;
  /** The build list of the loaded module graph (main modules first), when the graph was loaded. */
  readonly buildList?: readonly ModuleVersion[];
  /** The main modules, when in a module or workspace. */
  readonly mainModules?: MainModuleSet;
  /**
   * The main module's requirements as go would write them back to go.mod (roots including `go` and
   * `toolchain`, and the direct paths); undefined in a workspace or outside a module.
   */
  readonly requirements?: { readonly roots: readonly ModuleVersion[]; readonly direct: ReadonlySet<string> };
}

function toPlanned(m: ListedModule): PlannedModule | undefined {
  const x = m.replace ?? m;
  if (x.version === '' && x.error === undefined) return undefined;
  return {
    path: x.path,
    version: x.version,
    ...(x.query !== undefined ? { query: x.query } : {}),
    ...(x.error !== undefined ? { error: x.error } : {}),
    ...(x.origin !== undefined ? { origin: x.origin } : {}),
    ...(x.reuse === true ? { reuse: true as const } : {}),
  };
}

/**
 * Resolves a `go mod download` invocation. Throws go's fatal errors (FatalError,
 * TooNewError, a BuildListError from graph loading in the no-argument case).
 */
export async function planDownload(opts: PlanOptions): Promise<DownloadPlan> {
  const source = opts.source;
  const o = { ...opts, source, shortPath: opts.shortPath ?? shortPathFrom(opts.cwd) };
  const stderr: string[] = [];
  let stderrIsError = false;
  const report = (t: string): void => {
    stderr.push(t);
    stderrIsError = true;
  };
  // go's fixVersion queries run before any main module is known: no replacements or exclusions.
  let preQuerier: Querier | undefined;
  const queryVersion = async (path: string, vers: string): Promise<string> => {
    preQuerier ??= new Querier(new SummaryLoader(o, new MainModuleSet([], undefined, () => undefined)));
    return (await preQuerier.query(path, vers, '', null)).Version;
  };
  const opened = await openMainModules({ ...o, report, readFile: (p) => source.readFile(p), queryVersion });
  const mm = opened.mainModules;
  await opts.onMainModules?.(mm, opened.inWorkspace);
  let args = [...opts.args];
  const explicit = args.length > 0;

  let loader: ModLoader | undefined;
  if (mm !== undefined) {
    loader = await ModLoader.create(o, mm);
    stderr.push(...loader.diagnostics);
    const mainFile = mm.modules[0]!.file;
    if (explicit) {
      for (const main of mm.versions()) {
        for (const arg of args) {
          if (arg === main.path || arg === `${main.path}@upgrade` || arg === `${main.path}@patch`) {
            stderr.push(`go: skipping download of ${arg} that resolves to the main module`);
          }
        }
      }
    } else if (mm.inWorkspace) {
      args = ['all'];
    } else {
      const goVersion = loader.addedGoVersion ?? mainFile.go;
      if (goVersion === undefined || !goAtLeast(goVersion, '1.17')) {
        if (mainFile.require.length > 0) args = ['all'];
      } else {
        await loader.loadModGraph();
        args = mainFile.require.map((r) => r.path);
      }
    }
  } else if (opened.inWorkspace && !explicit) {
    args = ['all'];
  }
  const summaries = loader?.summaries ?? new SummaryLoader(o, mm ?? new MainModuleSet([], undefined, () => undefined));
  const base = {
    stderr,
    goSum: goSumWritePolicy({ mainModules: mm, explicitArgs: explicit, json: opts.json ?? false }),
    goModsFetched: uniq(summaries.fetched),
    ...(loader?.addedGoVersion !== undefined ? { addedGoVersion: loader.addedGoVersion } : {}),
    ...(mm !== undefined ? { mainModules: mm } : {}),
  };
  const requirements = (): DownloadPlan['requirements'] =>
    loader === undefined || mm?.inWorkspace !== false
      ? undefined
      : { roots: loader.requirements.rootModules, direct: loader.requirements.direct };
  if (args.length === 0) {
    const nothingToDo =
      mm !== undefined
        ? { message: 'go: no module dependencies to download', exitCode: 0 as const }
        : { message: "go: no modules specified (see 'go help mod download')", exitCode: 1 as const };
    return { ...base, stderrIsError, nothingToDo, modules: [], keep: new Set(), requirements: requirements() };
  }
  // An empty -reuse= is no file, as in go.
  const reuse: ReuseMap | undefined = opts.reuse !== undefined && opts.reuse !== '' ? readReuseFile(opts.reuse, o.cwd, mm !== undefined) : undefined;

  const querier = new Querier(summaries);
  const listed = await listModules({ loader, querier, inWorkspace: opened.inWorkspace, ...(reuse !== undefined ? { reuse } : {}) }, args);
  stderr.push(...listed.warnings);
  if (loader !== undefined && listed.graphError === undefined && listed.rs !== undefined) loader.requirements = listed.rs;
  let keep = new Set<string>();
  let buildList: readonly ModuleVersion[] | undefined;
  if (loader !== undefined && mm !== undefined) {
    const rs = loader.requirements;
    const mg = rs.graphLoaded ? (await rs.graph(loader)).mg : undefined;
    keep = keepSums(mm, rs, mg);
    buildList = mg?.buildList();
  }
  const modules = listed.mods.map(toPlanned).filter((m): m is PlannedModule => m !== undefined);
  return {
    ...base,
    goModsFetched: uniq(summaries.fetched),
    stderrIsError,
    modules,
    keep,
    requirements: requirements(),
    ...(buildList !== undefined ? { buildList } : {}),
    ...(listed.graphError !== undefined ? { graphError: listed.graphError } : {}),
  };
}

function uniq(list: readonly ModuleVersion[]): ModuleVersion[] {
  const seen = new Set<string>();
  return list.filter((m) => !seen.has(mvKey(m)) && (seen.add(mvKey(m)), true));
}
