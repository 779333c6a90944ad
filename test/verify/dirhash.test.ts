// dirhash h1 vectors from x/mod (sumdb/dirhash and zip tests), as listed in xmod-formats.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buildModule } from '../support/modbuilder.js';
import { tempDir } from '../support/tmp.js';
import { hash1, hashGoMod, hashZip, sha256, sha256Stream } from '../../src/verify/dirhash.js';
import { DirhashNewlineError } from '../../src/verify/ziperrors.js';

test('hash1 matches the x/mod vectors', () => {
  const files = (prefix: string) => [
    { name: `${prefix}xyz`, sha256: sha256('data for xyz') },
    { name: `${prefix}abc`, sha256: sha256('data for abc') },
  ];
  assert.equal(hash1(files('')), 'h1:EP6WfDoQTSk9klnxcjriWJOGztueJUywHNmWeq+efB8=');
  assert.equal(hash1(files('prefix/')), 'h1:rLyfpGMAgqOnGE2aKOY5Xb6cOc0/YQhPjHBHBwkblhs=');
  assert.equal(hash1([]), 'h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
});

test('hash1 takes digests as bytes or hex, in either case', () => {
  const d = sha256('data for abc');
  const hex = d.toString('hex');
  const want = hash1([{ name: 'abc', sha256: d }]);
  assert.equal(hash1([{ name: 'abc', sha256: hex }]), want);
  assert.equal(hash1([{ name: 'abc', sha256: hex.toUpperCase() }]), want);
  assert.equal(hash1([{ name: Buffer.from('abc'), sha256: d }]), want);
});

test('hash1 sorts names as UTF-8 bytes, not UTF-16 code units', () => {
  // U+FB01 is EF AC 81 in UTF-8, U+10400 is F0 90 90 80; in UTF-16 U+10400 (D801 DC00) comes first.
  const a = { name: '\uFB01', sha256: sha256('1') };
  const b = { name: '\u{10400}', sha256: sha256('2') };
  const summary = `${a.sha256.toString('hex')}  \uFB01\n${b.sha256.toString('hex')}  \u{10400}\n`;
  const want = 'h1:' + sha256(summary).toString('base64');
  assert.equal(hash1([b, a]), want);
  assert.equal(hash1([a, b]), want);
});

test('hash1 rejects a name with a newline with dirhash’s error', () => {
  assert.throws(() => hash1([{ name: 'a\nb', sha256: sha256('') }]), (err: unknown) => {
    assert.ok(err instanceof DirhashNewlineError);
    assert.equal(err.message, 'dirhash: filenames with newlines are not supported');
    return true;
  });
});

test('hashGoMod matches the go.mod vectors', () => {
  assert.equal(hashGoMod(''), 'h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=');
  assert.equal(hashGoMod('module example.com/m\n'), 'h1:flS2VctbRrTv+sBE+VKgxx6hlkMGPVz9MGOmzMYFg3k=');
  assert.equal(hashGoMod(Buffer.from('module example.com/m\n\ngo 1.13\n')), 'h1:UWkIka9t4wTRf5TZ+sRdwnADRAp+U7R9A2lAeNEx1cA=');
});

test('hashZip matches the x/mod zip vector, deflated or stored', async (t) => {
  const dir = tempDir(t, 'verify-dirhash');
  for (const compress of [true, false]) {
    const m = await buildModule({ path: 'example.com/m', version: 'v1.0.0', files: { 'go.mod': 'module example.com/m\n\ngo 1.13\n' }, zipOptions: { compress } });
    const file = join(dir, `m-${compress}.zip`);
    await writeFile(file, m.zip);
    assert.equal(await hashZip(file), 'h1:XduFAgX/GaspZa8Jv4pfzoGEzNaU/r88PiCunijw5ok=');
  }
});

test('sha256Stream equals sha256 of the concatenated chunks', async () => {
  const chunks = [Buffer.from('data '), Buffer.from('for '), Buffer.from('abc')];
  assert.deepEqual(await sha256Stream(Readable.from(chunks)), sha256('data for abc'));
});
