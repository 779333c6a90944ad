import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTempFile, isTempNameFor, removeStaleTemps, writeFileAtomic } from '../../src/cache/atomic.js';
import { tempDir } from '../support/tmp.js';

function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

test('temp files are named <final><N>.tmp with N in decimal, unpadded', async (t) => {
  const dir = tempDir(t);
  const final = join(dir, 'v1.0.0.zip');
  const { path, handle } = await createTempFile(final, { random: sequence(42) });
  await handle.close();
  assert.equal(path, `${final}42.tmp`);
});

test('a name collision is retried with a new number and the existing file is left alone', async (t) => {
  const dir = tempDir(t);
  const final = join(dir, 'v1.0.0.info');
  await writeFile(`${final}42.tmp`, 'theirs');
  const { path, handle } = await createTempFile(final, { random: sequence(42, 7) });
  await handle.close();
  assert.equal(path, `${final}7.tmp`);
  assert.equal(await readFile(`${final}42.tmp`, 'utf8'), 'theirs');
});

test('writeFileAtomic creates parents, writes the bytes, leaves no temp and uses mode 0666 &^ umask', async (t) => {
  const dir = tempDir(t);
  const final = join(dir, 'cache', 'download', 'example.com', 'm', '@v', 'v1.0.0.mod');
  await writeFileAtomic(final, 'module example.com/m\n', { random: sequence(1) });
  assert.equal(await readFile(final, 'utf8'), 'module example.com/m\n');
  const umask = process.umask();
  assert.equal((await stat(final)).mode & 0o777, 0o666 & ~umask);
  assert.deepEqual(await readdir(join(final, '..')), ['v1.0.0.mod']);
});

test('writeFileAtomic replaces an existing file', async (t) => {
  const dir = tempDir(t);
  const final = join(dir, 'v1.0.0.info');
  await writeFile(final, 'old');
  await writeFileAtomic(final, 'new');
  assert.equal(await readFile(final, 'utf8'), 'new');
});

test('a failed rename removes the temp file and leaves the final name untouched', async (t) => {
  const dir = tempDir(t);
  const final = join(dir, 'target');
  // A non-empty directory at the final name makes rename(2) fail after the data is written.
  await mkdir(final);
  await writeFile(join(final, 'keep'), 'x');
  await assert.rejects(writeFileAtomic(final, 'data', { random: sequence(5) }));
  assert.deepEqual((await readdir(dir)).sort(), ['target']);
  assert.deepEqual(await readdir(final), ['keep']);
});

test('removeStaleTemps removes exactly what go\'s E.zip*.tmp glob matches', async (t) => {
  const dir = tempDir(t);
  const names = ['v1.0.0.zip', 'v1.0.0.zip123.tmp', 'v1.0.0.ziphash5.tmp', 'v1.0.0.zip.tmp', 'v1.0.0.info12.tmp',
    'v1.0.0.zip123.tmpx', 'v1.0.1.zip1.tmp', 'v1.0.0.ziphash'];
  for (const n of names) await writeFile(join(dir, n), '');
  const removed = await removeStaleTemps(join(dir, 'v1.0.0.zip'));
  assert.deepEqual(removed.map((p) => p.slice(dir.length + 1)).sort(), ['v1.0.0.zip.tmp', 'v1.0.0.zip123.tmp', 'v1.0.0.ziphash5.tmp']);
  assert.deepEqual((await readdir(dir)).sort(), ['v1.0.0.info12.tmp', 'v1.0.0.zip', 'v1.0.0.zip123.tmpx', 'v1.0.0.ziphash', 'v1.0.1.zip1.tmp']);
  assert.equal(isTempNameFor('v1.0.0.zip', 'v1.0.0.zip.tmp'), true);
  assert.equal(isTempNameFor('v1.0.0.zip', 'v1.0.0.zi.tmp'), false);
});

test('a writer killed mid-write never leaves a half-written file under the final name', async (t) => {
  const dir = tempDir(t);
  const final = join(dir, 'v1.0.0.zip');
  const size = 256 * 1024 * 1024;
  const atomicJs = fileURLToPath(new URL('../../src/cache/atomic.js', import.meta.url));
  const script = `import { writeFileAtomic } from ${JSON.stringify(atomicJs)};
    await writeFileAtomic(${JSON.stringify(final)}, Buffer.alloc(${size}, 0x61));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // Kill as soon as the temp file has data in it, i.e. in the middle of the write.
  let killedMidWrite = false;
  for (let i = 0; i < 5000 && child.exitCode === null; i++) {
    const tmps = (await readdir(dir)).filter((n) => n.endsWith('.tmp'));
    const sizes = await Promise.all(tmps.map(async (n) => (await stat(join(dir, n)).catch(() => undefined))?.size ?? 0));
    if (sizes.some((s) => s > 0 && s < size)) {
      killedMidWrite = child.kill('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await exited;
  const names = await readdir(dir);
  if (names.includes('v1.0.0.zip')) {
    assert.equal((await stat(final)).size, size, 'the final name holds a complete file or nothing');
  }
  if (killedMidWrite) {
    assert.ok(!names.includes('v1.0.0.zip'), 'killed before the rename: no final file');
    assert.ok(names.some((n) => isTempNameFor('v1.0.0.zip', n)), 'the leftover temp matches go\'s cleanup glob');
  }
});
