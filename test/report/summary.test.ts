// The --summary line in a pipe (a CI log): a cold run counts downloads and the bytes the proxy sent;
// a warm run counts cache hits and fetches nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';
import { formatBytes } from '../../src/report/format.js';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { freshGoRoot, hermeticGoEnv } from '../support/gorun.js';

test('--summary: a cold run counts downloads and the bytes served, a warm one cache hits', async (t) => {
  const store = new ModuleStore();
  const args: string[] = [];
  for (let i = 0; i < 3; i++) {
    store.add(await buildModule({ path: `example.com/s${i}`, version: 'v1.0.0', files: { 'a.go': `package s${i}\n${'//x\n'.repeat(100 * i)}` } }));
    args.push(`example.com/s${i}@v1.0.0`);
  }
  const proxy = await startProxy(store);
  t.after(() => proxy.close());
  const root = freshGoRoot(t);
  const env = hermeticGoEnv(root, { proxy: proxy.url });
  const run = async () => {
    let stderr = '';
    const code = await main(['--summary', ...args], { stdout: () => {}, stderr: (s) => void (stderr += s), env, cwd: root, isTTY: false });
    return { code, stderr };
  };
  const cold = await run();
  assert.equal(cold.code, 0, cold.stderr);
  const served = proxy.requests.filter((r) => r.status === 200).reduce((n, r) => n + r.bytesSent, 0);
  assert.match(cold.stderr, new RegExp(`^gomod-dl: 3 modules \\(0 from cache, 3 downloaded, ${formatBytes(served)} fetched, [\\d.]+ (B|KiB) unpacked\\) in [\\d.]+ s\\n$`));
  proxy.reset();
  const warm = await run();
  assert.equal(proxy.requests.length, 0);
  assert.match(warm.stderr, /^gomod-dl: 3 modules \(3 from cache, 0 downloaded, 0 B fetched, 0 B unpacked\) in [\d.]+ s\n$/);
});
