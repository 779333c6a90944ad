/**
 * The Go environment, read once into a frozen object.
 *
 * Precedence, as in the go command: a non-empty process variable wins; otherwise the user's GOENV
 * file (written by `go env -w`); otherwise the defaults of `$GOROOT/go.env` and cmd/go.
 *
 * Invariants (checked against `go env -json` of go 1.26, see test/config/goenv.test.ts):
 * - GOENV itself comes from the process only: `off` disables the file, a non-empty value names it
 *   (relative to the working directory), else it is `os.UserConfigDir()/go/env`.
 * - The file is read line by line (`\n`); a line counts only if it has `=` and starts with `A`–`Z`;
 *   the value is everything after the first `=`, verbatim (no trimming, no quotes); later lines win.
 * - GOPATH defaults to `$HOME/go`; GOMODCACHE to `filepath.Join(GOPATH[0], "pkg/mod")`, or "" when
 *   GOPATH[0] is empty. GONOPROXY and GONOSUMDB default to GOPRIVATE, GOAUTH to `netrc`.
 * - NETRC and the HTTP proxy variables are read from the process only: go never copies them from the
 *   GOENV file into its environment.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/cfg/cfg.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/main.go (GOPATH checks)
 */
import { GoError } from '../internal/errors.js';
import { readFile as fsReadFile } from 'node:fs/promises';
import * as path from 'node:path';
import { quote } from '../internal/gostrconv.js';
import { parseGoFlags, type GoFlag } from './goflags.js';
import { buildConfigError, gopathIsGorootWarning, gorootError, gotoolchainError } from './startup.js';
import { findModuleRoot, isRegularFile } from '../internal/modroot.js';

/** The Go settings gomod-dl uses. Every string is the effective value (`go env` prints the same). */
export interface GoEnv {
  readonly GO111MODULE: string;
  readonly GOAUTH: string;
  /** The GOENV file consulted ("" when GOENV=off or no config directory exists). */
  readonly GOENV: string;
  readonly GOFLAGS: string;
  /** GOFLAGS split and validated (see goflags.ts). */
  readonly goflags: readonly GoFlag[];
  readonly GOINSECURE: string;
  /** May be "" (no GOPATH) or relative; {@link checkGoModCache} gives go's errors for those. */
  readonly GOMODCACHE: string;
  readonly GONOPROXY: string;
  readonly GONOSUMDB: string;
  readonly GOPATH: string;
  readonly GOPRIVATE: string;
  readonly GOPROXY: string;
  readonly GOSUMDB: string;
  /**
   * GOTOOLCHAIN as the user set it, in the environment or the GOENV file ("" when not set there).
   * Only `local` changes what gomod-dl does: a go line newer than go 1.26.8 is then go's error.
   */
  readonly GOTOOLCHAIN: string;
  /** The raw GOWORK setting ("" = search for go.work; `off` = disabled). */
  readonly GOWORK: string;
  readonly NETRC: string;
  readonly HTTP_PROXY: string;
  readonly HTTPS_PROXY: string;
  readonly NO_PROXY: string;
  /** $HOME as go sees it ("" if unset); the netrc default location derives from it. */
  readonly HOME: string;
  /** Why GOPATH is empty, as go words it (`HOME is not set`), else "". */
  readonly goPathError: string;
}

/** A fatal error in the Go environment, with go's text and exit status. */
export class GoEnvError extends GoError {
  readonly exitCode: 1 | 2;
  constructor(message: string, exitCode: 1 | 2) {
    super('EGOENV', message);
    this.name = 'GoEnvError';
    this.exitCode = exitCode;
  }
}

/** The module cache location is unusable; reported per module by go (`checkCacheDir`). */
export class ModCacheError extends GoError {
  constructor(message: string) {
    super('EMODCACHE', message);
    this.name = 'ModCacheError';
  }
}

/** Inputs of {@link loadGoEnv}; everything that would otherwise be global is passed in. */
export interface LoadGoEnvOptions {
  /** The process environment. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory, for a relative GOENV. */
  readonly cwd: string;
  /** $HOME as go would read it; defaults to `env.HOME` (`USERPROFILE` on Windows). go ignores passwd. */
  readonly homedir?: string;
  /** Reads the GOENV file; a rejection (missing file…) means "no file", as in go. */
  readonly readFile?: (file: string) => Promise<string>;
  /** Told of each line go prints at start-up and runs on (GOPATH equal to GOROOT), when go prints it. */
  readonly warn?: (line: string) => void;
  /** Defaults to process.platform; selects config dir, list separator and path rules. */
  readonly platform?: NodeJS.Platform;
}

