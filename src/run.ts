/**
 * One run of gomod-dl: the Go environment, the targets, the downloads under a concurrency bound, and
 * the output go would print (stdout: -json only; stderr: errors, -x, progress).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/download.go (runDownload)
 */
import os from 'node:os';
import nodePath from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';
import { findLocker, ModCache } from './cache/index.js';
import { checkGoModCache, GoEnvError, GoFlagsError, loadGoEnv, modDownloadFlagsFromGoFlags, ModCacheError } from './config/index.js';
import { CacheModuleSource, Downloader, ModSums, openSumFiles, sumdbCheck, writeGoModAndSum, type ModuleJSON } from './modfetch/index.js';
import { Fetcher } from './fetch/fetcher.js';
import { stallMsFromEnv } from './fetch/http.js';
import { caFromEnv } from './fetch/tlsroots.js';
import { GoSumError } from './modfile/gosum.js';
import type { FetchEvent } from './fetch/events.js';
import type { ProgressEvent } from './report/events.js';
import { formatModuleJson } from './report/json.js';
import { fetchTraceWriter } from './report/notice.js';
import { moduleErrorText, toGoPathError } from './internal/goerrno.js';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { withGoIoErrors } from './ioboundary.js';
import { planDownload, type DownloadPlan, type PlannedModule } from './resolve/plan.js';
import { toolchainModule } from './resolve/toolchain.js';
import { isToolchainPath } from './resolve/modver.js';
import type { MainModuleSet } from './resolve/mainmodules.js';
import type { ModuleVersion } from './resolve/modver.js';
import { ExtractPool } from './verify/extractpool.js';
import { FatalError, FatalLatch, fatalText } from './internal/errors.js';
import { useSumDB } from './sumdb/gosumdb.js';
import type { GoEnv } from './config/index.js';

export interface RunOptions {
  /** Module arguments as given (patterns, path@version). */
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** -C: change to this directory first (relative to cwd). */
  chdir?: string | undefined;
  json: boolean;
  x: boolean;
  modcacherw: boolean;
  modfile?: string | undefined;
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
  onDone?: ((r: { plan: DownloadPlan; modules: readonly ModuleJSON[]; env: GoEnv }) => Promise<void>) | undefined;
  /** SIGINT/SIGTERM/SIGHUP handling (src/cli/signals.ts): stop, clean up the work directory. */
  interrupt?: Interrupt | undefined;
}

/** How a run learns of SIGINT/SIGTERM/SIGHUP (src/cli/signals.ts implements it). */
export interface Interrupt {
  /** Aborted on the first signal. */
  readonly signal: AbortSignal;
  /**
   * Registers a cleanup: `before` (async; e.g. stopping workers) runs first, then `last`, which must be
   * synchronous so that nothing else runs between it and the exit. Returns the unregistration.
   */
  onInterrupt(cleanup: { before?: () => Promise<void>; last?: () => void }): () => void;
}

/** The program name that prefixes error lines where go writes `go: `. */
export const PROG = 'gomod-dl';

/**
 * Modules downloaded at once by default. go uses GOMAXPROCS (the CPU count); downloads are bound by
 * round trips, while extraction has its own worker pool. Measured with `npm run bench --
 * --workloads caddy --latency 50 --concurrency-sweep` (2 cores, cold cache): -j 2 9.4 s, 4 6.8 s,
 * 8 5.3 s, 16 5.3 s, 32 5.0 s; past 8 the cores are the limit and more connections buy little.
 */
export const DEFAULT_CONCURRENCY = 8;

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
      o.stderr(`${PROG}: ${problem}\n`);
      return 1;
    }
  }
  try {
    return await runIn(cwd, o);
  } catch (err) {
    if (err instanceof FatalError) {
      o.stderr(fatalText(err, PROG));
      return 1;
    }
    if (err instanceof GoEnvError || err instanceof GoFlagsError) {
      o.stderr(`${PROG}: ${ensureNewline(err.message)}`);
      return err.exitCode;
    }
    if (err instanceof ModCacheError || err instanceof GoSumError) {
      o.stderr(`${PROG}: ${ensureNewline(err.message)}`);
      return 1;
    }
    throw err;
  }
}

