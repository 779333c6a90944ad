// extractZip and hashZip against the real go: for module zips of several shapes, go's `Sum` must equal
// our h1 and go's extracted directory must equal ours (names, bytes, modes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildModule, bigModule, type StoredModule } from '../support/modbuilder.js';
import { assertSameTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';
import { extractZip } from '../../src/verify/extract.js';
import { hashZip } from '../../src/verify/dirhash.js';
import { goDownloadAll, zipFileOf } from './oracle.js';

const V = 'v1.0.0';

async function shapes(dir: string): Promise<Record<string, StoredModule>> {
  const tree = {
    'a.go': 'package a\n',
    'sub/b.go': 'package sub\n',
    'sub/deep/c.go': 'package deep\n',
    'empty.txt': '',
    'sub/deep/empty': '',
  };
  return {
    'nested, directory entries, deflated': await buildModule({
      path: 'example.com/shape/nested',
      version: V,
      files: tree,
      zipOptions: { dirEntries: true },
    }),
    'nested, no directory entries, stored': await buildModule({
      path: 'example.com/shape/stored',
      version: V,
      files: tree,
      zipOptions: { compress: false },
    }),
    'upper-case module path and file names': await buildModule({
      path: 'example.com/Upper/Case',
      version: 'v1.2.3-Pre.1',
      files: { 'README.md': '# Hi\n', 'Sub/X.go': 'package Sub\n', 'sub2/x.go': 'package sub2\n' },
    }),
    'no go.mod, +incompatible': await buildModule({
      path: 'example.com/shape/nogomod',
      version: 'v2.0.0+incompatible',
      goMod: null,
      files: { 'x.go': 'package x\n' },
    }),
    // U+FB01 sorts before U+10400 as UTF-8 bytes but after it as UTF-16 code units.
    'non-ASCII names whose UTF-8 and UTF-16 orders differ': await buildModule({
      path: 'example.com/shape/unicode',
      version: V,
      files: { '\u{10400}.go': 'package u\n', '\uFB01.go': 'package u\n', 'é/ü.txt': 'ü\n' },
    }),
    'symlink and executable entries become plain 0444 files': await buildModule({
      path: 'example.com/shape/links',
      version: V,
      files: { 'a.go': 'package a\n' },
      zipOptions: {
        extraEntries: [
          { name: 'example.com/shape/links@v1.0.0/link', data: 'a.go', mode: 0o120777, compress: false },
          { name: 'example.com/shape/links@v1.0.0/run.sh', data: '#!/bin/sh\n', mode: 0o100755 },
        ],
      },
    }),
    'repeated directory entries and the bare prefix entry': await buildModule({
      path: 'example.com/shape/dirs',
      version: V,
      files: { 'd/x.go': 'package d\n' },
      zipOptions: {
        extraEntries: [
          { name: 'example.com/shape/dirs@v1.0.0/', directory: true },
          { name: 'example.com/shape/dirs@v1.0.0/d/', directory: true },
          { name: 'example.com/shape/dirs@v1.0.0/d/', directory: true },
          { name: 'example.com/shape/dirs@v1.0.0/emptydir/', directory: true },
        ],
      },
    }),
    // archive/zip ignores bytes after the end-of-central-directory record and its comment; yauzl does not.
    'trailing bytes after the zip': await (async () => {
      const m = await buildModule({ path: 'example.com/shape/trailing', version: V, files: { 'a.go': 'package a\n' } });
      return { ...m, zip: Buffer.concat([m.zip, Buffer.from('trailing junk, not part of the zip')]) };
    })(),
    // Streamed entries (over 1 MiB), one deflated and one stored, both with data descriptors.
    'big files': await bigModule('example.com/shape/big', V, 6 << 20, { dir }),
  };
}

test('extractZip and hashZip agree with go mod download on zips of many shapes', async (t) => {
  const dir = tempDir(t, 'verify-shapes');
  const mods = await shapes(dir);
  const answers = await goDownloadAll(t, Object.values(mods));
  let i = 0;
  for (const [shape, m] of Object.entries(mods)) {
    await t.test(shape, async () => {
      const go = answers.get(`${m.path}@${m.version}`)!;
      assert.equal(go.Error, undefined, `go failed: ${go.Error}`);
      const zipFile = await zipFileOf(dir, m, `m${i}`);
      const target = join(dir, `x${i++}`);
      assert.equal(await hashZip(zipFile), go.Sum, 'hashZip');
      const r = await extractZip({ zipFile, path: m.path, version: m.version, targetDir: target });
      assert.equal(r.h1, go.Sum, 'extractZip h1');
      await assertSameTree(target, go.Dir!);
    });
  }
});

test('extractZip gives the same result whatever the number of streamed entries', async (t) => {
  const dir = tempDir(t, 'verify-seq');
  const line = (k: number) => `// line ${k} of a large generated file, with some variety: ${(k * 7919) % 104729}\n`;
  const bigText = (seed: number) => Array.from({ length: 30_000 }, (_, k) => line(k + seed)).join(''); // ~2 MB
  const files: Record<string, string> = Object.fromEntries(Array.from({ length: 50 }, (_, k) => [`p${k % 7}/f${k}.go`, `package p\n// ${k}\n`]));
  for (let k = 0; k < 5; k++) files[`data/big${k}.txt`] = bigText(k * 100_000);
  const m = await buildModule({ path: 'example.com/seq', version: V, files });
  const zipFile = await zipFileOf(dir, m, 'seq');
  const a = await extractZip({ zipFile, path: m.path, version: V, targetDir: join(dir, 'a'), concurrency: 1 });
  const b = await extractZip({ zipFile, path: m.path, version: V, targetDir: join(dir, 'b'), concurrency: 8 });
  assert.deepEqual(a, b);
  assert.equal(a.files, 56);
  assert.equal(a.h1, await hashZip(zipFile));
  await assertSameTree(join(dir, 'a'), join(dir, 'b'));
});
