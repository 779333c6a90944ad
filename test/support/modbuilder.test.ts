import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stat } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { bigModule, buildModule, DEFAULT_TIME } from './modbuilder.js';
import { tempDir } from './tmp.js';
import { zipEntries } from './zipinfo.js';

test('buildModule prefixes entries with path@version and puts the default go.mod first', async () => {
  const m = await buildModule({ path: 'example.com/m', version: 'v1.0.0', files: { 'a.go': 'package a\n', 'sub/b.go': 'package sub\n' } });
  const entries = await zipEntries(m.zip, { data: true });
  assert.deepEqual(
    entries.map((e) => e.name),
    ['example.com/m@v1.0.0/go.mod', 'example.com/m@v1.0.0/a.go', 'example.com/m@v1.0.0/sub/b.go'],
  );
  assert.equal(entries[0]!.data!.toString(), 'module example.com/m\n');
  assert.equal(m.mod.toString(), 'module example.com/m\n');
  assert.equal(m.info.toString(), `{"Version":"v1.0.0","Time":"${DEFAULT_TIME}"}`);
});

test('buildModule is deterministic: the same spec gives the same zip bytes', async () => {
  const spec = { path: 'example.com/m', version: 'v1.0.0', files: { 'a.go': 'package a\n' } };
  const [a, b] = await Promise.all([buildModule(spec), buildModule(spec)]);
  assert.ok(a.zip.equals(b.zip));
});

test('a module without go.mod has none in its zip but serves the synthesized .mod', async () => {
  const m = await buildModule({ path: 'example.com/inc', version: 'v2.0.0+incompatible', goMod: null, files: { 'x.go': 'package x\n' } });
  const names = (await zipEntries(m.zip)).map((e) => e.name);
  assert.deepEqual(names, ['example.com/inc@v2.0.0+incompatible/x.go']);
  assert.equal(m.mod.toString(), 'module example.com/inc\n');
});

test('a go.mod given in files is the served .mod and the zip go.mod', async () => {
  const goMod = 'module example.com/m\n\ngo 1.21\n';
  const m = await buildModule({ path: 'example.com/m', version: 'v1.0.0', files: { 'go.mod': goMod } });
  assert.equal(m.mod.toString(), goMod);
  const [e] = await zipEntries(m.zip, { data: true });
  assert.equal(e!.data!.toString(), goMod);
  await assert.rejects(buildModule({ path: 'example.com/m', version: 'v1.0.0', files: { 'go.mod': goMod }, goMod: 'x' }), /not both/);
});

test('the .info Time of a pseudo-version is its timestamp; origin is passed through', async () => {
  const m = await buildModule({ path: 'example.com/p', version: 'v0.0.0-20240102030405-abcdefabcdef', origin: { VCS: 'git', Hash: 'abc' } });
  assert.equal(m.info.toString(), '{"Version":"v0.0.0-20240102030405-abcdefabcdef","Time":"2024-01-02T03:04:05Z","Origin":{"VCS":"git","Hash":"abc"}}');
  const m2 = await buildModule({ path: 'example.com/p', version: 'v1.2.4-0.20191109021931-daa7c04131f5', time: '2019-11-09T02:19:31Z' });
  assert.match(m2.info.toString(), /"Time":"2019-11-09T02:19:31Z"/);
});

test('zipOptions: directory entries and stored (uncompressed) files', async () => {
  const m = await buildModule({
    path: 'example.com/m',
    version: 'v1.0.0',
    files: { 'a/b/c.go': 'package c\n' },
    zipOptions: { dirEntries: true, compress: false },
  });
  const entries = await zipEntries(m.zip);
  assert.deepEqual(
    entries.map((e) => e.name),
    ['example.com/m@v1.0.0/a/', 'example.com/m@v1.0.0/a/b/', 'example.com/m@v1.0.0/go.mod', 'example.com/m@v1.0.0/a/b/c.go'],
  );
  assert.ok(entries.filter((e) => !e.name.endsWith('/')).every((e) => e.method === 0));
});

test('extraEntries are written verbatim: traversal names, invalid UTF-8, symlink modes, bad CRCs', async () => {
  const m = await buildModule({
    path: 'example.com/m',
    version: 'v1.0.0',
    zipOptions: {
      extraEntries: [
        { name: 'example.com/m@v1.0.0/../evil.go', data: 'package evil\n' },
        { name: Uint8Array.from([0x65, 0xff, 0x2e, 0x67, 0x6f]) },
        { name: 'example.com/m@v1.0.0/link', data: 'go.mod', mode: 0o120777 },
        { name: 'example.com/m@v1.0.0/bad.go', data: 'package bad\n', crc32: 0x12345678 },
        { name: 'example.com/m@v1.0.0/a.go', data: '1' },
        { name: 'example.com/m@v1.0.0/a.go', data: '2' },
      ],
    },
  });
  const entries = await zipEntries(m.zip);
  assert.equal(entries.length, 7);
  assert.equal(entries[1]!.name, 'example.com/m@v1.0.0/../evil.go');
  assert.deepEqual([...entries[2]!.nameRaw], [0x65, 0xff, 0x2e, 0x67, 0x6f]);
  assert.equal(entries[3]!.mode, 0o120777);
  assert.equal(entries[4]!.crc32, 0x12345678);
  assert.equal(entries[5]!.name, entries[6]!.name);
  // The stored CRC no longer matches the data (yauzl does not check CRCs; a Go reader would).
  const withData = await zipEntries(m.zip, { data: true });
  assert.equal(withData[4]!.data!.toString(), 'package bad\n');
  assert.notEqual(crc32(withData[4]!.data!), 0x12345678);
  assert.equal(crc32(withData[1]!.data!), withData[1]!.crc32);
});

test('bigModule streams a zip of roughly the requested size to a file', async (t) => {
  const dir = tempDir(t, 'bigmod');
  const size = 4 * 1024 * 1024;
  const m = await bigModule('example.com/big', 'v1.0.0', size, { dir });
  assert.equal((await stat(m.zipFile)).size, m.zipSize);
  const entries = await zipEntries(m.zipFile, { data: true });
  const content = entries.reduce((n, e) => n + e.size, 0);
  assert.ok(Math.abs(content - size) < 64 * 1024, `content ${content} ≉ ${size}`);
  assert.ok(entries.length > 60);
  assert.ok(entries.every((e) => e.name.startsWith('example.com/big@v1.0.0/')));
  // The incompressible part is stored, so the zip cannot be much smaller than ~70% of the content.
  assert.ok(m.zipSize > size * 0.65 && m.zipSize < size, `zip size ${m.zipSize}`);
  const again = await bigModule('example.com/big', 'v1.0.0', size, { dir });
  const e2 = await zipEntries(again.zipFile, { data: true });
  assert.ok(entries.every((e, i) => e.data!.equals(e2[i]!.data!)), 'same content for the same path@version');
});
