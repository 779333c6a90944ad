// extractZip's contract with its caller (staging directory, abort, counts) and makeTreeReadOnly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { IN_MEMORY_ZIP } from '../../src/verify/zipdir.js';
import { join } from 'node:path';
import { buildModule } from '../support/modbuilder.js';
import { tempDir } from '../support/tmp.js';
import { snapshotTree } from '../support/tree.js';
import { extractZip, makeTreeReadOnly } from '../../src/verify/extract.js';
import { hashZip } from '../../src/verify/dirhash.js';
import { UnzipError, ZipFormatError } from '../../src/verify/ziperrors.js';

const V = 'v1.0.0';

async function moduleZip(dir: string, files: Record<string, string>): Promise<string> {
  const m = await buildModule({ path: 'example.com/m', version: V, files });
  const zipFile = join(dir, 'm.zip');
  await writeFile(zipFile, m.zip);
  return zipFile;
}

test('extractZip counts the files and bytes it wrote', async (t) => {
  const dir = tempDir(t, 'verify-count');
  const zipFile = await moduleZip(dir, { 'a.go': 'package a\n', 'b/c.txt': 'hello', 'e': '' });
  const r = await extractZip({ zipFile, path: 'example.com/m', version: V, targetDir: join(dir, 't') });
  assert.deepEqual({ files: r.files, bytes: r.bytes }, { files: 4, bytes: 'module example.com/m\n'.length + 10 + 5 });
  assert.equal(r.h1, await hashZip(zipFile));
});

test('a small zip read positionally (the calling thread\'s way) gives the same result and tree as one read whole', async (t) => {
  const dir = tempDir(t, 'verify-positional');
  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++) files[`p${i % 4}/f${i}.go`] = `package p // ${randomBytes(64).toString('hex')}\n`;
  files['big.txt'] = randomBytes(700 << 10).toString('hex'); // a large entry: read in chunks
  const zipFile = await moduleZip(dir, files);
  const whole = await extractZip({ zipFile, path: 'example.com/m', version: V, targetDir: join(dir, 'whole') });
  const positional = await extractZip({ zipFile, path: 'example.com/m', version: V, targetDir: join(dir, 'pos'), positional: true });
  assert.deepEqual(positional, whole);
  assert.equal(whole.h1, await hashZip(zipFile));
  assert.deepEqual(await snapshotTree(join(dir, 'pos')), await snapshotTree(join(dir, 'whole')));
});

test('a non-empty target directory is an unzip error that still carries the hash', async (t) => {
  const dir = tempDir(t, 'verify-nonempty');
  const zipFile = await moduleZip(dir, { 'a.go': 'package a\n' });
  const targetDir = join(dir, 't');
  await mkdir(targetDir);
  await writeFile(join(targetDir, 'stray'), '');
  const err = await extractZip({ zipFile, path: 'example.com/m', version: V, targetDir, zipName: '/cache/m.zip' }).catch((e: unknown) => e);
  assert.ok(err instanceof UnzipError);
  assert.equal(err.message, `unzip /cache/m.zip: target directory ${targetDir} exists and is not empty`);
  assert.equal(err.h1, await hashZip(zipFile));
  assert.deepEqual(await readdir(targetDir), ['stray']);
});

test('an empty existing target directory is used', async (t) => {
  const dir = tempDir(t, 'verify-empty');
  const zipFile = await moduleZip(dir, { 'a.go': 'package a\n' });
  const targetDir = join(dir, 't');
  await mkdir(targetDir);
  await extractZip({ zipFile, path: 'example.com/m', version: V, targetDir });
  assert.deepEqual((await readdir(targetDir)).sort(), ['a.go', 'go.mod']);
});

test('a file that is not a zip is a format error and nothing is created', async (t) => {
  const dir = tempDir(t, 'verify-notzip');
  const zipFile = join(dir, 'm.zip');
  await writeFile(zipFile, 'this is not a zip file at all');
  await assert.rejects(extractZip({ zipFile, path: 'example.com/m', version: V, targetDir: join(dir, 't') }), ZipFormatError);
  assert.deepEqual(await readdir(dir), ['m.zip']);
});

test('an aborted extraction rejects with the abort reason', async (t) => {
  const dir = tempDir(t, 'verify-abort');
  const files = Object.fromEntries(Array.from({ length: 200 }, (_, k) => [`f${k}.go`, `package p // ${k}\n`]));
  const zipFile = await moduleZip(dir, files);
  const ac = new AbortController();
  const reason = new Error('stop');
  const p = extractZip({ zipFile, path: 'example.com/m', version: V, targetDir: join(dir, 't'), signal: ac.signal, concurrency: 1 });
  ac.abort(reason);
  await assert.rejects(p, (err: unknown) => err === reason);
});

test('makeTreeReadOnly removes write bits from every directory and leaves files alone', async (t) => {
  const dir = tempDir(t, 'verify-ro');
  const zipFile = await moduleZip(dir, { 'a/b/c.go': 'package b\n', 'd/e.go': 'package d\n' });
  const targetDir = join(dir, 't');
  await extractZip({ zipFile, path: 'example.com/m', version: V, targetDir });
  await makeTreeReadOnly(targetDir);
  for (const d of ['', 'a', 'a/b', 'd']) {
    const mode = (await stat(join(targetDir, d))).mode & 0o777;
    assert.equal(mode & 0o222, 0, `${d || '.'} is ${mode.toString(8)}`);
    assert.equal(mode & 0o555, 0o555 & ~process.umask(), `${d || '.'} keeps its read/search bits`);
  }
  assert.equal((await stat(join(targetDir, 'a/b/c.go'))).mode & 0o777, 0o444);
  // root ignores permission bits; everyone else must be refused.
  if (process.getuid?.() !== 0) await assert.rejects(writeFile(join(targetDir, 'a/new'), ''), { code: 'EACCES' });
});

test('a zip larger than IN_MEMORY_ZIP (read from its file, entry by entry): every file comes out whole, stored or deflated', async (t) => {
  const dir = tempDir(t, 'big-positional');
  for (const compress of [false, true]) {
    // Random text of varied sizes: each small entry's data is a view of the reader's reused buffer.
    const files: Record<string, string> = {};
    let total = 0;
    for (let i = 0; total < (compress ? 2.4 : 1.2) * IN_MEMORY_ZIP; i++) {
      const text = randomBytes(200 + ((i * 7919) % 6000)).toString('hex');
      files[`d${i % 17}/f${i}.txt`] = text;
      total += text.length;
    }
    const m = await buildModule({ path: 'example.com/big', version: 'v1.0.0', files, zipOptions: { compress } });
    assert.ok(m.zip.length > IN_MEMORY_ZIP, `zip of ${m.zip.length} bytes`);
    const zipFile = join(dir, `m-${compress}.zip`);
    await writeFile(zipFile, m.zip);
    const target = join(dir, `t-${compress}`);
    const r = await extractZip({ zipFile, path: 'example.com/big', version: 'v1.0.0', targetDir: target });
    assert.equal(r.h1, await hashZip(zipFile));
    for (const [name, text] of Object.entries(files)) assert.equal(await readFile(join(target, name), 'utf8'), text, `${compress ? 'deflated' : 'stored'}: ${name}`);
  }
});
