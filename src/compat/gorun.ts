/**
 * Runs the real go command for the compat tools, hermetically: a fresh temporary GOPATH, GOMODCACHE,
 * GOCACHE and HOME, no go env file, no toolchain switching, GOPROXY=off unless given, and
 * HTTP(S)_PROXY pointing at a closed loopback port so nothing reaches the network.
 *
 * The compat tools compare gomod-dl with go; the product code under src/ (other than src/compat)
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

/** Options of {@link runGo}. */
export interface RunGoOptions {
  /** Working directory (default: a fresh temporary directory). */
  cwd?: string;
  /** GOPROXY (default `off`). */
  proxy?: string;
  /** Extra or overriding environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/**
 * Runs `go <args>` in a fresh hermetic environment and resolves with its exit code and output
 * (never rejects on a non-zero exit; rejects with {@link GoMissingError} when go cannot run).
 */
export async function runGo(args: readonly string[], opts: RunGoOptions = {}): Promise<GoRun> {
  const root = mkdtempSync(join(tmpdir(), 'gomod-dl-compat-'));
  mkdirSync(join(root, 'home'));
  // Telemetry off: go would otherwise write counters under the config dir, sometimes from a
  // process that outlives it.
  mkdirSync(join(root, 'config', 'go', 'telemetry'), { recursive: true });
  writeFileSync(join(root, 'config', 'go', 'telemetry', 'mode'), 'off');
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
    GOWORK: 'off',
    GO111MODULE: 'on',
    GOTELEMETRY: 'off',
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    ...opts.env,
  };
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (v !== undefined) env[k] = v;
  try {
    return await new Promise<GoRun>((resolve, reject) => {
      execFile(
        'go',
        args,
        { cwd: opts.cwd ?? root, env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 << 20, encoding: 'buffer' },
        (err, stdout, stderr) => {
          const code: unknown = err ? (err as { code?: unknown }).code : 0;
          if (typeof code !== 'number') reject(new GoMissingError(err?.message ?? 'unknown error'));
          else resolve({ code, stdout, stderr });
        },
      );
    });
  } finally {
    // go's telemetry writer may still be filling HOME/.config/go for a moment after go exits.
    try {
      rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    } catch {
      // A leftover temporary directory is harmless.
    }
  }
}
