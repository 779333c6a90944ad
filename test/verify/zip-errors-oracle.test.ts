// Every way a module zip can be rejected, checked against the real go: each hostile zip is served
// from a file:// proxy to `go mod download -json`, and extractZip must fail with go's exact text,
// wrapped `unzip ZIPFILE: …` exactly when go's is, with go's Sum attached when go computed one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildModule, bigModule, type BuiltModule, type ModuleSpec, type RawZipEntry, type StoredModule } from '../support/modbuilder.js';
import { tempDir } from '../support/tmp.js';
import { extractZip } from '../../src/verify/extract.js';
import { hashZip } from '../../src/verify/dirhash.js';
import { UnzipError, ZipError } from '../../src/verify/ziperrors.js';
import { goDownloadAll, zipFileOf } from './oracle.js';
import { centralHeaders, corruptData, entryCrc, patchEntry, type EntryPatch } from './zippatch.js';

const V = 'v1.0.0';

interface Case {
  mod: StoredModule;
  /** What go must have said, as a sanity check on the fixture (a substring of go's Error). */
  expect: string;
}

const enc = (s: string): Buffer => Buffer.from(s, 'utf8');

async function mk(slug: string, spec: Omit<ModuleSpec, 'path' | 'version'>, extra: (p: string) => RawZipEntry[] = () => []): Promise<BuiltModule> {
  const path = `example.com/zerr/${slug}`;
  const p = `${path}@${V}/`;
  return buildModule({ path, version: V, ...spec, zipOptions: { ...spec.zipOptions, extraEntries: extra(p) } });
}

function patched(m: BuiltModule, patches: Record<number, EntryPatch>): BuiltModule {
  let zip = m.zip;
  for (const [i, p] of Object.entries(patches)) zip = patchEntry(zip, Number(i), p);
  return { ...m, zip };
}

const big = 'The quick brown fox jumps over the lazy dog.\n'.repeat(48_000); // ~2.1 MB, deflates to KBs

