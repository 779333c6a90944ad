// Version queries and argument forms of `go mod download`, compared with the real go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { m, mainModule, universe, type Mod } from './fixture.js';
import { compareWithGo, plan } from './oracle.js';
import { tempDir } from '../support/tmp.js';
import { ResolveFatalError } from '../../src/resolve/errors.js';

const Q = 'example.com/q';
const R = 'example.com/retracted';
const INC = 'example.com/inc';
const LEG = 'example.com/legacy';

function qmods(): Mod[] {
  return [
    m(Q, 'v1.0.0', 'go 1.16'),
    m(Q, 'v1.1.0', 'go 1.16'),
    m(Q, 'v1.1.1', 'go 1.16'),
    m(Q, 'v1.2.0-pre', 'go 1.16'),
    m(Q, 'v1.2.0', 'go 1.16'),
    m(R, 'v1.0.0', 'go 1.16'),
    m(R, 'v1.1.0', 'go 1.16'),
    m(R, 'v1.2.0', 'go 1.16', 'retract (', '\tv1.2.0 // broken', '\tv1.1.0', ')'),
    m(INC, 'v1.0.0', 'go 1.16'),
    { path: INC, version: 'v2.0.0+incompatible', goMod: `module ${INC}\n` },
    { path: LEG, version: 'v1.0.0', goMod: `module ${LEG}\n` },
    { path: LEG, version: 'v2.0.0+incompatible', goMod: `module ${LEG}\n` },
  ];
}

test('queries outside a module: latest, prefixes, ranges, exact versions, +meta, branches and their errors', async (t) => {
  const u = await universe(t, qmods(), { aliases: [[Q, 'main', 'v1.1.1']] });
  const dir = tempDir(t, 'resolve-nomod');
  const args = [
    `${Q}@latest`, `${Q}@v1`, `${Q}@v1.1`, `${Q}@<v1.2.0`, `${Q}@<=v1.1.1`, `${Q}@>v1.0.0`, `${Q}@>=v1.1.0`,
    `${Q}@v1.1.0`, `${Q}@v1.1.0+meta`, `${Q}@main`, `${Q}@v9.9.9`, `${Q}@v1.9`, `${Q}@<=v1.2`, `${Q}@>v1.2`, `${Q}@<bad`,
    'bad/path@latest', `${Q}@v1.2.0-pre`,
  ];
  await compareWithGo(t, u, dir, args);
});

test('a retracted latest version is skipped, and the latest go.mod is fetched to learn retractions', async (t) => {
  const u = await universe(t, qmods());
  const dir = tempDir(t, 'resolve-nomod');
  await compareWithGo(t, u, dir, [`${R}@latest`, `${R}@v1.1.0`, `${R}@<=v1.1.0`]);
});

test('+incompatible versions are skipped when the highest compatible version has a go.mod', async (t) => {
  const u = await universe(t, qmods());
  const dir = tempDir(t, 'resolve-nomod');
  await compareWithGo(t, u, dir, [`${INC}@latest`, `${LEG}@latest`, `${INC}@v2.0.0+incompatible`, `${INC}@>=v2.0.0`]);
});

test('upgrade and patch are relative to the selected version; excluded versions are skipped', async (t) => {
  const u = await universe(t, qmods());
  const dir = mainModule(t, {
    'go.mod': `module example.com/main\n\ngo 1.21\n\nrequire ${Q} v1.1.0\n\nexclude ${Q} v1.2.0\n`,
  });
  await compareWithGo(t, u, dir, [`${Q}@upgrade`, `${Q}@patch`, `${Q}@latest`, `${R}@upgrade`]);
});

test('main module arguments are skipped with go\'s message; unknown paths are not known dependencies', async (t) => {
  const u = await universe(t, qmods());
  const dir = mainModule(t, { 'go.mod': `module example.com/main\n\ngo 1.21\n\nrequire ${Q} v1.1.0\n` });
  const { plan: p, go } = await compareWithGo(t, u, dir, [
    'example.com/main', 'example.com/main@upgrade', 'example.com/main@patch', Q, 'example.com/unknown', 'example.com/...', 'other.org/...',
  ]);
  for (const line of p.stderr) assert.ok(go.stderr.includes(line + '\n'), `go did not print ${JSON.stringify(line)}:\n${go.stderr}`);
  assert.ok(p.stderr.includes('go: skipping download of example.com/main@patch that resolves to the main module'));
  assert.ok(p.stderr.includes('warning: pattern "other.org/..." matched no module dependencies'));
});

test('fatal argument errors have go\'s texts', async (t) => {
  const u = await universe(t, qmods());
  const inMod = mainModule(t, { 'go.mod': `module example.com/main\n\ngo 1.21\n` });
  const outside = tempDir(t, 'resolve-nomod');
  const cases: [string, string[]][] = [
    [inMod, ['./x']],
    [inMod, ['a\\b']],
    [inMod, [`${Q}@-bad`]],
    [outside, ['all']],
    [outside, [Q]],
    [outside, ['example.com/...']],
    [outside, [`${Q}@patch`]],
  ];
  const { goIn } = await import('./fixture.js');
  for (const [cwd, args] of cases) {
    const err = await plan(u, cwd, args).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    assert.ok(err instanceof ResolveFatalError, `${args.join(' ')}: expected a fatal error, got ${String(err)}`);
    const go = await goIn(t, u, cwd, ['mod', 'download', ...args]);
    assert.equal(go.stderr, `go: ${err.message}\n`, args.join(' '));
  }
});

test('nothing to download: no requirements in a module, no arguments outside one', async (t) => {
  const u = await universe(t, qmods());
  const inMod = mainModule(t, { 'go.mod': `module example.com/main\n\ngo 1.21\n` });
  const outside = tempDir(t, 'resolve-nomod');
  const { goIn } = await import('./fixture.js');
  for (const cwd of [inMod, outside]) {
    const p = await plan(u, cwd, []);
    const go = await goIn(t, u, cwd, ['mod', 'download']);
    assert.equal(go.stderr, p.nothingToDo!.message + '\n');
    assert.equal(go.code, p.nothingToDo!.exitCode);
  }
});
