// Go's strings.Fields and x/mod's MustQuote as gomod-dl scans them, by UTF-16 unit: every space Go
// knows is in the BMP, so a surrogate (paired or, for a raw byte, alone) is never one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fields } from '../../src/modfile/text.js';
import { mustQuote } from '../../src/modfile/directives.js';

test('fields splits on Go white space (U+0085, U+00A0, U+2000-U+200A, U+3000…), not on U+FEFF or surrogates', () => {
  const cases: Array<[string, string[]]> = [
    ['', []],
    [' \t\n ', []],
    ['a b\tc', ['a', 'b', 'c']],
    ['  a  ', ['a']],
    ['a\u0085b\u00a0c\u2000d\u200ae\u3000f', ['a', 'b', 'c', 'd', 'e', 'f']],
    ['a\ufeffb', ['a\ufeffb']],
    ['x \ud83d\ude00 y', ['x', '\ud83d\ude00', 'y']],
    ['\udcff a\ud800', ['\udcff', 'a\ud800']],
    ['m v1.0.0 h1:abc=', ['m', 'v1.0.0', 'h1:abc=']],
  ];
  for (const [s, want] of cases) assert.deepEqual(fields(s), want, JSON.stringify(s));
});

test('mustQuote: space, quotes, comment starts, brackets in a longer token, unprintable runes; not raw bytes', () => {
  const cases: Array<[string, boolean]> = [
    ['example.com/m', false],
    ['', true],
    ['a b', true],
    ['a"b', true],
    ["a'b", true],
    ['a`b', true],
    ['a//b', true],
    ['a/*b', true],
    ['(', false],
    ['(a', true],
    ['a,b', true],
    ['a\tb', true],
    ['a\x7fb', true],
    ['é', false],
    ['\ud83d\ude00', false], // a pair: one printable rune
    ['\u00ad', true], // soft hyphen: not printable in Go
    ['a\u200bb', true], // zero width space: a format character
    ['\udcff', false], // a raw byte: go decodes U+FFFD, printable
  ];
  for (const [s, want] of cases) assert.equal(mustQuote(s), want, JSON.stringify(s));
});
