// src/cli/codecache.ts: a CommonJS file run with V8's code cache kept beside it. Each load happens in
// its own Node process, as each run of gomod-dl does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from '../support/tmp.js';

const LOADER = fileURLToPath(new URL('../../src/cli/codecache.js', import.meta.url));

/**
 * Loads `file` in a fresh process, calls `exports.f()`, saves at `level`; returns what it saw. The
 * script is a file: `node -e` would put the script (and so the level) into process.execArgv, which
 * the cache's name covers.
 */
async function load(file: string, level: number, flags: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<{ status: string; value: unknown }> {
  const script = join(dirname(file), 'load.mjs');
  writeFileSync(script, `import { loadCached } from ${JSON.stringify(LOADER)};
const m = loadCached(process.argv[2]);
const value = m.exports.f();
m.save(Number(process.argv[3]));
console.log(JSON.stringify({ status: m.status, value }));`);
  const { stdout } = await promisify(execFile)(process.execPath, [...flags, script, file, String(level)], { env });
  return JSON.parse(stdout) as { status: string; value: unknown };
}

/** A CommonJS module as scripts/bundle.mjs writes one: a build line, then code using the wrapper's names. */
function program(build: string, body = 'exports.f = () => [typeof require, typeof module, __gomoddl_url.startsWith("file:"), g(20)];'): string {
  return `// gomod-dl build ${build}\n"use strict";\nfunction g(n) { return n < 2 ? n : g(n - 1) + g(n - 2); }\n${body}\n`;
}

const caches = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.v8cache')).sort();
const level = (dir: string, name: string) => readFileSync(join(dir, name))[0];

test('the first load compiles and saves; later ones use the cache; a run that went further saves again', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'p.cjs');
  writeFileSync(file, program('aaaa'));
  assert.deepEqual(await load(file, 0), { status: 'none', value: ['function', 'object', true, 6765] });
  const [name] = caches(dir);
  assert.match(name!, /^p\.cjs\.aaaa-[0-9a-f]{8}\.v8cache$/);
  assert.equal(level(dir, name!), 0);
  assert.equal((await load(file, 0)).status, 'used');
  const before = readFileSync(join(dir, name!));
  // Not further than the cache: left alone.
  await load(file, 0);
  assert.deepEqual(readFileSync(join(dir, name!)), before);
  // Further: rewritten with the new level.
  assert.equal((await load(file, 2)).status, 'used');
  assert.equal(level(dir, name!), 2);
  assert.deepEqual(caches(dir), [name]);
});

test('a damaged cache is rejected, the module still runs, and the cache is written anew', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'p.cjs');
  writeFileSync(file, program('bbbb'));
  await load(file, 2);
  const [name] = caches(dir);
  const data = readFileSync(join(dir, name!));
  data.fill(0x5a, 20, 200);
  writeFileSync(join(dir, name!), data);
  assert.deepEqual(await load(file, 0), { status: 'rejected', value: ['function', 'object', true, 6765] });
  // A rejected cache counts as none: even a level-0 run replaces it, and the next load uses it.
  assert.equal(level(dir, name!), 0);
  assert.equal((await load(file, 0)).status, 'used');
  // A file of one byte, or none, is no cache.
  writeFileSync(join(dir, name!), Buffer.from([9]));
  assert.equal((await load(file, 1)).status, 'none');
  assert.equal(level(dir, name!), 1);
});

test('a new build gets its own cache (V8 only compares lengths) and removes the old build\'s', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'p.cjs');
  writeFileSync(file, program('cccc', 'exports.f = () => 1;'));
  await load(file, 1);
  const [old] = caches(dir);
  // Same length, different code and build line.
  writeFileSync(file, program('dddd', 'exports.f = () => 2;'));
  assert.deepEqual(await load(file, 1), { status: 'none', value: 2 });
  const [now] = caches(dir);
  assert.notEqual(now, old);
  assert.deepEqual(caches(dir), [now]);
  assert.deepEqual(await load(file, 1), { status: 'used', value: 2 });
});

