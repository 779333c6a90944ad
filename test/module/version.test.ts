// x/mod module.Sort order; the expected order was printed by x/mod (Go 1.26's vendored copy) for the
// same list, through a throwaway Go program.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareModules, sortModules, type ModuleVersion } from '../../src/module/index.js';

const toMod = (line: string): ModuleVersion => {
  const [path, version] = line.split(' ') as [string, string];
  return { path, version };
};

const INPUT = [
  'rsc.io/quote v1.5.2/go.mod',
  'rsc.io/quote v1.5.2',
  'golang.org/x/text v0.0.0-20170915032832-14c0d48ead0c/go.mod',
  'rsc.io/sampler v1.3.0',
  'rsc.io/quote v1.10.0',
  'rsc.io/quote v1.2.0',
  'golang.org/x/text v0.0.0-20170915032832-14c0d48ead0c',
  'rsc.io/Quote v1.5.2',
  'rsc.io/quote/v3 v3.0.0',
  'rsc.io/quote v1.5.3-pre1',
  'rsc.io/quote v1.5.2-pre1/go.mod',
  'example.com/m v0.0.0-20190101000000-abcdefabcdef',
  'example.com/m v0.1.0',
  'example.com/m-x v1.0.0',
  'example.com/m/x v1.0.0',
  'example.com/m.x v1.0.0',
];
const SORTED_BY_GO = [
  'example.com/m v0.0.0-20190101000000-abcdefabcdef',
  'example.com/m v0.1.0',
  'example.com/m-x v1.0.0',
  'example.com/m.x v1.0.0',
  'example.com/m/x v1.0.0',
  'golang.org/x/text v0.0.0-20170915032832-14c0d48ead0c',
  'golang.org/x/text v0.0.0-20170915032832-14c0d48ead0c/go.mod',
  'rsc.io/Quote v1.5.2',
  'rsc.io/quote v1.2.0',
  'rsc.io/quote v1.5.2-pre1/go.mod',
  'rsc.io/quote v1.5.2',
  'rsc.io/quote v1.5.2/go.mod',
  'rsc.io/quote v1.5.3-pre1',
  'rsc.io/quote v1.10.0',
  'rsc.io/quote/v3 v3.0.0',
  'rsc.io/sampler v1.3.0',
];

test('sortModules orders by path bytes, then semver, then the /go.mod suffix, as module.Sort', () => {
  assert.deepEqual(sortModules(INPUT.map(toMod)), SORTED_BY_GO.map(toMod));
});

const mod = fc.record({
  path: fc.constantFrom('a.b/c', 'a.b/c/v2', 'a.b/C', 'a.b/c-d', 'x.y'),
  version: fc
    .tuple(fc.constantFrom('v1.0.0', 'v1.2.0', 'v1.10.0', 'v2.0.0-pre', 'v0.0.0-20190101000000-abcdefabcdef', 'bad'), fc.constantFrom('', '/go.mod'))
    .map(([v, s]) => v + s),
});

test('compareModules is a total order: antisymmetric, transitive, and sorting is order-independent', () => {
  fc.assert(
    fc.property(mod, mod, mod, (a, b, c) => {
      assert.equal(compareModules(a, b), -compareModules(b, a) || 0);
      if (compareModules(a, b) <= 0 && compareModules(b, c) <= 0) assert.ok(compareModules(a, c) <= 0);
      if (compareModules(a, b) === 0) assert.deepEqual([a.path, a.version], [b.path, b.version]);
    }),
    { numRuns: 3000 },
  );
  fc.assert(
    fc.property(fc.array(mod, { maxLength: 10 }), (list) => {
      const text = (l: ModuleVersion[]): string[] => l.map((m) => `${m.path} ${m.version}`);
      assert.deepEqual(text(sortModules([...list].reverse())), text(sortModules([...list])));
    }),
  );
});
