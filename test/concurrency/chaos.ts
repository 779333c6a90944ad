// The long mode of the crash and concurrency matrix (not part of `npm test`):
//
//   npm run chaos -- --kills 300 --go-kills 60 --pairs 100 [--seed N] [--gomoddl-pairs 50]
//
// Runs the default suite's scenarios (scenarios.ts) many more times at seeded random instants and
// offsets, on the same hermetic fixture, and prints the figures: runs and passes per scenario, and
// every failure with its seed, instant and message. Exits 1 when anything failed. Nothing is retried.
import { parseArgs } from 'node:util';
import { makeFixture, prng, type Tool } from './harness.js';
import { coldDuration, killGo, killGomodDl, pairWithGo } from './scenarios.js';
import { rmrf } from '../support/tree.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '300' },
    'go-kills': { type: 'string', default: '60' },
    pairs: { type: 'string', default: '100' },
    'gomoddl-pairs': { type: 'string', default: '50' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
  },
});
const seed = Number(values.seed);
const rnd = prng(seed);
const fx = await makeFixture();
const figures: Record<string, { runs: number; passes: number }> = {};
const failures: string[] = [];

async function one(scenario: string, label: string, f: () => Promise<void>): Promise<void> {
  const fig = (figures[scenario] ??= { runs: 0, passes: 0 });
  fig.runs++;
  try {
    await f();
    fig.passes++;
  } catch (err) {
    failures.push(`${scenario} ${label}: ${(err as Error).message.split('\n').slice(0, 6).join('\n    ')}`);
  }
  if (fig.runs % 10 === 0) process.stderr.write(`${scenario}: ${fig.passes}/${fig.runs}\n`);
}

const started = performance.now();
try {
  const dlMs = await coldDuration(fx, 'gomod-dl', false);
  const goMs = await coldDuration(fx, 'go', false);
  process.stderr.write(`seed ${seed}; cold run alone: gomod-dl ${dlMs.toFixed(0)} ms, go ${goMs.toFixed(0)} ms\n`);
  for (let i = 0; i < Number(values.kills); i++) {
    const delay = Math.round(rnd() * dlMs * 1.1);
    const rw = rnd() < 0.5;
    await one('(c) SIGKILL gomod-dl, rerun by gomod-dl and by go', `#${i} at ${delay} ms ${rw ? 'rw' : 'ro'}`, () => killGomodDl(fx, delay, rw));
  }
  for (let i = 0; i < Number(values['go-kills']); i++) {
    const delay = Math.round(rnd() * goMs * 1.1);
    const rw = rnd() < 0.5;
    await one('(d) SIGKILL go, rerun by gomod-dl', `#${i} at ${delay} ms ${rw ? 'rw' : 'ro'}`, () => killGo(fx, delay, rw));
  }
  for (let i = 0; i < Number(values.pairs); i++) {
    const first: Tool = rnd() < 0.5 ? 'go' : 'gomod-dl';
    const offset = Math.round(rnd() * Math.min(dlMs, goMs));
    const rw = rnd() < 0.5;
    await one('(b) go and gomod-dl at once', `#${i} ${first} first +${offset} ms ${rw ? 'rw' : 'ro'}`, () => pairWithGo(fx, first, offset, rw));
  }
  for (let i = 0; i < Number(values['gomoddl-pairs']); i++) {
    const offset = Math.round(rnd() * dlMs * 0.5);
    const rw = rnd() < 0.5;
    await one('(a) two gomod-dl at once', `#${i} +${offset} ms ${rw ? 'rw' : 'ro'}`, async () => {
      const cache = fx.freshCache();
      const a = fx.start('gomod-dl', cache, rw);
      await new Promise((r) => setTimeout(r, offset));
      const b = fx.start('gomod-dl', cache, rw);
      for (const r of await Promise.all([a.done, b.done])) if (r.code !== 0) throw new Error(`gomod-dl exit ${r.code}\n${r.stderr}`);
      await fx.check(cache, rw);
      await rmrf(cache);
    });
  }
} finally {
  await fx.close();
}

console.log(`chaos: seed ${seed}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
console.log('| scenario | runs | passes |\n|---|--:|--:|');
for (const [name, f] of Object.entries(figures)) console.log(`| ${name} | ${f.runs} | ${f.passes} |`);
for (const f of failures) console.log(`FAIL ${f}`);
process.exit(failures.length > 0 ? 1 : 0);