test('without a build line, or where the cache cannot be written, the module runs without one and leaves nothing', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'p.cjs');
  writeFileSync(file, program('eeee').replace(/^.*\n/, ''));
  assert.equal((await load(file, 2)).status, 'none');
  assert.deepEqual(caches(dir), []);
  // The cache's name taken by a directory: it cannot be read or replaced (as in a read-only
  // package directory, which a test running as root cannot make).
  writeFileSync(file, program('ffff'));
  await load(file, 0);
  const [name] = caches(dir);
  rmSync(join(dir, name!));
  mkdirSync(join(dir, name!));
  assert.deepEqual(await load(file, 2), { status: 'none', value: ['function', 'object', true, 6765] });
  assert.deepEqual(readdirSync(dir).sort(), ['load.mjs', 'p.cjs', name!]);
});

test('each set of Node flags has its own cache, and only the four newest are kept', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'p.cjs');
  writeFileSync(file, program('9999'));
  for (let i = 0; i < 6; i++) {
    assert.equal((await load(file, 1, [`--stack-size=${900 + i}`])).status, 'none');
    assert.equal((await load(file, 1, [`--stack-size=${900 + i}`])).status, 'used');
    assert.equal(caches(dir).length, Math.min(i + 1, 4));
  }
  // The newest flag set's cache is one of those kept.
  assert.equal((await load(file, 1, ['--stack-size=905'])).status, 'used');
  // Flags in NODE_OPTIONS are not in execArgv, and count as well: no run with them meets (and
  // V8 rejects) the cache of a run without them.
  const plain = { ...process.env, NODE_OPTIONS: '' };
  assert.equal((await load(file, 1, [], plain)).status, 'none');
  const env = { ...process.env, NODE_OPTIONS: '--max-semi-space-size=2' };
  assert.equal((await load(file, 1, [], env)).status, 'none');
  assert.equal((await load(file, 1, [], env)).status, 'used');
  assert.equal((await load(file, 1, [], plain)).status, 'used');
});

test('processes starting together with no cache all run, and leave one whole cache the next one uses', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'p.cjs');
  writeFileSync(file, program('7777'));
  const results = await Promise.all(Array.from({ length: 6 }, () => load(file, 1)));
  for (const r of results) assert.deepEqual(r.value, ['function', 'object', true, 6765]);
  assert.equal(caches(dir).length, 1);
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  assert.equal((await load(file, 1)).status, 'used');
});

test('a user who cannot write the package directory runs without a cache and leaves nothing', async (t) => {
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/setpriv')) return t.skip('needs root (to become nobody) and util-linux setpriv');
  // Everything nobody reads is in one world-readable, root-owned directory: the loader (it imports
  // only Node's modules), the program and the script.
  const dir = tempDir(t);
  chmodSync(dir, 0o755);
  copyFileSync(LOADER, join(dir, 'codecache.mjs'));
  const file = join(dir, 'p.cjs');
  writeFileSync(file, program('5555'));
  const script = join(dir, 'load.mjs');
  writeFileSync(script, `import { loadCached } from './codecache.mjs';
const m = loadCached(process.argv[2]);
const value = m.exports.f();
m.save(2);
console.log(JSON.stringify({ status: m.status, value }));`);
  const asNobody = (args: string[]) => promisify(execFile)('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...args]);
  // A temporary directory under one nobody cannot enter (a private TMPDIR) makes the test moot.
  if (!(await asNobody(['/usr/bin/test', '-r', script]).then(() => true, () => false))) return t.skip(`nobody cannot read ${dir}`);
  const { stdout } = await asNobody([process.execPath, script, file]);
  assert.deepEqual(JSON.parse(stdout), { status: 'none', value: ['function', 'object', true, 6765] });
  assert.deepEqual(readdirSync(dir).sort(), ['codecache.mjs', 'load.mjs', 'p.cjs']);
});
