// Direct mode against go when things go wrong or take a detour: discovery 404, a missing repository,
// credentials (401 without, success with a git credential helper in HOME), GOVCS, a `mod` go-import
// entry, the default-style `proxy,direct` list whose proxy answers 404, and -x.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { GIT_HOST, goImport, startGitServer, type GitServer } from '../support/git-server.js';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy, type ProxyServer } from '../support/proxy-server.js';
import { rmrf } from '../support/tree.js';
import { compareDownload } from './harness.js';

const H = GIT_HOST;
let host: GitServer;
let proxy: ProxyServer;
let root: string;
let helperHome: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gomod-dl-git-'));
  host = await startGitServer(root);
  host.createRepo('pub', [{ files: { 'go.mod': `module ${H}/pub\n`, 'p.go': 'package pub\n' }, tags: ['v1.0.0'] }]);
  host.setDiscovery(`${H}/pub`, { imports: [goImport(`${H}/pub`, 'pub')] });
  host.createRepo('private', [{ files: { 'go.mod': `module ${H}/private\n`, 'p.go': 'package private\n' }, tags: ['v1.0.0'] }]);
  host.setDiscovery(`${H}/private`, { imports: [goImport(`${H}/private`, 'private')] });
  host.protectRepo('private', 'gopher', 's3cret-token');
  host.setDiscovery(`${H}/gone`, { imports: [goImport(`${H}/gone`, 'gone')] });
  host.setDiscovery(`${H}/hgrepo`, { imports: [`${H}/hgrepo hg http://${H}/repo/hgrepo`] });
  host.setDiscovery(`${H}/elsewhere/sub`, { imports: [goImport(`${H}/other`, 'pub')] });
  host.setDiscovery(`${H}/fileurl`, { imports: [`${H}/fileurl git file:///tmp/x`] });

  // A module proxy named by a `mod` go-import entry, and one that knows nothing (404) for `proxy,direct`.
  const m = await buildModule({ path: `${H}/viamod`, version: 'v1.0.0', files: { 'v.go': 'package viamod\n' } });
  proxy = await startProxy(new ModuleStore().add(m));
  host.setDiscovery(`${H}/viamod`, { imports: [`${H}/viamod mod ${proxy.url}/~mod`, goImport(`${H}/viamod`, 'pub')] });

  helperHome = join(root, 'home');
  mkdirSync(helperHome);
  writeFileSync(join(helperHome, '.gitconfig'),
    '[credential]\n\thelper = "!f() { test \\"$1\\" = get && echo username=gopher && echo password=s3cret-token; }; f"\n');
});
after(async () => {
  await host.close();
  await proxy.close();
  await rmrf(root);
});

test('discovery 404, a missing repository, a mismatched prefix, a file:// repository and 401 fail as in go', async (t) => {
  requireGo(t);
  await compareDownload(t, host, ['-json',
    `${H}/nothere@v1.0.0`, `${H}/gone@v1.0.0`, `${H}/elsewhere/sub@v1.0.0`, `${H}/fileurl@v1.0.0`, `${H}/private@v1.0.0`, 'nodot/x@v1.0.0',
  ]);
  // A failed discovery under a list or latest query is named with the query, as go's errRepo leaves it.
  await compareDownload(t, host, ['-json', `${H}/nothere@latest`, `${H}/nothere@v1`, `${H}/nothere@master`]);
  await compareDownload(t, host, [`${H}/nothere@latest`]);
});

test('git credentials from a credential helper in HOME reach the private repository, as in go', async (t) => {
  requireGo(t);
  await compareDownload(t, host, ['-json', `${H}/private@v1.0.0`, `${H}/private@latest`], { env: { HOME: helperHome } });
});

test('without credentials, the error is go\'s plus one line on giving git credentials without a prompt', async () => {
  const r = await runGomodDl([`${H}/private@v1.0.0`], { env: host.env() });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /terminal prompts disabled\nConfirm the import path was entered correctly\.\nIf this is a private repository, see https:\/\/golang\.org\/doc\/faq#git_https for additional information\.\ngomod-dl: git needs credentials/);
});

test('GOVCS refuses git as go does', async (t) => {
  requireGo(t);
  // viamod comes from a module proxy (`mod` entry), which GOVCS does not govern; it also makes both
  // tools create the cache (go creates GOMODCACHE on its first cache read, gomod-dl when it writes).
  await compareDownload(t, host, [`${H}/pub@v1.0.0`, `${H}/viamod@v1.0.0`], { env: { GOVCS: `${H}/pub:hg` } });
  await compareDownload(t, host, [`${H}/pub@v1.0.0`, `${H}/viamod@v1.0.0`], { env: { GOVCS: 'bad' } });
});

test('a `mod` go-import entry is served from the module proxy it names, as in go', async (t) => {
  requireGo(t);
  await compareDownload(t, host, ['-json', `${H}/viamod@v1.0.0`]);
});

test('GOPROXY=proxy,direct reaches git after the proxy answers 404, as in go', async (t) => {
  requireGo(t);
  await compareDownload(t, host, ['-json', `${H}/pub@v1.0.0`, `${H}/pub@latest`], { env: { GOPROXY: `${proxy.url}/~empty,direct`, GOPRIVATE: '' } });
});

test('a hg repository gets gomod-dl\'s clear refusal naming the module and the VCS', async () => {
  const r = await runGomodDl([`${H}/hgrepo@v1.0.0`], { env: host.env() });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /git\.example\.test\/hgrepo@v1\.0\.0: .*hg.*not supported by gomod-dl/);
});

test('-x shows git commands as go does, never a credential', async () => {
  const r = await runGomodDl(['-x', `${H}/private@v1.0.0`], { env: host.env({ HOME: helperHome }) });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^cd \S+\/cache\/vcs\/[0-9a-f]{64}; git ls-remote -q --end-of-options http:\/\/git\.example\.test\/repo\/private$/m);
  assert.match(r.stderr, /^\d+\.\d{3}s # cd \S+; git -c log\.showsignature=false log --no-decorate -n1 '--format=format:%H %ct %D' --end-of-options /m);
  assert.match(r.stderr, /^# lock \S+\.lock$/m);
  assert.doesNotMatch(r.stderr, /s3cret-token/);
});
