// `npm run compat -- parse <dir>` on directories laid out like the corpus: a table and exit 0 when
// go and gomod-dl agree, usage errors with exit 2, exit 1 when there is nothing to compare.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireGo } from '../support/gorun.js';
import { CORPUS_DIR, REPO_ROOT } from '../support/shared.js';

const MAIN = join(REPO_ROOT, 'dist', 'tools', 'compat', 'main.js');

function compat(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('compat parse prints one ok row per go.mod/go.work, nested ones included, and exits 0', (t) => {
  requireGo(t);
  const dir = mkdtempSync(join(tmpdir(), 'gomod-dl-compat-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'proj', 'sub', 'deep'), { recursive: true });
  copyFileSync(join(CORPUS_DIR, 'x-mod', 'go.mod'), join(dir, 'proj', 'go.mod'));
  writeFileSync(join(dir, 'proj', 'sub', 'deep', 'go.mod'), 'module x.y/m\n\nfoo bar\n');
  writeFileSync(join(dir, 'proj', 'go.work'), 'go 1.22\n\nuse ./sub/deep\n');
  const r = compat('parse', dir);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^proj\/go\.mod\s+ok\s+parsed$/m);
  assert.match(r.stdout, /^proj\/go\.work\s+ok\s+parsed$/m);
  assert.match(r.stdout, /^proj\/sub\/deep\/go\.mod\s+ok\s+same error$/m);
  assert.match(r.stdout, /3 entries, 3 ok, 0 different/);
});

test('compat parse exits 1 when the directory holds no go.mod or go.work', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gomod-dl-compat-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = compat('parse', dir);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no go\.mod or go\.work files/);
});

test('compat without a known subcommand or with wrong arguments exits 2 with usage', () => {
  assert.equal(compat().code, 2);
  const unknown = compat('frobnicate');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown subcommand "frobnicate"/);
  assert.equal(compat('parse').code, 2);
});
