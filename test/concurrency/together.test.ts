// (a) several gomod-dl at once and (b) go and gomod-dl at once, on one fresh GOMODCACHE: every
// process exits 0, as alone, and the cache ends equal to go's alone (ARCHITECTURE.md, "Publish
// protocol": the races these pin are listed there).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { makeFixture, sleep, type Fixture, type Tool } from './harness.js';

let fx: Fixture;
before(async () => {
  fx = await makeFixture();
});
after(() => fx.close());

/** Starts `tools` with the given offsets (ms) on one fresh cache; all must exit 0; then the check. */
async function together(tools: Tool[], offsets: number[], rw: boolean, env: Record<string, string> = {}): Promise<void> {
  const cache = fx.freshCache();
  const runs = [];
  for (let i = 0; i < tools.length; i++) {
    if (offsets[i]! > 0) await sleep(offsets[i]! - (offsets[i - 1] ?? 0));
    runs.push(fx.start(tools[i]!, cache, rw, [], env));
  }
  const results = await Promise.all(runs.map((r) => r.done));
  for (const r of results) assert.equal(r.code, 0, `${r.tool} (${tools.join('+')} offsets ${offsets.join(',')} ${rw ? 'rw' : 'ro'}): exit ${r.code} ${r.signal ?? ''}\n${r.stderr}`);
  await fx.check(cache, rw);
  // A final rerun finds nothing to do and leaves the cache as it was.
  await fx.runOk('gomod-dl', cache, rw);
  await fx.check(cache, rw);
}

for (const offsets of [[0, 0], [0, 40], [0, 150]]) {
  test(`(a) two gomod-dl at once, offsets ${offsets.join('/')} ms`, () => together(['gomod-dl', 'gomod-dl'], offsets, false));
}
for (const offsets of [[0, 0, 0, 0], [0, 30, 60, 120]]) {
  test(`(a) four gomod-dl at once, offsets ${offsets.join('/')} ms`, () => together(['gomod-dl', 'gomod-dl', 'gomod-dl', 'gomod-dl'], offsets, true));
}

for (const rw of [false, true]) {
  for (const order of [['go', 'gomod-dl'], ['gomod-dl', 'go']] as Tool[][]) {
    for (const offset of [0, 60, 250]) {
      test(`(b) ${order[0]} then ${order[1]} ${offset} ms later, ${rw ? '-modcacherw' : 'read-only trees'}`, () => together(order, [0, offset], rw));
    }
  }
}

test('(a+b) two gomod-dl and two go at once, interleaved', () => together(['go', 'gomod-dl', 'go', 'gomod-dl'], [0, 20, 80, 100], false));

// The fallback protocol (ARCHITECTURE.md): no flock and no perl on PATH, so no lock is taken; several
// gomod-dl runs must still never disturb each other.
const NO_LOCK_TOOL = { PATH: dirname(process.execPath) === '/usr/bin' ? '/nonexistent' : dirname(process.execPath) };
test('(a) three gomod-dl at once without a lock tool (fallback protocol)', () =>
  together(['gomod-dl', 'gomod-dl', 'gomod-dl'], [0, 0, 50], false, NO_LOCK_TOOL));
