// Go toolchain versions; expected values printed by Go 1.26's go/version (Compare, IsValid, Lang),
// which wraps internal/gover, for the same inputs with "go" prepended.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goCompare, goIsLang, goIsValid, goLang, goMax } from '../../src/module/index.js';

// [x, y, Compare(x, y), IsValid(x), Lang(x) with its "go" prefix].
const VERSIONS: Array<[string, string, number, boolean, string]> = [
  ["1.21","1.21rc1",-1,true,"go1.21"],
  ["1.21rc1","1.21.0",-1,true,"go1.21"],
  ["1.21.0","1.21.1",-1,true,"go1.21"],
  ["1.20","1.20.0",0,true,"go1.20"],
  ["1.20rc1","1.20",-1,true,"go1.20"],
  ["1.19","1.2",1,true,"go1.19"],
  ["1","1.0.0",0,true,"go1"],
  ["1.0","1",0,true,"go1"],
  ["1.2beta1","1.2rc1",-1,true,"go1.2"],
  ["1.2alpha1","1.2beta1",-1,true,"go1.2"],
  ["1.21rc2","1.21rc10",-1,true,"go1.21"],
  ["bad","1.21",-1,false,""],
  ["bad","worse",0,false,""],
  ["1.2.beta1","1.2",-1,false,""],
  ["v1.2","1.2",-1,false,""],
  ["01.2","1.2",-1,false,""],
  ["1.02","1.2",-1,false,""],
  ["1.2.03","1.2",-1,false,""],
  ["1.21.0","1.21",1,true,"go1.21"],
  ["1.21rc","1.21rc1",-1,true,"go1.21"],
  ["1.21rc","1.21",1,true,"go1.21"],
  ["1.21x1","1.21rc1",1,true,"go1.21"],
  ["2","1.999",1,true,"go2.0"],
  ["1.100","1.99",1,true,"go1.100"],
  ["1.21.3","1.21",1,true,"go1.21"],
  ["1.21rc1x","1.21",-1,false,""],
  ["","",0,false,""],
  ["1.2.3.4","1.2",-1,false,""],
  ["1.21RC1","1.21",-1,false,""],
  ["1.21.","1.21",-1,false,""],
  ["1.","1",-1,false,""],
  ["1.21rc01","1.21",-1,false,""],
  ["10.0.0","9.99.99",1,true,"go10.0"],
  ["1.22.333","1.22.0",1,true,"go1.22"],
  ["1.0.1","1.0",1,true,"go1"],
];

test('goCompare, goIsValid and goLang match go/version', () => {
  for (const [x, y, c, valid, lang] of VERSIONS) {
    assert.equal(goCompare(x, y), c, `goCompare(${x}, ${y})`);
    assert.equal(goCompare(y, x), -c || 0, `goCompare(${y}, ${x})`);
    assert.equal(goIsValid(x), valid, `goIsValid(${x})`);
    assert.equal(goLang(x), lang.replace(/^go/, ''), `goLang(${x})`);
  }
});

test('goMax and goIsLang follow goCompare and the language-version rule', () => {
  assert.equal(goMax('1.21rc1', '1.21'), '1.21rc1');
  assert.equal(goMax('1.20', '1.20.0'), '1.20');
  assert.deepEqual(['1.21', '1.21.0', '1.21rc1', '1', 'bad'].map(goIsLang), [true, false, false, false, false]);
});
