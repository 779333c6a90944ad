import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync, mkdirSync, symlinkSync, writeFileSync, chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSameTree, cacheIgnore, diffTrees, rmrf, snapshotTree } from './tree.js';
import { tempDir } from './tmp.js';

function write(root: string, rel: string, content: string, mode = 0o644): void {
  const p = join(root, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, content);
  chmodSync(p, mode);
}

test('snapshotTree lists files, dirs and symlinks sorted bytewise, with modes, sizes and hashes', async (t) => {
  const d = tempDir(t, 'tree');
  write(d, 'b/x.go', 'x', 0o444);
  write(d, 'B.txt', 'hello');
  symlinkSync('B.txt', join(d, 'link'));
  const snap = await snapshotTree(d);
  assert.deepEqual(snap.map((e) => `${e.type} ${e.path}`), ['file B.txt', 'dir b', 'file b/x.go', 'symlink link']);
  const hello = snap[0]!;
  assert.equal(hello.size, 5);
  assert.equal(hello.sha256, '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  assert.equal(snap[2]!.mode, 0o444);
  assert.equal(snap[3]!.target, 'B.txt');
  assert.deepEqual((await snapshotTree(d, { ignore: (r) => r === 'b' })).map((e) => e.path), ['B.txt', 'link']);
});

test('diffTrees reports missing, extra, mode, size and content differences readably', async (t) => {
  const a = tempDir(t, 'a');
  const b = tempDir(t, 'b');
  write(a, 'same', '1');
  write(b, 'same', '1');
  write(a, 'extra', '1');
  write(b, 'missing', '1');
  write(a, 'mode', '1', 0o444);
  write(b, 'mode', '1', 0o644);
  write(a, 'size', '12');
  write(b, 'size', '1');
  write(a, 'content', 'a');
  write(b, 'content', 'b');
  const diffs = diffTrees(await snapshotTree(a), await snapshotTree(b));
  assert.deepEqual(diffs, [
    'content differs:  content (same size 1)',
    'only in actual:   extra (file)',
    'only in expected: missing (file)',
    'mode differs:     mode: 0444, expected 0644',
    'size differs:     size: 2 bytes, expected 1',
  ]);
  assert.deepEqual(diffTrees(await snapshotTree(a), await snapshotTree(b), { max: 2 }).at(-1), '… and 3 more differences');
  assert.equal(diffTrees(await snapshotTree(a), await snapshotTree(b), { modes: false }).length, 4);
});

test('assertSameTree ignores lock files and the sumdb cache by default, and can be told not to', async (t) => {
  const a = tempDir(t, 'a');
  const b = tempDir(t, 'b');
  write(a, 'example.com/m@v1.0.0/go.mod', 'module example.com/m\n', 0o444);
  write(b, 'example.com/m@v1.0.0/go.mod', 'module example.com/m\n', 0o444);
  write(a, 'cache/download/example.com/m/@v/v1.0.0.info', '{}');
  write(b, 'cache/download/example.com/m/@v/v1.0.0.info', '{}');
  write(b, 'cache/download/example.com/m/@v/v1.0.0.lock', '');
  write(b, 'cache/lock', '');
  write(b, 'cache/download/sumdb/sum.golang.org/lookup/example.com/m@v1.0.0', 'x');
  await assertSameTree(a, b);
  await assert.rejects(assertSameTree(a, b, { locks: true }), (err: Error) => {
    assert.match(err.message, /only in expected: cache\/download\/example.com\/m\/@v\/v1.0.0.lock \(file\)/);
    assert.match(err.message, /only in expected: cache\/lock \(file\)/);
    return true;
  });
  await assert.rejects(assertSameTree(a, b, { sumdbCache: true }), /only in expected: cache\/download\/sumdb \(dir\)/);
  assert.equal(cacheIgnore({ ignore: (r) => r === 'x' })('x'), true);
});

test('rmrf removes trees with read-only (0555) directories and tolerates a missing path', async () => {
  const d = mkdtempSync(join(tmpdir(), 'rmrf-'));
  write(d, 'm@v1/sub/f.go', 'x', 0o444);
  chmodSync(join(d, 'm@v1/sub'), 0o555);
  chmodSync(join(d, 'm@v1'), 0o555);
  await rmrf(d);
  assert.equal(existsSync(d), false);
  await rmrf(d);
});

test('tempDir creates a fresh directory and removes it after the test', async (t) => {
  let dir = '';
  await t.test('inner', (t2) => {
    dir = tempDir(t2, 'tmp/odd name');
    assert.ok(existsSync(dir));
    assert.match(dir, /tmp_odd_name-/);
    write(dir, 'ro/f', 'x', 0o444);
    chmodSync(join(dir, 'ro'), 0o555);
  });
  assert.equal(existsSync(dir), false);
});
