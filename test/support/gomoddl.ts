// Runs gomod-dl in-process with the same hermetic environment runGo gives the real go, so the two can
// be compared side by side on the same proxy.
import type { TestContext } from 'node:test';
import { main } from '../../src/cli/main.js';
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
  });
  return { code, stdout, stderr, root, gopath: env['GOPATH']!, gomodcache: env['GOMODCACHE']! };
}
