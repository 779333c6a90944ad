/**
 * One run of gomod-dl, wiring only: the Go environment and options, the phases in go's order (resolve
 * with prefetch, go.sum before or after, downloads, output) and the exit status. The session's objects
 * come from session.ts, the download loop from modfetch/batch.ts, the extra targets from
 * resolve/targets.ts and every line printed from report/.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/download.go (runDownload)
 */
import nodePath from 'node:path';
import { checkOverlay } from './config/overlay.js';
import { chdirProblem, checkGoModCache, GoEnvError, GoFlagsError, loadGoEnv, modDownloadFlagsFromGoFlags, ModCacheError, type GoEnv } from './config/index.js';
import { downloadModules, fetchInfoAndGoMods, moduleJson, openSumFiles, writeGoModAndSum, type ModuleJSON } from './modfetch/index.js';
import { GoSumError } from './modfile/gosum.js';
import type { ProgressEvent } from './report/events.js';
import { formatModuleJson } from './report/json.js';
import { errorLine, fatalText, nothingToDoLine, progLine, sweptWorkDirLine } from './report/lines.js';
import { likelyTargets, offlineTargets, planDownload, withToolchain, type DownloadPlan } from './resolve/index.js';
import type { ModuleVersion } from './resolve/modver.js';
import { FatalError } from './internal/errors.js';
import { openSession, type Interrupt, type Session } from './session.js';

export type { Interrupt } from './session.js';

export interface RunOptions {
  /** Module arguments as given (patterns, path@version). */
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** -C: change to this directory first (relative to cwd). */
  chdir?: string | undefined;
  /** -json, -x, -modcacherw as given on the command line; undefined leaves them to GOFLAGS. */
  json?: boolean | undefined;
  x?: boolean | undefined;
  modcacherw?: boolean | undefined;
  modfile?: string | undefined;
  /** -overlay: a file-system overlay, checked and refused where it would matter (src/config/overlay.ts). */
  overlay?: string | undefined;
  /** The usage lines printed after a flag error (go's cmd.Usage), with their newline. */
  usage?: string | undefined;
  /** -reuse: an earlier `-json` output (see src/resolve/reuse.ts). */
  reuse?: string | undefined;
  /** Modules downloaded at once. */
  concurrency?: number | undefined;
  /**
   * The go release whose behaviour is reproduced (gover.Local()): only written into a go.mod that
   * has no go line. Tests pass the oracle's version.
   */
  goVersion?: string | undefined;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Receives the run's progress (phases, modules, fetches) for the progress line and summary. */
  onEvent?: ((e: ProgressEvent) => void) | undefined;
  /**
   * --offline-complete: also fetch the `.info` and go.mod of every module of the build list (what
   * `go list -m all` reads), so that go works with GOPROXY=off afterwards.
   */
  offlineComplete?: boolean | undefined;
  /** --toolchain: also download golang.org/toolchain for this GOOS/GOARCH (see resolve/toolchain.ts). */
  toolchain?: string | undefined;
  /** Called after a successful run with what was resolved and downloaded (export builds on it). */
  onDone?: ((r: { plan: DownloadPlan; modules: readonly ModuleJSON[]; env: GoEnv; fetcher: Session['fetcher'] }) => Promise<void>) | undefined;
  /** SIGINT/SIGTERM/SIGHUP handling (src/cli/signals.ts): stop, clean up the work directory. */
  interrupt?: Interrupt | undefined;
}

/**
 * Modules downloaded at once by default. go uses GOMAXPROCS (the CPU count); downloads are bound by
 * round trips, while extraction has its own worker pool. Measured with `npm run bench --
 * --workloads gin,caddy,rclone --latency 50 --concurrency-sweep --rounds 2` (2 cores, cold cache):
 * -j 2 / 4 / 8 / 16 / 32: gin 2.44 / 1.94 / 1.32 / 1.32 / 2.04 s (an outlier: 1.40 s rerun), caddy
 * 8.21 / 5.29 / 4.43 / 4.11 / 4.05 s, rclone 12.91 / 9.15 / 8.66 / 8.08 / 7.41 s; at 0 ms, 16
 * against 8 (interleaved medians): gin 1.18 -> 1.15 s, caddy 3.73 -> 3.61 s, rclone 6.83 -> 6.57 s,
 * the same peak RSS. Past 16 the cores are the limit, and each connection costs the proxy too.
 */