async function runIn(cwd: string, o: RunOptions): Promise<number> {
  const env = await loadGoEnv({ env: o.env, cwd, homedir: os.homedir() });
  const gf = modDownloadFlagsFromGoFlags(env.goflags);
  const json = o.json || gf.json === true;
  const x = o.x || gf.x === true;
  const modcacherw = o.modcacherw || gf.modcacherw === true;
  if (env.GO111MODULE === 'off') {
    throw new FatalError('EGO111MODULE', "modules disabled by GO111MODULE=off; see 'go help modules'");
  }
  if ((o.modfile ?? gf.modfile) !== undefined) throw new FatalError('EUNSUPPORTED', '-modfile is not supported');
  checkGoModCache(env);

  const stderr = o.stderr;
  const onEvent = o.onEvent;
  onEvent?.({ kind: 'phase', phase: 'graph', x, json });
  const writeTrace = fetchTraceWriter(x, PROG, stderr);
  const fetcher = new Fetcher({
    env,
    processEnv: o.env,
    trace: (e: FetchEvent) => {
      writeTrace(e);
      onEvent?.(e);
    },
    stallMs: stallMsFromEnv(o.env),
    ca: caFromEnv(o.env),
  });
  const cache = withGoIoErrors(new ModCache(env.GOMODCACHE, { locker: findLocker(o.env) }));
  // No sum file until the main modules are known; outside a module go keeps none.
  const sums = new ModSums({ main: null, warn: stderr, sumdb: sumdbCheck(env, fetcher), useSumdb: (p) => useSumDB(env, p) });
  const concurrency = o.concurrency ?? DEFAULT_CONCURRENCY;
  const pool = new ExtractPool();
  const signal = o.interrupt?.signal;
  const dl = new Downloader({
    cache, fetcher, sums, modcacherw, stderr, prefetchConcurrency: concurrency, extract: (x) => pool.extract(x), onEvent,
    ...(x ? { repairs: stderr } : {}),
    ...(signal !== undefined ? { signal } : {}),
  });
  // Workers stop before the work directory (where they write) goes; then the process exits.
  const offInterrupt = o.interrupt?.onInterrupt({ before: () => pool.close(), last: () => cache.work.removeSync() });
  // The work directories of killed runs (a readdir that fails when there are none).
  for (const p of await cache.work.sweepDead().catch(() => [])) if (x) stderr(`# gomod-dl: removed ${p} (its run is gone)\n`);
  const source = new CacheModuleSource(dl, cache, fetcher);
  let likely = new Map<string, ModuleVersion>();
  try {
    let plan: DownloadPlan;
    try {
      plan = await planDownload({
        source,
        cwd,
        args: o.args,
        goVersion: o.goVersion ?? EMULATED_GO_VERSION,
        checkGoVersion: false,
        gowork: env.GOWORK,
        goroot: o.env['GOROOT'] ?? '',
        json,
        // go.mod files are small: loading is bound by round trips, not by CPU or bandwidth.
        concurrency: Math.max(concurrency, GRAPH_CONCURRENCY),
        onMainModules: async (mm) => {
          const files = await openSumFiles(mm, sums);
          onEvent?.({ kind: 'sum-files', files });
          likely = likelyTargets(mm, o.args);
        },
        events: {
          // Overlap: a likely target's zip starts downloading as soon as its go.mod joins the graph.
          goModLoaded: (m) => {
            onEvent?.({ kind: 'gomod-loaded' });
            const target = likely.get(`${m.path}@${m.version}`);
            if (target !== undefined) dl.prefetchZip(target.path, target.version);
          },
        },
      });
    } catch (err) {
      source.fatal.check();
      throw resolveFatal(err);
    }
    source.fatal.check();
    return await download(o, plan, { dl, sums, json, concurrency, env });
  } finally {
    await dl.discardPrefetched().catch(() => {});
    await Promise.all([fetcher.close(), pool.close()]);
    await cache.work.remove();
    offInterrupt?.();
  }
}

