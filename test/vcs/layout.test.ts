// Direct mode against go: where modules live in repositories (subdirectories with prefixed tags,
// major-version subdirectories, +incompatible, the go-import subdirectory field) and what goes into
// their zips (nested and testdata modules, vendor rules at two go versions, .gitattributes, symlinks,
// executable files, a bad file name), retractions and non-semver tags. Zips are compared in their
// layout too (harness.ts zipSkeleton): everything but the deflate streams is go's.
import { after, before, test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireGo } from '../support/gorun.js';
import { GIT_HOST, goImport, startGitServer, type GitServer } from '../support/git-server.js';
import { rmrf } from '../support/tree.js';
import { compareDownload } from './harness.js';

const H = GIT_HOST;
let host: GitServer;
let root: string;

/** Serves discovery for `paths`, all pointing at repository `repo` (optionally with a subdirectory). */
function discover(repo: string, prefix: string, paths: string[], subdir?: string): void {
  for (const p of [prefix, ...paths]) host.setDiscovery(p, { imports: [goImport(prefix, repo, subdir)] });
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gomod-dl-git-'));
  host = await startGitServer(root);

  host.createRepo('mono', [{
    files: {
      'go.mod': `module ${H}/mono\n\ngo 1.21\n`, 'm.go': 'package mono\n', LICENSE: 'root license\n',
      'inner/go.mod': `module ${H}/mono/inner\n`, 'inner/i.go': 'package inner\n',
      'testdata/mod/go.mod': 'module testmod\n', 'testdata/mod/t.go': 'package t\n', 'testdata/plain.txt': 'kept\n',
      'sub/go.mod': `module ${H}/mono/sub\n\ngo 1.21\n`, 'sub/s.go': 'package sub\n', 'sub/deeper/d.go': 'package deeper\n',
      'lic/go.mod': `module ${H}/mono/lic\n`, 'lic/LICENSE': 'own license\n',
    },
    tags: ['v1.0.0', 'sub/v1.0.0', 'lic/v0.1.0'],
  }, { files: { 'sub/s2.go': 'package sub\n' }, tags: ['sub/v1.1.0'] }, { files: { 'sub/s3.go': 'package sub\n' } }]);
  discover('mono', `${H}/mono`, [`${H}/mono/sub`, `${H}/mono/lic`]);

  host.createRepo('v2root', [
    { files: { 'go.mod': `module ${H}/v2root/v2\n`, 'a.go': 'package a\n' }, tags: ['v2.0.0'] },
    { files: { 'b.go': 'package a\n' }, tags: ['v2.1.0'] },
  ]);
  discover('v2root', `${H}/v2root`, [`${H}/v2root/v2`]);

  host.createRepo('v2dir', [{
    files: { 'go.mod': `module ${H}/v2dir\n`, 'a.go': 'package a\n', 'v2/go.mod': `module ${H}/v2dir/v2\n`, 'v2/a.go': 'package a\n' },
    tags: ['v1.0.0', 'v2.0.0'],
  }]);
  discover('v2dir', `${H}/v2dir`, [`${H}/v2dir/v2`]);

  host.createRepo('legacy', [
    { files: { 'l.go': 'package legacy\n' }, tags: ['v1.0.0'] },
    { files: { 'l2.go': 'package legacy\n' }, tags: ['v2.0.0'] },
    { files: { 'l3.go': 'package legacy\n' }, tags: ['v3.1.0'] },
  ]);
  discover('legacy', `${H}/legacy`, []);

  const content = (goVersion: string) => ({
    'go.mod': `module ${H}/files\n\ngo ${goVersion}\n`, 'f.go': 'package files\n',
    'vendor/modules.txt': '# x.example/p v1.0.0\n', 'vendor/x.example/p/p.go': 'package p\n', 'vendor/top.go': 'package vendor\n',
    'sub/vendor/y.example/y/y.go': 'package y\n', 'sub/vendor/keep.go': 'package vendor\n',
    '.gitattributes': 'ignored.txt export-ignore\nsubst.txt export-subst\n', 'ignored.txt': 'still here\n', 'subst.txt': '$Format:%H$\n',
    link: { symlink: 'f.go' }, 'run.sh': { exec: '#!/bin/sh\necho hi\n' }, '.hg_archival.txt': 'hg\n',
    // Names archive/zip flags as UTF-8 (detectUTF8: beyond 0x7d) or not, and an empty file.
    'tilde~.txt': 'a\n', 'caf\u00e9.txt': 'b\n', 'plain{}.txt': 'c\n', 'empty.txt': '',
  });
  host.createRepo('files', [{ files: content('1.23'), tags: ['v1.0.0'] }, { files: content('1.24'), tags: ['v1.1.0'] }]);
  discover('files', `${H}/files`, []);

  host.createRepo('badname', [{ files: { 'go.mod': `module ${H}/badname\n`, 'ok.go': 'package b\n', 'bad:name.txt': 'x\n' }, tags: ['v1.0.0'] }]);
  discover('badname', `${H}/badname`, []);

  host.createRepo('retract', [
    { files: { 'go.mod': `module ${H}/retract\n` }, tags: ['v1.0.0'] },
    { files: { 'a.go': 'package r\n' }, tags: ['v1.1.0'] },
    { files: { 'go.mod': `module ${H}/retract\n\nretract v1.2.0 // oops\n` }, tags: ['v1.2.0'] },
    { files: { 'b.go': 'package r\n' }, branch: 'next' },
  ]);
  discover('retract', `${H}/retract`, []);

  host.createRepo('nonsemver', [
    { files: { 'go.mod': `module ${H}/nonsemver\n` }, tags: ['v1.0.0', 'release-1'] },
    { files: { 'a.go': 'package n\n' }, tags: ['v1.1', 'foo', 'v1.2.0-pre+meta'] },
  ]);
  discover('nonsemver', `${H}/nonsemver`, []);

  host.createRepo('subdirrepo', [{
    files: { 'README': 'repo root\n', LICENSE: 'repo license\n', 'gosrc/go.mod': `module ${H}/subd\n`, 'gosrc/s.go': 'package subd\n' },
    tags: ['gosrc/v1.0.0'],
  }]);
  discover('subdirrepo', `${H}/subd`, [], 'gosrc');

  host.createRepo('newgo', [
    { files: { 'go.mod': `module ${H}/newgo\n\ngo 1.27 // newer than 1.26.8\n`, 'n.go': 'package newgo\n' }, tags: ['v1.0.0'] },
    { files: { 'go.mod': `module ${H}/newgo\n\ngo 1.21\n` }, tags: ['v1.1.0'] },
  ]);
  discover('newgo', `${H}/newgo`, []);
});
after(async () => {
  await host.close();
  await rmrf(root);
});