async function cases(dir: string): Promise<Record<string, Case>> {
  const a = { 'a.go': 'package a\n' };
  const ab = { 'b.go': 'package b\n', 'a.go': 'package a\n' }; // b.go is entry 1, a.go entry 2
  const desc = await bigModule('example.com/zerr/descriptor', V, 200_000, { dir });
  const descZip = await readFile(desc.zipFile);
  const textIdx = 1 + 64; // go.mod, 64 small files, then data/text.txt (deflated, with a data descriptor)
  await writeFile(desc.zipFile, patchEntry(descZip, textIdx, { crc32: entryCrc(descZip, textIdx) ^ 1 }));
  const lines = { 'a.txt': Array.from({ length: 3000 }, (_, k) => `line ${k} ${Math.sin(k)}\n`).join('') };
  const corrupt = async (slug: string, files: Record<string, string>, at: number, xor: number): Promise<BuiltModule> => {
    const m = await mk(slug, { files });
    return { ...m, zip: corruptData(m.zip, 1, at, xor) };
  };
  const gomod16 = 'module example.com/zerr/toolarge\n' + '\n'.repeat(16 << 20);
  return {
    'a file listed twice': { mod: await mk('dup', {}, (p) => [{ name: p + 'dup.go', data: 'a' }, { name: p + 'dup.go', data: 'b' }]), expect: 'multiple entries for file "dup.go"' },
    'a name that is a file and a directory': { mod: await mk('filedir', {}, (p) => [{ name: p + 'a.go', data: 'x' }, { name: p + 'a.go/b.go', data: 'y' }]), expect: 'is both a file and a directory' },
    'names equal under case folding': { mod: await mk('fold', {}, (p) => [{ name: p + 'm.go' }, { name: p + 'M.GO' }]), expect: 'case-insensitive file name collision: "m.go" and "M.GO"' },
    'go.mod in a subdirectory': { mod: await mk('submod', {}, (p) => [{ name: p + 'sub/go.mod', data: 'module x\n' }]), expect: 'go.mod file not in module root directory' },
    'GO.MOD in a subdirectory': { mod: await mk('subupper', {}, (p) => [{ name: p + 'b/GO.MOD' }]), expect: 'go.mod file not in module root directory' },
    'GO.MOD at the root': { mod: await mk('rootupper', { goMod: null }, (p) => [{ name: p + 'GO.MOD', data: 'module x\n' }]), expect: 'go.mod files must have lowercase names' },
    'a quote in a name': { mod: await mk('quote', {}, (p) => [{ name: p + "bad.go'" }]), expect: `invalid char '\\''` },
    'a .. element': { mod: await mk('dotdot', {}, (p) => [{ name: p + '../a.go' }]), expect: 'invalid path element ".."' },
    'a backslash': { mod: await mk('backslash', {}, (p) => [{ name: p + 'a\\b.go' }]), expect: `invalid char '\\\\'` },
    'unclean names (two errors, one per line)': { mod: await mk('unclean', {}, (p) => [{ name: p + 'a//b.go' }, { name: p + './c.go' }]), expect: 'file path is not clean' },
    'invalid UTF-8 in a name': { mod: await mk('utf8', {}, (p) => [{ name: Buffer.concat([enc(p), Buffer.from([0xff]), enc('.go')]) }]), expect: 'invalid UTF-8' },
    'a file outside the prefix': { mod: await mk('outside', {}, () => [{ name: 'other/a.go' }]), expect: 'has unexpected file other/a.go' },
    'a newline in a name': { mod: await mk('newline', {}, (p) => [{ name: p + 'a\nb.go' }]), expect: 'dirhash: filenames with newlines' },
    'a CRC mismatch (deflated)': { mod: patched(await mk('crc', { files: a }), { 1: { crc32: 1 } }), expect: 'zip: checksum error' },
    'a CRC mismatch (stored)': { mod: patched(await mk('crcstored', { files: a, zipOptions: { compress: false } }), { 1: { crc32: 1 } }), expect: 'zip: checksum error' },
    'a CRC mismatch in a data descriptor entry': { mod: desc, expect: 'zip: checksum error' },
    'a declared size too small': { mod: patched(await mk('small', { files: a }), { 1: { uncompressedSize: 3 } }), expect: 'zip: not a valid zip file' },
    'a declared size too large': { mod: patched(await mk('large', { files: a }), { 1: { uncompressedSize: 100 } }), expect: 'unexpected EOF' },
    'a streamed entry larger than declared': { mod: patched(await mk('bigsmall', { files: { 'big.txt': big } }), { 1: { uncompressedSize: 1_500_000 } }), expect: 'zip: not a valid zip file' },
    'a streamed entry smaller than declared': { mod: patched(await mk('biglarge', { files: { 'big.txt': big } }), { 1: { uncompressedSize: 3_000_000 } }), expect: 'unexpected EOF' },
    'an unsupported compression method': { mod: patched(await mk('method', { files: a }), { 1: { method: 12 } }), expect: 'zip: unsupported compression algorithm' },
    'a broken local header': { mod: patched(await mk('localsig', { files: a }), { 1: { localSignature: 0x12345678 } }), expect: 'zip: not a valid zip file' },
    'a directory entry with content': { mod: patched(await mk('dirdata', {}, (p) => [{ name: p + 'd/', directory: true }]), { 1: { uncompressedSize: 5 } }), expect: 'zip: not a valid zip file' },
    'the first error in sorted order wins (size)': { mod: patched(await mk('order1', { files: ab }), { 1: { crc32: 1 }, 2: { uncompressedSize: 3 } }), expect: 'zip: not a valid zip file' },
    'the first error in sorted order wins (crc)': { mod: patched(await mk('order2', { files: ab }), { 1: { uncompressedSize: 3 }, 2: { crc32: 1 } }), expect: 'zip: checksum error' },
    'a content error beats a rule error': { mod: patched(await mk('hashfirst', { files: a }, (p) => [{ name: p + 'd.go' }, { name: p + 'd.go' }]), { 1: { crc32: 1 } }), expect: 'zip: checksum error' },
    'corrupt deflate data at the start': { mod: await corrupt('flate0', lines, 0, 0xff), expect: 'flate: corrupt input before offset 5' },
    'corrupt deflate data further in': { mod: await corrupt('flate1', lines, 5, 16), expect: 'flate: corrupt input before offset' },
    'corrupt deflate data later still': { mod: await corrupt('flate2', lines, 3000, 1), expect: 'flate: corrupt input before offset' },
    'corrupt deflate data in a streamed entry': { mod: await corrupt('flate3', { 'big.txt': big }, 20, 64), expect: 'flate: corrupt input before offset' },
    'go.mod and LICENSE over 16 MiB': {
      mod: await buildModule({ path: 'example.com/zerr/toolarge', version: V, files: { 'go.mod': gomod16, LICENSE: Buffer.alloc((16 << 20) + 1) } }),
      expect: 'LICENSE file too large (max size is 16777216 bytes)',
    },
    'a truncated zip': { mod: await (async () => { const m = await mk('truncated', { files: a }); return { ...m, zip: m.zip.subarray(0, centralHeaders(m.zip)[0]! + 10) }; })(), expect: 'zip: not a valid zip file' },
  };
}

