// `compat download`: the command compares go and gomod-dl on a corpus-like directory. Hermetic: the
// modules come from the local test proxy, GOSUMDB is off, nothing reaches the network.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { cacheIgnore, diffSnapshots, snapshotTree } from '../../tools/compat/cachetree.js';
import { run, type DownloadIO } from '../../tools/compat/download.js';
import { lowerGoLines } from '../../tools/compat/downloadentry.js';
import { buildModule } from '../support/modbuilder.js';
import { startProxy, type ProxyServer } from '../support/proxy-server.js';
import { ModuleStore } from '../support/store.js';
import { requireGo, runGo } from '../support/gorun.js';
import { tempDir } from '../support/tmp.js';

const MAIN_GO_MOD = 'module example.com/main\n\ngo 1.22\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b v1.1.0\n)\n';

/** A proxy with a v1.0.0 (which requires b v1.0.0) and b v1.0.0, v1.1.0. */
async function proxyOfTwoModules(t: TestContext): Promise<ProxyServer> {
  const store = new ModuleStore().add(
    await buildModule({ path: 'example.com/a', version: 'v1.0.0', files: { 'go.mod': 'module example.com/a\n\ngo 1.21\n\nrequire example.com/b v1.0.0\n', 'a.go': 'package a\n' } }),
    await buildModule({ path: 'example.com/b', version: 'v1.0.0', files: { 'go.mod': 'module example.com/b\n\ngo 1.21\n', 'b.go': 'package b\n' } }),
    await buildModule({ path: 'example.com/b', version: 'v1.1.0', files: { 'go.mod': 'module example.com/b\n\ngo 1.21\n', 'b.go': 'package b // v1.1\n' } }),
  );
  const proxy = await startProxy(store);
  t.after(() => proxy.close());
  return proxy;
}

/**
 * A corpus with one entry `main` whose go.sum is the one go writes for MAIN_GO_MOD (so the sums are
 * go's, not hand-made), and optionally a first line of go.mod other than `go 1.22`.
 */
async function corpus(t: TestContext, proxy: ProxyServer, goLine = 'go 1.22'): Promise<string> {
  const dir = tempDir(t, 'compat-corpus');
  const entry = join(dir, 'main');
  mkdirSync(entry);
  writeFileSync(join(entry, 'go.mod'), MAIN_GO_MOD);
  // `all` so that go.sum also vouches for the zips (a bare `go mod download` saves only go.mod sums).
  const r = await runGo(['mod', 'download', 'all'], { t, proxy: proxy.url, cwd: entry });
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(join(entry, 'go.sum'), 'utf8'), /^example\.com\/a v1\.0\.0 h1:/m);
  writeFileSync(join(entry, 'go.mod'), MAIN_GO_MOD.replace('go 1.22', goLine));
  mkdirSync(join(dir, 'not-an-entry'));
  return dir;
}

function collect(): DownloadIO & { text: () => string } {
  let out = '';
  let err = '';
  return { out: (s) => void (out += s), err: (s) => void (err += s), text: () => `${out}\n--- stderr ---\n${err}` };
}

test('an entry where gomod-dl and go agree gets an ok row and exit 0', async (t) => {
  requireGo(t);
  const proxy = await proxyOfTwoModules(t);
  const dir = await corpus(t, proxy);
  const io = collect();
  const code = await run([dir, '--goproxy', proxy.url, '--gosumdb', 'off'], io);
  assert.equal(code, 0, io.text());
  // One row, for `main` only (`not-an-entry` has no go.mod): 2 zips, no note, ok.
  assert.match(io.text(), /^main +2 +[\d.]+ +[\d.]+ +- +ok$/m, io.text());
  assert.match(io.text(), /1 entries, 1 ok, 0 different/);
});

test('--no-gosum runs both sides without go.sum and compares the go.sum each writes', async (t) => {
  requireGo(t);
  const proxy = await proxyOfTwoModules(t);
  const dir = await corpus(t, proxy);
  const io = collect();
  const code = await run([dir, '--entries', 'main', '--no-gosum', '--goproxy', proxy.url, '--gosumdb=off'], io);
  assert.equal(code, 0, io.text());
  assert.match(io.text(), /^main +2 .* ok$/m);
});

test('an entry whose go line is newer than the local go runs lowered for go and says so', async (t) => {
  requireGo(t);
  const proxy = await proxyOfTwoModules(t);
  const dir = await corpus(t, proxy, 'go 1.999.0');
  const io = collect();
  const code = await run([dir, '--goproxy', proxy.url, '--gosumdb', 'off'], io);
  assert.match(io.text(), /go\.mod: go 1\.999\.0 lowered to 1\.\d+\.\d+ for go/);
  assert.equal(code, 0, io.text());
});

test('a file only gomod-dl wrote is reported as the first difference with exit 1', async (t) => {
  requireGo(t);
  const proxy = await proxyOfTwoModules(t);
  const dir = await corpus(t, proxy);
  const io = collect();
  const code = await run([dir, '--goproxy', proxy.url, '--gosumdb', 'off'], io, {
    afterGomodDl: (_entry, gomodcache) => {
      mkdirSync(join(gomodcache, 'cache/download/example.com/a/@v'), { recursive: true });
      writeFileSync(join(gomodcache, 'cache/download/example.com/a/@v/v1.0.0.planted'), 'x');
    },
  });
  assert.equal(code, 1, io.text());
  assert.match(io.text(), /^main +2 .* only in gomod-dl: cache\/download\/example\.com\/a\/@v\/v1\.0\.0\.planted$/m, io.text());
  assert.match(io.text(), /1 entries, 0 ok, 1 different/);
});

