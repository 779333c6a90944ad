/**
 * One run of gomod-dl: the Go environment, the targets, the downloads under a concurrency bound, and
 * the output go would print (stdout: -json only; stderr: errors, -x, progress).
 *
 * @see /usr/local/go/src/cmd/go/internal/modcmd/download.go (runDownload)
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import nodePath from 'node:path';
import pLimit from 'p-limit';
import { ModCache } from './cache/index.js';
import { checkGoModCache, GoEnvError, GoFlagsError, loadGoEnv, modDownloadFlagsFromGoFlags, ModCacheError } from './config/index.js';
import { Downloader, type ModuleJSON } from './download.js';
import { Fetcher } from './fetch/fetcher.js';
import { parseGoSum, GoSumError } from './modfile/gosum.js';
import { checkPath, canonicalVersion, isValid } from './module/index.js';
import { formatModuleJson } from './report/json.js';
import { formatTraceEvent } from './report/xtrace.js';
import { findModuleRoot } from './resolve/workspace.js';
import { FatalError, ModSums, type SumdbCheck } from './verify/modsum.js';
import { GoSumdb, SumdbVerifyError, useSumDB } from './sumdb/gosumdb.js';
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
  progress: boolean;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** The program name that prefixes error lines where go writes `go: `. */
export const PROG = 'gomod-dl';

/**
 * Modules downloaded at once by default. go uses GOMAXPROCS (the CPU count); downloads are bound by
 * network latency, not CPU. Measured with bench/concurrency.ts (80 modules, 50 ms per request, 2 cores):
 * -j 2 9.4 s, 4 5.1 s, 8 2.9 s, 16 4.2 s, 32 3.1 s, 64 3.3 s (medians of 3); past 8 the two cores are
 * busy inflating and hashing and more parallel requests stop paying.
 */
export const DEFAULT_CONCURRENCY = 8;

/** Runs gomod-dl and returns the exit status: 0, 1 when any module failed or on a fatal error, 2 on usage. */
export async function run(o: RunOptions): Promise<number> {
  const cwd = o.chdir !== undefined ? nodePath.resolve(o.cwd, o.chdir) : o.cwd;
  try {
    return await runIn(cwd, o);
  } catch (err) {
    if (err instanceof FatalError) {
      o.stderr(ensureNewline(err.message));
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
    throw new FatalError(`${PROG}: modules disabled by GO111MODULE=off; see 'go help modules'`);
  }
  checkGoModCache(env);

  const stderr = o.stderr;
  const fetcher = new Fetcher({ env, trace: x ? (e) => stderr(formatTraceEvent(e)) : undefined });
  const cache = new ModCache(env.GOMODCACHE);

  // Inside a module, downloads are verified against its go.sum (go.work.sum: with the resolver).
  const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile();
  const root = env.GO111MODULE === 'off' ? '' : findModuleRoot(cwd, isFile);
  let main = null;
  if (root !== '') {
    const goSumFile = nodePath.join(root, 'go.sum');
    const data = await readFile(goSumFile).catch(() => undefined);
    main = data === undefined ? new Map<string, string[]>() : parseGoSum(goSumFile, data);
  }
  const sums = new ModSums({ main, warn: stderr, sumdb: sumdbCheck(env, fetcher), useSumdb: (p) => useSumDB(env, p) });
  const dl = new Downloader({ cache, fetcher, sums, modcacherw, stderr });
  try {
    return await downloadAll(o, dl, json);
  } finally {
    await fetcher.close();
  }
}

async function downloadAll(o: RunOptions, dl: Downloader, json: boolean): Promise<number> {
  const stderr = o.stderr;

  if (o.args.length === 0) {
    stderr(`${PROG}: no modules specified (see 'gomod-dl --help')\n`);
    return 1;
  }
  const mods = o.args.map(parseTarget);

  const limit = pLimit(o.concurrency ?? DEFAULT_CONCURRENCY);
  let fatal: FatalError | undefined;
  await Promise.all(
    mods.map((m) =>
      m.Error !== undefined
        ? undefined
        : limit(async () => {
            if (fatal !== undefined) return;
            try {
              await dl.download(m as ModuleJSON & { Path: string; Version: string });
            } catch (err) {
              if (err instanceof FatalError) {
                fatal ??= err;
                limit.clearQueue();
              } else {
                m.Error = errorText(err);
              }
            }
          }),
    ),
  );
  if (fatal !== undefined) throw fatal;

  let failed = false;
  for (const m of mods) {
    if (m.Error !== undefined) failed = true;
    if (json) o.stdout(formatModuleJson(m));
    else if (m.Error !== undefined) stderr(`${PROG}: ${ensureNewline(m.Error)}`);
  }
  return failed ? 1 : 0;
}

/**
 * The checksum database check of a hash go.sum does not list: the database is reached as go reaches it
 * (GOSUMDB's own URL, else the first GOPROXY entry that answers `/sumdb/<name>/supported`, else
 * directly). A forked log is fatal, as in go.
 */
function sumdbCheck(env: GoEnv, fetcher: Fetcher): SumdbCheck {
  const db = new GoSumdb({
    gosumdb: env.GOSUMDB,
    gopath: env.GOPATH,
    gopathError: env.goPathError,
    gomodcache: env.GOMODCACHE,
    read: async (path, cfg) => {
      let base = cfg.url;
      if (base === undefined) {
        const found = await fetcher.sumdbBase(cfg.name);
        base = found.kind === 'proxy' ? found.url : cfg.direct;
      }
      return fetcher.get(base.replace(/\/$/, '') + path);
    },
  });
  return async (path, version, hash) => {
    try {
      await db.checkSumDB({ path, version }, hash);
    } catch (err) {
      if (err instanceof SumdbVerifyError && err.securityReport !== undefined) throw new FatalError(err.securityReport);
      throw err;
    }
  };
}

/**
 * An explicit `path@version` argument. Version queries (latest, v1, <v1.2, branches) come with the
 * resolver.
 */
function parseTarget(arg: string): ModuleJSON {
  const at = arg.indexOf('@');
  if (at < 0) return { Path: arg, Error: `${arg}: version queries and patterns are not supported yet; use path@version` };
  const path = arg.slice(0, at);
  const version = arg.slice(at + 1);
  if (!isValid(version) || canonicalVersion(version) !== version) {
    return { Path: path, Version: version, Error: `${arg}: only exact versions (path@vX.Y.Z) are supported yet` };
  }
  try {
    checkPath(path);
  } catch (err) {
    return { Path: path, Version: version, Error: `${arg}: ${errorText(err)}` };
  }
  return { Path: path, Version: version };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** go's log adds a newline only when the message does not end in one. */
function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : s + '\n';
}
