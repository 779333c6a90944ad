/**
 * Runs the real go command for the compat tools, hermetically: a fresh temporary GOPATH, GOMODCACHE,
 * GOCACHE and HOME, no go env file, no toolchain switching, GOPROXY=off unless given, and
 * HTTP(S)_PROXY pointing at a closed loopback port so nothing reaches the network unless a caller
 * allows it (the download comparison talks to the machine's real GOPROXY).
 *
 * The compat tools compare gomod-dl with go; the product code under src/ (tools/ is outside it)
 * never runs go.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What one go run produced. */
export interface GoRun {
  code: number;
  stdout: Buffer;
  stderr: Buffer;
}

/** Thrown when `go` cannot be started: the compat tools have no oracle without it. */
export class GoMissingError extends Error {
  readonly code = 'EGOMISSING';
  constructor(detail: string) {
    super(`the go command could not be run (${detail}); the compat tools compare against the real go and need it on PATH`);
    this.name = 'GoMissingError';
  }
}

/** Options of {@link hermeticEnv}. */
export interface HermeticEnvOptions {
  /** GOPROXY (default `off`). */
  proxy?: string;
  /**
   * Let go (and gomod-dl) reach the network as this machine does: its HTTP(S)_PROXY, NO_PROXY and
   * trusted CAs (SSL_CERT_FILE, SSL_CERT_DIR, NODE_EXTRA_CA_CERTS). Default false: HTTP(S)_PROXY
   * point at a closed loopback port, which go bypasses only for 127.0.0.1 and localhost.
   */
  allowNetwork?: boolean;
  /** Extra or overriding environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
}

/** Options of {@link runGo}. */
export interface RunGoOptions extends HermeticEnvOptions {
  /** Working directory (default: a fresh temporary directory). */
  cwd?: string;
  /**
   * Use this directory, prepared by {@link prepareGoRoot}, as the root of HOME, GOPATH, GOMODCACHE
   * and GOCACHE and keep it afterwards (default: a fresh temporary root, removed after the run).
   */
  root?: string;
  timeoutMs?: number;
}

/** A closed loopback port: HTTP(S)_PROXY pointing here keeps go off the network (loopback is exempt). */
export const NETWORK_GUARD = 'http://127.0.0.1:9';

/** The variables that say how this machine reaches the network: proxies and trusted CAs. */
const NETWORK_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'NODE_EXTRA_CA_CERTS'];

/** This machine's {@link NETWORK_VARS} (go reads SSL_CERT_*, Node NODE_EXTRA_CA_CERTS), unset ones removed. */
function machineNetworkEnv(): Record<string, string | undefined> {
  return Object.fromEntries(NETWORK_VARS.map((k) => [k, process.env[k]]));
}

/** Creates `root`'s HOME and a go config that turns telemetry off; returns `root`. */
export function prepareGoRoot(root: string): string {
  mkdirSync(join(root, 'home'), { recursive: true });
  // Telemetry off: go would otherwise write counters under the config dir, sometimes from a
  // process that outlives it.
  mkdirSync(join(root, 'config', 'go', 'telemetry'), { recursive: true });
  writeFileSync(join(root, 'config', 'go', 'telemetry', 'mode'), 'off');
  return root;
}

/**
 * The hermetic environment {@link runGo} gives go below `root` (GOMODCACHE = root/gopath/pkg/mod),
 * also used to run gomod-dl side by side with go. Only PATH and TMPDIR are inherited.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/cfg/cfg.go (the variables go reads)
 */
export function hermeticEnv(root: string, opts: HermeticEnvOptions = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    PATH: process.env['PATH'] ?? '',
    HOME: join(root, 'home'),
    XDG_CONFIG_HOME: join(root, 'config'),
    TMPDIR: process.env['TMPDIR'],
    GOENV: 'off',
    GOPATH: join(root, 'gopath'),
    GOMODCACHE: join(root, 'gopath', 'pkg', 'mod'),
    GOCACHE: join(root, 'gocache'),
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-modcacherw',
    GOPROXY: opts.proxy ?? 'off',
    GOSUMDB: 'off',
    GONOSUMDB: '',
    GOPRIVATE: '',
    GONOPROXY: '',
    GOINSECURE: '',
    GOWORK: 'off',
    GO111MODULE: 'on',
    GOTELEMETRY: 'off',
    // A module missing from the proxy falls back to git with `direct`: never wait for a password.
    GIT_TERMINAL_PROMPT: '0',
    HTTP_PROXY: NETWORK_GUARD,
    HTTPS_PROXY: NETWORK_GUARD,
    ...(opts.allowNetwork ? machineNetworkEnv() : {}),
    ...opts.env,
  };
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (v !== undefined) env[k] = v;
  return env;
}

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Runs `file args` and resolves with its exit code and output (never rejects on a non-zero exit;
 * a process killed by a signal or the timeout resolves with code -1). Rejects with
 * {@link GoMissingError} when the program cannot be started.
 */
export function runCommand(file: string, args: readonly string[], opts: RunCommandOptions): Promise<GoRun> {
  return new Promise<GoRun>((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 << 20, encoding: 'buffer' },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: unknown; signal?: unknown }) | null;
        if (e === null) resolve({ code: 0, stdout, stderr });
        else if (typeof e.code === 'number') resolve({ code: e.code, stdout, stderr });
        else if (typeof e.signal === 'string') resolve({ code: -1, stdout, stderr: Buffer.concat([stderr, Buffer.from(`\n(killed by ${e.signal})\n`)]) });
        else reject(new GoMissingError(e.message));
      },
    );
  });
}

/**
 * Runs `go <args>` in a fresh hermetic environment and resolves with its exit code and output
 * (never rejects on a non-zero exit; rejects with {@link GoMissingError} when go cannot run).
 */
export async function runGo(args: readonly string[], opts: RunGoOptions = {}): Promise<GoRun> {
  const root = opts.root ?? prepareGoRoot(mkdtempSync(join(tmpdir(), 'gomod-dl-compat-')));
  const env = hermeticEnv(root, opts);
  try {
    return await runCommand('go', args, { cwd: opts.cwd ?? root, env, timeoutMs: opts.timeoutMs });
  } finally {
    // go's telemetry writer may still be filling HOME/.config/go for a moment after go exits.
    if (opts.root === undefined) {
      try {
        rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      } catch {
        // A leftover temporary directory is harmless.
      }
    }
  }
}
