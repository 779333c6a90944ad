import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reporter, type ReporterOptions } from '../../src/report/reporter.js';

function reporter(o: Partial<ReporterOptions>) {
  let out = '';
  let t = 0;
  const r = new Reporter({
    write: (s) => void (out += s), env: {}, isTTY: false, progress: 'auto', summary: 'auto', color: 'auto', now: () => t, ...o,
  });
  return { r, out: () => out, advance: (ms: number) => void (t += ms) };
}

const ERROR = "gomod-dl: example.com/a@v1.0.0: reading x: 404 Not Found\n";

test('without a terminal and without flags, stderr passes through and nothing is added', () => {
  const { r, out } = reporter({});
  assert.equal(r.wantsEvents, false);
  r.onEvent({ kind: 'phase', phase: 'graph', x: false, json: false });
  r.onEvent({ kind: 'phase', phase: 'download', total: 1 });
  r.stderr(ERROR);
  r.stderr("gomod-dl: modules disabled by GO111MODULE=off; see 'go help modules'\n");
  r.finish();
  assert.equal(out(), ERROR + "gomod-dl: modules disabled by GO111MODULE=off; see 'go help modules'\n");
});

test('--summary in a pipe adds one plain line after a run that downloaded something, and none otherwise', () => {
  const a = reporter({ summary: 'always' });
  a.r.onEvent({ kind: 'phase', phase: 'graph', x: false, json: false });
  a.r.onEvent({ kind: 'phase', phase: 'download', total: 1 });
  a.r.onEvent({ kind: 'bytes', n: 2048 });
  a.r.onEvent({ kind: 'module-done', path: 'a', version: 'v1.0.0', failed: false });
  a.advance(1500);
  a.r.finish();
  assert.equal(a.out(), 'gomod-dl: 1 module (0 from cache, 1 downloaded, 2 KiB fetched, 0 B unpacked) in 1.5 s\n');
  const b = reporter({ summary: 'always' });
  b.r.onEvent({ kind: 'phase', phase: 'graph', x: false, json: false });
  b.r.finish(); // failed while loading the graph: no work was done
  assert.equal(b.out(), '');
});

test('-x and -json (also from GOFLAGS) keep the progress line off on a terminal unless asked for', () => {
  for (const [x, json, progress, drawn] of [
    [true, false, 'auto', false], [false, true, 'auto', false], [false, false, 'auto', true], [true, false, 'always', true],
  ] as const) {
    const { r, out } = reporter({ isTTY: true, color: 'never', summary: 'never', progress, intervalMs: 1e9 });
    r.onEvent({ kind: 'phase', phase: 'graph', x, json });
    r.stderr('line\n'); // drawn again below the line when the status line is up
    r.finish();
    assert.equal(out().includes('loading the module graph'), drawn, JSON.stringify({ x, json, progress, out: out() }));
  }
});

test('TERM=dumb: no progress line on a terminal', () => {
  const { r, out } = reporter({ isTTY: true, env: { TERM: 'dumb' }, summary: 'never', intervalMs: 1e9 });
  r.onEvent({ kind: 'phase', phase: 'graph', x: false, json: false });
  r.stderr('line\n');
  r.finish();
  assert.equal(out(), 'line\n');
});

test('colour: the summary is green only for a run that succeeded; a line that says nothing was to do is no error', () => {
  const run = (failed: boolean) => {
    const x = reporter({ summary: 'always', color: 'always', env: { FORCE_COLOR: '1' } });
    x.r.onEvent({ kind: 'phase', phase: 'graph', x: false, json: false });
    x.r.onEvent({ kind: 'phase', phase: 'download', total: 1 });
    x.r.onEvent({ kind: 'module-done', path: 'a', version: 'v1.0.0', failed: false });
    x.r.stderr('gomod-dl: no module dependencies to download\n');
    x.r.finish(failed);
    return x.out();
  };
  assert.match(run(false), /\x1b\[32mgomod-dl: 1 module/);
  assert.doesNotMatch(run(true), /\x1b\[32m/);
  assert.match(run(false), /^gomod-dl: no module dependencies to download\n/);
});
