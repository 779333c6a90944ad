// Direct mode against go on the same git repositories: tags, queries, pseudo-versions.
import { after, before, test } from 'node:test';
import { requireGo } from '../support/gorun.js';
import { GIT_HOST, goImport, startGitServer, type GitServer } from '../support/git-server.js';
import { tempDir } from '../support/tmp.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rmrf } from '../support/tree.js';
import { compareDownload } from './harness.js';

const H = GIT_HOST;
let host: GitServer;
let root: string;
let hashes: string[];

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gomod-dl-git-'));
  host = await startGitServer(root);
  hashes = host.createRepo('a', [
    { files: { 'go.mod': `module ${H}/a\n\ngo 1.21\n`, 'a.go': 'package a\n', LICENSE: 'license\n' }, tags: ['v1.0.0'] },
    { files: { 'b.go': 'package a\n' } },
    { files: { 'c.go': 'package a\n', 'run.sh': { exec: '#!/bin/sh\n' } }, annotated: ['v1.1.0'] },
    { files: { 'd.go': 'package a\n' } },
    { files: { 'e.go': 'package a\n' }, branch: 'dev' },
  ]);
  host.setDiscovery(`${H}/a`, { imports: [goImport(`${H}/a`, 'a')] });
});
after(async () => {
  await host.close();
  await rmrf(root);
});

test('exact versions, @latest, branches, pseudo-versions (right and wrong) and unknown revisions match go', async (t) => {
  requireGo(t);
  const [, second, , , dev] = hashes;
  await compareDownload(t, host, ['-json',
    `${H}/a@v1.0.0`, `${H}/a@latest`, `${H}/a@dev`,
    `${H}/a@v1.0.1-0.20240102100000-${second!.slice(0, 12)}`, `${H}/a@v1.1.1-0.20240105100000-${dev!.slice(0, 12)}`,
    `${H}/a@v1.0.1-0.20240102100001-${second!.slice(0, 12)}`, `${H}/a@v1.0.1-0.20240102100000-${second!.slice(0, 11)}`,
    `${H}/a@v1.2.1-0.20240102100000-${second!.slice(0, 12)}`, `${H}/a@v0.0.0-20240102100000-${second!.slice(0, 12)}`,
    `${H}/a@v1`, `${H}/a@v1.0`, `${H}/a@v9.9.9`, `${H}/a@nosuchbranch`,
  ]);
});

// One query per run: which of go's concurrent queries fetches first decides whether a hash is
// already local, and so whether its Origin names a Ref.
test('a short hash of an untagged commit resolves to its pseudo-version as in go', async (t) => {
  requireGo(t);
  await compareDownload(t, host, ['-json', `${H}/a@${hashes[1]!.slice(0, 12)}`]);
});

test('the full hash of a tagged commit resolves to the tag as in go', async (t) => {
  requireGo(t);
  await compareDownload(t, host, ['-json', `${H}/a@${hashes[2]}`]);
});
void tempDir;
