import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GoPathError, moduleErrorText, toGoPathError } from '../../src/internal/goerrno.js';
import { ModuleError } from '../../src/module/index.js';
import { tempDir } from '../support/tmp.js';

const sysErr = (code: string, syscall: string, fields: Record<string, string> = {}) =>
  Object.assign(new Error(`${code}: something, ${syscall}`), { code, syscall, ...fields });

test("Node's file-system errors in go's os.PathError and os.LinkError words", () => {
  // A failed write names no file in Node: the caller's path is used.
  assert.equal(toGoPathError(sysErr('ENOSPC', 'write'), '/m/a.go')?.message, 'write /m/a.go: no space left on device');
  assert.equal(toGoPathError(sysErr('EACCES', 'open', { path: '/m/x' }))?.message, 'open /m/x: permission denied');
  assert.equal(toGoPathError(sysErr('EROFS', 'unlink', { path: '/m/x' }))?.message, 'remove /m/x: read-only file system');
  assert.equal(toGoPathError(sysErr('EXDEV', 'rename', { path: '/a', dest: '/b' }))?.message, 'rename /a /b: invalid cross-device link');
  assert.equal(toGoPathError(sysErr('EDQUOT', 'write'))?.message, undefined, 'no path, no rewording');
  assert.equal(toGoPathError(new Error('plain')), undefined);
});

test('mkdir through a file names the file, as os.MkdirAll does', (t) => {
  const dir = tempDir(t, 'goerrno');
  mkdirSync(join(dir, 'a'));
  writeFileSync(join(dir, 'a/f'), '');
  const e = toGoPathError(sysErr('ENOTDIR', 'mkdir', { path: join(dir, 'a/f/g/h') }));
  assert.equal(e?.message, `mkdir ${join(dir, 'a/f')}: not a directory`);
  const exists = toGoPathError(sysErr('EEXIST', 'mkdir', { path: join(dir, 'a/f') }));
  assert.equal(exists?.message, `mkdir ${join(dir, 'a/f')}: not a directory`);
});

test('moduleErrorText rewords a wrapped file-system error and names the module once', () => {
  const inner = sysErr('EACCES', 'open', { path: '/c/x.info' });
  assert.equal(moduleErrorText(new ModuleError('example.com/m', 'v1.0.0', inner), 'example.com/m@v1.0.0'),
    'example.com/m@v1.0.0: open /c/x.info: permission denied');
  assert.equal(moduleErrorText(inner, 'example.com/m@v1.0.0'), 'example.com/m@v1.0.0: open /c/x.info: permission denied');
  assert.equal(moduleErrorText(new GoPathError('write', '/c/y', 'ENOSPC'), 'example.com/m@v1.0.0'),
    'example.com/m@v1.0.0: write /c/y: no space left on device');
  assert.equal(moduleErrorText(new Error('zip: not a valid zip file'), 'example.com/m@v1.0.0'), 'zip: not a valid zip file');
});
