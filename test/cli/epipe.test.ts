// A reader that closes gomod-dl's stdout (`gomod-dl -json | head -c 10`): go is killed by SIGPIPE,
// silently (a shell reports 141); gomod-dl says nothing, exits 141, and leaves no work directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { freshGoRoot, hermeticGoEnv } from '../support/gorun.js';

const BIN = fileURLToPath(new URL('../../../bin/gomod-dl.js', import.meta.url));

/**
 * Runs BIN with the reading end of its stdout closed at once (Linux writes to a pipe synchronously,
 * so a reader closing after the first chunk could miss output that fit in the pipe's buffer).
 */
function runClosingStdout(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    child.stdout.destroy();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test('stdout closed by its reader mid-run: exit 141, nothing on stderr, no work directory left', async (t) => {
  const store = new ModuleStore();
  const args = ['-json'];
  for (let i = 0; i < 12; i++) {
    store.add(await buildModule({ path: `example.com/p${i}`, version: 'v1.0.0', files: { 'p.go': 'package p\n' } }));
    args.push(`example.com/p${i}@v1.0.0`);
  }
  // Slow answers: the run is still under way when the reader goes.
  const proxy = await startProxy(store);
  t.after(() => proxy.close());
  proxy.setFaults([{ url: /\.zip$/, delayMs: 300 }]);
  const root = freshGoRoot(t);
  const env = hermeticGoEnv(root, { proxy: proxy.url });
  const help = await runClosingStdout(['--help'], env, root);
  assert.equal(help.stderr, '');
  assert.equal(help.code, 141);
  const run = await runClosingStdout(args, env, root);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 141);
  const work = join(env['GOMODCACHE']!, 'cache', 'gomod-dl');
  assert.deepEqual(existsSync(work) ? readdirSync(work) : [], []);
});
