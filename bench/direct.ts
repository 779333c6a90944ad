// Direct mode: a cold `go mod download` against a cold `gomod-dl` for a main module with N private
// requirements in N git repositories, served by the hermetic git host of the tests.
//
//   npx tsc -p . && node dist/bench/direct.js [--modules 5] [--rounds 5]
//
// Each round runs go and gomod-dl (bin/gomod-dl.js, a fresh process) alternately, each on a fresh
// GOMODCACHE; wall time is this process's clock around GNU time. Nothing is asserted but success.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hermeticEnv, prepareGoRoot } from '../tools/compat/gorun.js';
import { GIT_HOST, goImport, startGitServer } from '../test/support/git-server.js';
import { writeTree } from '../test/support/tree.js';
import { runMeasured } from './measure.js';

const { values } = parseArgs({ options: { modules: { type: 'string', default: '5' }, rounds: { type: 'string', default: '5' } } });
const N = Number(values.modules);
const ROUNDS = Number(values.rounds);
const BIN = fileURLToPath(new URL('../../bin/gomod-dl.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'gomod-dl-bench-direct-'));
const host = await startGitServer(join(work, 'host'));
const requires: string[] = [];
for (let i = 0; i < N; i++) {
  const files: Record<string, string> = { 'go.mod': `module ${GIT_HOST}/m${i}\n\ngo 1.21\n` };
  for (let f = 0; f < 40; f++) files[`pkg${f % 4}/f${f}.go`] = `package pkg${f % 4}\n\n// file ${f} of module ${i}\n${'// padding\n'.repeat(50)}`;
  host.createRepo(`m${i}`, [{ files, tags: ['v1.0.0'] }, { files: { 'x.go': 'package m\n' }, tags: ['v1.1.0'] }]);
  host.setDiscovery(`${GIT_HOST}/m${i}`, { imports: [goImport(`${GIT_HOST}/m${i}`, `m${i}`)] });
  requires.push(`\t${GIT_HOST}/m${i} v1.1.0\n`);
}

const samples: Record<'go' | 'gomod-dl', number[]> = { go: [], 'gomod-dl': [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const tool of ['go', 'gomod-dl'] as const) {
    const root = prepareGoRoot(mkdtempSync(join(work, 'run-')));
    const cwd = join(root, 'main');
    writeTree(cwd, { 'go.mod': `module example.test/main\n\ngo 1.21\n\nrequire (\n${requires.join('')})\n` });
    const env = hermeticEnv(root, { env: { ...host.env(), GOWORK: 'off' } as Record<string, string> });
    const r = tool === 'go' ? await runMeasured('go', ['mod', 'download'], { cwd, env }) : await runMeasured(process.execPath, [BIN], { cwd, env });
    if (r.code !== 0) throw new Error(`${tool} failed: ${r.stderr}`);
    samples[tool].push(r.wallMs);
    rmSync(root, { recursive: true, force: true });
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`cold download, main module with ${N} private requirements in ${N} git repositories, ${ROUNDS} rounds (median wall time)`);
for (const tool of ['go', 'gomod-dl'] as const) console.log(`  ${tool.padEnd(9)} ${median(samples[tool]).toFixed(0)} ms   (all: ${samples[tool].map((x) => x.toFixed(0)).join(', ')})`);
await host.close();
rmSync(work, { recursive: true, force: true });
