import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { fileProxyUrl, hermeticGoEnv, NETWORK_GUARD, parseJsonStream, requireGo, runGo } from './gorun.js';
import { tempDir } from './tmp.js';

test('runGo gives go a fresh, hermetic environment that ignores the caller\'s Go settings', async (t) => {
  requireGo(t);
  const saved = { ...process.env };
  // Settings a developer might have; none may reach the go run.
  Object.assign(process.env, { GOPRIVATE: 'leak.example', GONOSUMDB: 'leak.example', GOFLAGS: '-mod=mod', GOPROXY: 'https://leak.example' });
  t.after(() => {
    for (const k of ['GOPRIVATE', 'GONOSUMDB', 'GOFLAGS', 'GOPROXY']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  const [r, r2] = await Promise.all([runGo(['env', '-json'], { t, proxy: 'http://127.0.0.1:1' }), runGo(['env', '-json'], { t })]);
  assert.equal(r.code, 0, r.stderr);
  const env = parseJsonStream<Record<string, string>>(r.stdout)[0]!;
  assert.equal(env['GOPROXY'], 'http://127.0.0.1:1');
  assert.equal(parseJsonStream<Record<string, string>>(r2.stdout)[0]!['GOPROXY'], 'off');
  assert.equal(env['GOENV'], '', 'GOENV=off: go reads no go env file');
  assert.equal(env['GOFLAGS'], '-modcacherw');
  assert.equal(env['GOTOOLCHAIN'], 'local');
  assert.equal(env['GOSUMDB'], 'off');
  for (const k of ['GOPRIVATE', 'GONOSUMDB', 'GONOPROXY', 'GOINSECURE']) assert.equal(env[k], '', k);
  assert.equal(env['GOPATH'], join(r.root, 'gopath'));
  assert.equal(env['GOMODCACHE'], r.gomodcache);
  assert.equal(r.gomodcache, join(r.root, 'gopath', 'pkg', 'mod'));
  assert.notEqual(r.root, r2.root, 'each run gets its own root');
});

test('runGo honours a given GOMODCACHE and env overrides, and resolves on a non-zero exit', async (t) => {
  requireGo(t);
  const cache = tempDir(t, 'gomodcache');
  const r = await runGo(['env', 'GOMODCACHE', 'GOSUMDB'], { t, gomodcache: cache, env: { GOSUMDB: 'sum.golang.org' } });
  assert.equal(r.stdout, `${cache}\nsum.golang.org\n`);
  const bad = await runGo(['mod', 'download', 'example.com/m@v1.0.0'], { t, cwd: tempDir(t, 'cwd') });
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'go: example.com/m@v1.0.0: module lookup disabled by GOPROXY=off\n');
});

test('hermeticGoEnv inherits only PATH and points HTTP(S)_PROXY at a closed loopback port', () => {
  const env = hermeticGoEnv('/r', { env: { GOFLAGS: undefined, EXTRA: '1' } });
  assert.equal(env['HTTPS_PROXY'], NETWORK_GUARD);
  assert.equal(env['HTTP_PROXY'], NETWORK_GUARD);
  assert.equal(env['HOME'], '/r/home');
  assert.equal(env['GOMODCACHE'], '/r/gopath/pkg/mod');
  assert.equal('GOFLAGS' in env, false, 'undefined removes a variable');
  assert.equal(env['EXTRA'], '1');
  const inherited = Object.keys(env).filter((k) => !/^(GO|GIT_|HTTPS?_PROXY$|NO_PROXY$|HOME$|XDG_|EXTRA$)/.test(k));
  assert.deepEqual(inherited.sort(), process.env['TMPDIR'] ? ['PATH', 'TMPDIR'] : ['PATH']);
});

test('requireGo fails loudly (not a skip) when go is not on PATH', () => {
  const gorun = fileURLToPath(new URL('./gorun.js', import.meta.url));
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(gorun)}).then((m) => { console.log(m.goAvailable()); m.requireGo(); })`], {
    env: { PATH: '/nonexistent' },
    encoding: 'utf8',
  });
  assert.notEqual(r.status, 0);
  assert.equal(r.stdout, 'false\n');
  assert.match(r.stderr, /the go command is not on PATH/);
});

test('parseJsonStream splits go\'s indented JSON objects, braces in strings included', () => {
  const s = '{\n\t"Path": "a{",\n\t"Error": "x\\"}"\n}\n{\n\t"Path": "b",\n\t"Info": {"k": [1]}\n}\n';
  assert.deepEqual(parseJsonStream(s), [{ Path: 'a{', Error: 'x"}' }, { Path: 'b', Info: { k: [1] } }]);
  assert.throws(() => parseJsonStream('{"a": 1'), /truncated/);
});

test('fileProxyUrl makes a file:// URL of an absolute directory', () => {
  assert.equal(fileProxyUrl('/tmp/a b/proxy'), 'file:///tmp/a%20b/proxy');
});
