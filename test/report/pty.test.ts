// What a person sees: gomod-dl under a real pseudo-terminal (util-linux `script`), against the local
// proxy with added latency. The transcript is replayed on a minimal terminal (./terminal.ts) to check
// the final screen, and read raw to check the frames drawn in between.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatBytes } from '../../src/report/format.js';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy, type ProxyServer } from '../support/proxy-server.js';
import { freshGoRoot, hermeticGoEnv, runGo } from '../support/gorun.js';
import { writeTree } from '../support/tree.js';
import { screen } from './terminal.js';

const BIN = fileURLToPath(new URL('../../../bin/gomod-dl.js', import.meta.url));
const COLUMNS = 80;
const N = 10;

const modPath = (i: number) => `example.com/dep${i}`;

/** N modules of a few files each (dep0 larger), served with latency; a main module requiring all. */
async function fixture(t: TestContext, latencyMs: number): Promise<ProxyServer> {
  const store = new ModuleStore();
  for (let i = 0; i < N; i++) {
    const files: Record<string, string> = {};
    for (let f = 0; f < 5 + i; f++) files[`f${f}.go`] = `package dep${i}\n// ${'x'.repeat(200 * (f + 1) * (i === 0 ? 50 : 1))}\n`;
    store.add(await buildModule({ path: modPath(i), version: 'v1.0.0', files }));
  }
  const proxy = await startProxy(store, { latencyMs });
  t.after(() => proxy.close());
  return proxy;
}

function mainModule(root: string): string {
  const dir = join(root, 'main');
  const reqs = Array.from({ length: N }, (_, i) => `\t${modPath(i)} v1.0.0\n`).join('');
  writeTree(dir, { 'go.mod': `module example.com/main\n\ngo 1.21\n\nrequire (\n${reqs})\n` });
  return dir;
}

interface Run {
  code: number;
  out: string;
  gomodcache: string;
}

/** Runs gomod-dl with `args` on a pseudo-terminal COLUMNS wide; `out` is everything it showed. */
function runOnTTY(t: TestContext, proxy: ProxyServer, args: string[], env: Record<string, string> = {}, columns = COLUMNS): Promise<Run> {
  const root = freshGoRoot(t);
  const fullEnv: Record<string, string> = { ...hermeticGoEnv(root, { proxy: proxy.url }), TERM: 'xterm', ...env };
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
  const cmd = `stty cols ${columns} rows 24; cd '${mainModule(root)}' && exec ${quoted}`;
  return new Promise((resolve) => {
    execFile('script', ['-qefc', cmd, '/dev/null'], { env: fullEnv, encoding: 'utf8', maxBuffer: 1 << 26 }, (err, stdout) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, out: stdout, gomodcache: fullEnv.GOMODCACHE! });
    });
  });
}

/** Runs gomod-dl with stdout and stderr on pipes (no terminal). */
function runPiped(t: TestContext, proxy: ProxyServer, args: string[]): Promise<{ code: number; stdout: string; stderr: string; root: string }> {
  const root = freshGoRoot(t);
  const env = { ...hermeticGoEnv(root, { proxy: proxy.url }), TERM: 'xterm' };
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, cwd: mainModule(root), encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr, root });
    });
  });
}

const STATUS = /^gomod-dl: (loading the module graph|downloading \d+\/\d+ modules)/;

/** The progress frames drawn: the text after each carriage return that starts a status line. */
function frames(out: string): string[] {
  return out
    .split('\r')
    .map((f) => f.replace(/\n.*$/s, '').trimEnd())
    .filter((f) => STATUS.test(f));
}

/** Total size of the files in the extracted module trees. */
function unpackedBytes(gomodcache: string): number {
  let total = 0;
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else total += statSync(p).size;
    }
  };
  walk(join(gomodcache, 'example.com'));
  return total;
}

const SUMMARY = /^gomod-dl: (\d+) modules? \((\d+) from cache, (\d+) downloaded, (?:(\d+) failed, )?(.+) fetched, (.+) unpacked\) in [\d.]+ s(?:; (\d+) retr(?:y|ies))?$/;

