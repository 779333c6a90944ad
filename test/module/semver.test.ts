// Go semver; the first table is x/mod semver_test.go's ordered list (written out here as our own
// table), the others were printed by x/mod (Go 1.26's vendored copy) for the same inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { build, canonical, compare, isValid, major, majorMinor, max, prerelease, sortVersions } from '../../src/module/index.js';

// [version, canonical or "" if invalid], in ascending order; equal canonical forms compare equal.
const ORDERED: Array<[string, string]> = [
  ['bad', ''],
  ['v1-alpha.beta.gamma', ''],
  ['v1-pre', ''],
  ['v1+meta', ''],
  ['v1-pre+meta', ''],
  ['v1.2-pre', ''],
  ['v1.2+meta', ''],
  ['v1.2-pre+meta', ''],
  ['v1.0.0-alpha', 'v1.0.0-alpha'],
  ['v1.0.0-alpha.1', 'v1.0.0-alpha.1'],
  ['v1.0.0-alpha.beta', 'v1.0.0-alpha.beta'],
  ['v1.0.0-beta', 'v1.0.0-beta'],
  ['v1.0.0-beta.2', 'v1.0.0-beta.2'],
  ['v1.0.0-beta.11', 'v1.0.0-beta.11'],
  ['v1.0.0-rc.1', 'v1.0.0-rc.1'],
  ['v1', 'v1.0.0'],
  ['v1.0', 'v1.0.0'],
  ['v1.0.0', 'v1.0.0'],
  ['v1.2', 'v1.2.0'],
  ['v1.2.0', 'v1.2.0'],
  ['v1.2.3-456', 'v1.2.3-456'],
  ['v1.2.3-456.789', 'v1.2.3-456.789'],
  ['v1.2.3-456-789', 'v1.2.3-456-789'],
  ['v1.2.3-456a', 'v1.2.3-456a'],
  ['v1.2.3-pre', 'v1.2.3-pre'],
  ['v1.2.3-pre+meta', 'v1.2.3-pre'],
  ['v1.2.3-pre.1', 'v1.2.3-pre.1'],
  ['v1.2.3-zzz', 'v1.2.3-zzz'],
  ['v1.2.3', 'v1.2.3'],
  ['v1.2.3+meta', 'v1.2.3'],
  ['v1.2.3+meta-pre', 'v1.2.3'],
  ['v1.2.3+meta-pre.sha.256a', 'v1.2.3'],
];

test('isValid and canonical follow the ordered table', () => {
  for (const [v, c] of ORDERED) {
    assert.equal(isValid(v), c !== '', v);
    assert.equal(canonical(v), c, v);
  }
});

test('compare orders the table by position, equal canonical forms as 0', () => {
  ORDERED.forEach(([vi, ci], i) => {
    ORDERED.forEach(([vj, cj], j) => {
      const want = ci === cj ? 0 : i < j ? -1 : 1;
      assert.equal(compare(vi, vj), want, `compare(${vi}, ${vj})`);
    });
  });
});

test('max returns the later canonical form, the second on ties', () => {
  ORDERED.forEach(([vi, ci], i) => {
    ORDERED.forEach(([vj, cj], j) => assert.equal(max(vi, vj), i < j ? cj : ci, `max(${vi}, ${vj})`));
  });
});

// [v, isValid, canonical, major, majorMinor, prerelease, build] as printed by x/mod.
const PARTS: Array<[string, boolean, string, string, string, string, string]> = [
  ["bad",false,"","","","",""],
  ["v1-alpha.beta.gamma",false,"","","","",""],
  ["v1-pre",false,"","","","",""],
  ["v1+meta",false,"","","","",""],
  ["v1-pre+meta",false,"","","","",""],
  ["v1.2-pre",false,"","","","",""],
  ["v1.2+meta",false,"","","","",""],
  ["v1.2-pre+meta",false,"","","","",""],
  ["v1.0.0-alpha",true,"v1.0.0-alpha","v1","v1.0","-alpha",""],
  ["v1",true,"v1.0.0","v1","v1.0","",""],
  ["v1.0",true,"v1.0.0","v1","v1.0","",""],
  ["v1.2",true,"v1.2.0","v1","v1.2","",""],
  ["v1.2.3-456.789",true,"v1.2.3-456.789","v1","v1.2","-456.789",""],
  ["v1.2.3-pre+meta",true,"v1.2.3-pre","v1","v1.2","-pre","+meta"],
  ["v1.2.3+meta-pre.sha.256a",true,"v1.2.3","v1","v1.2","","+meta-pre.sha.256a"],
  ["",false,"","","","",""],
  ["v",false,"","","","",""],
  ["1.2.3",false,"","","","",""],
  ["V1.2.3",false,"","","","",""],
  ["v01.2.3",false,"","","","",""],
  ["v1.02.3",false,"","","","",""],
  ["v1.2.03",false,"","","","",""],
  ["v0.0.0",true,"v0.0.0","v0","v0.0","",""],
  ["v1.2.3-01",false,"","","","",""],
  ["v1.2.3-0a",true,"v1.2.3-0a","v1","v1.2","-0a",""],
  ["v1.2.3-a.01",false,"","","","",""],
  ["v1.2.3+01",true,"v1.2.3","v1","v1.2","","+01"],
  ["v1.2.3-",false,"","","","",""],
  ["v1.2.3+",false,"","","","",""],
  ["v1.2.3-a..b",false,"","","","",""],
  ["v1.2.3+a..b",false,"","","","",""],
  ["v1.2.3-a.",false,"","","","",""],
  ["v1.2.3-_",false,"","","","",""],
  ["v1.2.3+incompatible",true,"v1.2.3","v1","v1.2","","+incompatible"],
  ["v2.0.0+incompatible",true,"v2.0.0","v2","v2.0","","+incompatible"],
  ["v1.2.3.4",false,"","","","",""],
  ["v1.2.3 ",false,"","","","",""],
  ["v1.2.3-pre+meta+more",false,"","","","",""],
  ["v99999999999999999999.0.0",true,"v99999999999999999999.0.0","v99999999999999999999","v99999999999999999999.0","",""],
  ["v1.2.99999999999999999",true,"v1.2.99999999999999999","v1","v1.2","",""],
  ["v1.10",true,"v1.10.0","v1","v1.10","",""],
  ["v1.2.3-a-b.c-d",true,"v1.2.3-a-b.c-d","v1","v1.2","-a-b.c-d",""],
  ["v1.0.0-é",false,"","","","",""],
  ["v1.2.3+-",true,"v1.2.3","v1","v1.2","","+-"],
  ["v1.2.3--",true,"v1.2.3--","v1","v1.2","--",""],
];