/** The defaults of `$GOROOT/go.env` in the go 1.26 distribution. */
const GOROOT_GO_ENV: Readonly<Record<string, string>> = {
  GOPROXY: 'https://proxy.golang.org,direct',
  GOSUMDB: 'sum.golang.org',
  GOTOOLCHAIN: 'local',
};

/**
 * Parses the body of a GOENV file into its settings.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/cfg/cfg.go (readEnvFile)
 */
export function parseEnvFile(data: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of data.split('\n')) {
    const eq = line.indexOf('=');
    // Comments, blank lines and names not starting with A–Z are ignored, never an error.
    if (eq < 0 || !(line[0]! >= 'A' && line[0]! <= 'Z')) continue;
    m.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return m;
}

/**
 * Go's `os.UserConfigDir` for the given platform; throws with Go's message when undeterminable.
 * @see https://github.com/golang/go/blob/go1.26.8/src/os/file.go (UserConfigDir)
 */
export function userConfigDir(env: LoadGoEnvOptions['env'], platform: NodeJS.Platform): string {
  if (platform === 'win32') {
    const dir = env.AppData ?? env.APPDATA ?? '';
    if (dir === '') throw new GoError('EUSERCONFIGDIR', '%AppData% is not defined');
    return dir;
  }
  if (platform === 'darwin') {
    const home = env.HOME ?? '';
    if (home === '') throw new GoError('EUSERCONFIGDIR', '$HOME is not defined');
    return home + '/Library/Application Support';
  }
  const xdg = env.XDG_CONFIG_HOME ?? '';
  if (xdg !== '') {
    if (!path.posix.isAbsolute(xdg)) throw new GoError('EUSERCONFIGDIR', 'path in $XDG_CONFIG_HOME is relative');
    return xdg;
  }
  const home = env.HOME ?? '';
  if (home === '') throw new GoError('EUSERCONFIGDIR', 'neither $XDG_CONFIG_HOME nor $HOME are defined');
  return home + '/.config';
}

/**
 * Reads the Go environment: process variables over the GOENV file over go's defaults, then checks
 * GOPATH and GOFLAGS as the go command does before running any command.
 * @throws GoEnvError (exit 2) for a GOPATH entry starting with `~` or an explicit relative entry
 * @throws GoFlagsError (exit 1) for a malformed GOFLAGS
 * @see https://go.dev/ref/mod#environment-variables
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/cfg/cfg.go
 */
