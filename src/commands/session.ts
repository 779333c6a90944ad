/**
 * The machinery a subcommand shares with a download run: the Go environment, the GOPROXY fetcher,
 * the cache, go.sum state and the download pipeline, wired as run.ts wires them.
 */
import os from 'node:os';
import nodePath from 'node:path';
import { findLocker, ModCache } from '../cache/index.js';
import { stallMsFromEnv } from '../fetch/http.js';
import { caFromEnv, type CaSource } from '../fetch/tlsroots.js';
import { checkGoModCache, loadGoEnv, modDownloadFlagsFromGoFlags, type GoEnv } from '../config/index.js';
import { CacheModuleSource, Downloader, ModSums, openSumFiles, sumdbCheck } from '../modfetch/index.js';
import { Fetcher } from '../fetch/fetcher.js';
import { fetchTraceWriter } from '../report/notice.js';
import { openMainModules, type MainModuleSet } from '../resolve/index.js';
import { EMULATED_GO_VERSION, PROG } from '../run.js';
import { useSumDB } from '../sumdb/gosumdb.js';
import { ExtractPool } from '../verify/extractpool.js';
import { FatalError } from '../internal/errors.js';

/** What every subcommand is given by the command line. */
export interface CommandIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** -C: change to this directory first (relative to cwd). */
  chdir?: string | undefined;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** A download session: one per subcommand run; {@link Session.close} releases it. */
export class Session {
  readonly cache: ModCache;
  readonly fetcher: Fetcher;
  readonly sums: ModSums;
  readonly dl: Downloader;
  readonly source: CacheModuleSource;
  readonly #pool = new ExtractPool();

  constructor(
    readonly env: GoEnv,
    readonly cwd: string,
    /** $GOROOT (the go.work search stops there). */
    readonly goroot: string,
    o: { x: boolean; modcacherw: boolean; stderr: (s: string) => void; processEnv: NodeJS.ProcessEnv; ca: CaSource | undefined },
  ) {
    this.fetcher = new Fetcher({
      env,
      processEnv: o.processEnv,
      trace: fetchTraceWriter(o.x, PROG, o.stderr),
      stallMs: stallMsFromEnv(o.processEnv),
      ca: o.ca,
    });
    // go's locks, as a download run takes them (ARCHITECTURE.md, "Publish protocol").
    this.cache = new ModCache(env.GOMODCACHE, { locker: findLocker(o.processEnv) });
    this.sums = new ModSums({ main: null, warn: o.stderr, sumdb: sumdbCheck(env, this.fetcher), useSumdb: (p) => useSumDB(env, p) });
    this.dl = new Downloader({ cache: this.cache, fetcher: this.fetcher, sums: this.sums, modcacherw: o.modcacherw, stderr: o.stderr, extract: (x) => this.#pool.extract(x) });
    this.source = new CacheModuleSource(this.dl, this.cache, this.fetcher);
  }

  /** Reads the Go environment for `io` (after -C) and opens a session on its GOMODCACHE. */
  static async open(io: CommandIO, o: { x?: boolean; modcacherw?: boolean } = {}): Promise<Session> {
    const cwd = io.chdir !== undefined ? nodePath.resolve(io.cwd, io.chdir) : io.cwd;
    const env = await loadGoEnv({ env: io.env, cwd, homedir: os.homedir() });
    const gf = modDownloadFlagsFromGoFlags(env.goflags);
    checkGoModCache(env);
    return new Session(env, cwd, io.env['GOROOT'] ?? '', {
      x: o.x === true || gf.x === true,
      modcacherw: o.modcacherw === true || gf.modcacherw === true,
      stderr: io.stderr,
      processEnv: io.env,
      ca: caFromEnv(io.env),
    });
  }

  /**
   * The main module(s) of the working directory, their go.sum files opened for the pipeline's checks;
   * go's text when there is none.
   */
  async mainModules(): Promise<MainModuleSet> {
    const opened = await openMainModules({
      cwd: this.cwd,
      gowork: this.env.GOWORK,
      goroot: this.goroot,
      goVersion: EMULATED_GO_VERSION,
      checkGoVersion: false,
      readFile: (p) => this.source.readFile(p),
    });
    const mm = opened.mainModules;
    if (mm === undefined) {
      throw new FatalError('ENOMAINMODULE', "go.mod file not found in current directory or any parent directory; see 'go help modules'");
    }
    await openSumFiles(mm, this.sums);
    return mm;
  }

  async close(): Promise<void> {
    await this.dl.discardPrefetched().catch(() => {});
    await Promise.all([this.fetcher.close(), this.#pool.close()]);
    await this.cache.work.remove();
  }
}