test('on a terminal a status line updates in place, fits the width, is erased, and a matching summary follows', async (t) => {
  const proxy = await fixture(t, 150);
  const run = await runOnTTY(t, proxy, ['-j', '2']);
  assert.equal(run.code, 0, run.out);

  const drawn = frames(run.out);
  assert.ok(new Set(drawn).size >= 3, `expected the line to update:\n${drawn.join('\n')}`);
  assert.ok(drawn.some((f) => /^gomod-dl: downloading \d+\/10 modules, .*\d+(\.\d+)? (B|KiB|MiB)/.test(f)), drawn.join('\n'));
  for (const f of drawn) assert.ok(f.length <= COLUMNS - 1, `frame wider than the terminal: ${JSON.stringify(f)}`);

  const lines = screen(run.out).filter((l) => l !== '');
  assert.equal(lines.length, 1, `only the summary is left on the screen:\n${lines.join('\n')}`);
  const m = SUMMARY.exec(lines[0]!);
  assert.ok(m, lines[0]);
  const served = proxy.requests.filter((r) => r.status === 200).reduce((n, r) => n + r.bytesSent, 0);
  assert.deepEqual(
    { modules: m[1], cached: m[2], downloaded: m[3], fetched: m[5], unpacked: m[6] },
    { modules: '10', cached: '0', downloaded: '10', fetched: formatBytes(served), unpacked: formatBytes(unpackedBytes(run.gomodcache)) },
  );
  // Colour is on by default on a terminal (the summary), so the NO_COLOR test below can fail.
  assert.match(run.out, /\x1b\[32mgomod-dl: 10 modules/);
});

test('errors print above the status line, and the summary counts failures and retries', async (t) => {
  const proxy = await fixture(t, 100);
  proxy.setFaults([
    { url: '/example.com/dep3/@v/v1.0.0.zip', status: 404 },
    { url: '/example.com/dep5/@v/v1.0.0.zip', attempt: [1], status: 503 },
  ]);
  // A narrow terminal: the longer frames (with retries and failures) are cut to fit.
  const run = await runOnTTY(t, proxy, ['-j', '2'], {}, 60);
  assert.equal(run.code, 1, run.out);
  const drawn = frames(run.out);
  for (const f of drawn) assert.ok(f.length <= 59, `frame wider than the terminal: ${JSON.stringify(f)}`);
  assert.ok(drawn.some((f) => f.endsWith('…')), drawn.join('\n'));
  const error = `gomod-dl: example.com/dep3@v1.0.0: reading ${proxy.url}/example.com/dep3/@v/v1.0.0.zip: 404 Not Found`;
  const lines = screen(run.out).filter((l) => l !== '');
  assert.deepEqual(lines.slice(0, 2), [error, '\tserver response: Not Found'], lines.join('\n'));
  assert.equal(lines.length, 3, lines.join('\n'));
  const m = SUMMARY.exec(lines[2]!);
  assert.ok(m, lines[2]);
  assert.deepEqual({ downloaded: m[3], failed: m[4], retries: m[7] }, { downloaded: '9', failed: '1', retries: '1' });
  // The error was written while the line was up: erased first, the line drawn again below it.
  const at = run.out.indexOf(error.slice('gomod-dl: '.length));
  assert.match(run.out.slice(0, at), /\r {10,}\r(\x1b\[[0-9;]*m)*gomod-dl: (\x1b\[[0-9;]*m)*$/);
  assert.match(run.out.slice(at), /^[^\r]*\r\n[^\r]*\r\n\rgomod-dl: downloading 10\/10 modules/);
});

test('NO_COLOR and --color=never print no escape sequences; TERM=dumb neither them nor a progress line', async (t) => {
  const proxy = await fixture(t, 50);
  for (const [args, env] of [[[], { NO_COLOR: '1' }], [['--color=never'], {}]] as const) {
    const run = await runOnTTY(t, proxy, [...args], env);
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /gomod-dl: 10 modules/);
    assert.doesNotMatch(run.out, /\x1b/, JSON.stringify({ args, env, out: run.out }));
  }
  const dumb = await runOnTTY(t, proxy, [], { TERM: 'dumb' });
  assert.doesNotMatch(dumb.out, /\x1b|\r(?!\n)/, JSON.stringify(dumb.out));
  assert.match(dumb.out, /^gomod-dl: 10 modules \(0 from cache, 10 downloaded/);
  // --progress=never --summary=never: go's silence, on a terminal too.
  const quiet = await runOnTTY(t, proxy, ['--progress=never', '--summary=never']);
  assert.deepEqual({ code: quiet.code, out: quiet.out }, { code: 0, out: '' });
});

test('without a terminal stdout and stderr are byte for byte what go prints', async (t) => {
  const proxy = await fixture(t, 0);
  proxy.setFaults([{ url: '/example.com/dep3/@v/v1.0.0.zip', status: 404 }]);
  const ours = await runPiped(t, proxy, []);
  proxy.reset();
  const go = await runGo(['mod', 'download'], { t, proxy: proxy.url, cwd: mainModule(freshGoRoot(t)) });
  assert.equal(go.code, 1, go.stderr);
  assert.match(go.stderr, /404 Not Found/);
  assert.deepEqual(
    { code: ours.code, stdout: ours.stdout, stderr: ours.stderr.replaceAll('gomod-dl: ', 'go: ') },
    { code: go.code, stdout: go.stdout, stderr: go.stderr },
  );
  // --summary adds exactly one line after go's output.
  proxy.reset();
  const summary = await runPiped(t, proxy, ['--summary']);
  assert.ok(summary.stderr.startsWith(ours.stderr), summary.stderr);
  assert.match(summary.stderr.slice(ours.stderr.length), /^gomod-dl: 10 modules \(.*\) in [\d.]+ s\n$/);
});
