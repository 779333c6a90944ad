import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkGoModCache, GoEnvError, loadGoEnv, ModCacheError, parseEnvFile } from '../../src/config/index.js';
import { tempDir } from '../support/tmp.js';

const run = promisify(execFile);

/** Runs the real go hermetically: only the given variables plus PATH and GOTOOLCHAIN=local. */
async function goRun(args: string[], env: Record<string, string>, cwd: string):
  Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await run('go', args, { cwd, env: { PATH: process.env.PATH ?? '', GOTOOLCHAIN: 'local', ...env } });
    return { stdout: r.stdout, stderr: r.stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number | string };
    if (typeof err.code !== 'number') throw e; // go missing: fail loudly
    return { stdout: err.stdout ?? '', stderr: err.stderr ?? '', code: err.code };
  }
}

const KEYS = ['GO111MODULE', 'GOAUTH', 'GOENV', 'GOFLAGS', 'GOINSECURE', 'GOMODCACHE', 'GONOPROXY', 'GONOSUMDB',
  'GOPATH', 'GOPRIVATE', 'GOPROXY', 'GOSUMDB'] as const;

interface Scenario {
  name: string;
  /** Variables, with `$T` replaced by the scenario's temp directory. */
  env: Record<string, string>;
  /** Files to create, relative to the temp directory. */
  files?: Record<string, string>;
}

const SCENARIOS: Scenario[] = [
  { name: 'defaults from HOME', env: { HOME: '$T/home' } },
  {
    name: 'GOENV file under ~/.config, comments and odd lines ignored, later lines win, values verbatim',
    env: { HOME: '$T/home' },
    files: {
      'home/.config/go/env': '# comment\nGOPROXY=http://a.example,direct\ngoprivate=x\nGOPRIVATE=*.corp/a,b.c\n' +
        '=x\nGOFLAGS=-modcacherw  -x\nNOEQUALS\nGOINSECURE= spaced = value \nGOPROXY=http://b.example|off\n' +
        'GOSUMDB=sum.example+key\r\n',
    },
  },
  {
    name: 'process variables beat the file; empty ones fall through to it',
    env: { HOME: '$T/home', GOPROXY: 'https://env.example', GOSUMDB: '', GONOSUMDB: 'x.y' },
    files: { 'home/.config/go/env': 'GOPROXY=https://file.example\nGOSUMDB=off\nGOPRIVATE=p.q\n' },
  },
  {
    name: 'GOENV=off ignores the file',
    env: { HOME: '$T/home', GOENV: 'off' },
    files: { 'home/.config/go/env': 'GOPROXY=https://file.example\n' },
  },
  {
    name: 'GOENV names a file relative to the working directory',
    env: { HOME: '$T/home', GOENV: 'rel/env' },
    files: { 'rel/env': 'GOPROXY=file:///srv/proxy\nGONOPROXY=none\nGOPRIVATE=a.b\nGOAUTH=off\n' },
  },
  {
    name: 'XDG_CONFIG_HOME locates the file',
    env: { HOME: '$T/home', XDG_CONFIG_HOME: '$T/xdg' },
    files: { 'xdg/go/env': 'GOPATH=$T/gp1:$T/gp2\nGO111MODULE=on\n' },
  },
  { name: 'GOMODCACHE from the first GOPATH entry, cleaned', env: { HOME: '$T/home', GOPATH: '$T/./a/:$T/b' } },
  { name: 'leading empty GOPATH entry leaves GOMODCACHE empty', env: { HOME: '$T/home', GOPATH: ':$T/b' } },
  { name: 'no HOME: no GOPATH, no GOMODCACHE', env: {} },
  { name: 'relative HOME: inferred GOPATH is dropped, GOMODCACHE kept', env: { HOME: 'relhome' } },
  { name: 'explicit GOMODCACHE and GOFLAGS from the environment', env: { HOME: '$T/home', GOMODCACHE: '$T/mc', GOFLAGS: '-mod=mod -json' } },
];

