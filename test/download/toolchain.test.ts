// GOTOOLCHAIN=local and go lines newer than the go release gomod-dl reproduces (1.26.8): go cannot switch
// toolchains then, and refuses with `requires go >= V (running go 1.26.8; GOTOOLCHAIN=local)`; gomod-dl,
// told the same, refuses in the same places with the same texts, exit status, -json and cache. Without
// GOTOOLCHAIN=local gomod-dl goes on, as the newer toolchain go would switch to (README, Differences).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy, type ProxyServer } from '../support/proxy-server.js';
import { parseJsonStream, requireGo, runGo, type GoResult } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { assertSameTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';

const NEW = 'example.com/new';
const OLD = 'example.com/old';

async function store(): Promise<ModuleStore> {
  return new ModuleStore().add(
    await buildModule({ path: NEW, version: 'v1.0.0', goMod: `module ${NEW}\n\ngo 1.27\n`, files: { 'n.go': 'package n\n' } }),
    await buildModule({ path: NEW, version: 'v1.1.0', goMod: `module ${NEW}\n\ngo 1.21\n\ntoolchain go1.30.0\n`, files: { 'n.go': 'package n\n' } }),
    await buildModule({ path: OLD, version: 'v1.0.0', goMod: `module ${OLD}\n\ngo 1.21\n\nrequire ${NEW} v1.0.0\n`, files: { 'o.go': 'package o\n' } }),
  );
}

const norm = (r: GoResult, s: string): string => s.split(r.gomodcache).join('$GOMODCACHE').split(r.root).join('$ROOT');

/** Runs go and gomod-dl on copies of `files` (a main module, or none) with `args`; compares everything. */
async function compare(t: import('node:test').TestContext, proxy: ProxyServer, files: Record<string, string>, args: string[], env: Record<string, string> = {}) {
  requireGo(t);
  const dirs = [tempDir(t, 'go'), tempDir(t, 'ours')];
  for (const d of dirs) for (const [n, text] of Object.entries(files)) writeFileSync(join(d, n), text);
  const go = await runGo(['mod', 'download', ...args], { t, proxy: proxy.url, cwd: dirs[0]!, env });
  const ours = await runGomodDl(args, { t, proxy: proxy.url, cwd: dirs[1]!, env });
  assert.equal(ours.code, go.code, `exit status; go: ${go.stderr}; gomod-dl: ${ours.stderr}`);
  assert.equal(norm(ours, ours.stderr).replaceAll('gomod-dl: ', 'go: '), norm(go, go.stderr));
  assert.deepEqual(parseJsonStream(norm(ours, ours.stdout)), parseJsonStream(norm(go, go.stdout)));
  for (const n of ['go.mod', 'go.sum']) {
    const read = (d: string): string | undefined => { try { return readFileSync(join(d, n), 'utf8'); } catch { return undefined; } };
    assert.equal(read(dirs[1]!), read(dirs[0]!), n);
  }
  if (existsSync(go.gomodcache)) await assertSameTree(ours.gomodcache, go.gomodcache);
  else assert.equal(existsSync(ours.gomodcache), false, 'go made no module cache');
  return { go, ours };
}

test('GOTOOLCHAIN=local: a main go.mod, go.work or dependency that needs a newer go is go\'s error, in go\'s place', async (t) => {
  const proxy = await startProxy(await store());
  t.after(() => proxy.close());
  const cases: Array<[string, Record<string, string>, string[]]> = [
    ['main go.mod', { 'go.mod': 'module m\n\ngo 1.27\n' }, []],
    ['main go.mod, patch', { 'go.mod': `module m\n\ngo 1.26.9\n\nrequire ${OLD} v1.0.0\n` }, ['-json']],
    ['toolchain line only', { 'go.mod': `module m\n\ngo 1.21\n\ntoolchain go1.30.0\n\nrequire ${OLD} v1.0.0\n` }, []],
    ['dependency', { 'go.mod': `module m\n\ngo 1.21\n\nrequire ${OLD} v1.0.0\n` }, []],
    ['dependency, -json', { 'go.mod': `module m\n\ngo 1.21\n\nrequire ${OLD} v1.0.0\n` }, ['-json']],
    ['argument', {}, ['-json', `${NEW}@v1.0.0`, `${OLD}@v1.0.0`]],
    ['argument, plain', {}, [`${NEW}@v1.0.0`]],
    ['argument in a module', { 'go.mod': `module m\n\ngo 1.21\n` }, ['-json', `${NEW}@v1.0.0`]],
    ['go.work', { 'go.work': 'go 1.27\n\nuse .\n', 'go.mod': 'module m\n\ngo 1.21\n' }, []],
    ['go.work, dependency', { 'go.work': 'go 1.21\n\nuse .\n', 'go.mod': `module m\n\ngo 1.21\n\nrequire ${OLD} v1.0.0\n` }, ['-json']],
    ['all', { 'go.mod': `module m\n\ngo 1.21\n\nrequire ${OLD} v1.0.0\n` }, ['-json', 'all']],
    ['go.mod without a go line', { 'go.mod': `module m\n\nrequire ${OLD} v1.0.0\n` }, ['-json']],
  ];
  for (const [name, files, args] of cases) {
    await t.test(name, async (t) => {
      await compare(t, proxy, files, args, { GOTOOLCHAIN: 'local' });
    });
  }
});

test('without GOTOOLCHAIN=local, gomod-dl downloads what a newer go would (go would switch toolchains)', async (t) => {
  const proxy = await startProxy(await store());
  t.after(() => proxy.close());
  for (const env of [{ GOTOOLCHAIN: 'auto' }, { GOTOOLCHAIN: 'go1.27.0+auto' }, { GOTOOLCHAIN: 'path' }]) {
    const dir = tempDir(t, 'ours');
    writeFileSync(join(dir, 'go.mod'), `module m\n\ngo 1.27\n\nrequire ${NEW} v1.0.0\n`);
    const ours = await runGomodDl(['-json', `${NEW}@v1.0.0`], { t, proxy: proxy.url, cwd: dir, env });
    assert.equal(ours.code, 0, `${env.GOTOOLCHAIN}: ${ours.stderr}`);
    const [m] = parseJsonStream(ours.stdout);
    assert.equal(m?.['Error'], undefined);
    assert.ok(typeof m?.['Dir'] === 'string' && existsSync(m['Dir']), 'the tree is there');
  }
});