export async function loadGoEnv(opts: LoadGoEnvOptions): Promise<GoEnv> {
  const { env, cwd, platform = process.platform, readFile = (f: string) => fsReadFile(f, 'utf8') } = opts;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const homeVar = platform === 'win32' ? 'USERPROFILE' : 'HOME';
  const home = opts.homedir ?? env[homeVar] ?? '';

  let envFile = '';
  const goenv = env.GOENV ?? '';
  if (goenv !== '') {
    if (goenv !== 'off') envFile = goenv;
  } else {
    try {
      envFile = p.join(userConfigDir({ ...env, [homeVar]: home }, platform), 'go/env');
    } catch {
      // go silently runs without a user config file in this case.
    }
  }
  let fileVars = new Map<string, string>();
  if (envFile !== '') {
    try {
      fileVars = parseEnvFile(await readFile(p.resolve(cwd, envFile)));
    } catch {
      // A missing or unreadable file is the same as an empty one for go.
    }
  }

  // cfg.Getenv: process value if non-empty, else the user file, else GOROOT/go.env.
  const getenv = (key: string): string => {
    const v = env[key] ?? '';
    if (v !== '') return v;
    return fileVars.get(key) ?? GOROOT_GO_ENV[key] ?? '';
  };
  const envOr = (key: string, def: string): string => getenv(key) || def;
  // The HTTP proxy settings are read by net/http directly, upper case first.
  const processOnly = (upper: string): string => (env[upper] || env[upper.toLowerCase()]) ?? '';

  // go's start-up order: toolchain selection, then main's GOROOT and GOPATH checks, then buildcfg.
  const go111module = getenv('GO111MODULE');
  const moduleMode = go111module === 'on' || go111module === '' ||
    (go111module === 'auto' && findModuleRoot(cwd, isRegularFile) !== '');
  const toolchainError = moduleMode ? gotoolchainError(getenv('GOTOOLCHAIN')) : '';
  if (toolchainError !== '') throw new GoEnvError(toolchainError, 1);
  const goroot = getenv('GOROOT');
  const rootError = gorootError(goroot);
  if (rootError !== '') throw new GoEnvError(rootError, 2);

  const listSep = platform === 'win32' ? ';' : ':';
  let goPathError = '';
  let defaultGoPath = '';
  if (home !== '') defaultGoPath = p.join(home, 'go');
  else goPathError = `${homeVar} is not set`;
  let gopath = envOr('GOPATH', defaultGoPath);

  // GOMODCACHE is computed from GOPATH before main's checks may clear an inferred GOPATH.
  const first = gopath.split(listSep)[0] ?? '';
  const gomodcache = envOr('GOMODCACHE', first === '' ? '' : p.join(first, 'pkg/mod'));

  const sameAsRoot = gopathIsGorootWarning(gopath, goroot);
  if (sameAsRoot !== '') opts.warn?.(sameAsRoot);
  else for (const entry of gopath.split(listSep)) {
    if (entry === '') continue; // golang.org/issue/21928: empty elements are ignored
    if (entry.startsWith('~')) {
      throw new GoEnvError(`GOPATH entry cannot start with shell metacharacter '~': ${quote(entry)}`, 2);
    }
    if (!p.isAbsolute(entry)) {
      if (getenv('GOPATH') === '') {
        // go inferred GOPATH from a relative $HOME; it forgets it rather than failing.
        gopath = '';
      } else {
        throw new GoEnvError(`GOPATH entry is relative; must be absolute path: ${quote(entry)}.\n` +
          "For more details see: 'go help gopath'", 2);
      }
    }
  }

  const configError = buildConfigError(env);
  if (configError !== '') throw new GoEnvError(configError, 2);

  const goprivate = getenv('GOPRIVATE');
  const goflags = getenv('GOFLAGS');
  const result: GoEnv = {
    GO111MODULE: getenv('GO111MODULE'),
    GOAUTH: envOr('GOAUTH', 'netrc'),
    GOENV: envFile,
    GOFLAGS: goflags,
    goflags: Object.freeze(parseGoFlags(goflags).map((f) => Object.freeze(f))),
    GOINSECURE: getenv('GOINSECURE'),
    GOMODCACHE: gomodcache,
    GONOPROXY: envOr('GONOPROXY', goprivate),
    GONOSUMDB: envOr('GONOSUMDB', goprivate),
    GOPATH: gopath,
    GOPRIVATE: goprivate,
    GOPROXY: getenv('GOPROXY'),
    GOSUMDB: getenv('GOSUMDB'),
    GOTOOLCHAIN: env.GOTOOLCHAIN || fileVars.get('GOTOOLCHAIN') || '',
    GOWORK: getenv('GOWORK'),
    NETRC: env.NETRC ?? '',
    HTTP_PROXY: processOnly('HTTP_PROXY'),
    HTTPS_PROXY: processOnly('HTTPS_PROXY'),
    NO_PROXY: processOnly('NO_PROXY'),
    HOME: home,
    goPathError,
  };
  return Object.freeze(result);
}

/**
 * Checks GOMODCACHE the way go does before its first cache access (errors are per module in go).
 * @throws ModCacheError `GOMODCACHE entry is relative; must be absolute path: "x".\n` or
 *   `module cache not found: neither GOMODCACHE nor GOPATH is set`
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (checkCacheDir)
 */
export function checkGoModCache(env: Pick<GoEnv, 'GOMODCACHE'>, platform: NodeJS.Platform = process.platform): void {
  if (env.GOMODCACHE === '') {
    throw new ModCacheError('module cache not found: neither GOMODCACHE nor GOPATH is set');
  }
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (!p.isAbsolute(env.GOMODCACHE)) {
    // The trailing ".\n" is part of go's message.
    throw new ModCacheError(`GOMODCACHE entry is relative; must be absolute path: ${quote(env.GOMODCACHE)}.\n`);
  }
}