test('isValid, canonical, major, majorMinor, prerelease and build match x/mod', () => {
  for (const [v, ok, c, mj, mm, pre, b] of PARTS) {
    assert.deepEqual(
      [isValid(v), canonical(v), major(v), majorMinor(v), prerelease(v), build(v)],
      [ok, c, mj, mm, pre, b],
      JSON.stringify(v),
    );
  }
});

// [v, w, compare(v, w), max(v, w)] as printed by x/mod; numbers beyond 2^53 included.
const PAIRS: Array<[string, string, number, string]> = [
  ["v1","v1",0,"v1.0.0"],
  ["v2","v1",1,"v2.0.0"],
  ["v1.19","v1.2",1,"v1.19.0"],
  ["bad","v1",-1,"v1.0.0"],
  ["bad","worse",0,""],
  ["v1.0.0","v1.0.0+meta",0,"v1.0.0"],
  ["v1","v1.0.0",0,"v1.0.0"],
  ["v1.0.0-99999999999999999999","v1.0.0-100000000000000000000",-1,"v1.0.0-100000000000000000000"],
  ["v1.0.0-B","v1.0.0-a",-1,"v1.0.0-a"],
  ["v1.0.0-1","v1.0.0-a",-1,"v1.0.0-a"],
  ["v1.0.0-a","v1.0.0-a.0",-1,"v1.0.0-a.0"],
  ["v1.0.0-rc.1","v1.0.0",-1,"v1.0.0"],
  ["v10.0.0","v9.0.0",1,"v10.0.0"],
  ["v1.0.0-alpha.beta","v1.0.0-beta",-1,"v1.0.0-beta"],
  ["v1.0.0-beta.11","v1.0.0-beta.2",1,"v1.0.0-beta.11"],
  ["v1.2.3+incompatible","v1.2.3",0,"v1.2.3"],
  ["v1.2.3+b","v1.2.3+a",0,"v1.2.3"],
  ["v0.0.0-20200101000000-abcdef","v0.0.0",-1,"v0.0.0"],
  ["","v0.0.0",-1,"v0.0.0"],
  ["v1.2","v1.2.0-pre",1,"v1.2.0"],
];

test('compare and max match x/mod, with unbounded numbers', () => {
  for (const [v, w, c, m] of PAIRS) {
    assert.equal(compare(v, w), c, `compare(${v}, ${w})`);
    assert.equal(compare(w, v), -c || 0, `compare(${w}, ${v})`);
    assert.equal(max(v, w), m, `max(${v}, ${w})`);
  }
});

test('sortVersions puts invalid first and breaks ties by string order', () => {
  const list = ['v1.0.0+a', 'v1.0.0', 'v1', 'bad', 'v0.9.0', 'aaa', 'v1.0.0-rc.1'];
  assert.deepEqual(sortVersions(list), ['aaa', 'bad', 'v0.9.0', 'v1.0.0-rc.1', 'v1', 'v1.0.0', 'v1.0.0+a']);
});

const version = fc.oneof(
  fc.constantFrom(...ORDERED.map(([v]) => v), ...PARTS.map(([v]) => v)),
  fc
    .tuple(fc.nat(12), fc.nat(12), fc.nat(12), fc.option(fc.constantFrom('-rc.1', '-1', '-a.b', '-0.2'), { nil: '' }))
    .map(([a, b, c, p]) => `v${a}.${b}.${c}${p}`),
);

