// The run's private work directory (src/cache/workdir.ts): dead runs' directories are swept, live ones
// never, whichever way liveness is known.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { findLocker, noLocker } from '../../src/cache/flock.js';
import { WorkDir, WORK_PARENT } from '../../src/cache/workdir.js';
import { tempDir } from '../support/tmp.js';

/** Starts a process that creates its work directory in `root` and waits; resolves with it and its dir. */
async function liveOwner(root: string, lock: boolean) {
  const url = new URL('../../src/cache/', import.meta.url).href;
  const code = `const { WorkDir } = await import('${url}workdir.js'); const { findLocker, noLocker } = await import('${url}flock.js');
    const w = new WorkDir(${JSON.stringify(root)}, ${lock ? 'findLocker()' : 'noLocker()'}); console.log(await w.mkdir('s')); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const staging = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
  return { child, staging, dir: join(staging, '..') };
}

for (const lock of [true, false]) {
  test(`sweepDead keeps a live run's directory and removes it once the run is SIGKILLed (${lock ? 'owner.lock' : 'pid and host'})`, async (t) => {
    const root = tempDir(t);
    const owner = await liveOwner(root, lock);
    const me = new WorkDir(root, lock ? findLocker() : noLocker());
    assert.deepEqual(await me.sweepDead(), []);
    assert.ok(existsSync(owner.staging));
    owner.child.kill('SIGKILL');
    await new Promise((r) => owner.child.once('exit', r));
    assert.deepEqual(await me.sweepDead(), [owner.dir]);
    assert.equal(existsSync(join(root, WORK_PARENT)), false, 'the empty parent goes too');
  });
}

test('sweepDead never touches another host\'s directory, and remove() leaves nothing of its own', async (t) => {
  const root = tempDir(t);
  const other = join(root, WORK_PARENT, 'otherhost.1.1');
  mkdirSync(other, { recursive: true });
  writeFileSync(join(other, 'x'), '');
  assert.notEqual(hostname().split('.')[0], 'otherhost');
  const me = new WorkDir(root, findLocker());
  await me.mkdir('s');
  assert.deepEqual(await me.sweepDead(), []);
  await me.remove();
  assert.deepEqual(await readdir(join(root, WORK_PARENT)), ['otherhost.1.1']);
});
