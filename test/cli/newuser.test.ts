// A new user's first trial: -C with a directory that is not there, an old Node.js, and file-system
// errors, each compared with go where go has a behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { freshGoRoot, hermeticGoEnv, requireGo, runGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { tempDir } from '../support/tmp.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin/gomod-dl.js');

for (const [what, arrange] of [
  ['a directory that does not exist', (_dir: string) => 'does-not-exist'],
  ['a file', (dir: string) => (writeFileSync(join(dir, 'afile'), 'x'), 'afile')],
  ['a path through a file', (dir: string) => (writeFileSync(join(dir, 'afile2'), 'x'), 'afile2/sub')],
] as const) {
  test(`-C with ${what}: go's message and exit status, nothing done`, async (t) => {
    requireGo(t);
    const dir = tempDir(t, 'chdir');
    // A module here would be downloaded if -C were ignored.
    writeFileSync(join(dir, 'go.mod'), 'module example.com/here\n\ngo 1.21\n\nrequire example.com/dep v1.0.0\n');
    const arg = arrange(dir);
    const go = await runGo(['mod', 'download', '-C', arg], { t, cwd: dir });
    const ours = await runGomodDl(['-C', arg], { t, cwd: dir });
    assert.equal(ours.code, go.code);
    assert.equal(ours.stderr.replace(/^gomod-dl: /, 'go: '), go.stderr);
    assert.equal(ours.stdout, '');
  });
}

test('the Node.js version is checked first, naming the version needed (package.json engines)', async () => {
  const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
  const needed = engines.replace(/^>=/, '');
  const withNode = (v: string) =>
    run(process.execPath, ['--import', `data:text/javascript,Object.defineProperty(process.versions,'node',{value:'${v}'})`, BIN, '--version'])
      .then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);
  const [maj, min, patch] = needed.split('.').map(Number) as [number, number, number];
  for (const old of ['18.19.0', `${maj}.${min}.${patch - 1}`, `${maj}.${min - 1}.99`, `${maj - 1}.99.99`]) {
    const r = await withNode(old);
    assert.equal(r.code, 1, old);
    assert.equal(r.stderr, `gomod-dl: Node.js ${needed} or newer is needed; this is Node.js ${old}\n`);
    assert.equal(r.stdout, '');
  }
  for (const ok of [needed, `${maj}.${min + 1}.0`, `${maj + 1}.0.0`, process.versions.node]) {
    const r = await withNode(ok);
    assert.equal(r.code, 0, `${ok}: ${r.stderr}`);
    assert.match(r.stdout, /^\d+\.\d+\.\d+/);
  }
});

for (const [what, arrange] of [
  ['the module download directory is a file', (c: string) => {
    mkdirSync(join(c, 'cache/download/example.com'), { recursive: true });
    writeFileSync(join(c, 'cache/download/example.com/iomod'), 'x');
  }],
  ['the module @v directory is a file', (c: string) => {
    mkdirSync(join(c, 'cache/download/example.com/iomod'), { recursive: true });
    writeFileSync(join(c, 'cache/download/example.com/iomod/@v'), 'x');
  }],
] as const) {
  test(`a file-system error names the module and the file in go's words: ${what}`, async (t) => {
    requireGo(t);
    const proxy = await startProxy(new ModuleStore().add(await buildModule({ path: 'example.com/iomod', version: 'v1.0.0', files: { 'a.go': 'package a\n' } })));
    t.after(() => proxy.close());
    const dir = tempDir(t, 'ioerr');
    const gopaths = { go: join(dir, 'go'), ours: join(dir, 'ours') };
    for (const g of Object.values(gopaths)) arrange(join(g, 'pkg/mod'));
    const opts = (g: string) => ({ t, proxy: proxy.url, gopath: g, gomodcache: join(g, 'pkg/mod') });
    const go = await runGo(['mod', 'download', 'example.com/iomod@v1.0.0'], opts(gopaths.go));
    const ours = await runGomodDl(['example.com/iomod@v1.0.0'], opts(gopaths.ours));
    assert.equal(ours.code, go.code);
    // go's warnings (`writing stat cache: …`, `writing go.mod cache: …`: the run goes on), then the
    // download's error (`go: mkdir <path>: not a directory`), in front of which gomod-dl names the module.
    const goLines = go.stderr.trimEnd().split('\n').map((l) => l.replace(/^go: /, 'gomod-dl: ').split(gopaths.go).join('$GOPATH'));
    goLines.push(goLines.pop()!.replace(/^gomod-dl: /, 'gomod-dl: example.com/iomod@v1.0.0: '));
    assert.equal(ours.stderr.split(gopaths.ours).join('$GOPATH'), `${goLines.join('\n')}\n`);
  });
}

/** Runs `cmd args` as an unprivileged user when this process is root (read-only modes bind then). */
function runUnprivileged(cmd: string, args: string[], env: Record<string, string>, cwd: string) {
  const ids = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  return new Promise<{ code: number; stderr: string }>((resolve, reject) => {
    execFile(cmd, args, { env, cwd, ...ids, encoding: 'utf8', timeout: 120_000 }, (err, _stdout, stderr) => {
      const code: unknown = err ? (err as { code?: unknown }).code : 0;
      if (typeof code !== 'number') reject(err ?? new Error('no exit status'));
      else resolve({ code, stderr });
    });
  });
}

test("a read-only cache directory: the module and the file named in go's words (mkdir: permission denied, as an unprivileged user)", async (t) => {
  requireGo(t);
  const proxy = await startProxy(new ModuleStore().add(await buildModule({ path: 'example.com/iomod', version: 'v1.0.0', files: { 'a.go': 'package a\n' } })));
  t.after(() => proxy.close());
  const results: Record<string, { code: number; stderr: string; gopath: string }> = {};
  for (const tool of ['go', 'ours'] as const) {
    const root = freshGoRoot(t);
    const env = hermeticGoEnv(root, { proxy: proxy.url });
    const ro = join(env['GOMODCACHE']!, 'cache/download/example.com');
    mkdirSync(ro, { recursive: true });
    // Everything writable for the unprivileged user but the directory the module's files go in.
    execFileSync('chmod', ['-R', 'a+rwX', root]);
    chmodSync(ro, 0o555);
    const r = tool === 'go'
      ? await runUnprivileged('go', ['mod', 'download', 'example.com/iomod@v1.0.0'], env, root)
      : await runUnprivileged(process.execPath, [BIN, 'example.com/iomod@v1.0.0'], env, root);
    results[tool] = { ...r, gopath: env['GOPATH']! };
  }
  const go = results['go']!;
  const ours = results['ours']!;
  assert.equal(ours.code, go.code);
  const goLines = go.stderr.trimEnd().split('\n').map((l) => l.replace(/^go: /, 'gomod-dl: ').split(go.gopath).join('$GOPATH'));
  assert.match(goLines.at(-1)!, /permission denied$/);
  goLines.push(goLines.pop()!.replace(/^gomod-dl: /, 'gomod-dl: example.com/iomod@v1.0.0: '));
  assert.equal(ours.stderr.split(ours.gopath).join('$GOPATH'), `${goLines.join('\n')}\n`);
});
