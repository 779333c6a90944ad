// -modfile=file, side by side with go: the main module's requirements come from that file (the
// tools.mod pattern), its sums go to the same name ending in .sum, go.mod is never read or written,
// and go's errors where the flag cannot apply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy, type ProxyServer } from '../support/proxy-server.js';
import { requireGo, runGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { tempDir } from '../support/tmp.js';
import { sameProjectRun as same } from '../support/project.js';

async function proxy(t: import('node:test').TestContext): Promise<ProxyServer> {
  const store = new ModuleStore().add(
    await buildModule({ path: 'example.com/tool', version: 'v1.2.0', goMod: 'module example.com/tool\n\ngo 1.21\n\nrequire example.com/dep v0.1.0\n', files: { 'main.go': 'package main\n' } }),
    await buildModule({ path: 'example.com/dep', version: 'v0.1.0', files: { 'd.go': 'package dep\n' } }),
    await buildModule({ path: 'example.com/lib', version: 'v1.0.0', files: { 'l.go': 'package lib\n' } }),
  );
  const p = await startProxy(store);
  t.after(() => p.close());
  return p;
}

/** A module whose go.mod requires lib, with a tools.mod beside it requiring the tool. */
function toolsProject(t: import('node:test').TestContext): string {
  const dir = tempDir(t, 'proj');
  writeFileSync(join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.21\n\nrequire example.com/lib v1.0.0\n');
  writeFileSync(join(dir, 'tools.mod'), 'module example.com/app\n\ngo 1.21\n\nrequire example.com/tool v1.2.0\n');
  mkdirSync(join(dir, 'sub'));
  return dir;
}

test('-modfile=tools.mod: its requirements downloaded, tools.sum written, go.mod and go.sum untouched', async (t) => {
  requireGo(t);
  const p = await proxy(t);
  const project = toolsProject(t);
  const { go } = await same(t, p, project, ['-modfile=tools.mod']);
  assert.equal(go.code, 0, go.stderr);
  // Explicit arguments and -json; from a subdirectory, the path is relative to the working directory.
  await same(t, p, project, ['-json', '-modfile=tools.mod', 'example.com/tool']);
  await same(t, p, project, ['-modfile=../tools.mod', 'all'], { sub: 'sub' });
  // Through GOFLAGS too.
  await same(t, p, project, [], { env: { GOFLAGS: '-modfile=tools.mod' } });
  // verify -modfile checks tools.mod's build list against tools.sum, as go mod verify -modfile does.
  const dir = tempDir(t, 'verify');
  cpSync(project, dir, { recursive: true });
  const dl = await runGomodDl(['-modfile=tools.mod'], { t, proxy: p.url, cwd: dir });
  assert.equal(dl.code, 0, dl.stderr);
  const offline = { GOPROXY: 'off', GOFLAGS: '-mod=mod' };
  const goVerify = await runGo(['mod', 'verify', '-modfile=tools.mod'], { t, cwd: dir, gomodcache: dl.gomodcache, env: offline });
  const ourVerify = await runGomodDl(['verify', '-modfile=tools.mod'], { t, cwd: dir, gomodcache: dl.gomodcache, env: offline });
  assert.deepEqual({ code: ourVerify.code, out: ourVerify.stdout }, { code: goVerify.code, out: goVerify.stdout });
  assert.equal(goVerify.code, 0, goVerify.stderr);
  // Without the flag both verify go.mod's build list, whose lib is not in the cache.
  const goPlain = await runGo(['mod', 'verify'], { t, cwd: dir, gomodcache: dl.gomodcache, env: offline });
  const ourPlain = await runGomodDl(['verify'], { t, cwd: dir, gomodcache: dl.gomodcache, env: offline });
  assert.equal(ourPlain.code, goPlain.code, `${goPlain.stderr}\n${ourPlain.stderr}`);
  assert.notEqual(goPlain.code, 0);
  // A tools.mod without a go line gets go's fix-up there, not in go.mod.
  writeFileSync(join(project, 'tools.mod'), 'module example.com/app\n\nrequire example.com/tool v1.2.0\n');
  const fixed = await same(t, p, project, ['-modfile=tools.mod']);
  assert.equal(fixed.go.code, 0, fixed.go.stderr);
});

test('-modfile errors as go words them: no .mod extension, a missing file, outside a module, in a workspace', async (t) => {
  requireGo(t);
  const p = await proxy(t);
  const project = toolsProject(t);
  writeFileSync(join(project, 'tools.txt'), 'module example.com/app\n');
  for (const args of [['-modfile=tools.txt'], ['-modfile=missing.mod'], ['-modfile=tools.mod', 'example.com/nosuch@v1.0.0']]) {
    await same(t, p, project, args);
  }
  const outside = tempDir(t, 'outside');
  writeFileSync(join(outside, 'tools.mod'), 'module example.com/x\n');
  const r = await same(t, p, outside, ['-modfile=tools.mod', 'example.com/lib@v1.0.0']);
  assert.equal(r.go.code, 1);
  const ws = tempDir(t, 'ws');
  cpSync(project, join(ws, 'app'), { recursive: true });
  writeFileSync(join(ws, 'go.work'), 'go 1.21\n\nuse ./app\n');
  const w = await same(t, p, ws, ['-modfile=tools.mod'], { sub: 'app', env: { GOWORK: '' } });
  assert.equal(w.go.code, 1);
});
