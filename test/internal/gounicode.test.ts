// Go's Unicode predicates and case folding over JavaScript's tables, pinned to Go 1.26 (Unicode
// 15.0.0). The digests are SHA-256 of tables dumped from Go 1.26 by a throwaway program (unicode.IsPrint
// and unicode.IsLetter as one byte per code point 0..U+10FFFF, and the smallest rune of each code
// point's unicode.SimpleFold orbit as uint32 little-endian); the fold table was printed by Go for the
// same strings (orbit minimum per rune, before x/mod's A–Z lowering).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { isLetter, isPrint, simpleFoldMin } from '../../src/internal/gostrconv.js';
import { toFold } from '../../src/module/index.js';

const MAX = 0x110000;
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function table(f: (r: number) => boolean): Uint8Array {
  const out = new Uint8Array(MAX);
  for (let r = 0; r < MAX; r++) out[r] = f(r) ? 1 : 0;
  return out;
}

test('isPrint agrees with Go 1.26 unicode.IsPrint on every code point', () => {
  assert.equal(sha256(table(isPrint)), 'a24a109bc8e347f9490466c59e4160d0dc9dd1006a5be9a4c91af71cd2e7fa99');
});

test('isLetter agrees with Go 1.26 unicode.IsLetter on every code point', () => {
  assert.equal(sha256(table(isLetter)), '08dc43075a56661a3cdf3ad72e163b2cea2197db7f5b30bf7242c2c9351cbdb8');
});

test('simpleFoldMin agrees with Go 1.26 SimpleFold orbits on every code point', () => {
  const buf = new Uint8Array(MAX * 4);
  const view = new DataView(buf.buffer);
  for (let r = 0; r < MAX; r++) view.setUint32(r * 4, simpleFoldMin(r), true);
  assert.equal(sha256(buf), '3e31982a09e1b53aaf1e42d5d018e9232925ee1fafe41010f6e077fc87493b06');
});

// [string, each rune replaced by the smallest rune of its SimpleFold orbit] as printed by Go.
const FOLDS: Array<[string, string]> = [
  ["abc","ABC"],
  ["ABC","ABC"],
  ["M.GO","M.GO"],
  ["m.go","M.GO"],
  ["K","K"],
  ["k","K"],
  ["K","K"],
  ["ſ","S"],
  ["s","S"],
  ["S","S"],
  ["ß","ß"],
  ["ẞ","ß"],
  ["σ","Σ"],
  ["ς","Σ"],
  ["Σ","Σ"],
  ["µ","µ"],
  ["μ","µ"],
  ["Μ","µ"],
  ["ı","ı"],
  ["İ","İ"],
  ["i","I"],
  ["Ǆ","Ǆ"],
  ["ǅ","Ǆ"],
  ["ǆ","Ǆ"],
  ["Å","Å"],
  ["å","Å"],
  ["Å","Å"],
  ["θ","Θ"],
  ["ϑ","Θ"],
  ["ϴ","Θ"],
  ["ẛ","Ṡ"],
  ["ͅ","ͅ"],
  ["ι","ͅ"],
  ["ι","ͅ"],
  ["Ω","Ω"],
  ["ω","Ω"],
  ["Ɤ","Ɤ"],
  ["ɤ","ɤ"],
  ["𐵰","𐵰"],
  ["𐐀","𐐀"],
  ["𐐨","𐐀"],
  ["𞤀","𞤀"],
  ["𞤢","𞤀"],
  ["Go.Mod","GO.MOD"],
  ["Ａ","Ａ"],
  ["ａ","Ａ"],
  ["x\udcffy","X�Y"],
  ["cafÉ","CAFÉ"],
  ["ΐ","ΐ"],
  ["ΐ","ΐ"],
  ["ᲀ","В"],
  ["в","В"],
];

test('toFold maps each rune to its orbit minimum, then lowers A-Z, as x/mod strToFold', () => {
  for (const [s, goMin] of FOLDS) {
    assert.equal(toFold(s), goMin.replace(/[A-Z]/g, (c) => c.toLowerCase()), JSON.stringify(s));
  }
});

test('toFold makes the zip collision examples collide', () => {
  assert.equal(toFold('M.GO'), toFold('m.go'));
  assert.equal(toFold('\u212a.go'), toFold('k.go'));
  assert.equal(toFold('\u017f'), toFold('S'));
  assert.notEqual(toFold('\u00df'), toFold('ss'));
  assert.notEqual(toFold('\u0131'), toFold('i'));
});