export const DEFAULT_CONCURRENCY = 16;

/** go.mod files fetched at once while the module graph loads. */
const GRAPH_CONCURRENCY = 32;

/**
 * The go release gomod-dl reproduces. It needs no toolchain, so a newer go line is no error; this
 * version only goes into a go.mod that has none, as go writes its own version there.
 */
export const EMULATED_GO_VERSION = '1.26.8';

/** Runs gomod-dl and returns the exit status: 0, 1 when any module failed or on a fatal error, 2 on usage. */
export async function run(o: RunOptions): Promise<number> {
  const cwd = o.chdir !== undefined ? nodePath.resolve(o.cwd, o.chdir) : o.cwd;
  if (o.chdir !== undefined) {
    const problem = chdirProblem(cwd, o.chdir);
    if (problem !== undefined) {
      o.stderr(errorLine(problem));
      return 1;
    }
  }
  try {
    return await runIn(cwd, o);
  } catch (err) {
    if (err instanceof FatalError) {
      o.stderr(fatalText(err));
      return 1;
    }
    if (err instanceof GoEnvError || err instanceof GoFlagsError) {
      o.stderr(errorLine(err.message));
      // A GOFLAGS flag the command's flag set refuses (exit 2): go's flag package prints the usage.
      if (err instanceof GoFlagsError && err.exitCode === 2 && o.usage !== undefined) o.stderr(o.usage);
      return err.exitCode;
    }
    if (err instanceof ModCacheError || err instanceof GoSumError) {
      o.stderr(errorLine(err.message));
      return 1;
    }
    throw err;
  }
}

async function runIn(cwd: string, o: RunOptions): Promise<number> {
  const env = await loadGoEnv({ env: o.env, cwd, warn: (w) => o.stderr(`${w}\n`) });
  const gf = modDownloadFlagsFromGoFlags(env.goflags);
  // As go's base.SetFromGOFLAGS: GOFLAGS first, then the command line over it.
  const json = o.json ?? gf.json === true;
  const x = o.x ?? gf.x === true;
  const modcacherw = o.modcacherw ?? gf.modcacherw === true;
  if (env.GO111MODULE === 'off') {
    throw new FatalError('EGO111MODULE', "modules disabled by GO111MODULE=off; see 'go help modules'");
  }
  // go's modload.Init: any other value than these (case matters) stops the command.
  if (!['', 'on', 'auto'].includes(env.GO111MODULE)) {
    throw new FatalError('EGO111MODULE', `unknown environment setting GO111MODULE=${env.GO111MODULE}`);
  }
  const overlay = o.overlay ?? gf.overlay;
  if (overlay !== undefined && overlay !== '') checkOverlay(overlay, cwd);
  checkGoModCache(env);

  const stderr = o.stderr;
  const onEvent = o.onEvent;
  onEvent?.({ kind: 'phase', phase: 'graph', x, json });
  const concurrency = o.concurrency ?? DEFAULT_CONCURRENCY;
  // go under GOTOOLCHAIN=local cannot switch to the newer go a go line asks for, and refuses it
  // (`requires go >= …`); otherwise it would switch, and gomod-dl goes on as that go would.
  const refusesNewerGo = env.GOTOOLCHAIN === 'local';
  const session = openSession({
    env, processEnv: o.env, x, modcacherw, stderr, onEvent, prefetchConcurrency: concurrency, interrupt: o.interrupt,
    localGoVersion: refusesNewerGo ? o.goVersion ?? EMULATED_GO_VERSION : undefined,
  });
  const { dl, source } = session;
  for (const p of await session.sweepDeadWorkDirs()) if (x) stderr(sweptWorkDirLine(p));
  let likely = new Map<string, ModuleVersion>();
  let zipsStarted = false;
  try {
    let plan: DownloadPlan;
    try {
      plan = await planDownload({
        source,
        cwd,
        args: o.args,
        reuse: o.reuse ?? gf.reuse,
        modfile: o.modfile ?? gf.modfile,
        goVersion: o.goVersion ?? EMULATED_GO_VERSION,
        checkGoVersion: refusesNewerGo,
        gotoolchain: env.GOTOOLCHAIN,
        gowork: env.GOWORK,
        goroot: o.env['GOROOT'] ?? '',
        json,
        // go.mod files are small: loading is bound by round trips, not by CPU or bandwidth.
        concurrency: Math.max(concurrency, GRAPH_CONCURRENCY),
        onMainModules: async (mm) => {
          const files = await openSumFiles(mm, session.sums);
          onEvent?.({ kind: 'sum-files', files });
          likely = likelyTargets(mm, o.args);
          session.expectZips(likely.size);
        },
        events: {
          goModLoaded: (m) => {
            onEvent?.({ kind: 'gomod-loaded' });
            // Overlap: the likely targets' zips start downloading once the first go.mod has joined
            // the graph, all of them, beside the rest of the graph (a chain of go.mod round trips),
            // rather than each once its own go.mod has: the zips, and extracting them, are most of
            // a cold run. Not before: a run whose first go.mod fails (a go.sum mismatch) leaves
            // the cache as go does, without the work directory's parents. At 50 ms per request,
            // median walls (interleaved runs, commit messages): caddy 4.02 -> 3.26 s, rclone 7.04
            // -> 5.54 s, gin within the noise; at 0 ms the same or a little less.
            if (!zipsStarted) {
              zipsStarted = true;
              for (const t of likely.values()) dl.prefetchZip(t.path, t.version);
            }
            // A likely target's .info is fetched ahead too, once its go.mod has joined the graph.
            const target = likely.get(`${m.path}@${m.version}`);
            if (target !== undefined) dl.prefetchInfo(target.path, target.version);
          },
        },
      });
    } catch (err) {
      source.fatal.check();
      throw resolveFatal(err);
    }
    source.fatal.check();
    return await download(o, plan, { session, json, concurrency });
  } finally {
    await session.close();
  }
}

