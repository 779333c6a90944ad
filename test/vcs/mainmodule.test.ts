// Direct mode against go for a main module: private requirements downloaded with no arguments and
// with `all`, go.sum written as go writes it, a go.sum mismatch, `go mod verify` on gomod-dl's cache,
// and reuse of one tool's repository cache (cache/vcs) by the other.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireGo, runGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { GIT_HOST, goImport, startGitServer, type GitServer } from '../support/git-server.js';
import { rmrf, writeTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';
import { assertSameCache, compareDownload } from './harness.js';

const H = GIT_HOST;
let host: GitServer;
let root: string;
let mainDir: string;
let badSumDir: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gomod-dl-git-'));
  host = await startGitServer(root);
  host.createRepo('lib', [
    { files: { 'go.mod': `module ${H}/lib\n\ngo 1.21\n\nrequire ${H}/dep v1.0.0\n`, 'l.go': 'package lib\n' }, tags: ['v1.0.0'] },
    { files: { 'l2.go': 'package lib\n' }, tags: ['v1.1.0'] },
  ]);
  host.createRepo('dep', [{ files: { 'go.mod': `module ${H}/dep\n\ngo 1.21\n`, 'd.go': 'package dep\n' }, tags: ['v1.0.0'] }]);
  host.createRepo('tools', [{
    files: { 'go.mod': `module ${H}/tools\n`, 't.go': 'package tools\n', 'cmd/go.mod': `module ${H}/tools/cmd\n`, 'cmd/c.go': 'package main\n' },
    tags: ['v0.1.0', 'cmd/v0.2.0'],
  }]);
  for (const r of ['lib', 'dep', 'tools']) host.setDiscovery(`${H}/${r}`, { imports: [goImport(`${H}/${r}`, r)] });
  host.setDiscovery(`${H}/tools/cmd`, { imports: [goImport(`${H}/tools`, 'tools')] });
  mainDir = join(root, 'main');
  writeTree(mainDir, {
    'go.mod': `module example.test/main\n\ngo 1.21\n\nrequire (\n\t${H}/lib v1.1.0\n\t${H}/tools v0.1.0\n\t${H}/tools/cmd v0.2.0\n)\n`,
    'main.go': 'package main\n',
  });
  badSumDir = join(root, 'badsum');
  writeTree(badSumDir, {
    'go.mod': `module example.test/main\n\ngo 1.21\n\nrequire ${H}/dep v1.0.0\n`,
    'go.sum': `${H}/dep v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n${H}/dep v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n`,
  });
});
after(async () => {
  await host.close();
  await rmrf(root);
});

test('a main module with private requirements: no arguments, then all; go.sum as go writes it; go mod verify accepts the cache', async (t) => {
  requireGo(t);
  await compareDownload(t, host, [], { mainModule: mainDir, verify: true });
  await compareDownload(t, host, ['-json', 'all'], { mainModule: mainDir, verify: true });
});

test('a go.sum mismatch on a directly fetched module fails as in go', async (t) => {
  requireGo(t);
  await compareDownload(t, host, [`${H}/dep@v1.0.0`], { mainModule: badSumDir });
});

test('gomod-dl reuses the repositories go left in cache/vcs, and go reuses gomod-dl\'s', async (t) => {
  requireGo(t);
  const env = host.env();
  // go first, then gomod-dl on the same cache (asking for another version: a fetch in the same repository).
  const goFirst = join(tempDir(t, 'shared-a'), 'mod');
  await runGo(['mod', 'download', `${H}/lib@v1.0.0`], { t, gomodcache: goFirst, env });
  const ours = await runGomodDl(['-x', `${H}/lib@v1.1.0`], { t, gomodcache: goFirst, env });
  assert.equal(ours.code, 0, ours.stderr);
  assert.doesNotMatch(ours.stderr, /git init/, 'gomod-dl must reuse go\'s bare repository');
  assert.match(ours.stderr, /# .*cache\/vcs\/[0-9a-f]{64} for git3 http:\/\/git\.example\.test\/repo\/lib/);
  // gomod-dl first, then go.
  const oursFirst = join(tempDir(t, 'shared-b'), 'mod');
  await runGomodDl([`${H}/lib@v1.0.0`], { t, gomodcache: oursFirst, env });
  const go = await runGo(['mod', 'download', '-x', `${H}/lib@v1.1.0`], { t, gomodcache: oursFirst, env });
  assert.equal(go.code, 0, go.stderr);
  assert.doesNotMatch(go.stderr, /git init/, 'go must reuse gomod-dl\'s bare repository');
  // Both orders end in the same cache.
  await assertSameCache(oursFirst, goFirst);
});

test('go and gomod-dl at once on one cache and one repository take turns on its lock: both succeed, the cache is go\'s', async (t) => {
  requireGo(t);
  const env = host.env();
  const goAlone = join(tempDir(t, 'alone'), 'mod');
  const args = [`${H}/lib@v1.0.0`, `${H}/lib@v1.1.0`, `${H}/dep@v1.0.0`];
  assert.equal((await runGo(['mod', 'download', ...args], { t, gomodcache: goAlone, env })).code, 0);
  for (const [i, delayMs] of [0, 40, 120].entries()) {
    const shared = join(tempDir(t, `together-${i}`), 'mod');
    const goFirst = i % 2 === 0;
    const later = <T>(f: () => Promise<T>) => new Promise<T>((resolve, reject) => setTimeout(() => f().then(resolve, reject), delayMs));
    const runGoNow = () => runGo(['mod', 'download', ...args], { t, gomodcache: shared, env });
    const runOursNow = () => runGomodDl(args, { t, gomodcache: shared, env });
    const [go, ours] = await Promise.all(goFirst ? [runGoNow(), later(runOursNow)] : [later(runGoNow), runOursNow()]);
    assert.equal(go.code, 0, `round ${i}: go: ${go.stderr}`);
    assert.equal(ours.code, 0, `round ${i}: gomod-dl: ${ours.stderr}`);
    await assertSameCache(shared, goAlone);
  }
});

test('a second run on a warm cache asks the git host no more than go does', async (t) => {
  requireGo(t);
  const env = host.env();
  const args = [`${H}/lib@v1.0.0`, `${H}/lib@latest`, `${H}/tools/cmd@v0.2.0`];
  const gitRequests = () => host.requests.filter((r) => r.url.includes('/repo/')).length;
  const goCache = join(tempDir(t, 'warm-go'), 'mod');
  const ourCache = join(tempDir(t, 'warm-ours'), 'mod');
  await runGo(['mod', 'download', ...args], { t, gomodcache: goCache, env });
  await runGomodDl(args, { t, gomodcache: ourCache, env });
  let before = gitRequests();
  const go = await runGo(['mod', 'download', ...args], { t, gomodcache: goCache, env });
  const goWarm = gitRequests() - before;
  before = gitRequests();
  const ours = await runGomodDl(args, { t, gomodcache: ourCache, env });
  const ourWarm = gitRequests() - before;
  assert.equal(go.code, 0, go.stderr);
  assert.equal(ours.code, 0, ours.stderr);
  assert.ok(ourWarm <= goWarm, `warm run: gomod-dl made ${ourWarm} git requests, go ${goWarm}`);
  await assertSameCache(ourCache, goCache);
});