/** go's JSON output turns bytes that are not UTF-8 into U+FFFD; ours keep them as U+DC80–U+DCFF. */
const asJson = (s: string): string => s.replace(/[\uDC80-\uDCFF]/g, '\uFFFD');

test('extractZip rejects hostile module zips with go mod download’s errors', async (t) => {
  const dir = tempDir(t, 'verify-errors');
  const all = await cases(dir);
  const answers = await goDownloadAll(t, Object.values(all).map((c) => c.mod));
  let i = 0;
  for (const [name, { mod, expect }] of Object.entries(all)) {
    await t.test(name, async () => {
      const go = answers.get(`${mod.path}@${mod.version}`)!;
      assert.ok(go.Error?.includes(expect), `fixture: go said ${JSON.stringify(go.Error)}, expected it to mention ${JSON.stringify(expect)}`);
      const zipFile = await zipFileOf(dir, mod, `z${i}`);
      const targetDir = join(dir, `t${i++}`);
      const err = await extractZip({ zipFile, path: mod.path, version: mod.version, targetDir, zipName: go.Zip }).then(
        () => assert.fail('extractZip succeeded'),
        (e: unknown) => e as Error,
      );
      assert.ok(err instanceof ZipError, `not a typed zip error: ${err}`);
      assert.equal(asJson(err.message), go.Error);
      if (go.Error!.startsWith('unzip ')) {
        assert.ok(err instanceof UnzipError);
        assert.equal(err.h1, go.Sum, 'the hash go computed before unzipping');
        assert.equal(await hashZip(zipFile), go.Sum, 'hashZip');
      } else {
        assert.ok(!(err instanceof UnzipError), 'go reports this before unzipping, unwrapped');
        if (!go.Error!.startsWith('zip for ')) await assert.rejects(hashZip(zipFile), { message: go.Error });
      }
    });
  }
});

test('a zip that fails while extracting leaves files only inside targetDir', async (t) => {
  const dir = tempDir(t, 'verify-partial');
  const files = Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`p/f${String(k).padStart(2, '0')}.go`, `package p // ${k}\n`]));
  const m = await buildModule({ path: 'example.com/partial', version: V, files });
  const zipFile = join(dir, 'm.zip');
  await writeFile(zipFile, patchEntry(m.zip, 40, { crc32: 7 }));
  const targetDir = join(dir, 'stage');
  await assert.rejects(extractZip({ zipFile, path: m.path, version: V, targetDir, concurrency: 1 }), { message: 'zip: checksum error', code: 'EZIPCHECKSUM' });
  assert.deepEqual((await readdir(dir)).sort(), ['m.zip', 'stage']);
  assert.ok((await readdir(join(targetDir, 'p'))).length > 0, 'files before the bad entry were written, into targetDir');
});
