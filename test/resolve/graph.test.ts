// Module graph loading and MVS, compared with the real go on the same synthetic proxy: the
// modules `go mod download` lists and the .mod/.info/.zip files it leaves in its cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { m, mainModule, universe } from './fixture.js';
import { compareWithGo } from './oracle.js';

const A = 'example.com/a';
const B = 'example.com/b';
const C = 'example.com/c';
const D = 'example.com/d';

async function diamond(t: Parameters<typeof universe>[0], depGo: string) {
  return universe(t, [
    m(A, 'v1.0.0', `go ${depGo}`, `require ${B} v1.0.0`),
    m(B, 'v1.0.0', `go ${depGo}`, `require ${D} v1.0.0`),
    m(B, 'v1.1.0', `go ${depGo}`, `require ${D} v1.1.0`),
    m(C, 'v1.0.0', `go ${depGo}`, `require ${B} v1.1.0`),
    m(D, 'v1.0.0', `go ${depGo}`),
    m(D, 'v1.1.0', `go ${depGo}`),
    m(D, 'v1.2.0', `go ${depGo}`),
  ]);
}

test('unpruned main module: no-arg download lists all of the build list at the MVS-selected versions', async (t) => {
  const u = await diamond(t, '1.16');
  const dir = mainModule(t, { 'go.mod': `module example.com/main\n\ngo 1.16\n\nrequire (\n\t${A} v1.0.0\n\t${C} v1.0.0\n)\n` });
  const { plan } = await compareWithGo(t, u, dir, []);
  assert.deepEqual(plan.modules.map((x) => `${x.path}@${x.version}`), [`${A}@v1.0.0`, `${B}@v1.1.0`, `${C}@v1.0.0`, `${D}@v1.1.0`]);
});

test('pruned main module: no-arg download fetches only the required modules but reads the pruned graph', async (t) => {
  const u = await diamond(t, '1.21');
  const dir = mainModule(t, {
    'go.mod': `module example.com/main\n\ngo 1.21\n\nrequire (\n\t${A} v1.0.0\n\t${C} v1.0.0\n)\n\nrequire ${B} v1.1.0 // indirect\n`,
  });
  await compareWithGo(t, u, dir, []);
});

test('pruned main module: all lists the pruned build list', async (t) => {
  const u = await diamond(t, '1.21');
  const dir = mainModule(t, {
    'go.mod': `module example.com/main\n\ngo 1.21\n\nrequire (\n\t${A} v1.0.0\n\t${C} v1.0.0\n)\n\nrequire ${B} v1.1.0 // indirect\n`,
  });
  await compareWithGo(t, u, dir, ['all']);
});

test('a pre-1.17 dependency under a pruned main module is loaded with its full transitive closure', async (t) => {
  const u = await universe(t, [
    m(A, 'v1.0.0', 'go 1.16', `require ${B} v1.0.0`),
    m(B, 'v1.0.0', 'go 1.21', `require ${D} v1.0.0`),
    m(D, 'v1.0.0', 'go 1.21', `require ${C} v1.0.0`),
    m(C, 'v1.0.0', 'go 1.21'),
  ]);
  const dir = mainModule(t, { 'go.mod': `module example.com/main\n\ngo 1.21\n\nrequire ${A} v1.0.0\n` });
  await compareWithGo(t, u, dir, ['all']);
});

test('a go.mod without a go line gets the running go version and a pruned graph of the whole build list', async (t) => {
  const u = await diamond(t, '1.16');
  const dir = mainModule(t, { 'go.mod': `module example.com/main\n\nrequire (\n\t${A} v1.0.0\n\t${C} v1.0.0\n)\n` });
  const { plan } = await compareWithGo(t, u, dir, []);
  assert.ok(plan.addedGoVersion !== undefined);
});

test('a root below its selected version is raised, and the raised version\'s go.mod is read', async (t) => {
  const u = await universe(t, [
    m(A, 'v1.0.0', 'go 1.21', `require ${B} v1.1.0`),
    m(B, 'v1.0.0', 'go 1.21'),
    m(B, 'v1.1.0', 'go 1.21', `require ${C} v1.0.0`),
    m(C, 'v1.0.0', 'go 1.21'),
  ]);
  const dir = mainModule(t, { 'go.mod': `module example.com/main\n\ngo 1.21\n\nrequire (\n\t${A} v1.0.0\n\t${B} v1.0.0\n)\n` });
  await compareWithGo(t, u, dir, []);
});

test('a missing go.mod in the graph is reported with its requirement path', async (t) => {
  const u = await universe(t, [m(A, 'v1.0.0', 'go 1.16', `require ${B} v1.0.0`)]);
  const dir = mainModule(t, { 'go.mod': `module example.com/main\n\ngo 1.16\n\nrequire ${A} v1.0.0\n` });
  const { plan, go } = await compareWithGo(t, u, dir, ['all']);
  assert.ok(plan.graphError !== undefined);
  assert.ok(go.stderr.includes(`go: ${plan.graphError.message}\n`), `go said:\n${go.stderr}\nwe say:\n${plan.graphError.message}`);
});
