// Unit tests of src/resolve pieces that need no go command: patterns, version order, the load
// events and concurrency bound, go.sum timing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchPattern } from '../../src/resolve/pkgpattern.js';
import { cmpVersion, modCompare, modSort } from '../../src/resolve/modver.js';
import { planDownload } from '../../src/resolve/plan.js';
import { goSumWritePolicy } from '../../src/resolve/keepsums.js';
import { MainModuleSet } from '../../src/resolve/mainmodules.js';
import { m, mainModule, universe } from './fixture.js';
import type { ModuleSource } from '../../src/resolve/source.js';

test('... patterns match path prefixes and never cross a vendor element', () => {
  const cases: [string, string, boolean][] = [
    ['example.com/...', 'example.com', true],
    ['example.com/...', 'example.com/a/b', true],
    ['example.com/...', 'example.community', false],
    ['example.com...', 'example.community', true],
    ['example.com/.../b', 'example.com/x/y/b', true],
    ['example.com/...', 'example.com/vendor/x', false],
    ['example.com/vendor/...', 'example.com/vendor', true],
    ['example.com/vendor/...', 'example.com/vendor/x', true],
    ['...', 'anything/at/all', true],
    ['a.b/c', 'a.b/c', true],
  ];
  for (const [p, name, want] of cases) assert.equal(matchPattern(p)(name), want, `${p} ~ ${name}`);
});

test('go and toolchain versions compare as Go versions; the main module is above every version', () => {
  assert.equal(modCompare('go', '1.21', '1.9'), 1);
  assert.equal(modCompare('toolchain', 'go1.21.0', 'go1.21rc1'), 1);
  assert.equal(modCompare('example.com/a', 'v1.10.0', 'v1.9.0'), 1);
  assert.equal(cmpVersion('example.com/a', '', 'v9.0.0'), 1);
  const sorted = modSort([
    { path: 'b', version: 'v1.0.0' },
    { path: 'a', version: 'v1.10.0/go.mod' },
    { path: 'a', version: 'v1.10.0' },
    { path: 'a', version: 'v1.9.0' },
  ]);
  assert.deepEqual(sorted.map((x) => `${x.path} ${x.version}`), ['a v1.9.0', 'a v1.10.0', 'a v1.10.0/go.mod', 'b v1.0.0']);
});

test('the goModLoaded event fires once per go.mod read, and loads respect the concurrency bound', async (t) => {
  const mods = [m('example.com/a', 'v1.0.0', 'go 1.16', 'require example.com/b v1.0.0', 'require example.com/c v1.0.0')];
  for (const p of ['b', 'c']) mods.push(m(`example.com/${p}`, 'v1.0.0', 'go 1.16', 'require example.com/d v1.0.0'));
  mods.push(m('example.com/d', 'v1.0.0', 'go 1.16'));
  const u = await universe(t, mods);
  let active = 0;
  let peak = 0;
  const slow: ModuleSource = {
    ...u.source,
    lookup: (path) => ({
      ...u.source.lookup(path),
      goMod: async (version) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 10));
        active--;
        return u.source.lookup(path).goMod(version);
      },
    }),
  };
  const loaded: string[] = [];
  const dir = mainModule(t, { 'go.mod': 'module example.com/main\n\ngo 1.16\n\nrequire example.com/a v1.0.0\n' });
  const plan = await planDownload({
    source: slow, cwd: dir, args: ['all'], goVersion: '1.26.0', concurrency: 1,
    events: { goModLoaded: (x) => loaded.push(`${x.path}@${x.version}`) },
  });
  assert.equal(peak, 1);
  assert.deepEqual(loaded.sort(), ['example.com/a@v1.0.0', 'example.com/b@v1.0.0', 'example.com/c@v1.0.0', 'example.com/d@v1.0.0']);
  assert.deepEqual(plan.modules.map((x) => x.path), ['example.com/a', 'example.com/b', 'example.com/c', 'example.com/d']);
});

test('go.sum timing: before downloading without arguments, after with them or in a workspace', () => {
  const file = { module: 'example.com/main', deprecated: '', go: '1.21', toolchain: undefined, require: [], exclude: [], replace: [], retract: [] };
  const single = new MainModuleSet([{ path: 'example.com/main', root: '/m', gomod: '/m/go.mod', file }], undefined, () => undefined);
  const work = { path: '/w/go.work', file: { go: '1.22', toolchain: undefined, use: [], replace: [] } };
  const ws = new MainModuleSet([{ path: 'example.com/main', root: '/w/m', gomod: '/w/m/go.mod', file }], work, () => undefined);
  assert.equal(goSumWritePolicy({ mainModules: undefined, explicitArgs: true, json: false }).file, undefined);
  assert.deepEqual(goSumWritePolicy({ mainModules: single, explicitArgs: false, json: false }), {
    file: '/m/go.sum', beforeDownload: true, afterDownload: false, skipAfterOnModuleError: true,
  });
  assert.deepEqual(goSumWritePolicy({ mainModules: single, explicitArgs: true, json: true }), {
    file: '/m/go.sum', beforeDownload: false, afterDownload: true, skipAfterOnModuleError: false,
  });
  assert.deepEqual(goSumWritePolicy({ mainModules: ws, explicitArgs: false, json: false }), {
    file: '/w/go.work.sum', beforeDownload: false, afterDownload: true, skipAfterOnModuleError: true,
  });
});
