// Hostile answers to version queries (`.info` of a branch, `@latest`, `@v/list`), read as go reads
// them: each case runs go and gomod-dl against the same proxy and compares stderr, stdout, exit
// status and the cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy, type FaultRule } from '../support/proxy-server.js';
import { requireGo, runGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { assertSameTree } from '../support/tree.js';

const PATH = 'example.com/q';

async function store(): Promise<ModuleStore> {
  const s = new ModuleStore();
  for (const v of ['v1.0.0', 'v1.0.1', 'v1.1.0']) s.add(await buildModule({ path: PATH, version: v, files: { 'q.go': 'package q\n' } }));
  return s;
}

const info = (v: string): string => JSON.stringify({ Version: v, Time: '2023-01-02T03:04:05Z' });

const CASES: { name: string; faults: FaultRule[]; args: string[] }[] = [
  { name: 'a branch answered with a non-canonical version', faults: [{ url: `/${PATH}/@v/master.info`, body: info('v1.0') }], args: [`${PATH}@master`] },
  { name: 'a branch answered with +metadata', faults: [{ url: `/${PATH}/@v/master.info`, body: info('v1.0.1+meta') }], args: [`${PATH}@master`] },
  { name: 'a branch answered with another major version', faults: [{ url: `/${PATH}/@v/master.info`, body: info('v2.0.0') }], args: [`${PATH}@master`] },
  { name: 'a branch answered with no version', faults: [{ url: `/${PATH}/@v/master.info`, body: '{}' }], args: [`${PATH}@master`] },
  { name: 'a version answered with another version', faults: [{ url: `/${PATH}/@v/v1.0.0.info`, body: info('v1.0.1') }], args: [`${PATH}@v1.0.0`] },
  ...[['a non-canonical version', info('v1.0')], ['+metadata', info('v1.0.1+meta')], ['no version', '{}'], ['a word', info('bogus')],
    ['garbage JSON', '{"Version":']].map(([what, body]) => ({
    name: `@latest answered with ${what!}`,
    // An empty list sends go to @latest.
    faults: [{ url: `/${PATH}/@latest`, status: 200, body: body! }, { url: `/${PATH}/@v/list`, body: '' }],
    args: [`${PATH}@latest`],
  })),
  { name: 'a list with junk lines', faults: [{ url: `/${PATH}/@v/list`, body: 'v1.0.0\nnot-a-version\nv1.1\n v1.0.1 extra\nv1.1.0-pre\n\n' }], args: [`${PATH}@latest`, `${PATH}@v1.0`] },
];

for (const c of CASES) {
  for (const json of [false, true]) {
    test(`${c.name}${json ? ' (-json)' : ''}: as go reads it`, async (t) => {
      requireGo(t);
      const proxy = await startProxy(await store());
      t.after(() => proxy.close());
      proxy.setFaults(c.faults);
      const args = json ? ['-json', ...c.args] : c.args;
      const go = await runGo(['mod', 'download', ...args], { t, proxy: proxy.url });
      const ours = await runGomodDl(args, { t, proxy: proxy.url });
      assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: '), go.stderr);
      assert.equal(ours.code, go.code);
      assert.equal(ours.stdout.replaceAll(ours.gomodcache, '$GOMODCACHE'), go.stdout.replaceAll(go.gomodcache, '$GOMODCACHE'));
      assert.equal(existsSync(ours.gomodcache), existsSync(go.gomodcache), 'GOMODCACHE created');
      if (existsSync(go.gomodcache)) await assertSameTree(ours.gomodcache, go.gomodcache);
    });
  }
}

// A GOPROXY list go cannot parse fails each query before the module cache is touched (TryProxies),
// and a proxy URL without a host fails each request (net/http: no Host), never asking another host;
// in a module, the go.mod read comes first and creates the cache root, as in go.
for (const goproxy of ['bogus', 'ftp://x', ' ', 'http://[::1', 'http://', 'https:///x']) {
  test(`GOPROXY=${JSON.stringify(goproxy)}: go's error for each query, and no cache`, async (t) => {
    requireGo(t);
    const args = ['-json', `${PATH}@v1.0.0`, `${PATH}@latest`, `${PATH}@master`];
    const go = await runGo(['mod', 'download', ...args], { t, proxy: goproxy });
    const ours = await runGomodDl(args, { t, proxy: goproxy });
    assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: '), go.stderr);
    assert.equal(ours.code, go.code);
    assert.equal(ours.stdout, go.stdout);
    assert.equal(existsSync(ours.gomodcache), existsSync(go.gomodcache), 'GOMODCACHE created');
  });
}

// GOPROXY=off under a module: a module listed from the build list reports the error as go's
// TryProxies returns it, without the module in front; the query and download paths name it.
for (const args of [['all'], [PATH], ['-json', 'all'], ['-json', PATH], [], [`${PATH}@v1.0.0`]]) {
  test(`GOPROXY=off in a module, ${JSON.stringify(args)}: go's errors`, async (t) => {
    requireGo(t);
    const cwd = tempDir(t, 'mod');
    writeFileSync(join(cwd, 'go.mod'), `module m\n\ngo 1.22\n\nrequire ${PATH} v1.0.0\n`);
    const goCwd = tempDir(t, 'go');
    cpSync(cwd, goCwd, { recursive: true });
    const go = await runGo(['mod', 'download', ...args], { t, proxy: 'off', cwd: goCwd });
    const ours = await runGomodDl(args, { t, proxy: 'off', cwd });
    assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: '), go.stderr);
    assert.equal(ours.code, go.code);
    assert.equal(ours.stdout, go.stdout);
  });
}
