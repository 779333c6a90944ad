// The lax fast path (src/modfile/laxfast.ts) against the full parser: on every input, it either
// declines (undefined) or returns exactly what the full lax parse reads, and it declines every file
// the full parse rejects. Inputs: the corpus files, their mutations, and generated go.mod files
// built from the directives, comments and separators real dependency go.mods hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { findGoFiles } from '../../tools/compat/parse.js';
import { parseLaxFast, type LaxGoMod } from '../../src/modfile/laxfast.js';
import { parseGoMod } from '../../src/modfile/rule.js';
import { parseGoModFile } from '../../src/resolve/gomod.js';
import { CORPUS_DIR } from '../support/shared.js';

/** The full lax parse, in the fast path's terms; undefined when it fails. */
function fullLax(data: Uint8Array): (LaxGoMod & { deprecated: string; rationales: string[] }) | undefined {
  let f;
  try {
    f = parseGoMod('go.mod', data, 'lax');
  } catch {
    return undefined;
  }
  return {
    module: f.module?.path,
    go: f.go?.version,
    require: f.require.map((r) => ({ path: r.path, version: r.version, indirect: r.indirect })),
    retract: f.retract.map((r) => ({ low: r.low, high: r.high })),
    deprecated: f.module?.deprecated ?? '',
    rationales: f.retract.map((r) => r.rationale),
  };
}

/** Checks the fast path on `data`; returns whether it answered. */
function agrees(data: Uint8Array): boolean {
  const fast = parseLaxFast(data);
  const full = fullLax(data);
  const text = Buffer.from(data).toString('latin1');
  if (fast === undefined) return false;
  assert.ok(full !== undefined, `the fast path accepted what the parser rejects:\n${text}`);
  const { deprecated, rationales, ...rest } = full;
  assert.deepEqual(fast, rest, text);
  // What the fast path cannot see must be empty in the full parse.
  assert.equal(deprecated, '', text);
  assert.ok(rationales.every((r) => r === ''), text);
  // And what module loading gets is the same either way (the lax parse also drops the rest).
  const viaFile = parseGoModFile('go.mod', data, 'lax');
  assert.equal(viaFile.toolchain, undefined);
  assert.deepEqual(viaFile.exclude, []);
  assert.deepEqual(viaFile.replace, []);
  return true;
}

const SEEDS = findGoFiles(CORPUS_DIR)
  .filter((f) => f.endsWith('go.mod'))
  .map((f) => readFileSync(join(CORPUS_DIR, f)));

test('corpus go.mod files: the fast path agrees with the parser or declines', () => {
  assert.ok(SEEDS.length >= 20);
  for (const s of SEEDS) agrees(s);
});

test('plain dependency go.mod files take the fast path', () => {
  const plain = [
    'module example.com/a\n\ngo 1.21\n\nrequire (\n\tgolang.org/x/mod v0.17.0\n\tgolang.org/x/sync v0.7.0 // indirect\n)\n',
    'module "gopkg.in/yaml.v3"\n\nrequire (\n\t"gopkg.in/check.v1" v0.0.0-20161208181325-20d25e280405\n)\n',
    '// A generated file.\n\nmodule example.com/b/v2\r\n\r\ngo 1.21rc1\r\n\r\nrequire example.com/c v1.2 //indirect\r\n',
    'module example.com/d\n\ngo 1.22.0\n\ntoolchain go1.22.1\n\nreplace example.com/e => ../e\n\nexclude example.com/f v1.0.0\n\nretract v1.0.1\n',
    'module golang.org/x/text\n\ngo 1.18\n\nrequire golang.org/x/mod v0.17.0 // indirect; tagx:ignore\n',
    '',
  ];
  for (const p of plain) assert.ok(agrees(Buffer.from(p)), `declined:\n${p}`);
  // v1.2 is canonicalized, `1.21rc1` kept by the lax rule, `indirect;` counts.
  assert.equal(parseLaxFast(Buffer.from(plain[2]!))!.require[0]!.version, 'v1.2.0');
  assert.equal(parseLaxFast(Buffer.from(plain[2]!))!.go, '1.21rc1');
  assert.equal(parseLaxFast(Buffer.from(plain[4]!))!.require[0]!.indirect, true);
});

test('files whose comments or syntax the parser reads are declined', () => {
  const declined = [
    '// Deprecated: use example.com/b.\nmodule example.com/a\n',
    'module example.com/a // Deprecated: use b\n',
    'module example.com/a\n\n// a bad release\nretract v1.0.0\n',
    'module example.com/a\n\nretract v1.0.0 // broken\n',
    'module example.com/a\n\n// bad\nretract (\n\tv1.0.0\n)\n',
    'module example.com/a\n\nretract [v1.0.0, v1.1.0]\n',
    'module "example.com/a\\x41"\n',
    'module example.com/a\nrequire "example.com/b//c" v1.0.0\n',
    'module example.com/a\nrequire (\n\texample.com/b v1.0.0\n',
    'module example.com/a\nrequire example.com/b v1.0.0 v2\n',
    'module example.com/a\nrequire example.com/b/v2 v1.0.0\n',
    'module example.com/a\nrequire example.com/b latest\n',
    'module example.com/a\nmodule example.com/b\n',
    'go 1.21\ngo 1.22\n',
    'go 1\n',
    'module example.com/é\n',
    'module example.com/a /* c */\n',
    'require () \n',
    'module (\n\texample.com/a\n)\n',
  ];
  for (const d of declined) assert.equal(parseLaxFast(Buffer.from(d)), undefined, d);
});