for (const sc of SCENARIOS) {
  test(`loadGoEnv matches go env -json: ${sc.name}`, async (ctx) => {
    const t = tempDir(ctx, 'goenv');
    const sub = (s: string) => s.replaceAll('$T', t);
    const env = Object.fromEntries(Object.entries(sc.env).map(([k, v]) => [k, sub(v)]));
    for (const [f, body] of Object.entries(sc.files ?? {})) {
      await mkdir(join(t, f, '..'), { recursive: true });
      await writeFile(join(t, f), sub(body));
    }
    const want = JSON.parse((await goRun(['env', '-json', ...KEYS], env, t)).stdout) as Record<string, string>;
    const got = await loadGoEnv({ env, cwd: t });
    const gotSubset = Object.fromEntries(KEYS.map((k) => [k, got[k]]));
    assert.deepEqual(gotSubset, want);
    assert.ok(Object.isFrozen(got));
  });
}

const FATAL: { name: string; env: Record<string, string>; file?: string }[] = [
  { name: 'relative GOPATH entry', env: { GOPATH: '/abs:rel' } },
  { name: 'GOPATH entry starting with ~', env: { GOPATH: '~/go' } },
  { name: 'relative GOPATH from the GOENV file', env: {}, file: 'GOPATH=relfile\n' },
];

for (const f of FATAL) {
  test(`loadGoEnv rejects ${f.name} with go's text and exit status`, async (ctx) => {
    const t = tempDir(ctx, 'goenv');
    const env: Record<string, string> = { HOME: join(t, 'home'), GOPROXY: 'off', ...f.env };
    if (f.file !== undefined) {
      await mkdir(join(t, 'home/.config/go'), { recursive: true });
      await writeFile(join(t, 'home/.config/go/env'), f.file);
    }
    const go = await goRun(['mod', 'download', 'example.com/m@v1.0.0'], env, t);
    await assert.rejects(loadGoEnv({ env, cwd: t }), (e: unknown) => {
      assert.ok(e instanceof GoEnvError);
      assert.equal(`go: ${e.message}\n`, go.stderr);
      assert.equal(e.exitCode, go.code);
      return true;
    });
  });
}

test('checkGoModCache gives go\'s per-module errors for relative and missing caches', async (ctx) => {
  const t = tempDir(ctx, 'goenv');
  await mkdir(join(t, 'proxy/example.com/m/@v'), { recursive: true });
  await writeFile(join(t, 'proxy/example.com/m/@v/v1.0.0.info'), '{"Version":"v1.0.0"}');
  const envs: Record<string, string>[] = [{ HOME: t, GOMODCACHE: 'rel' }, { HOME: '', GOPATH: '' }];
  for (const env of envs) {
    const full: Record<string, string> = { ...env, GOPROXY: `file://${t}/proxy`, GOSUMDB: 'off', GOFLAGS: '-modcacherw' };
    const go = await goRun(['mod', 'download', '-json', 'example.com/m@v1.0.0'], full, t);
    const want = (JSON.parse(go.stdout) as { Error: string }).Error;
    const got = await loadGoEnv({ env: full, cwd: t });
    assert.throws(() => checkGoModCache(got), (e: unknown) => e instanceof ModCacheError && e.message === want);
  }
});

test('parseEnvFile keeps CR and spaces, skips lower-case and comment lines', () => {
  assert.deepEqual([...parseEnvFile('A=1\r\n# B=2\nb=3\nC= x=y \nA=4')], [['A', '4'], ['C', ' x=y ']]);
});

test('HTTP proxy variables come from the process, upper case first; NETRC only from the process', async () => {
  const got = await loadGoEnv({
    env: { HOME: '/h', http_proxy: 'http://lower', HTTPS_PROXY: 'http://upper', https_proxy: 'http://x', NETRC: '/n' },
    cwd: '/', readFile: async () => 'HTTP_PROXY=http://file\nNETRC=/file\nNO_PROXY=file\n',
  });
  assert.equal(got.HTTP_PROXY, 'http://lower');
  assert.equal(got.HTTPS_PROXY, 'http://upper');
  assert.equal(got.NO_PROXY, '');
  assert.equal(got.NETRC, '/n');
});