test('module layouts in repositories resolve and zip as in go', async (t) => {
  requireGo(t);
  await compareDownload(t, host, ['-json',
    `${H}/mono@v1.0.0`, `${H}/mono/sub@v1.0.0`, `${H}/mono/sub@latest`, `${H}/mono/sub@main`, `${H}/mono/lic@v0.1.0`,
    `${H}/v2root/v2@v2.0.0`, `${H}/v2root/v2@latest`, `${H}/v2dir/v2@v2.0.0`, `${H}/v2dir@v1.0.0`, `${H}/v2dir@v2.0.0`,
    `${H}/legacy@v2.0.0+incompatible`, `${H}/legacy@latest`, `${H}/legacy@v2.0.0`, `${H}/legacy@v1.0.0`,
    `${H}/subd@v1.0.0`,
  ]);
});

test('zip contents follow go: vendor at go 1.23 and 1.24, .gitattributes ignored, symlinks dropped', async (t) => {
  requireGo(t);
  await compareDownload(t, host, ['-json', `${H}/files@v1.0.0`, `${H}/files@v1.1.0`]);
});

test('a file name go rejects fails the zip after .info and .mod are cached, as in go', async (t) => {
  requireGo(t);
  await compareDownload(t, host, ['-json', `${H}/badname@v1.0.0`]);
});

test('retracted versions and non-semver tags are handled as go handles them', async (t) => {
  requireGo(t);
  await compareDownload(t, host, ['-json',
    `${H}/retract@latest`, `${H}/retract@next`, `${H}/retract@v1.2.0`,
    `${H}/nonsemver@latest`, `${H}/nonsemver@foo`, `${H}/nonsemver@v1.1`, `${H}/nonsemver@v1.2.0-pre`,
  ]);
});

// Alone: with @latest in the same run, which .info go writes for v1.0.0 (Ref v1.0.0 or release-1)
// depends on which query finishes first.
test('a non-semver tag on a tagged commit resolves to the semver tag as in go', async (t) => {
  requireGo(t);
  await compareDownload(t, host, ['-json', `${H}/nonsemver@release-1`]);
});

test('GOTOOLCHAIN=local: a module whose go.mod needs a newer go is refused before its zip is made, as go\'s codeRepo.Zip refuses it', async (t) => {
  requireGo(t);
  for (const args of [['-json', `${H}/newgo@v1.0.0`, `${H}/newgo@v1.1.0`], [`${H}/newgo@v1.0.0`]]) {
    await compareDownload(t, host, args, { env: { GOTOOLCHAIN: 'local' } });
  }
});
