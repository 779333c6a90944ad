// (c) gomod-dl SIGKILLed at seeded random instants, then rerun by gomod-dl and, on a copy, by go;
// (d) go SIGKILLed, then gomod-dl. Every instant is checked the same way (scenarios.ts). The long
// mode (`npm run chaos -- --kills 300`) runs the same scenarios many more times.
import { after, before, test } from 'node:test';
import { makeFixture, prng, type Fixture } from './harness.js';
import { coldDuration, killGo, killGomodDl } from './scenarios.js';

/** Fixed seeds: a failure names its seed and instant, and reruns the same way. */
const SEED = 20261201;
const GOMODDL_KILLS = 30;
const GO_KILLS = 8;

let fx: Fixture;
let gomoddlMs = 0;
let goMs = 0;
before(async () => {
  // Smaller than the other files' fixture: each instant costs six process runs.
  fx = await makeFixture({ big: 2, size: 1_000_000 });
  gomoddlMs = await coldDuration(fx, 'gomod-dl', false);
  goMs = await coldDuration(fx, 'go', false);
});
after(() => fx.close());

/** Instants run two at a time (each on its own cache): half the wall time on two cores. */
const LANES = 2;

test(`(c) gomod-dl SIGKILLed at ${GOMODDL_KILLS} seeded instants, then gomod-dl, and separately go, finish the cache`, { concurrency: LANES }, async (t) => {
  const rnd = prng(SEED);
  const runs = [];
  for (let i = 0; i < GOMODDL_KILLS; i++) {
    const delay = Math.round(rnd() * gomoddlMs * 1.1);
    const rw = i % 3 === 2;
    runs.push(t.test(`kill ${i} at ${delay} ms (seed ${SEED}, ${rw ? 'rw' : 'ro'})`, () => killGomodDl(fx, delay, rw)));
  }
  await Promise.all(runs);
});

test(`(d) go SIGKILLed at ${GO_KILLS} seeded instants, then gomod-dl finishes the cache`, { concurrency: LANES }, async (t) => {
  const rnd = prng(SEED + 1);
  const runs = [];
  for (let i = 0; i < GO_KILLS; i++) {
    const delay = Math.round(rnd() * goMs * 1.1);
    const rw = i % 2 === 1;
    runs.push(t.test(`kill ${i} at ${delay} ms (seed ${SEED + 1}, ${rw ? 'rw' : 'ro'})`, () => killGo(fx, delay, rw)));
  }
  await Promise.all(runs);
});