test('a go.sum line gomod-dl dropped is reported with its line number', async (t) => {
  requireGo(t);
  const proxy = await proxyOfTwoModules(t);
  const dir = await corpus(t, proxy);
  const io = collect();
  const code = await run([dir, '--goproxy', proxy.url, '--gosumdb', 'off'], io, {
    afterGomodDl: (entry) => {
      const lines = readFileSync(join(entry, 'go.sum'), 'utf8').split('\n');
      writeFileSync(join(entry, 'go.sum'), lines.slice(1).join('\n'));
    },
  });
  assert.equal(code, 1, io.text());
  assert.match(io.text(), /go\.sum differs at line 1: go "example\.com\/a v1\.0\.0 h1:[^"]+" vs gomod-dl "example\.com\/a v1\.0\.0\/go\.mod h1:/, io.text());
});

test('gomod-dl\'s own message prefix is not a difference: an entry without requirements is ok', async (t) => {
  requireGo(t);
  // go says "go: no module dependencies to download", gomod-dl "gomod-dl: …" (README, Differences).
  const dir = tempDir(t, 'compat-empty');
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'empty', 'go.mod'), 'module example.com/empty\n\ngo 1.22\n');
  const io = collect();
  const code = await run([dir, '--goproxy', 'off', '--gosumdb', 'off'], io);
  assert.equal(code, 0, io.text());
  assert.match(io.text(), /^empty +0 .* ok$/m);
});

test('usage errors exit 2 without running anything', async (t) => {
  const dir = tempDir(t, 'compat-usage');
  mkdirSync(join(dir, 'e'));
  writeFileSync(join(dir, 'e', 'go.mod'), 'module e\n');
  for (const args of [[], [dir, dir], [dir, '--jobs', '3'], [dir, '--entries', 'nope'], [dir, '--bogus'], [join(dir, 'missing')], [join(dir, 'e')]]) {
    const io = collect();
    assert.equal(await run(args, io), 2, `${JSON.stringify(args)}: ${io.text()}`);
    assert.match(io.text(), /usage: compat download <dir>/);
  }
});

test('tree snapshots differ by name, mode and bytes, and ignore locks and the sumdb cache', async (t) => {
  const root = tempDir(t, 'compat-tree');
  const make = (side: string, files: Record<string, string>): string => {
    for (const [rel, data] of Object.entries(files)) {
      mkdirSync(join(root, side, rel, '..'), { recursive: true });
      writeFileSync(join(root, side, rel), data);
    }
    return join(root, side);
  };
  const same = { 'cache/download/x/@v/v1.0.0.mod': 'module x\n', 'x@v1.0.0/a.go': 'package a\n' };
  const go = make('go', { ...same, 'cache/lock': '', 'cache/download/x/@v/v1.0.0.lock': '', 'cache/download/sumdb/s/lookup/x': 'y', 'only/go/deep/f': '' });
  const ours = make('ours', { ...same, 'x@v1.0.0/a.go': 'package b\n', 'x@v1.0.0/b.go': '' });
  assert.deepEqual(diffSnapshots(await snapshotTree(go, cacheIgnore), await snapshotTree(go, cacheIgnore)), []);
  chmodSync(join(go, 'cache/download/x/@v/v1.0.0.mod'), 0o644);
  chmodSync(join(ours, 'cache/download/x/@v/v1.0.0.mod'), 0o444);
  assert.deepEqual(diffSnapshots(await snapshotTree(go, cacheIgnore), await snapshotTree(ours, cacheIgnore)), [
    'mode differs: cache/download/x/@v/v1.0.0.mod: go 0644, gomod-dl 0444',
    'only in go: only (dir, 3 nodes below)',
    'content differs: x@v1.0.0/a.go (both 10 bytes)',
    'only in gomod-dl: x@v1.0.0/b.go',
  ]);
});

test('lowering a go line keeps everything else of the file and skips versions the local go accepts', (t) => {
  const dir = tempDir(t, 'compat-lower');
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'go.mod'), 'module m\n\nrequire x v1.0.0\n\ngo 1.27.0 // at the end\n');
  writeFileSync(join(dir, 'sub', 'go.mod'), 'module m/sub\n\ngo 1.21\n');
  writeFileSync(join(dir, 'go.work'), 'go 1.30rc1\n\nuse .\n');
  const lowered = lowerGoLines(dir, '1.26.8');
  assert.deepEqual(lowered.map((l) => l.rel).sort(), ['go.mod', 'go.work']);
  assert.equal(readFileSync(join(dir, 'go.mod'), 'utf8'), 'module m\n\nrequire x v1.0.0\n\ngo 1.26.8 // at the end\n');
  assert.equal(readFileSync(join(dir, 'go.work'), 'utf8'), 'go 1.26.8\n\nuse .\n');
  assert.equal(readFileSync(join(dir, 'sub', 'go.mod'), 'utf8'), 'module m/sub\n\ngo 1.21\n');
});
