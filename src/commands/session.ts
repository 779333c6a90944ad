/**
 * The machinery a subcommand shares with a download run: the Go environment (after -C), and the
 * fetcher, cache, go.sum state and download pipeline of src/session.ts, the one wiring run.ts uses too.
 */
import nodePath from 'node:path';
import type { ModCache } from '../cache/index.js';
import { checkGoModCache, loadGoEnv, modDownloadFlagsFromGoFlags, type GoEnv } from '../config/index.js';
import { openSumFiles, type CacheModuleSource, type Downloader, type ModSums } from '../modfetch/index.js';
import { openMainModules, type MainModuleSet } from '../resolve/index.js';
import { EMULATED_GO_VERSION } from '../run.js';
import { openSession, type Interrupt, type Session } from '../session.js';
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

/** A download session: one per subcommand run; {@link CommandSession.close} releases it. */
export class CommandSession {
  readonly cache: ModCache;
  readonly sums: ModSums;
  readonly dl: Downloader;
  readonly source: CacheModuleSource;

  private constructor(
    readonly env: GoEnv,
    readonly cwd: string,
    /** $GOROOT (the go.work search stops there). */
    readonly goroot: string,
    /** -modfile, from the command line or GOFLAGS. */
    readonly modfile: string | undefined,
    private readonly wired: Session,
  ) {
    this.cache = wired.cache;
    this.sums = wired.sums;
    this.dl = wired.dl;
    this.source = wired.source;
  }

  /**
   * Reads the Go environment for `io` (after -C) and opens a session on its GOMODCACHE, wired as a
   * download run's (src/session.ts).
   */
  static async open(io: CommandIO, o: { x?: boolean; modcacherw?: boolean; modfile?: string | undefined; interrupt?: Interrupt | undefined } = {}): Promise<CommandSession> {
    const cwd = io.chdir !== undefined ? nodePath.resolve(io.cwd, io.chdir) : io.cwd;
    const env = await loadGoEnv({ env: io.env, cwd, warn: (w) => io.stderr(`${w}\n`) });
    const gf = modDownloadFlagsFromGoFlags(env.goflags);
    checkGoModCache(env);
    const wired = openSession({
      env,
      processEnv: io.env,
      x: o.x === true || gf.x === true,
      modcacherw: o.modcacherw === true || gf.modcacherw === true,
      stderr: io.stderr,
      interrupt: o.interrupt,
    });
    return new CommandSession(env, cwd, io.env['GOROOT'] ?? '', o.modfile ?? gf.modfile, wired);
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
      ...(this.modfile !== undefined ? { modfile: this.modfile } : {}),
    });
    const mm = opened.mainModules;
    if (mm === undefined) {
      throw new FatalError('ENOMAINMODULE', "go.mod file not found in current directory or any parent directory; see 'go help modules'");
    }
    await openSumFiles(mm, this.sums);
    return mm;
  }

  /** Releases the session (src/session.ts Session.close). */
  close(): Promise<void> {
    return this.wired.close();
  }
}
