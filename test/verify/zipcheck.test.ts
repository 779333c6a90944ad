// checkZipEntries on central-directory listings. Texts of the module/version errors are x/mod's
// zip/testdata/unzip cases (xmod-formats.md "Zip errors"); the size rules are zip.go's, whose
// oracle tests (real go) live in zip-errors-oracle.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ZIP_FILE, checkZipEntries, checkZipPrefix } from '../../src/verify/zipcheck.js';
import { cleanPath } from '../../src/internal/gopath.js';
import { UnexpectedZipFileError, ZipCheckError } from '../../src/verify/ziperrors.js';

const P = 'example.com/m@v1.0.0/';
const e = (name: string | Uint8Array, uncompressedSize = 0) => ({ name, uncompressedSize });

function reason(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ZipCheckError, `unexpected error ${err}`);
    return err.message;
  }
  return '';
}

test('a non-canonical version is refused before anything else', () => {
  assert.equal(
    reason(() => checkZipEntries('example.com/m', 'v1.0.0+bad', [e('junk')], 1)),
    'version "v1.0.0+bad" is not canonical (should be "v1.0.0")',
  );
});

test('module.Check failures are reported with x/mod’s text', () => {
  assert.equal(reason(() => checkZipEntries('example.com/m', 'v2.0.0', [], 1)), 'example.com/m@v2.0.0: invalid version: should be v0 or v1, not v2');
  // The byte 0xff, as a Go string held in a JS string (src/internal/gostrconv.ts).
  assert.equal(reason(() => checkZipEntries('\uDCFF', 'v1.0.0', [], 1)), 'malformed module path "\\xff": invalid UTF-8');
});

test('entries outside the prefix are listed with the prefix they lack', () => {
  assert.equal(
    reason(() => checkZipEntries('example.com/m', 'v1.0.0', [e(P + 'go.mod'), e('example.com/m@v1.0.0')], 1)),
    'example.com/m@v1.0.0: path does not have prefix "example.com/m@v1.0.0/"',
  );
});

test('a zip over 500 MiB is refused by its own size', () => {
  assert.equal(
    reason(() => checkZipEntries('example.com/m', 'v1.0.0', [], MAX_ZIP_FILE + 1)),
    'module zip file is too large (524288001 bytes; limit is 524288000 bytes)',
  );
  assert.equal(reason(() => checkZipEntries('example.com/m', 'v1.0.0', [], MAX_ZIP_FILE)), '');
});

test('declared sizes over 500 MiB in total win over per-file errors', () => {
  const entries = [e(P + 'a', MAX_ZIP_FILE - 10), e(P + 'b', 10), e(P + 'c', 1), e(P + 'dup.go'), e(P + 'dup.go')];
  assert.equal(reason(() => checkZipEntries('example.com/m', 'v1.0.0', entries, 1000)), 'total uncompressed size of module contents too large (max size is 524288000 bytes)');
  assert.equal(reason(() => checkZipEntries('example.com/m', 'v1.0.0', entries.slice(0, 2), 1000)), '');
});

test('directory entries, the bare prefix and a directory named go.mod are fine', () => {
  const entries = [e(P), e(P + 'a/'), e(P + 'a/'), e(P + 'a/b.go', 3), e(P + 'go.mod/'), e(P + 'go.mod/x.go')];
  assert.equal(reason(() => checkZipEntries('example.com/m', 'v1.0.0', entries, 100)), '');
});

test('each invalid entry is listed on its own line, with its full name', () => {
  const entries = [e(P + 'ok.go'), e(P + 'a//b.go'), e(P + 'x/GO.MOD'), e(P + 'ok.go'), e(new Uint8Array([...Buffer.from(P), 0xfe]))];
  assert.equal(
    reason(() => checkZipEntries('example.com/m', 'v1.0.0', entries, 100)),
    [
      `${P}a//b.go: file path is not clean`,
      `${P}x/GO.MOD: go.mod file not in module root directory`,
      `${P}ok.go: multiple entries for file "ok.go"`,
      `${P}\uDCFE: malformed file path "\\xfe": invalid UTF-8`,
    ].join('\n'),
  );
});

test('a collision is found through parent directories too', () => {
  assert.equal(
    reason(() => checkZipEntries('example.com/m', 'v1.0.0', [e(P + 'Dir/a.go'), e(P + 'dir/b.go')], 100)),
    `${P}dir/b.go: case-insensitive file name collision: "Dir" and "dir"`,
  );
});

test('checkZipPrefix names the first entry without the prefix', () => {
  assert.doesNotThrow(() => checkZipPrefix('example.com/m', 'v1.0.0', [P, P + 'a']));
  assert.throws(() => checkZipPrefix('example.com/m', 'v1.0.0', [P + 'a', 'x/y', 'z']), (err: unknown) => {
    assert.ok(err instanceof UnexpectedZipFileError);
    assert.equal(err.message, 'zip for example.com/m@v1.0.0 has unexpected file x/y');
    return true;
  });
});

test('cleanPath is Go’s path.Clean', () => {
  // Cases from Go's path_test.go cleantests.
  const cases: Array<[string, string]> = [
    ['', '.'], ['abc', 'abc'], ['abc/def', 'abc/def'], ['a/b/c', 'a/b/c'], ['.', '.'], ['..', '..'],
    ['../..', '../..'], ['../../abc', '../../abc'], ['/abc', '/abc'], ['/', '/'], ['abc/', 'abc'],
    ['abc/def/', 'abc/def'], ['a/b/c/', 'a/b/c'], ['./', '.'], ['../', '..'], ['../../', '../..'],
    ['/abc/', '/abc'], ['abc//def//ghi', 'abc/def/ghi'], ['//abc', '/abc'], ['///abc', '/abc'],
    ['//abc//', '/abc'], ['abc//', 'abc'], ['abc/./def', 'abc/def'], ['/./abc/def', '/abc/def'],
    ['abc/.', 'abc'], ['abc/def/ghi/../jkl', 'abc/def/jkl'], ['abc/def/../ghi/../jkl', 'abc/jkl'],
    ['abc/def/..', 'abc'], ['abc/def/../..', '.'], ['/abc/def/../..', '/'], ['abc/def/../../..', '..'],
    ['/abc/def/../../..', '/'], ['abc/def/../../../ghi/jkl/../../../mno', '../../mno'],
    ['abc/./../def', 'def'], ['abc//./../def', 'def'], ['abc/../../././../def', '../../def'],
  ];
  for (const [input, want] of cases) assert.equal(cleanPath(input), want, input);
});
