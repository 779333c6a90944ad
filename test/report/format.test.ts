import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatDuration, formatStatus, formatSummary } from '../../src/report/format.js';
import { Tally, type Counts } from '../../src/report/tally.js';

test('bytes are shown in binary units with at most three significant digits', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(2048), '2 KiB');
  assert.equal(formatBytes(41.25 * 1024 * 1024), '41.3 MiB');
  assert.equal(formatBytes(154 * 1024 * 1024 + 1000), '154 MiB');
  assert.equal(formatBytes(3 * 1024 ** 3), '3 GiB');
  assert.equal(formatDuration(5300), '5.3 s');
  assert.equal(formatDuration(72_000), '1 min 12 s');
  // Rounded once: never `1024 KiB` or `1 min 60 s`.
  assert.equal(formatBytes(1024 * 1024 - 1), '1 MiB');
  assert.equal(formatDuration(119_600), '2 min 0 s');
  assert.equal(formatDuration(59_970), '1 min 0 s');
});

test('a run a fatal error ended counts the modules it left undone', () => {
  assert.match(formatSummary(counts({ total: 169, done: 19, failed: 1 }), 100), /18 downloaded, 1 failed, 150 not downloaded,/);
});

const counts = (c: Partial<Counts>): Counts => ({
  phase: 'download', goMods: 0, total: 0, done: 0, failed: 0, cached: 0, received: 0, unpacked: 0, retries: 0, ...c,
});

test('the summary reads as the issue describes it', () => {
  const c = counts({ total: 169, done: 169, cached: 12, received: 154 * 1024 * 1024, unpacked: 643 * 1024 * 1024, retries: 3 });
  assert.equal(
    formatSummary(c, 5300),
    '169 modules (12 from cache, 157 downloaded, 154 MiB fetched, 643 MiB unpacked) in 5.3 s; 3 retries',
  );
  assert.equal(formatSummary(counts({ total: 1, done: 1, retries: 0 }), 100), '1 module (0 from cache, 1 downloaded, 0 B fetched, 0 B unpacked) in 0.1 s');
  assert.match(formatSummary(counts({ total: 3, done: 3, failed: 1, retries: 1 }), 100), /2 downloaded, 1 failed, .*; 1 retry$/);
});

test('the status line shows the phase, counts, bytes, rate, cache hits and retries', () => {
  assert.equal(formatStatus(counts({ phase: 'graph', goMods: 1, received: 2048 }), 0), 'loading the module graph: 1 go.mod file, 2 KiB');
  assert.equal(
    formatStatus(counts({ total: 169, done: 57, cached: 12, received: 1024 * 1024, retries: 2 }), 512 * 1024),
    'downloading 57/169 modules, 12 from cache, 1 MiB at 512 KiB/s, 2 retries',
  );
});

test('the tally counts events and measures the rate over the last seconds', () => {
  const t = new Tally();
  t.add({ kind: 'phase', phase: 'graph', x: false, json: false });
  t.add({ kind: 'gomod-loaded' });
  assert.equal(t.sampleRate(0), 0);
  t.add({ kind: 'bytes', n: 1000 });
  t.add({ kind: 'retry', url: 'u', attempt: 1, delayMs: 1, reason: 'r' });
  assert.equal(t.sampleRate(500), 2000);
  t.add({ kind: 'phase', phase: 'download', total: 2 });
  t.add({ kind: 'cached', path: 'a', version: 'v1.0.0' });
  t.add({ kind: 'module-done', path: 'a', version: 'v1.0.0', failed: false });
  t.add({ kind: 'zip-done', path: 'b', version: 'v1.0.0', files: 2, bytes: 70 });
  t.add({ kind: 'module-done', path: 'b', version: 'v1.0.0', failed: true });
  assert.deepEqual(t.counts, {
    phase: 'download', goMods: 1, total: 2, done: 2, failed: 1, cached: 1, received: 1000, unpacked: 70, retries: 1,
  });
  // Nothing received for longer than the window: the rate falls to zero.
  t.sampleRate(4000);
  assert.equal(t.sampleRate(8000), 0);
});
