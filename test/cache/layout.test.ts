// Expected paths follow go's cache (cross-checked against a real go download in gocompat.test.ts);
// error texts were produced by go 1.26 (`GOMODCACHE=rel` / a file as GOMODCACHE).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CacheLayout, checkCacheVersion } from '../../src/cache/layout.js';
import { CacheRootError, CacheVersionError, ToolchainModuleError } from '../../src/cache/errors.js';
import { tempDir } from '../support/tmp.js';

const root = '/gmc';
const L = new CacheLayout(root);

test('escapes upper-case letters in paths and versions with !', () => {
  assert.equal(L.downloadDir('github.com/BurntSushi/toml'), '/gmc/cache/download/github.com/!burnt!sushi/toml/@v');
  assert.equal(L.infoFile('github.com/BurntSushi/toml', 'v1.0.0-RC1'), '/gmc/cache/download/github.com/!burnt!sushi/toml/@v/v1.0.0-!r!c1.info');
  assert.equal(L.moduleDir('github.com/BurntSushi/toml', 'v1.0.0-RC1'), '/gmc/github.com/!burnt!sushi/toml@v1.0.0-!r!c1');
  assert.equal(L.listFile('github.com/BurntSushi/toml'), '/gmc/cache/download/github.com/!burnt!sushi/toml/@v/list');
});

test('names every per-version file with the version verbatim for +incompatible and pseudo-versions', () => {
  const p = 'example.com/m';
  assert.equal(L.zipFile(p, 'v2.0.0+incompatible'), '/gmc/cache/download/example.com/m/@v/v2.0.0+incompatible.zip');
  const pseudo = 'v0.0.0-20180214154420-abcdefabcdef';
  assert.deepEqual(
    [L.infoFile(p, pseudo), L.modFile(p, pseudo), L.zipFile(p, pseudo), L.ziphashFile(p, pseudo), L.lockFile(p, pseudo), L.partialFile(p, pseudo)],
    ['info', 'mod', 'zip', 'ziphash', 'lock', 'partial'].map((s) => `/gmc/cache/download/example.com/m/@v/${pseudo}.${s}`),
  );
  assert.equal(L.moduleDir(p, 'v2.0.0+incompatible'), '/gmc/example.com/m@v2.0.0+incompatible');
  assert.equal(L.stagingPrefix(p, 'v1.0.0'), 'm@v1.0.0.tmp-');
});

test('rejects non-semver and non-canonical versions with go\'s messages', () => {
  assert.throws(() => L.infoFile('example.com/m', 'master'), (e: unknown) =>
    e instanceof CacheVersionError && e.code === 'ENONSEMVER' && e.message === 'non-semver module version "master"');
  assert.throws(() => L.moduleDir('example.com/m', 'v1.2'), { message: 'non-canonical module version "v1.2"' });
  assert.throws(() => checkCacheVersion('v1.0.0+meta'), { message: 'non-canonical module version "v1.0.0+meta"' });
  assert.equal(checkCacheVersion('v1.0.0+incompatible'), 'v1.0.0+incompatible');
});

test('refuses the go and toolchain pseudo-modules', () => {
  assert.throws(() => L.zipFile('go', 'v1.21.0'), ToolchainModuleError);
  assert.throws(() => L.moduleDir('toolchain', 'v0.0.1-go1.21.0.linux-amd64'), { message: 'internal error: invalid operation on toolchain module' });
});

test('rejects a malformed module path with x/mod\'s error', () => {
  assert.throws(() => L.downloadDir('bad/path'), { message: 'malformed module path "bad/path": missing dot in first path element' });
});

test('sumdb cache files live under cache/download/sumdb with escaped lookup names', () => {
  assert.equal(L.sumdbLookupFile('sum.golang.org', 'github.com/BurntSushi/toml', 'v1.2.0'),
    '/gmc/cache/download/sumdb/sum.golang.org/lookup/github.com/!burnt!sushi/toml@v1.2.0');
  assert.equal(L.sumdbTileFile('sum.golang.org', 'tile/8/0/x001/234.p/5'), '/gmc/cache/download/sumdb/sum.golang.org/tile/8/0/x001/234.p/5');
  assert.equal(L.sideLockFile(), '/gmc/cache/lock');
});

test('a relative GOMODCACHE fails with go\'s exact text, trailing ".\\n" included', () => {
  assert.throws(() => new CacheLayout('rel'), (e: unknown) =>
    e instanceof CacheRootError && e.message === 'GOMODCACHE entry is relative; must be absolute path: "rel".\n');
});

test('ensureRoot creates a missing root and rejects a file', async (t) => {
  const dir = tempDir(t);
  const created = new CacheLayout(join(dir, 'a', 'b'));
  await created.ensureRoot();
  assert.ok((await stat(join(dir, 'a', 'b'))).isDirectory());
  const file = join(dir, 'file');
  await writeFile(file, '');
  await assert.rejects(new CacheLayout(file).ensureRoot(), { message: `could not create module cache: "${file}" is not a directory` });
});
