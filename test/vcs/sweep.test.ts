// Direct mode against go on the corners a git-mode sweep found: an invalid pseudo-version of a
// known commit (its error keeps the commit's Origin), @latest failing in Stat after the tag list
// (the error's Origin is the list's merged with Stat's), a semver tag on a tree object (no complete
// fetch after the shallow one), discovery errors that print the go-get URL scheme-less, an https
// discovery refused by the proxy's CONNECT (go prints the status text), and a repository cache
// directory whose .info names another remote (no `lookup <root>: ` prefix), a go-import repo root
// that go's url.Parse rejects.
import { after, before, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireGo } from '../support/gorun.js';
import { GIT_HOST, goImport, startGitServer, type GitServer } from '../support/git-server.js';
import { rmrf } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';
import { compareDownload } from './harness.js';

const H = GIT_HOST;
let host: GitServer;
let root: string;
let untagged: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gomod-dl-git-'));
  host = await startGitServer(root);

  [untagged] = host.createRepo('notags', [{ files: { 'go.mod': `module ${H}/notags\n`, 'a.go': 'package a\n' } }]) as [string];
  host.setDiscovery(`${H}/notags`, { imports: [goImport(`${H}/notags`, 'notags')] });

  // sub/v1.0.0 tags a commit where sub/ has no go.mod: the tag list succeeds, then Stat fails.
  host.createRepo('subnogomod', [{ files: { 'go.mod': `module ${H}/subnogomod\n`, 'sub/a.go': 'package a\n' }, tags: ['sub/v1.0.0'] }]);
  for (const p of [`${H}/subnogomod`, `${H}/subnogomod/sub`]) host.setDiscovery(p, { imports: [goImport(`${H}/subnogomod`, 'subnogomod')] });

  // v1.2.0 tags the tree of the only commit, not the commit.
  host.createRepo('treetag', [{ files: { 'go.mod': `module ${H}/treetag\n`, 'a.go': 'package a\n' }, tags: ['v1.0.0'] }]);
  execFileSync('git', ['tag', 'v1.2.0', 'HEAD^{tree}'], { cwd: join(host.reposDir, 'treetag') });
  host.setDiscovery(`${H}/treetag`, { imports: [goImport(`${H}/treetag`, 'treetag')] });

  host.createRepo('a', [{ files: { 'go.mod': `module ${H}/a\n`, 'a.go': 'package a\n' }, tags: ['v1.0.0'] }]);
  host.setDiscovery(`${H}/a`, { imports: [goImport(`${H}/a`, 'a')] });
  // Two go-import tags for one path; a prefix page that disagrees with the page that named it.
  host.setDiscovery(`${H}/two`, { imports: [goImport(`${H}/two`, 'a'), goImport(`${H}/two`, 'b')] });
  host.setDiscovery(`${H}/other/x`, { imports: [goImport(`${H}/other`, 'a')] });
  host.setDiscovery(`${H}/other`, { imports: [goImport(`${H}/other`, 'b')] });
  // No tags at all: @latest of a subdirectory module finds no version (Latest converts HEAD and fails).
  host.createRepo('subnotag', [{ files: { 'go.mod': `module ${H}/subnotag\n`, 'sub/a.go': 'package a\n' } }]);
  for (const p of [`${H}/subnotag`, `${H}/subnotag/sub`]) host.setDiscovery(p, { imports: [goImport(`${H}/subnotag`, 'subnotag')] });
  // A repo root net/url cannot parse.
  host.setDiscovery(`${H}/badurl`, { imports: [`${H}/badurl git http://[::1`] });
});
after(async () => {
  await host.close();
  await rmrf(root);
});

test('an invalid pseudo-version of a known commit fails with the commit\'s Origin, as in go', async (t) => {
  requireGo(t);
  // Its base would be "before v0.0.0": go's validatePseudoVersion error becomes a ModuleError that
  // convert's caller returns beside the commit's RevInfo, so -json shows the Origin.
  await compareDownload(t, host, ['-json', `${H}/notags@v0.0.0-0.20240101100000-${untagged.slice(0, 12)}`]);
});

test('@latest failing in Stat after the tag list keeps the list\'s TagPrefix and TagSum in its Origin, as in go', async (t) => {
  requireGo(t);
  await compareDownload(t, host, ['-json', `${H}/subnogomod/sub@latest`]);
});

test('a semver tag on a tree object fails after the shallow fetch of that tag alone, as in go', async (t) => {
  requireGo(t);
  // go returns statLocal's error after a successful shallow fetch: cache/vcs holds only that tag
  // (no complete fetch of every branch and tag).
  await compareDownload(t, host, [`${H}/treetag@v1.2.0`]);
});

test('discovery errors name the go-get URL as go prints it (//host/path?go-get=1)', async (t) => {
  requireGo(t);
  await compareDownload(t, host, [`${H}/two@v1.0.0`]);
  await compareDownload(t, host, [`${H}/other/x@v1.0.0`]);
});

test('https discovery through a proxy that refuses CONNECT with 403 fails with go\'s status text', async (t) => {
  requireGo(t);
  // Without GOINSECURE there is no http fallback; the git host, as HTTPS_PROXY, answers CONNECT
  // with `403 Forbidden`, and go's Transport reports the status text (net/http transport.go dialConn).
  await compareDownload(t, host, [`${H}/a@v1.0.0`], { env: { GOINSECURE: '' } });
});

test('a repository cache directory whose .info names another remote fails with go\'s message alone', async (t) => {
  requireGo(t);
  // go's codehost.WorkDir: cache/vcs/<sha256 of the key> and its .info exist, the .info's key differs.
  const key = `git3:http://${H}/repo/a`;
  const name = createHash('sha256').update(key).digest('hex');
  const gomodcache = { go: join(tempDir(t, 'go-cache'), 'mod'), ours: join(tempDir(t, 'our-cache'), 'mod') };
  for (const cache of [gomodcache.go, gomodcache.ours]) {
    const vcs = join(cache, 'cache', 'vcs');
    mkdirSync(vcs, { recursive: true });
    execFileSync('git', ['init', '-q', '--bare', name], { cwd: vcs, env: { PATH: process.env['PATH'] ?? '', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
    writeFileSync(join(vcs, name + '.info'), 'git3:http://elsewhere');
  }
  await compareDownload(t, host, [`${H}/a@v1.0.0`], { gomodcache });
});

test('a go-import repo root that go\'s url.Parse rejects is go\'s invalid-repo-root error, with nothing cached', async (t) => {
  requireGo(t);
  // go's validateRepoRoot: `invalid repo root "http://[::1": parse "http://[::1": missing ']' in host`.
  await compareDownload(t, host, [`${H}/badurl@v1.0.0`]);
});

test('@latest with no usable version keeps the HEAD commit Latest looked at in its Origin, as in go', async (t) => {
  requireGo(t);
  // go's queryProxy merges the Origin Latest returned beside its error (Hash, Ref: HEAD) into the
  // list's before it decides the query found nothing.
  await compareDownload(t, host, ['-json', `${H}/subnotag/sub@latest`]);
});
