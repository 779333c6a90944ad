// src/internal/v8setup.ts: Node's built-ins are loaded before gomod-dl sets its V8 flags (after a flag
// they compile from source), and the young generation stays small even though V8 resets the flag
// that keeps it so whenever a worker thread starts. Each case runs in its own Node process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { freshGoRoot, hermeticGoEnv } from '../support/gorun.js';
import { tempDir } from '../support/tmp.js';
import { PRELOADED_BUILTINS } from '../../src/internal/v8setup.js';

const BUNDLE = fileURLToPath(new URL('../../bundle/', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/gomod-dl.js', import.meta.url));
const V8SETUP = fileURLToPath(new URL('../../src/internal/v8setup.js', import.meta.url));

test('every built-in a cold download through the bundled command loads is one loaded before the V8 flags', async (t) => {
  assert.ok(existsSync(join(BUNDLE, 'gomod-dl.cjs')), `no bundle in ${BUNDLE}: run npm run build`);
  // A copy of the package: the recorder below changes NODE_OPTIONS, which names another code cache.
  const pkg = tempDir(t, 'v8setup-pkg');
  cpSync(join(BIN, '..'), join(pkg, 'bin'), { recursive: true });
  cpSync(BUNDLE, join(pkg, 'dist', 'bundle'), { recursive: true, filter: (f) => !f.endsWith('.v8cache') });
  const out = join(pkg, 'loaded.json');
  const recorder = join(pkg, 'record.cjs');
  writeFileSync(recorder, `const fs = require('fs'), wt = require('worker_threads');
const at = new Set(process.moduleLoadList);
process.on('exit', () => {
  if (!wt.isMainThread) return;
  const later = process.moduleLoadList.filter((m) => !at.has(m) && m.startsWith('NativeModule ') && !m.includes('internal/'));
  fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify(later.map((m) => m.slice('NativeModule '.length))));
});
`);
  const store = new ModuleStore().add(
    await buildModule({ path: 'example.com/a', version: 'v1.0.0', files: { 'a.go': 'package a\n'.repeat(200), 'sub/b.go': 'package sub\n' } }),
  );
  const proxy = await startProxy(store);
  t.after(() => proxy.close());
  const root = freshGoRoot(t);
  const env = { ...hermeticGoEnv(root, { proxy: proxy.url }), NODE_OPTIONS: `--require ${recorder}` };
  const { stdout } = await promisify(execFile)(process.execPath, [join(pkg, 'bin', 'gomod-dl.js'), '-json', 'example.com/a@v1.0.0'], { cwd: root, env });
  assert.match(stdout, /"Dir":/);
  const loaded = JSON.parse(readFileSync(out, 'utf8')) as string[];
  // The run did load the network's and extraction's modules (the list is not vacuously covered).
  for (const id of ['http', 'net', 'zlib', 'crypto']) assert.ok(loaded.includes(id), `${id} not loaded: ${loaded.join(' ')}`);
  // (_http_agent, _tls_wrap…: parts of http and tls, loaded with them.)
  assert.deepEqual(loaded.filter((id) => !id.startsWith('_') && !PRELOADED_BUILTINS.includes(id)), [], 'built-ins to add to PRELOADED_BUILTINS');
  // undici gets http2's constants from the bundle (scripts/bundle.mjs): the module itself never loads.
  assert.ok(!loaded.includes('http2'), 'http2 was loaded');
});

test("the young generation stays at its first size after a worker thread starts (V8 resets the flag when it makes the worker's heap)", async (t) => {
  const dir = tempDir(t, 'v8setup-young');
  const script = join(dir, 'young.mjs');
  // Sets up the process as bin/gomod-dl.js does, starts a worker (watched or not), then makes garbage
  // of which a tenth survives a while; prints the young generation's largest size, MiB.
  writeFileSync(script, `import { getHeapSpaceStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { setUpProcess, whileWorkerStarts } from ${JSON.stringify(V8SETUP)};
setUpProcess();
const worker = new Worker('setInterval(() => {}, 1000)', { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 1 } });
if (process.argv[2] === 'watched') whileWorkerStarts(worker);
await new Promise((resolve) => worker.once('online', resolve));
let keep = [];
let max = 0;
for (let i = 0; i < 2e6; i++) {
  const o = { i, s: 'x' + i, a: [i, i] };
  if (i % 10 === 0) keep.push(o);
  if (keep.length > 20000) keep = [];
  if (i % 5000 === 0) max = Math.max(max, getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
}
await worker.terminate();
console.log(max / 1048576);
`);
  const run = async (mode: string): Promise<number> => Number((await promisify(execFile)(process.execPath, [script, mode])).stdout);
  assert.ok((await run('watched')) <= 2, 'young generation grew past 2 MiB with whileWorkerStarts');
  // Without it, V8 grows the young generation again (doubling up to 32 MiB): what the workaround is for.
  assert.ok((await run('unwatched')) > 2, 'V8 no longer resets the growth factor: whileWorkerStarts may be unneeded');
});
