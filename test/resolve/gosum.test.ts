// The go.sum keep set, compared with the go.sum the real go writes after `go mod download -json`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { m, mainModule, universe } from './fixture.js';
import { compareWithGo, type Compared } from './oracle.js';

const A = 'example.com/a';
const B = 'example.com/b';
const C = 'example.com/c';

async function u(t: Parameters<typeof universe>[0]) {
  return universe(t, [
    m(A, 'v1.0.0', 'go 1.21', `require ${B} v1.0.0`),
    m(B, 'v1.0.0', 'go 1.21', `require ${C} v1.0.0`),
    m(B, 'v1.1.0', 'go 1.21'),
    m(C, 'v1.0.0', 'go 1.21'),
  ]);
}

/** The go.sum keys go would write: the sums it checked during the run that are in `keep`. */
function expectedKeys(c: Compared): string[] {
  const checked = new Set<string>();
  for (const x of c.plan.goModsFetched) checked.add(`${x.path} ${x.version}/go.mod`);
  if (c.plan.goSum.afterDownload) {
    for (const x of c.plan.modules) {
      if (x.error !== undefined) continue;
      checked.add(`${x.path} ${x.version}/go.mod`);
      checked.add(`${x.path} ${x.version}`);
    }
  }
  return [...checked].filter((k) => c.plan.keep.has(k)).sort();
}

function goSumKeys(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split(' ').slice(0, 2).join(' '))
    .sort();
}

test('explicit arguments: sums are kept for build-list modules only', async (t) => {
  const un = await u(t);
  const dir = mainModule(t, { 'go.mod': `module example.com/main\n\ngo 1.21\n\nrequire ${A} v1.0.0\n` });
  const c = await compareWithGo(t, un, dir, [`${A}@v1.0.0`, `${B}@v1.1.0`]);
  assert.equal(c.plan.goSum.afterDownload, true);
  assert.deepEqual(expectedKeys(c), goSumKeys(join(dir, 'go.sum')));
});

test('all: go.mod sums of the graph plus zip sums of the build list', async (t) => {
  const un = await u(t);
  const dir = mainModule(t, { 'go.mod': `module example.com/main\n\ngo 1.21\n\nrequire ${A} v1.0.0\n\nrequire ${B} v1.0.0 // indirect\n` });
  const c = await compareWithGo(t, un, dir, ['all']);
  assert.deepEqual(expectedKeys(c), goSumKeys(join(dir, 'go.sum')));
});

test('no arguments: go.sum is written before downloading, so only go.mod sums are saved', async (t) => {
  const un = await u(t);
  const dir = mainModule(t, { 'go.mod': `module example.com/main\n\ngo 1.21\n\nrequire ${A} v1.0.0\n\nrequire ${B} v1.0.0 // indirect\n` });
  const c = await compareWithGo(t, un, dir, []);
  assert.equal(c.plan.goSum.beforeDownload, true);
  assert.deepEqual(expectedKeys(c), goSumKeys(join(dir, 'go.sum')));
});

test('unpruned all: go.mod sums of every version in the graph, selected or not', async (t) => {
  const un = await universe(t, [
    m(A, 'v1.0.0', 'go 1.16', `require ${B} v1.0.0`),
    m(B, 'v1.0.0', 'go 1.16', `require ${C} v1.0.0`),
    m(B, 'v1.1.0', 'go 1.16'),
    m(C, 'v1.0.0', 'go 1.16'),
  ]);
  const dir = mainModule(t, { 'go.mod': `module example.com/main\n\ngo 1.16\n\nrequire (\n\t${A} v1.0.0\n\t${B} v1.1.0\n)\n` });
  const c = await compareWithGo(t, un, dir, ['all']);
  assert.deepEqual(expectedKeys(c), goSumKeys(join(dir, 'go.sum')));
});
