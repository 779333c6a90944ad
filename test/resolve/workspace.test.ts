// Workspaces (go.work), compared with the real go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { m, universe, writeTree } from './fixture.js';
import { compareWithGo, plan } from './oracle.js';
import { tempDir } from '../support/tmp.js';
import { ResolveFatalError } from '../../src/resolve/errors.js';

const A = 'example.com/a';
const B = 'example.com/b';
const C = 'example.com/c';
const F = 'example.com/fork';

async function wsUniverse(t: Parameters<typeof universe>[0]) {
  return universe(t, [
    m(A, 'v1.0.0', 'go 1.21', `require ${B} v1.0.0`),
    m(B, 'v1.0.0', 'go 1.21'),
    m(B, 'v1.1.0', 'go 1.21', `require ${C} v1.0.0`),
    m(C, 'v1.0.0', 'go 1.16'),
    m(F, 'v0.1.0', 'go 1.21'),
  ]);
}

test('a workspace of two modules downloads all of the workspace build list', async (t) => {
  const u = await wsUniverse(t);
  const ws = tempDir(t, 'resolve-ws');
  writeTree(ws, {
    'go.work': 'go 1.22\n\nuse (\n\t./one\n\t./two\n)\n',
    'one/go.mod': `module example.com/one\n\ngo 1.21\n\nrequire ${A} v1.0.0\n`,
    'two/go.mod': `module example.com/two\n\ngo 1.21\n\nrequire ${B} v1.1.0\n`,
  });
  const { plan: p } = await compareWithGo(t, u, join(ws, 'one'), []);
  assert.equal(p.goSum.file, join(ws, 'go.work.sum'));
  assert.equal(p.goSum.afterDownload, true);
});

test('go.work replacements win over module replacements', async (t) => {
  const u = await wsUniverse(t);
  const ws = tempDir(t, 'resolve-ws');
  writeTree(ws, {
    'go.work': `go 1.22\n\nuse (\n\t./one\n\t./two\n)\n\nreplace ${B} v1.1.0 => ${F} v0.1.0\n`,
    'one/go.mod': `module example.com/one\n\ngo 1.21\n\nrequire ${A} v1.0.0\n\nreplace ${B} v1.1.0 => ${B} v1.0.0\n`,
    'two/go.mod': `module example.com/two\n\ngo 1.21\n\nrequire ${B} v1.1.0\n`,
  });
  await compareWithGo(t, u, ws, []);
});

test('conflicting module replacements in a workspace are reported and loading goes on', async (t) => {
  const u = await wsUniverse(t);
  const ws = tempDir(t, 'resolve-ws');
  writeTree(ws, {
    'go.work': 'go 1.22\n\nuse (\n\t./one\n\t./two\n)\n',
    'one/go.mod': `module example.com/one\n\ngo 1.21\n\nrequire ${A} v1.0.0\n\nreplace ${B} => ${F} v0.1.0\n`,
    'two/go.mod': `module example.com/two\n\ngo 1.21\n\nrequire ${B} v1.0.0\n\nreplace ${B} v1.0.0 => ${B} v1.1.0\n`,
  });
  const p = await plan(u, ws, []).then(
    (x) => x,
    (e: unknown) => e as Error,
  );
  const { goIn } = await import('./fixture.js');
  const go = await goIn(t, u, ws, ['mod', 'download']);
  if (p instanceof Error) {
    assert.ok(go.stderr.includes(`go: ${p.message}`), `go said:\n${go.stderr}\nwe say:\n${p.message}`);
  } else {
    assert.ok(p.stderr.some((l) => l.startsWith('conflicting replacements found for')), p.stderr.join('\n'));
    for (const line of p.stderr) assert.ok(go.stderr.includes(line), `go did not print ${JSON.stringify(line)}:\n${go.stderr}`);
    assert.equal(p.stderrIsError, go.code !== 0);
  }
});

test('GOWORK=off ignores go.work; a duplicate use is fatal', async (t) => {
  const u = await wsUniverse(t);
  const ws = tempDir(t, 'resolve-ws');
  writeTree(ws, {
    'go.work': 'go 1.22\n\nuse ./one\nuse ./one/\n',
    'one/go.mod': `module example.com/one\n\ngo 1.21\n\nrequire ${A} v1.0.0\n`,
  });
  await compareWithGo(t, u, join(ws, 'one'), [], { GOWORK: 'off' });
  const err = await plan(u, join(ws, 'one'), []).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  assert.ok(err instanceof ResolveFatalError);
  const { goIn } = await import('./fixture.js');
  const go = await goIn(t, u, join(ws, 'one'), ['mod', 'download']);
  assert.equal(go.stderr, `go: ${err.message}\n`);
});