test('sortVersions yields a total order: sorted output is the same for every input order', () => {
  fc.assert(
    fc.property(fc.array(version, { maxLength: 12 }), (list) => {
      const once = sortVersions([...list]);
      assert.deepEqual(sortVersions([...list].reverse()), once);
      for (let i = 1; i < once.length; i++) assert.ok(compare(once[i - 1]!, once[i]!) <= 0);
    }),
  );
});

test('compare is antisymmetric and transitive', () => {
  fc.assert(
    fc.property(version, version, version, (a, b, c) => {
      if (compare(a, b) !== (-compare(b, a) || 0)) assert.fail(`not antisymmetric: ${a} ${b}`);
      if (compare(a, b) <= 0 && compare(b, c) <= 0 && compare(a, c) > 0) assert.fail(`not transitive: ${a} ${b} ${c}`);
    }),
    { numRuns: 2000 },
  );
});

// x/mod's hand-written scanner (semver.go parse), kept here as the reference the one regular
// expression of src/module/semver.ts is checked against on random strings of version characters.
function referenceParse(v: string): { major: string; minor: string; patch: string; short: string; prerelease: string; build: string } | undefined {
  const digit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  const identChar = (c: string): boolean => /^[0-9A-Za-z-]$/.test(c);
  const badNum = (s: string): boolean => s.length > 1 && s[0] === '0' && /^[0-9]*$/.test(s);
  const scanInt = (i: number): number => {
    if (!digit(v[i])) return -1;
    let j = i + 1;
    while (digit(v[j])) j++;
    return v[i] === '0' && j !== i + 1 ? -1 : j;
  };
  const scanIdents = (i: number, pre: boolean): number => {
    let j = i + 1;
    let start = j;
    const end = (k: number): boolean => start !== k && !(pre && badNum(v.slice(start, k)));
    while (j < v.length && !(pre && v[j] === '+')) {
      if (v[j] === '.') {
        if (!end(j)) return -1;
        start = j + 1;
      } else if (!identChar(v[j]!)) return -1;
      j++;
    }
    return end(j) ? j : -1;
  };
  if (v[0] !== 'v') return undefined;
  const p = { major: '', minor: '0', patch: '0', short: '', prerelease: '', build: '' };
  let i = scanInt(1);
  if (i < 0) return undefined;
  p.major = v.slice(1, i);
  if (i === v.length) return { ...p, short: '.0.0' };
  if (v[i] !== '.') return undefined;
  let j = scanInt(i + 1);
  if (j < 0) return undefined;
  p.minor = v.slice(i + 1, j);
  if (j === v.length) return { ...p, short: '.0' };
  if (v[j] !== '.') return undefined;
  i = j;
  j = scanInt(i + 1);
  if (j < 0) return undefined;
  p.patch = v.slice(i + 1, j);
  if (v[j] === '-') {
    i = j;
    j = scanIdents(i, true);
    if (j < 0) return undefined;
    p.prerelease = v.slice(i, j);
  }
  if (v[j] === '+') {
    i = j;
    j = scanIdents(i, false);
    if (j < 0) return undefined;
    p.build = v.slice(i, j);
  }
  return j === v.length ? p : undefined;
}

test('canonical, major, majorMinor, prerelease and build agree with x/mod\'s scanner on random versions', () => {
  const num = fc.oneof({ arbitrary: fc.constantFrom('0', '1', '12'), weight: 8 }, { arbitrary: fc.constantFrom('00', '01', ''), weight: 1 });
  const ident = fc.oneof(
    { arbitrary: fc.constantFrom('0', '1', 'a', 'rc', '0a', 'a-b', '-', 'Z9', '20200313102051'), weight: 8 },
    { arbitrary: fc.constantFrom('01', '', '_', ' '), weight: 1 },
  );
  const idents = fc.array(ident, { minLength: 1, maxLength: 3 }).map((xs) => xs.join('.'));
  const structured = fc
    .tuple(num, fc.option(num), fc.option(num), fc.option(idents), fc.option(idents))
    .map(([a, b, c, pre, bld]) => `v${a}${b === null ? '' : '.' + b}${c === null ? '' : '.' + c}${pre === null ? '' : '-' + pre}${bld === null ? '' : '+' + bld}`);
  const soup = fc
    .array(fc.constantFrom('v', '0', '1', '9', '00', '01', '.', '-', '+', 'a', 'Z', ' ', '_'), { maxLength: 14 })
    .map((parts) => 'v' + parts.join(''));
  const version = fc.oneof(structured, soup);
  let valid = 0;
  fc.assert(
    fc.property(version, (v) => {
      const p = referenceParse(v);
      if (p !== undefined) valid++;
      assert.equal(isValid(v), p !== undefined, v);
      assert.equal(canonical(v), p === undefined ? '' : p.build !== '' ? v.slice(0, v.length - p.build.length) : v + p.short, v);
      assert.equal(major(v), p === undefined ? '' : `v${p.major}`, v);
      assert.equal(majorMinor(v), p === undefined ? '' : `v${p.major}.${p.minor}`, v);
      assert.equal(prerelease(v), p?.prerelease ?? '', v);
      assert.equal(build(v), p?.build ?? '', v);
    }),
    { numRuns: 5000 },
  );
  assert.ok(valid > 500, `only ${valid} valid versions generated`);
});
