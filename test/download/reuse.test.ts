// -reuse=old.json, side by side with go: refused inside a module, the file read and decoded before
// anything is listed (its errors fail the run), and with a module proxy nothing reused, so the cache
// and -json are those of a run without the flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { requireGo, runGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { assertSameTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';

const MOD = 'example.com/reused';

async function proxy(t: import('node:test').TestContext) {
  const p = await startProxy(new ModuleStore().add(await buildModule({ path: MOD, version: 'v1.0.0', files: { 'r.go': 'package reused\n' } })));
  t.after(() => p.close());
  return p;
}

/** Runs both with `args` in `cwd`; asserts the same exit status, stdout (cache root aside) and stderr. */
async function same(t: import('node:test').TestContext, args: string[], cwd: string) {
  const p = await proxy(t);
  const go = await runGo(['mod', 'download', ...args], { t, proxy: p.url, cwd });
  const ours = await runGomodDl(args, { t, proxy: p.url, cwd });
  assert.equal(ours.code, go.code, `go: ${go.stderr}\ngomod-dl: ${ours.stderr}`);
  assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: '), go.stderr);
  assert.equal(ours.stdout.split(ours.gomodcache).join('$C'), go.stdout.split(go.gomodcache).join('$C'));
  // A run that fails before downloading leaves no cache at all.
  assert.equal(existsSync(ours.gomodcache), existsSync(go.gomodcache));
  if (existsSync(go.gomodcache)) await assertSameTree(ours.gomodcache, go.gomodcache);
  return { go, ours };
}

test('-reuse inside a module is refused, after the "nothing to download" check, as go does', async (t) => {
  requireGo(t);
  const dir = tempDir(t);
  writeFileSync(join(dir, 'old.json'), '{}');
  writeFileSync(join(dir, 'go.mod'), `module example.com/m\n\ngo 1.21\n\nrequire ${MOD} v1.0.0\n`);
  const { go } = await same(t, ['-reuse=old.json', `${MOD}@v1.0.0`], dir);
  assert.equal(go.code, 1);
  assert.match(go.stderr, /cannot be used inside a module/);
  // With nothing to download, go says so and never looks at the flag.
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  writeFileSync(join(empty, 'go.mod'), 'module example.com/e\n\ngo 1.21\n');
  const r = await same(t, ['-reuse=../old.json'], empty);
  assert.equal(r.go.code, 0);
});

test('-reuse outside a module: a file that cannot be read or decoded fails the run before any download', async (t) => {
  requireGo(t);
  const dir = tempDir(t);
  mkdirSync(join(dir, 'adir'));
  const cases: Array<[name: string, content: string | undefined]> = [
    ['missing.json', undefined],
    ['adir', undefined],
    ['array.json', '[]'],
    ['string.json', ' "s" '],
    ['number.json', '1x'],
    ['trailing.json', '{}x'],
    ['truncated.json', '{"Path":'],
    ['badkey.json', '{"Path" 1}'],
    ['second.json', '{} {"a":[1,]}'],
  ];
  for (const [name, content] of cases) {
    if (content !== undefined) writeFileSync(join(dir, name), content);
    const { go } = await same(t, ['-json', `-reuse=${name}`, `${MOD}@v1.0.0`], dir);
    assert.equal(go.code, 1, `${name}: ${go.stderr}`);
  }
});

test('-reuse with a proxy reuses nothing: the same cache and -json as go', async (t) => {
  requireGo(t);
  const dir = tempDir(t);
  const old = [
    JSON.stringify({ Path: MOD, Version: 'v1.0.0', Origin: { VCS: 'git', URL: 'https://example.com/r', Hash: '0123456789abcdef0123456789abcdef01234567' } }),
    'null',
    '{}',
  ].join('\n');
  writeFileSync(join(dir, 'old.json'), old);
  const { go } = await same(t, ['-json', '-reuse=old.json', `${MOD}@v1.0.0`], dir);
  assert.equal(go.code, 0, go.stderr);
  // An empty value is no file at all.
  await same(t, ['-reuse=', `${MOD}@v1.0.0`], dir);
});
