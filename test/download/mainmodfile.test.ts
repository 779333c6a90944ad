// The main module's go.mod as go reads it before loading anything, side by side with go: versions
// that are not canonical are resolved by a version query and written back (go's fixVersion), godebug
// lines are checked (CheckGodebug), and several errors of a workspace each get go's prefix.
import { test } from 'node:test';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy, type ProxyServer } from '../support/proxy-server.js';
import { requireGo } from '../support/gorun.js';
import { sameProjectRun } from '../support/project.js';
import { tempDir } from '../support/tmp.js';

async function proxy(t: import('node:test').TestContext): Promise<ProxyServer> {
  const store = new ModuleStore();
  for (const v of ['v1.0.0', 'v1.4.1', 'v1.5.0', 'v1.5.1', 'v1.10.0']) {
    store.add(await buildModule({ path: 'example.com/lib', version: v, files: { 'l.go': `package lib // ${v}\n` } }));
  }
  store.setLatest('example.com/lib', 'v1.10.0');
  const p = await startProxy(store);
  t.after(() => p.close());
  return p;
}

function project(t: import('node:test').TestContext, gomod: string): string {
  const dir = tempDir(t, 'proj');
  writeFileSync(join(dir, 'go.mod'), gomod);
  return dir;
}

const REQUIRES = ['v1.5', 'v1', 'latest', '<v1.5.0', 'v9', '1.5.0', 'v1.5.1'];

for (const v of REQUIRES) {
  test(`require example.com/lib ${v}: resolved (or refused) and go.mod rewritten as go does`, async (t) => {
    requireGo(t);
    const p = await proxy(t);
    const dir = project(t, `module example.com/m\n\ngo 1.22\n\nrequire example.com/lib ${v}\n`);
    await sameProjectRun(t, p, dir, []);
  });
}

test('a non-canonical version with -mod=readonly or -mod=mod, and with explicit arguments, as go does', async (t) => {
  requireGo(t);
  const p = await proxy(t);
  const dir = project(t, 'module example.com/m\n\ngo 1.22\n\nrequire example.com/lib v1.5\n');
  await sameProjectRun(t, p, dir, [], { env: { GOFLAGS: '-mod=readonly' } });
  await sameProjectRun(t, p, dir, [], { env: { GOFLAGS: '-mod=mod' } });
  await sameProjectRun(t, p, dir, ['-json', 'example.com/lib']);
  await sameProjectRun(t, p, dir, ['all']);
});

test('non-canonical versions on replace and exclude lines are resolved as go does', async (t) => {
  requireGo(t);
  const p = await proxy(t);
  const dir = project(t, 'module example.com/m\n\ngo 1.22\n\nrequire example.com/lib v1.4.1\n\nexclude example.com/lib v1.0\n\nreplace example.com/lib v1.4.1 => example.com/lib v1.5\n');
  await sameProjectRun(t, p, dir, []);
});

for (const line of ['godebug nosuchkey=1', 'godebug x509sha1=1', 'godebug (\n\tnosuchkey=1\n\tx509sha1=1\n)', 'godebug default=go1.21', 'godebug panicnil=1']) {
  test(`${line.split('\n').join(' ')}: checked as go checks it`, async (t) => {
    requireGo(t);
    const p = await proxy(t);
    const dir = project(t, `module example.com/m\n\ngo 1.22\n\n${line}\n\nrequire example.com/lib v1.0.0\n`);
    await sameProjectRun(t, p, dir, []);
  });
}

/** A workspace directory: go.work and each module's go.mod (by directory name). */
function workspace(t: import('node:test').TestContext, gowork: string, mods: Record<string, string>): string {
  const dir = tempDir(t, 'ws');
  writeFileSync(join(dir, 'go.work'), gowork);
  for (const [m, gomod] of Object.entries(mods)) {
    mkdirSync(join(dir, m));
    writeFileSync(join(dir, m, 'go.mod'), gomod);
  }
  return dir;
}

const WORKSPACES: Array<[name: string, gowork: string, mods: Record<string, string>]> = [
  [
    'a workspace whose modules need a newer go than go.work says: each error with go\'s prefix',
    'go 1.22\n\nuse (\n\t./a\n\t./b\n)\n',
    { a: 'module example.com/a\n\ngo 1.24\n', b: 'module example.com/b\n\ngo 1.25\n' },
  ],
  [
    'a workspace module\'s non-canonical version is resolved as go does (go.work.sum, cache)',
    'go 1.22\n\nuse ./a\n',
    { a: 'module example.com/a\n\ngo 1.22\n\nrequire example.com/lib v1.5\n' },
  ],
];

for (const [name, gowork, mods] of WORKSPACES) {
  test(name, async (t) => {
    requireGo(t);
    await sameProjectRun(t, await proxy(t), workspace(t, gowork, mods), []);
  });
}

test('cache/lock (go\'s side lock) exists after a run exactly when go leaves it: when go.mod or go.sum is written', async (t) => {
  requireGo(t);
  const p = await proxy(t);
  const has = (cache: string): boolean => existsSync(join(cache, 'cache', 'lock'));
  // go.sum written: the file is made.
  const writes = await sameProjectRun(t, p, project(t, 'module example.com/m\n\ngo 1.22\n\nrequire example.com/lib v1.5.1\n'), []);
  assert.equal(has(writes.go.gomodcache), true);
  assert.equal(has(writes.ours.gomodcache), has(writes.go.gomodcache));
  // Outside a module nothing is written: no file.
  const outside = await sameProjectRun(t, p, tempDir(t, 'empty'), ['example.com/lib@v1.5.1']);
  assert.equal(has(outside.ours.gomodcache), has(outside.go.gomodcache));
});

for (const gosumdb of ['junk', 'on', 'sum.golang.org+bad']) {
  test(`GOSUMDB=${gosumdb} in a module without go.sum: go's error, with the module named once`, async (t) => {
    requireGo(t);
    const p = await proxy(t);
    await sameProjectRun(t, p, project(t, 'module example.com/m\n\ngo 1.22\n\nrequire example.com/lib v1.5.1\n'), [], { env: { GOSUMDB: gosumdb } });
  });
}
