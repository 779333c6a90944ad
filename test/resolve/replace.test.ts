// replace and exclude directives, compared with the real go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { m, mainModule, universe, writeTree } from './fixture.js';
import { compareWithGo, plan } from './oracle.js';
import { ResolveFatalError } from '../../src/resolve/errors.js';

const A = 'example.com/a';
const B = 'example.com/b';
const F = 'example.com/fork';

async function u3(t: Parameters<typeof universe>[0]) {
  return universe(t, [
    m(A, 'v1.0.0', 'go 1.16', `require ${B} v1.0.0`),
    m(B, 'v1.0.0', 'go 1.16'),
    m(B, 'v1.1.0', 'go 1.16'),
    m(F, 'v0.1.0', `go 1.16`, `require ${A} v1.0.0`),
    m(F, 'v0.2.0', `go 1.16`),
  ]);
}

test('a whole-module replacement with another module downloads the replacement', async (t) => {
  const u = await u3(t);
  const dir = mainModule(t, { 'go.mod': `module example.com/main\n\ngo 1.16\n\nrequire ${A} v1.0.0\n\nreplace ${B} => ${F} v0.2.0\n` });
  await compareWithGo(t, u, dir, []);
});

test('a version-specific replacement wins over a whole-module one', async (t) => {
  const u = await u3(t);
  const dir = mainModule(t, {
    'go.mod': `module example.com/main\n\ngo 1.16\n\nrequire ${A} v1.0.0\n\nreplace ${B} => ${F} v0.2.0\n\nreplace ${B} v1.0.0 => ${F} v0.1.0\n`,
  });
  await compareWithGo(t, u, dir, ['all']);
});

test('a directory replacement is read from disk and not downloaded', async (t) => {
  const u = await u3(t);
  const dir = mainModule(t, {
    'go.mod': `module example.com/main\n\ngo 1.16\n\nrequire ${A} v1.0.0\n\nreplace ${A} => ./local/a\n`,
    'local/a/go.mod': `module ${A}\n\ngo 1.16\n\nrequire ${B} v1.1.0\n`,
  });
  await compareWithGo(t, u, dir, ['all']);
});

test('an explicit path@version argument does not follow the replacement', async (t) => {
  const u = await u3(t);
  const dir = mainModule(t, { 'go.mod': `module example.com/main\n\ngo 1.16\n\nrequire ${A} v1.0.0\n\nreplace ${B} => ${F} v0.2.0\n` });
  await compareWithGo(t, u, dir, [`${B}@v1.1.0`]);
});

test('a replacement whose go.mod declares another path is reported', async (t) => {
  const u = await u3(t);
  const dir = mainModule(t, { 'go.mod': `module example.com/main\n\ngo 1.16\n\nrequire ${A} v1.0.0\n\nreplace ${B} v1.0.0 => ${F} v0.2.0\n` });
  // fork v0.2.0 says "module example.com/fork": allowed, it matches the replacement's own path.
  await compareWithGo(t, u, dir, ['all']);
});

test('a dependency whose go.mod declares another module path is a graph error', async (t) => {
  const u = await universe(t, [m(A, 'v1.0.0', 'go 1.16', `require ${B} v1.0.0`), { path: B, version: 'v1.0.0', goMod: 'module example.com/other\n' }]);
  const dir = mainModule(t, { 'go.mod': `module example.com/main\n\ngo 1.16\n\nrequire ${A} v1.0.0\n` });
  const { plan: p, go } = await compareWithGo(t, u, dir, ['all']);
  assert.ok(go.stderr.includes(`go: ${p.graphError!.message}\n`), `go said:\n${go.stderr}\nwe say:\n${p.graphError!.message}`);
});

test('excluded versions are dropped from dependency requirements and from the roots', async (t) => {
  const u = await u3(t);
  const dir = mainModule(t, {
    'go.mod': `module example.com/main\n\ngo 1.16\n\nrequire (\n\t${A} v1.0.0\n\t${F} v0.1.0\n)\n\nexclude ${B} v1.0.0\nexclude ${F} v0.1.0\n`,
  });
  const { plan: p, go } = await compareWithGo(t, u, dir, ['all']);
  assert.ok(p.stderr.includes(`go: dropping requirement on excluded version ${F} v0.1.0`));
  assert.ok(go.stderr.includes(`go: dropping requirement on excluded version ${F} v0.1.0`));
});

test('two different replacements of one module version are fatal', async (t) => {
  const u = await u3(t);
  const dir = mainModule(t, { 'go.mod': `module example.com/main\n\ngo 1.16\n\nrequire ${A} v1.0.0\n\nreplace ${B} v1.0.0 => ${F} v0.1.0\n` });
  writeTree(dir, { 'go.mod': `module example.com/main\n\ngo 1.16\n\nrequire ${A} v1.0.0\n\nreplace ${B} v1.0.0 => ${F} v0.1.0\nreplace ${B} v1.0.0 => ${F} v0.2.0\n` });
  const err = await plan(u, dir, []).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  const go = await import('./fixture.js').then((f) => f.goIn(t, u, dir, ['mod', 'download']));
  assert.ok(err instanceof ResolveFatalError, `expected a fatal error, got ${String(err)}`);
  assert.ok(go.stderr.includes(`go: ${err.message}\n`), `go said:\n${go.stderr}\nwe say:\n${err.message}`);
});
