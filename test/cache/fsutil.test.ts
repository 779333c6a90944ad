// removeTree and removeTreeSync: a tree with read-only directories goes (which only a non-root user can see fail), and
// nothing outside it is touched through a symlink: neither removed nor made writable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';
import { removeTree, removeTreeSync } from '../../src/cache/fsutil.js';

for (const [name, remove] of [
  ['removeTree', removeTree],
  ['removeTreeSync', async (p: string) => removeTreeSync(p)],
] as const) {
  test(`${name} removes 0555 directories and 0444 files, and follows no symlink out of the tree`, async (t) => {
    const dir = tempDir(t, 'removetree');
    const outside = join(dir, 'outside');
    mkdirSync(join(outside, 'keep'), { recursive: true });
    writeFileSync(join(outside, 'keep', 'file'), 'x');
    chmodSync(join(outside, 'keep'), 0o555);
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'a', 'b'), { recursive: true });
    writeFileSync(join(tree, 'a', 'b', 'f.go'), 'package b\n', { mode: 0o444 });
    writeFileSync(join(tree, 'top.go'), 'package top\n', { mode: 0o444 });
    symlinkSync(outside, join(tree, 'a', 'link'));
    for (const d of [join(tree, 'a', 'b'), join(tree, 'a'), tree]) chmodSync(d, 0o555);
    await remove(tree);
    assert.equal(existsSync(tree), false);
    assert.deepEqual(readdirSync(join(outside, 'keep')), ['file']);
    assert.equal(statSync(join(outside, 'keep')).mode & 0o777, 0o555, 'the walk made a directory outside the tree writable');
    await remove(join(dir, 'missing')); // no error
    const file = join(dir, 'plain');
    writeFileSync(file, 'x');
    await remove(file);
    assert.equal(existsSync(file), false);
    chmodSync(join(outside, 'keep'), 0o755);
  });
}
