// Oracle tests of --offline-complete and --toolchain: measured by go itself, offline (GOPROXY=off),
// after a gomod-dl run: go list -m all, go mod graph, go mod verify and go build ./... succeed where
// they fail after a plain run; GOTOOLCHAIN=auto switches to the prefetched toolchain.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { buildModule } from '../support/modbuilder.js';
import { startProxy } from '../support/proxy-server.js';
import { requireGo, runGo, type GoResult } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { mainModule, mountSumdb, SUMDB_VKEY, worldProxy, worldStore } from './fixture.js';
import { tempDir } from '../support/tmp.js';
import { hostPlatform } from '../../src/resolve/toolchain.js';
import { hashGoMod, hashZip } from '../../src/verify/dirhash.js';

const OFFLINE = { GOFLAGS: '-mod=mod -modcacherw' };
const COMMANDS = [['list', '-m', 'all'], ['mod', 'graph'], ['mod', 'verify'], ['build', './...']];

async function offline(t: TestContext, r: GoResult, cwd: string, env: Record<string, string> = OFFLINE): Promise<GoResult[]> {
  const out: GoResult[] = [];
  for (const args of COMMANDS) out.push(await runGo(args, { t, cwd, gopath: r.gopath, gomodcache: r.gomodcache, env }));
  return out;
}

test('after a plain run go list -m all fails offline; after --offline-complete every offline go command succeeds', async (t) => {
  requireGo(t);
  const proxy = await worldProxy(t);
  const plainDir = mainModule(t);
  const plain = await runGomodDl([], { t, proxy: proxy.url, cwd: plainDir });
  assert.equal(plain.code, 0, plain.stderr);
  const [list] = await offline(t, plain, plainDir);
  assert.notEqual(list!.code, 0, 'go list -m all needs more than go mod download fetches');
  assert.match(list!.stderr, /module lookup disabled/);

  const dir = mainModule(t);
  const full = await runGomodDl(['--offline-complete'], { t, proxy: proxy.url, cwd: dir });
  assert.equal(full.code, 0, full.stderr);
  const results = await offline(t, full, dir);
  results.forEach((r, i) => assert.equal(r.code, 0, `go ${COMMANDS[i]!.join(' ')}: ${r.stderr}`));
  // And go list -m all agrees with the same command run online.
  const online = await runGo(['list', '-m', 'all'], { t, cwd: mainModule(t), proxy: proxy.url, env: OFFLINE });
  assert.equal(results[0]!.stdout, online.stdout);
});

test('--toolchain prefetches the golang.org/toolchain module the toolchain line names; GOTOOLCHAIN=auto then switches offline', async (t) => {
  requireGo(t);
  const platform = hostPlatform();
  const version = `v0.0.1-go1.99.1.${platform.replace('/', '-')}`;
  const fakeGo = '#!/bin/sh\necho "fake go1.99.1 $*"\n';
  const tc = await buildModule({
      path: 'golang.org/toolchain',
      version,
      goMod: 'module golang.org/toolchain\n',
      files: { 'bin/go': fakeGo, [`pkg/tool/${platform.replace('/', '_')}/compile`]: fakeGo, 'lib/README': 'lib\n', 'bin/gofmt': fakeGo, VERSION: 'go1.99.1\n' },
    });
  const store = (await worldStore()).add(tc);
  const proxy = await startProxy(store);
  t.after(() => proxy.close());
  // go trusts a toolchain only through the checksum database, even with GOSUMDB=off (modfetch's useSumDB).
  const zipFile = join(tempDir(t, 'tc'), 'tc.zip');
  writeFileSync(zipFile, tc.zip);
  await mountSumdb(proxy).add({ path: 'golang.org/toolchain', version, hash: await hashZip(zipFile), goModHash: hashGoMod(tc.mod) });
  const sumdb = { GOSUMDB: SUMDB_VKEY, GONOSUMDB: 'example.com' };
  const dir = mainModule(t);
  writeFileSync(join(dir, 'go.mod'), 'module example.com/main\n\ngo 1.21\n\ntoolchain go1.99.1\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b v1.1.0 // indirect\n)\n');
  const auto = { ...sumdb, GOTOOLCHAIN: 'auto', GOFLAGS: '-modcacherw' };
  const plain = await runGomodDl([], { t, proxy: proxy.url, cwd: dir, env: sumdb });
  assert.equal(plain.code, 0, plain.stderr);
  const cannot = await runGo(['version'], { t, cwd: dir, gopath: plain.gopath, gomodcache: plain.gomodcache, env: auto });
  assert.notEqual(cannot.code, 0, 'without --toolchain go cannot switch offline');

  const r = await runGomodDl([`--toolchain=${platform}`], { t, proxy: proxy.url, cwd: dir, env: sumdb });
  assert.equal(r.code, 0, r.stderr);
  const sw = await runGo(['version'], { t, cwd: dir, gopath: r.gopath, gomodcache: r.gomodcache, env: auto });
  assert.equal(sw.code, 0, sw.stderr);
  assert.equal(sw.stdout, 'fake go1.99.1 version\n');
});
