// `go mod download -reuse=old.json` in direct mode, against go: a module whose Origin the repository
// still confirms is not downloaded (`"Reuse": true`, nothing in the cache but the repository's init),
// one whose ref or tags moved is downloaded again, and a module proxy never confirms an Origin.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJsonStream, requireGo, runGo } from '../support/gorun.js';
import { GIT_HOST, goImport, startGitServer, type GitServer } from '../support/git-server.js';
import { rmrf } from '../support/tree.js';
import { compareDownload } from './harness.js';

const H = GIT_HOST;
let host: GitServer;
let root: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gomod-dl-reuse-'));
  host = await startGitServer(root);
  host.createRepo('a', [
    { files: { 'go.mod': `module ${H}/a\n`, 'a.go': 'package a\n' }, tags: ['v1.0.0'] },
    { files: { 'b.go': 'package a\n' }, tags: ['v1.1.0'] },
    { files: { 'c.go': 'package a\n' } },
  ]);
  host.setDiscovery(`${H}/a`, { imports: [goImport(`${H}/a`, 'a')] });
  // A module in a subdirectory: its Origin names the Subdir.
  host.createRepo('mono', [{ files: { 'go.mod': `module ${H}/mono\n`, 'sub/go.mod': `module ${H}/mono/sub\n`, 'sub/s.go': 'package s\n' }, tags: ['sub/v0.1.0'] }]);
  for (const p of [`${H}/mono`, `${H}/mono/sub`]) host.setDiscovery(p, { imports: [goImport(`${H}/mono`, 'mono')] });
});
after(async () => {
  await host.close();
  await rmrf(root);
});

const ARGS = [`${H}/a@v1.0.0`, `${H}/a@latest`, `${H}/a@main`, `${H}/a@v1`, `${H}/a@nosuchbranch`, `${H}/mono/sub@v0.1.0`];

/** go's -json of a first run, written where both tools can read it. */
async function oldJson(t: Parameters<typeof requireGo>[0], name: string): Promise<string> {
  const first = await runGo(['mod', 'download', '-json', ...ARGS], { t, env: host.env() });
  const file = join(root, name);
  writeFileSync(file, first.stdout);
  return file;
}

test('-reuse: modules whose Origin still holds are not downloaded, as in go', async (t) => {
  requireGo(t);
  const old = await oldJson(t, 'old1.json');
  const { go } = await compareDownload(t, host, ['-json', `-reuse=${old}`, ...ARGS]);
  // The comparison means something only if go did reuse: every record but the failed query's.
  const reused = parseJsonStream(go.stdout).filter((m) => m['Reuse'] === true);
  assert.equal(reused.length, ARGS.length, go.stdout);
});

test('-reuse: a moved branch and a new tag are downloaded again, the rest reused, as in go', async (t) => {
  requireGo(t);
  const old = await oldJson(t, 'old2.json');
  // (main moves past the new tag: a branch and a tag on one commit are fetched in an order that
  // depends on the order the queries reach the repository, which this test is not about.)
  host.addCommits('a', [{ files: { 'd.go': 'package a\n' }, tags: ['v1.2.0'] }, { files: { 'e.go': 'package a\n' } }]);
  const { go } = await compareDownload(t, host, ['-json', `-reuse=${old}`, ...ARGS]);
  const byQuery = new Map(parseJsonStream(go.stdout).map((m) => [`${String(m['Query'] ?? m['Version'])}`, m]));
  assert.equal(byQuery.get('v1.0.0')?.['Reuse'], true, go.stdout);
  assert.equal(byQuery.get('latest')?.['Reuse'], undefined, go.stdout);
  // Without -json the reused modules are silent and the others downloaded.
  await compareDownload(t, host, [`-reuse=${old}`, ...ARGS.filter((a) => !a.endsWith('nosuchbranch'))]);
});

test('-reuse through a module proxy: nothing is reused, as in go', async (t) => {
  requireGo(t);
  const old = await oldJson(t, 'old3.json');
  // GOPROXY=off, and a proxy answering 404 before direct: a proxy cannot confirm an Origin (and its
  // refusal is no reason to fall back), so go queries and downloads as without the file.
  await compareDownload(t, host, ['-json', `-reuse=${old}`, `${H}/a@v1.0.0`], { env: { GOPROXY: 'off', GOPRIVATE: '', GONOPROXY: '' } });
  const { go } = await compareDownload(t, host, ['-json', `-reuse=${old}`, `${H}/a@v1.0.0`], {
    env: { GOPROXY: `http://${H}/no-proxy-here,direct`, GOPRIVATE: '', GONOPROXY: '', GONOSUMDB: H, GOSUMDB: 'off' },
  });
  assert.equal(parseJsonStream(go.stdout)[0]?.['Reuse'], undefined, go.stdout);
});
