// Runs the real go command (the oracle) in a hermetic environment: fresh GOPATH, GOMODCACHE, GOCACHE
// and HOME per run, no user go env file, no toolchain switching, no network beyond the given proxy.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TestContext } from 'node:test';
import { hermeticEnv, NETWORK_GUARD, prepareGoRoot } from '../../tools/compat/gorun.js';
import { rmrf } from './tree.js';

/** Options of {@link runGo} and {@link hermeticGoEnv}. */
export interface GoRunOptions {
  /** Working directory (default: the run's fresh root). */
  cwd?: string;
  /** GOPROXY value, e.g. `proxy.url` or `file:///…`; default `off`. */
  proxy?: string;
  /** Use this GOMODCACHE (e.g. to run twice on one cache); default `<gopath>/pkg/mod`. */
  gomodcache?: string;
  /** Use this GOPATH; default a fresh `<root>/gopath`. */
  gopath?: string;
  /** Extra or overriding variables; a value of `undefined` removes the variable. */
  env?: Record<string, string | undefined>;
  /** Registers removal of the fresh root when the test ends (otherwise the caller removes `root`). */
  t?: TestContext;
  /** Kill go after this long (default 120 s). */
  timeoutMs?: number;
}

/** What a go run produced, and where its fresh directories are. */
export interface GoResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The fresh directory holding home/, gopath/, gocache/ of this run. */
  root: string;
  gopath: string;
  gomodcache: string;
}

/** The closed loopback port HTTP(S)_PROXY point at, so nothing but the local proxy is reachable. */
export { NETWORK_GUARD };

let available: boolean | undefined;

/**
 * Whether `go` is on PATH and runs (cached).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/version/version.go
 */
export function goAvailable(): boolean {
  if (available === undefined) {
    try {
      execFileSync('go', ['version'], { stdio: 'ignore', env: { ...process.env, GOTOOLCHAIN: 'local', GOENV: 'off' } });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

/**
 * Makes the calling test fail loudly when the go command is missing: oracle tests must never pass
 * (or skip) silently on a machine without Go.
 */
export function requireGo(t?: TestContext): void {
  if (!goAvailable()) {
    const name = t?.name ? ` (${t.name})` : '';
    throw new Error(`requireGo${name}: the go command is not on PATH; this test compares against the real go and cannot run without it. Install Go 1.26 or put it on PATH.`);
  }
}

/**
 * The environment of a hermetic go run rooted at `root`: only PATH is inherited.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/cfg/cfg.go (the variables go reads)
 */
export function hermeticGoEnv(root: string, opts: Omit<GoRunOptions, 'cwd' | 't' | 'timeoutMs'> = {}): Record<string, string> {
  const gopath = opts.gopath ?? join(root, 'gopath');
  return hermeticEnv(root, {
    ...(opts.proxy !== undefined ? { proxy: opts.proxy } : {}),
    env: {
      XDG_CACHE_HOME: join(root, 'home', '.cache'),
      GOPATH: gopath,
      GOMODCACHE: opts.gomodcache ?? join(gopath, 'pkg', 'mod'),
      // Tests look for go.work as go does (the compat tool turns the search off); no credentials.
      GOWORK: '',
      GOAUTH: 'off',
      NO_PROXY: '',
      ...opts.env,
    },
  });
}

/** Creates a fresh run root with home/ and gopath/ (removed at the end of `t` when given). */
export function freshGoRoot(t?: TestContext): string {
  // prepareGoRoot turns telemetry off: go would otherwise start a counter-writing child that can
  // outlive it and race the removal of this root.
  const root = prepareGoRoot(mkdtempSync(join(tmpdir(), 'gomod-dl-go-')));
  mkdirSync(join(root, 'gopath'));
  if (t) t.after(() => rmrf(root));
  return root;
}

/**
 * Runs `go <args>` hermetically and resolves with its exit code and output (never rejects on a
 * non-zero exit). Each call gets a fresh root unless `gopath`/`gomodcache` are given.
 * @see ../shared/reference/go-mod-download.md
 */
export async function runGo(args: string[], opts: GoRunOptions = {}): Promise<GoResult> {
  requireGo(opts.t);
  const root = freshGoRoot(opts.t);
  const env = hermeticGoEnv(root, opts);
  const cwd = opts.cwd ?? root;
  return new Promise((resolve, reject) => {
    execFile(
      'go',
      args,
      { cwd, env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        // A non-zero exit sets a numeric code; anything else (spawn failure, timeout) is a harness error.
        const code: unknown = err ? (err as { code?: unknown }).code : 0;
        if (typeof code !== 'number') {
          reject(new Error(`runGo: could not run go ${args.join(' ')}: ${err?.message}${err?.killed ? ' (timed out)' : ''}`));
          return;
        }
        resolve({ code, stdout, stderr, root, gopath: env['GOPATH']!, gomodcache: env['GOMODCACHE']! });
      },
    );
  });
}

/**
 * Splits the output of `go … -json` (a stream of indented JSON objects, one after another) into values.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/download.go (json.MarshalIndent per module)
 */
export function parseJsonStream<T = Record<string, unknown>>(s: string): T[] {
  const out: T[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if (c === '}' || c === ']') {
      if (--depth === 0) out.push(JSON.parse(s.slice(start, i + 1)) as T);
    }
  }
  if (depth !== 0 || inString) throw new Error(`parseJsonStream: truncated JSON stream: ${s.slice(start, start + 80)}`);
  return out;
}

/**
 * `file://` URL of a local directory, as GOPROXY accepts it.
 * @see https://go.dev/ref/mod#goproxy-protocol (file:// proxies)
 */
export function fileProxyUrl(dir: string): string {
  return pathToFileURL(dir).href;
}
