// Runs gomod-dl in-process with the same hermetic environment runGo gives the real go, so the two can
// be compared side by side on the same proxy.
import type { TestContext } from 'node:test';
import { main } from '../../src/cli/main.js';
import { execFileSync } from 'node:child_process';
import { freshGoRoot, hermeticGoEnv, type GoResult, type GoRunOptions } from './gorun.js';

/**
 * Runs `gomod-dl <args>` in this process with {@link hermeticGoEnv}'s environment (fresh GOPATH and
 * GOMODCACHE unless given) and captures its output and exit status. Never throws for a failing run.
 */
export async function runGomodDl(args: string[], opts: GoRunOptions & { t?: TestContext } = {}): Promise<GoResult> {
  const root = freshGoRoot(opts.t);
  const env = hermeticGoEnv(root, opts);
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    env,
    cwd: opts.cwd ?? root,
    isTTY: false,
    ...(goAvailableVersion() !== undefined ? { goVersion: goAvailableVersion()! } : {}),
  });
  return { code, stdout, stderr, root, gopath: env['GOPATH']!, gomodcache: env['GOMODCACHE']! };
}

let localGo: string | null | undefined;

/**
 * The oracle's version (`go env GOVERSION` without `go`), which gomod-dl is told to reproduce where it
 * shows (the go line it adds to a go.mod without one); undefined without go.
 */
function goAvailableVersion(): string | undefined {
  if (localGo === undefined) {
    try {
      localGo = execFileSync('go', ['env', 'GOVERSION'], { env: { ...process.env, GOTOOLCHAIN: 'local', GOENV: 'off' } })
        .toString()
        .trim()
        .replace(/^go/, '');
    } catch {
      localGo = null;
    }
  }
  return localGo ?? undefined;
}