/** The run's downloader and go.sum state. */
interface Session {
  dl: Downloader;
  sums: ModSums;
  json: boolean;
  concurrency: number;
  env: GoEnv;
}

/** Everything after resolution, in go's order: go.sum (before or after), downloads, output. */
async function download(o: RunOptions, plan: DownloadPlan, s: Session): Promise<number> {
  const stderr = o.stderr;
  for (const line of plan.stderr) stderr(progLine(line));
  let failed = plan.stderrIsError;
  if (plan.nothingToDo !== undefined) {
    const msg = plan.nothingToDo.exitCode === 0 ? plan.nothingToDo.message : `go: no modules specified (see '${PROG} --help')`;
    stderr(progLine(msg));
    return failed || plan.nothingToDo.exitCode !== 0 ? 1 : 0;
  }
  // A no-argument download in a module saves go.sum (and fixes go.mod) before downloading, so that
  // no zip sum is saved (golang.org/issue/45332); a failure here is fatal, as in go.
  if (plan.goSum.beforeDownload) await writeGoModAndSum(plan, s.sums);

  const planned = o.toolchain !== undefined ? withToolchain(plan, o.toolchain) : plan.modules;
  const mods: ModuleJSON[] = planned.map((m) => ({
    Path: m.path,
    Version: m.version,
    ...(m.query !== undefined ? { Query: m.query } : {}),
    ...(m.error !== undefined ? { Error: m.error } : {}),
    ...(m.origin !== undefined ? { Origin: m.origin as ModuleJSON['Origin'] } : {}),
  }));
  o.onEvent?.({ kind: 'phase', phase: 'download', total: mods.filter((m) => m.Error === undefined).length });
  const limit = pLimit(s.concurrency);
  const fatal = new FatalLatch();
  await Promise.all(
    mods.map((m) =>
      m.Error !== undefined
        ? undefined
        : limit(async () => {
            if (fatal.first !== undefined) return;
            try {
              await s.dl.download(m as ModuleJSON & { Path: string; Version: string });
              o.onEvent?.({ kind: 'module-done', path: m.Path!, version: m.Version!, failed: false });
            } catch (err) {
              o.onEvent?.({ kind: 'module-done', path: m.Path!, version: m.Version!, failed: true });
              if (fatal.note(err)) {
                limit.clearQueue();
              } else {
                m.Error = moduleErrorText(err, `${m.Path}@${m.Version}`);
              }
            }
          }),
    ),
  );
  fatal.check();
  if (o.offlineComplete === true && !(await fetchForOffline(plan, s, limit, stderr))) failed = true;

  for (const m of mods) {
    if (m.Error !== undefined) failed = true;
    if (s.json) o.stdout(formatModuleJson(m));
    else if (m.Error !== undefined) stderr(`${PROG}: ${ensureNewline(m.Error)}`);
  }
  // Plain mode stops at the first reported error (go's ExitIfErrors) before go.sum is written.
  if (failed && !s.json) return 1;
  if (plan.goSum.afterDownload) {
    try {
      await writeGoModAndSum(plan, s.sums);
    } catch (err) {
      if (!(err instanceof Error) || err instanceof FatalError) throw err;
      stderr(`${PROG}: ${ensureNewline(err.message)}`);
      failed = true;
    }
  }
  if (plan.graphError !== undefined) {
    stderr(`${PROG}: ${ensureNewline(plan.graphError.message)}`);
    failed = true;
  }
  if (!failed && o.onDone !== undefined) await o.onDone({ plan, modules: mods, env: s.env });
  return failed ? 1 : 0;
}