/** What the phases after resolution need of the run. */
interface Downloading {
  session: Session;
  json: boolean;
  concurrency: number;
}

/** Everything after resolution, in go's order: go.sum (before or after), downloads, output. */
async function download(o: RunOptions, plan: DownloadPlan, d: Downloading): Promise<number> {
  const { stderr } = o;
  const { dl, sums, env } = d.session;
  for (const line of plan.stderr) stderr(progLine(line));
  let failed = plan.stderrIsError;
  if (plan.nothingToDo !== undefined) {
    stderr(nothingToDoLine(plan.nothingToDo));
    return failed || plan.nothingToDo.exitCode !== 0 ? 1 : 0;
  }
  // A no-argument download in a module saves go.sum (and fixes go.mod) before downloading, so that
  // no zip sum is saved (golang.org/issue/45332); a failure here is fatal, as in go.
  const sideLock = (): Promise<void> => d.session.cache.touchSideLock();
  if (plan.goSum.beforeDownload) await writeGoModAndSum(plan, sums, sideLock);

  const mods = (o.toolchain !== undefined ? withToolchain(plan, o.toolchain) : plan.modules).map(moduleJson);
  o.onEvent?.({ kind: 'phase', phase: 'download', total: mods.filter((m) => m.Error === undefined && m.Reuse !== true).length });
  await downloadModules(dl, mods, { concurrency: d.concurrency, onEvent: o.onEvent });
  if (o.offlineComplete === true) {
    const onError = (message: string): void => stderr(errorLine(message));
    if (!(await fetchInfoAndGoMods(dl, offlineTargets(plan), { concurrency: d.concurrency, onError }))) failed = true;
  }

  for (const m of mods) {
    if (m.Error !== undefined) failed = true;
    if (d.json) o.stdout(formatModuleJson(m));
    else if (m.Error !== undefined) stderr(errorLine(m.Error));
  }
  // Plain mode stops at the first reported error (go's ExitIfErrors) before go.sum is written.
  if (failed && !d.json) return 1;
  if (plan.goSum.afterDownload) {
    try {
      await writeGoModAndSum(plan, sums, sideLock);
    } catch (err) {
      if (!(err instanceof Error) || err instanceof FatalError) throw err;
      stderr(errorLine(err.message));
      failed = true;
    }
  }
  if (plan.graphError !== undefined) {
    stderr(errorLine(plan.graphError.message));
    failed = true;
  }
  if (!failed && o.onDone !== undefined) await o.onDone({ plan, modules: mods, env, fetcher: d.session.fetcher });
  return failed ? 1 : 0;
}

/** A resolver error that ends the run (go's base.Fatal), printed as `gomod-dl: <message>`. */
function resolveFatal(err: unknown): unknown {
  if (err instanceof FatalError || !(err instanceof Error)) return err;
  if (err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError) return err;
  return new FatalError('EFATAL', err.message, { cause: err });
}