const path = fc.constantFrom(
  'example.com/a', 'example.com/a/v2', 'example.com/a/v1', 'gopkg.in/yaml.v3', 'gopkg.in/yaml', 'golang.org/x/mod',
  'example.com/a/v2.0', '"example.com/q"', '"example.com/q/v3"', '""', 'x', '=>', 'a"b"', '"a b"',
);
const version = fc.constantFrom(
  'v1.2.3', 'v1.2', 'v1', 'v2.0.0', 'v2.0.0+incompatible', 'v3.1.0', 'v0.0.0-20200313102051-9f266ea9e77c', 'v1.0.0+meta',
  'v1.0.0-rc.1', '"v1.4.0"', 'latest', '1.2.3', 'v01.2.3', '',
);
const goVersion = fc.constantFrom('1.21', '1.21.0', '1.21rc1', '1.21.0-rc1', 'v1.21', '1', '1.021', 'go1.21', '1.22.x');
const suffix = fc.constantFrom('', '', '', ' // indirect', ' //indirect', '\t// indirect; x', ' // indirect x', ' // indirect;', ' // x', ' //');
const sp = fc.constantFrom(' ', '\t', ' \t', '  ');
const eol = fc.constantFrom('\n', '\n', '\r\n', ' \n', '\n\n');

const stmt: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(sp, path, suffix).map(([s, p, c]) => `module${s}${p}${c}`),
  fc.tuple(sp, goVersion, suffix).map(([s, v, c]) => `go${s}${v}${c}`),
  fc.tuple(sp, path, sp, version, suffix).map(([s, p, s2, v, c]) => `require${s}${p}${s2}${v}${c}`),
  fc
    .array(fc.tuple(path, sp, version, suffix), { maxLength: 4 })
    .map((ls) => `require (\n${ls.map(([p, s, v, c]) => (p === 'x' ? '\t// x\n\n' : `\t${p}${s}${v}${c}\n`)).join('')})`),
  fc.tuple(version, suffix).map(([v, c]) => `retract ${v}${c}`),
  fc
    .array(fc.oneof(version, fc.constantFrom('// why', '')), { maxLength: 4 })
    .map((vs) => `retract (\n${vs.map((v) => `\t${v}\n`).join('')})`),
  fc.constantFrom(
    'toolchain go1.22.1', 'exclude example.com/a v1.0.0', 'replace example.com/a => ../a', 'replace example.com/a v1 => x v2',
    'ignore ./x', 'ignore', 'tool example.com/t', 'godebug a=b', 'frobnicate x y', 'exclude (\n\tx v1\n)', 'retract',
    '// a comment', '// Deprecated: gone', '//', 'require ()', 'require ( )', ')', '(', 'require (\n)', 'module',
  ),
);

const goModFile = fc.array(fc.tuple(stmt, eol), { maxLength: 10 }).map((parts) => parts.map(([s, e]) => s + e).join(''));

test('generated go.mod files: the fast path agrees with the parser or declines', () => {
  let answered = 0;
  let runs = 0;
  fc.assert(
    fc.property(goModFile, (text) => {
      runs++;
      if (agrees(Buffer.from(text, 'latin1'))) answered++;
    }),
    { numRuns: 3000 },
  );
  // The generator must exercise the fast path, not only its refusals.
  assert.ok(answered > runs / 10, `only ${answered} of ${runs} took the fast path`);
});

const SPECIALS = ['"', '`', "'", '(', ')', '[', ']', ',', '//', '/*', '\n', '\\', '=>', ' ', '\t', '\r\n', '\r', '\xff', '\x0b', 'é', '"x"'];

test('mutated go.mod files: the fast path agrees with the parser or declines', () => {
  const seeds = [...SEEDS, ...fc.sample(goModFile, { numRuns: 50, seed: 7 }).map((t) => Buffer.from(t, 'latin1'))];
  fc.assert(
    fc.property(
      fc.nat({ max: seeds.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.constantFrom(...SPECIALS)), { minLength: 1, maxLength: 6 }),
      (i, muts) => {
        let b = Buffer.from(seeds[i]!);
        for (const [at0, del, ins] of muts) {
          const at = at0 % (b.length + 1);
          b = Buffer.concat([b.subarray(0, at), Buffer.from(ins, 'latin1'), b.subarray(Math.min(b.length, at + (del % 3)))]);
        }
        agrees(b);
      },
    ),
    { numRuns: 1500 },
  );
});