/**
 * --offline-complete: the `.info` and go.mod of every module of the build list (replacements
 * applied), which go list -m all reads (moduleInfo) beyond what go mod download fetches. Returns
 * whether all were fetched.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/build.go (moduleInfo)
 */
async function fetchForOffline(plan: DownloadPlan, s: Session, limit: LimitFunction, stderr: (t: string) => void): Promise<boolean> {
  const mm = plan.mainModules;
  if (mm === undefined || plan.buildList === undefined) return true;
  let ok = true;
  const targets = plan.buildList
    .filter((m) => !isToolchainPath(m.path) && !mm.contains(m.path))
    .map((m) => mm.resolveReplacement(m))
    .filter((m) => m.version !== '');
  await Promise.all(
    targets.map((m) =>
      limit(async () => {
        await s.dl.infoFile(m.path, m.version);
        await s.dl.goModFile(m.path, m.version);
      }).catch((err: unknown) => {
        stderr(`${PROG}: ${ensureNewline(moduleErrorText(err, `${m.path}@${m.version}`))}`);
        ok = false;
      }),
    ),
  );
  return ok;
}

/** The plan's modules plus the toolchain module its go.mod (or go.work) selects for `platform` (GOOS/GOARCH). */
function withToolchain(plan: DownloadPlan, platform: string): readonly PlannedModule[] {
  const mm = plan.mainModules;
  const file = mm?.work?.file ?? mm?.modules[0]?.file;
  const [goos = '', goarch = ''] = platform.split('/');
  const tc = file === undefined ? undefined : toolchainModule(file.go, file.toolchain, goos, goarch);
  if (tc === undefined || plan.modules.some((m) => m.path === tc.path && m.version === tc.version)) return plan.modules;
  return [...plan.modules, tc];
}

/**
 * The modules whose zips are worth fetching while the graph still loads: the main modules' require
 * lines (excluded versions aside), which a tidy go.mod lists at exactly their selected versions, keyed
 * by the module version whose go.mod the resolver loads, mapped to what would be downloaded (its
 * replacement). Only for a no-argument run or `all`; explicit versions name their own targets.
 */
function likelyTargets(mm: MainModuleSet | undefined, args: readonly string[]): Map<string, ModuleVersion> {
  const out = new Map<string, ModuleVersion>();
  if (mm === undefined || (args.length > 0 && !args.includes('all'))) return out;
  for (const main of mm.modules) {
    for (const r of main.file.require) {
      const m = { path: r.path, version: r.version };
      if (mm.isExcluded(m)) continue;
      const target = mm.resolveReplacement(m);
      if (target.version === '') continue; // a directory: nothing to download
      out.set(`${m.path}@${m.version}`, target);
      out.set(`${target.path}@${target.version}`, target);
    }
  }
  return out;
}

/** A resolver error that ends the run (go's base.Fatal), printed as `gomod-dl: <message>`. */
function resolveFatal(err: unknown): unknown {
  if (err instanceof FatalError || !(err instanceof Error)) return err;
  if (err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError) return err;
  return new FatalError('EFATAL', err.message, { cause: err });
}

/** A go message line with gomod-dl's name where go writes `go: `. */
function progLine(line: string): string {
  return ensureNewline(line.startsWith('go: ') ? `${PROG}: ${line.slice(4)}` : line);
}

/**
 * What go's `-C dir` reports when os.Chdir fails (`chdir dir: no such file or directory`), or
 * undefined when `abs` is a directory that can be entered.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/main.go (handleChdirFlag)
 */
function chdirProblem(abs: string, given: string): string | undefined {
  try {
    if (!statSync(abs).isDirectory()) return `chdir ${given}: not a directory`;
    accessSync(abs, fsConstants.X_OK);
    return undefined;
  } catch (err) {
    return toGoPathError(err, given, 'chdir')?.message.replace(abs, given) ?? `chdir ${given}: ${(err as Error).message}`;
  }
}

/** go's log adds a newline only when the message does not end in one. */
export function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : s + '\n';
}
