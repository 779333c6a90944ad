import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bigModule, buildModule } from './modbuilder.js';
import { ModuleStore } from './store.js';
import { snapshotTree } from './tree.js';
import { tempDir } from './tmp.js';

test('the default version list holds stored versions but not pseudo-versions, as proxies list them', async () => {
  const store = new ModuleStore().add(
    await buildModule({ path: 'example.com/m', version: 'v1.1.0' }),
    await buildModule({ path: 'example.com/m', version: 'v0.0.0-20240102030405-abcdefabcdef' }),
    await buildModule({ path: 'example.com/m', version: 'v1.0.0-RC1' }),
  );
  assert.equal(store.versionList('example.com/m'), 'v1.1.0\nv1.0.0-RC1\n');
  store.setVersionList('example.com/m', 'v1.1.0 2023-01-01T00:00:00Z\nnot-a-version\n');
  assert.equal(store.versionList('example.com/m'), 'v1.1.0 2023-01-01T00:00:00Z\nnot-a-version\n');
  assert.equal(store.versionList('example.com/other'), undefined);
  assert.equal(store.get('example.com/m', 'v1.0.0-RC1')?.version, 'v1.0.0-RC1');
  assert.equal(store.modules().length, 3);
});

test('resolve addresses modules by escaped path and version', async () => {
  const m = await buildModule({ path: 'example.com/Up', version: 'v1.0.0-RC1' });
  const store = new ModuleStore().add(m).setLatest('example.com/Up', 'v1.0.0-RC1');
  assert.deepEqual(store.resolve('example.com/!up/@v/v1.0.0-!r!c1.mod'), { kind: 'bytes', body: m.mod, contentType: 'text/plain; charset=utf-8' });
  assert.equal(store.resolve('example.com/!up/@latest')?.kind, 'bytes');
  assert.equal(store.resolve('example.com/Up/@v/v1.0.0-!r!c1.mod'), undefined, 'unescaped paths are not found');
  assert.equal(store.resolve('example.com/!up/@v/v1.0.0-RC1.mod'), undefined, 'unescaped versions are not found');
  assert.equal(store.resolve('example.com/!up/@v/v1.0.0-!r!c1.txt'), undefined);
  store.setLatest('example.com/Up', null);
  assert.equal(store.resolve('example.com/!up/@latest'), undefined);
});

test('writeProxyDir lays out a GOPROXY directory with escaped names, aliases, @latest and big zips', async (t) => {
  const dir = tempDir(t, 'proxydir');
  const big = await bigModule('example.com/big', 'v1.0.0', 256 * 1024, { dir: tempDir(t, 'big') });
  const up = await buildModule({ path: 'example.com/Up', version: 'v1.0.0-RC1' });
  const store = new ModuleStore().add(up, big).alias('example.com/Up', 'main', 'v1.0.0-RC1').setLatest('example.com/Up', 'v1.0.0-RC1');
  await store.writeProxyDir(dir);
  const files = (await snapshotTree(dir)).filter((e) => e.type === 'file').map((e) => e.path);
  assert.deepEqual(files, [
    'example.com/!up/@latest',
    'example.com/!up/@v/list',
    'example.com/!up/@v/main.info',
    'example.com/!up/@v/v1.0.0-!r!c1.info',
    'example.com/!up/@v/v1.0.0-!r!c1.mod',
    'example.com/!up/@v/v1.0.0-!r!c1.zip',
    'example.com/big/@v/list',
    'example.com/big/@v/v1.0.0.info',
    'example.com/big/@v/v1.0.0.mod',
    'example.com/big/@v/v1.0.0.zip',
  ]);
  assert.ok((await readFile(join(dir, 'example.com/!up/@v/main.info'))).equals(up.info));
  assert.ok((await readFile(join(dir, 'example.com/big/@v/v1.0.0.zip'))).equals(await readFile(big.zipFile)));
});
