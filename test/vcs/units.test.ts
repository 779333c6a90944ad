// Unit tests of the vcs layer's pure parts: redaction, -x quoting, go-import parsing, GOVCS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrls } from '../../src/vcs/redact.js';
import { quoteArg } from '../../src/vcs/run.js';
import { parseMetaGoImports } from '../../src/vcs/htmlmeta.js';
import { checkGOVCS, parseGOVCS } from '../../src/vcs/govcs.js';
import { goModModulePath } from '../../src/vcs/coderepo.js';

test('credentials in URLs never reach the output', () => {
  assert.equal(redactUrls('fetch https://user:ghp_secret@github.com/acme/x failed'), 'fetch https://user:xxxxx@github.com/acme/x failed');
  assert.equal(redactUrls("clone 'https://ghp_token@github.com/acme/x'"), "clone 'https://xxxxx@github.com/acme/x'");
  // ssh authenticates by key: the user is a login name, printed as go prints it.
  assert.equal(redactUrls('ssh://git@github.com/acme/x'), 'ssh://git@github.com/acme/x');
  assert.equal(redactUrls('git+ssh://git@github.com/acme/x'), 'git+ssh://git@github.com/acme/x');
  assert.equal(redactUrls('ssh://git:pw@github.com/acme/x'), 'ssh://git:xxxxx@github.com/acme/x');
  assert.equal(redactUrls('http://tok@h/x ssh://git@h/y'), 'http://xxxxx@h/x ssh://git@h/y');
  assert.equal(redactUrls('http://git.example.test/repo/a'), 'http://git.example.test/repo/a');
});

test('-x quotes arguments as go does', () => {
  assert.equal(quoteArg('--format=format:%H %ct %D'), "'--format=format:%H %ct %D'");
  assert.equal(quoteArg('refs/heads/*:refs/heads/*'), "'refs/heads/*:refs/heads/*'");
  assert.equal(quoteArg("it's"), '"it\'s"');
  assert.equal(quoteArg('--end-of-options'), '--end-of-options');
});

test('go-import meta tags: mod entries first, subdir field, stop at <body>', () => {
  const html = `<html><head>
<meta name="go-import" content="example.com/a git https://example.com/a.git">
<META NAME="go-import" CONTENT="example.com/a mod https://proxy.example.com">
<meta name="go-import" content="example.com/b git https://example.com/r sub/dir">
<meta name="go-import" content="too few">
</head><body><meta name="go-import" content="example.com/c git https://x"></body></html>`;
  assert.deepEqual(parseMetaGoImports(html), { imports: [
    { prefix: 'example.com/a', vcs: 'mod', repoRoot: 'https://proxy.example.com', subDir: '' },
    { prefix: 'example.com/b', vcs: 'git', repoRoot: 'https://example.com/r', subDir: 'sub/dir' },
  ] });
});

test('GOVCS: go\'s parse errors, defaults and refusal text', () => {
  assert.throws(() => parseGOVCS('a:git,,b:hg'), /^VcsError: empty entry in GOVCS$/);
  assert.throws(() => parseGOVCS('nocolon'), { message: 'malformed entry in GOVCS (missing colon): "nocolon"' });
  assert.throws(() => parseGOVCS('./x:git'), { message: 'relative pattern not allowed in GOVCS: "./x"' });
  assert.throws(() => parseGOVCS('a:git,a:hg'), { message: 'unreachable pattern in GOVCS: "a:hg" after "a:git"' });
  assert.throws(() => parseGOVCS('a:git|'), { message: 'empty VCS name in GOVCS: "a:git|"' });
  const rules = parseGOVCS('');
  checkGOVCS(rules, '', 'git', 'github.com/a/b');
  checkGOVCS(rules, 'corp.example', 'svn', 'corp.example/x');
  assert.throws(() => checkGOVCS(rules, '', 'svn', 'example.org/x'), { message: "GOVCS disallows using svn for public example.org/x; see 'go help vcs'" });
  assert.throws(() => checkGOVCS(parseGOVCS('corp.example:off'), 'corp.example', 'git', 'corp.example/x'),
    { message: "GOVCS disallows using git for private corp.example/x; see 'go help vcs'" });
});

test('the module path of a go.mod, read as x/mod ModulePath reads it', () => {
  assert.equal(goModModulePath(Buffer.from('// c\nmodule example.com/a // x\n')), 'example.com/a');
  assert.equal(goModModulePath(Buffer.from('module "example.com/q"\n')), 'example.com/q');
  assert.equal(goModModulePath(Buffer.from('modulex example.com/a\n')), '');
  assert.equal(goModModulePath(undefined), '');
});
