// Wall time of gomod-dl against a local proxy that adds a fixed delay to every request, for several
// -j values: the measurement behind the default concurrency (src/run.ts DEFAULT_CONCURRENCY).
//
//   npx tsc -p . && node dist/bench/concurrency.js [modules=80] [latencyMs=50]
import { buildModule } from '../test/support/modbuilder.js';
import { ModuleStore } from '../test/support/store.js';
import { startProxy } from '../test/support/proxy-server.js';
import { runGomodDl } from '../test/support/gomoddl.js';
import { rmrf } from '../test/support/tree.js';

const n = Number(process.argv[2] ?? 80);
const latencyMs = Number(process.argv[3] ?? 50);
const store = new ModuleStore();
for (let i = 0; i < n; i++) {
  const files: Record<string, string> = {};
  for (let f = 0; f < 30; f++) files[`p${f % 4}/f${f}.go`] = `package p\n\n// ${'x'.repeat(2000 + i)}\n`;
  store.add(await buildModule({ path: `example.com/bench/m${i}`, version: 'v1.0.0', files }));
}
const proxy = await startProxy(store, { latencyMs });
const args = Array.from({ length: n }, (_, i) => `example.com/bench/m${i}@v1.0.0`);
console.log(`${n} modules, ${latencyMs} ms per request`);
for (const j of [2, 4, 8, 16, 32, 64]) {
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    const r = await runGomodDl(['-j', String(j), ...args], { proxy: proxy.url });
    times.push(performance.now() - t0);
    if (r.code !== 0) throw new Error(r.stderr);
    await rmrf(r.root);
  }
  times.sort((a, b) => a - b);
  console.log(`-j ${String(j).padStart(2)}: median ${(times[1]! / 1000).toFixed(2)} s`);
}
await proxy.close();
