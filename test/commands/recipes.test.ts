// The README's CI recipes, run: each fenced block marked `recipe=<name>` is read from README.md, its
// commands are extracted (GitHub Actions `run:` steps and job env, GitLab CI `variables:` and
// `script:` lines, Dockerfile ENV/RUN/COPY, the air-gapped shell block) and run with bash against the
// local proxy and test checksum database. `npx gomod-dl` runs this checkout's build; `go` is the real
// go, with GOPROXY=off unless the recipe sets GOPROXY, so a build that needs the network fails.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { freshGoRoot, hermeticGoEnv, requireGo, runGo } from '../support/gorun.js';
import type { ProxyServer } from '../support/proxy-server.js';
import { tempDir } from '../support/tmp.js';
import { mainModule, SUMDB_VKEY, worldWithSumdb } from './fixture.js';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The body of the README's fenced block marked `recipe=<name>`. */
export function recipe(name: string): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = new RegExp('^```\\w+ recipe=' + name + '\\n([\\s\\S]*?)^```$', 'm').exec(readme);
  assert.ok(m, `README.md has no block marked recipe=${name}`);
  return m[1]!.trimEnd().split('\n');
}

/** `key: value` lines indented under the line `header` (at any depth), comments dropped. */
function yamlMap(lines: string[], header: RegExp): [string, string][] {
  const i = lines.findIndex((l) => header.test(l));
  assert.ok(i >= 0, `no ${header}`);
  const indent = /^ */.exec(lines[i]!)![0].length;
  const out: [string, string][] = [];
  for (const l of lines.slice(i + 1)) {
    if (/^ */.exec(l)![0].length <= indent) break;
    const kv = /^\s*(\w+):\s*(.*?)\s*(#.*)?$/.exec(l);
    if (kv) out.push([kv[1]!, kv[2]!]);
  }
  return out;
}

/** A directory of shims: `npx [--yes] gomod-dl …` and `gomod-dl` run this checkout; `go` runs offline unless told otherwise. */
function shims(t: TestContext, proxy: ProxyServer): string {
  const dir = tempDir(t, 'shims');
  const self = `exec "${process.execPath}" "${join(ROOT, 'bin/gomod-dl.js')}" "$@"`;
  writeFileSync(join(dir, 'gomod-dl'), `#!/bin/sh\n${self}\n`);
  writeFileSync(join(dir, 'npx'), `#!/bin/sh\n[ "$1" = --yes ] && shift\n[ "$1" = gomod-dl ] || { echo "npx: only gomod-dl here" >&2; exit 127; }\nshift\n${self}\n`);
  const go = execFileSyncPath('go');
  writeFileSync(join(dir, 'go'), `#!/bin/sh\n[ "$GOPROXY" = "${proxy.url}" ] && export GOPROXY=off\nexec "${go}" "$@"\n`);
  for (const f of ['gomod-dl', 'npx', 'go']) chmodSync(join(dir, f), 0o755);
  return dir;
}

function execFileSyncPath(cmd: string): string {
  for (const d of (process.env['PATH'] ?? '').split(':')) if (d !== '' && existsSync(join(d, cmd))) return join(d, cmd);
  throw new Error(`${cmd} not on PATH`);
}

/** A world: proxy + checksum database, the project (with a complete go.sum, as a real project commits), shims, env. */
async function world(t: TestContext): Promise<{ proxy: ProxyServer; project: string; env: (home?: string) => Record<string, string> }> {
  requireGo(t);
  const proxy = await worldWithSumdb(t);
  const project = mainModule(t);
  const tidy = await runGo(['mod', 'tidy'], { t, proxy: proxy.url, cwd: project, env: { GOSUMDB: SUMDB_VKEY } });
  assert.equal(tidy.code, 0, tidy.stderr);
  const bin = shims(t, proxy);
  const env = (home?: string): Record<string, string> => {
    const root = freshGoRoot(t);
    const e = hermeticGoEnv(root, { proxy: proxy.url, env: { GOSUMDB: SUMDB_VKEY, GOPATH: undefined, GOMODCACHE: undefined, GOFLAGS: undefined } });
    return { ...e, PATH: `${bin}:${e['PATH']}`, ...(home !== undefined ? { HOME: home } : {}) };
  };
  return { proxy, project, env };
}

async function sh(script: string, cwd: string, env: Record<string, string>): Promise<string> {
  try {
    const r = await exec('bash', ['-euo', 'pipefail', '-c', script], { cwd, env, maxBuffer: 1 << 24 });
    return r.stdout + r.stderr;
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    assert.fail(`recipe failed (exit ${e.code}):\n${script}\n--- output ---\n${e.stdout}${e.stderr}`);
  }
}

test('README recipe: GitHub Actions (cold run, then a damaged restored cache verified, repaired and built offline)', async (t) => {
  const { project, env } = await world(t);
  const lines = recipe('github-actions');
  const jobEnv = yamlMap(lines, /^ {4}env:$/);
  const runs = lines.map((l) => /^\s*- run: (.*)$/.exec(l)?.[1]).filter((r): r is string => r !== undefined);
  assert.ok(runs.some((r) => r.includes('gomod-dl verify --cache')), 'the recipe checks a restored cache');
  const cachePath = lines.map((l) => /^\s*path: (.*)$/.exec(l)?.[1]).find((p) => p !== undefined)!;
  const script = [...jobEnv.map(([k, v]) => `export ${k}=${JSON.stringify(v)}`), ...runs].join('\n');

  const first = env();
  await sh(script, project, first);
  // actions/cache saves the path and restores it into the next job's fresh HOME.
  const saved = cachePath.replace(/^~/, first['HOME']!);
  const second = env();
  const restored = cachePath.replace(/^~/, second['HOME']!);
  mkdirSync(join(restored, '..'), { recursive: true });
  cpSync(saved, restored, { recursive: true });
  truncateSync(join(restored, 'cache/download/example.com/b/@v/v1.1.0.zip'), 100);
  writeFileSync(join(restored, 'cache/download/example.com/a/@v/v1.0.0.zip7.tmp'), 'torn');
  const out = await sh(script, project, second);
  assert.match(out, /repaired example\.com\/b v1\.1\.0/);
  const verify = await runGo(['mod', 'verify'], { t, cwd: project, gomodcache: restored, env: { GOSUMDB: SUMDB_VKEY } });
  assert.equal(verify.stdout, 'all modules verified\n', verify.stderr);
});

test('README recipe: GitLab CI (cache inside the project directory)', async (t) => {
  const { project, env } = await world(t);
  const lines = recipe('gitlab-ci');
  const vars = yamlMap(lines, /^variables:$/);
  const scripts = lines.map((l) => /^ {4}- (.*)$/.exec(l)?.[1]).filter((r): r is string => r !== undefined);
  const script = [...vars.map(([k, v]) => `export ${k}="${v}"`), ...scripts].join('\n');
  await sh(script, project, { ...env(), CI_PROJECT_DIR: project });
  assert.ok(existsSync(join(project, '.gomodcache/cache/download/example.com/a/@v/v1.0.0.zip')));
});

test('README recipe: Dockerfile stage filling the module cache for a go build stage', async (t) => {
  const { project, env } = await world(t);
  const fs = tempDir(t, 'container-fs'); // what absolute paths in the Dockerfile refer to
  const abs = (p: string): string => (p.startsWith('/') ? join(fs, p) : p);
  const stages = new Map<string, string>();
  let workdir = '';
  let stageEnv: Record<string, string> = {};
  for (const line of recipe('dockerfile')) {
    const [op, ...rest] = line.split(' ');
    const arg = rest.join(' ');
    if (op === 'FROM') {
      const name = /AS (\w+)$/.exec(arg)![1]!;
      workdir = tempDir(t, `stage-${name}`);
      stages.set(name, workdir);
      // The golang image sets GOPATH=/go; the node image has no Go settings.
      stageEnv = { ...env(), ...(arg.startsWith('golang:') ? { GOPATH: abs('/go') } : {}) };
    } else if (op === 'ENV') {
      const [k, v] = arg.split('=');
      stageEnv[k!] = abs(v!);
    } else if (op === 'COPY' && rest[0]?.startsWith('--from=')) {
      cpSync(abs(rest[1]!), abs(rest[2]!), { recursive: true });
    } else if (op === 'COPY') {
      const srcs = rest.slice(0, -1);
      for (const src of srcs) cpSync(join(project, src), join(workdir, src === '.' ? '' : src), { recursive: true });
    } else if (op === 'RUN') {
      await sh(arg, workdir, stageEnv);
    }
  }
  assert.deepEqual([...stages.keys()], ['modules', 'build']);
});

test('README recipe: air-gapped export, then go alone with only the exported tree', async (t) => {
  const { proxy, project, env } = await world(t);
  const lines = recipe('air-gapped');
  const split = lines.findIndex((l) => l.startsWith('# air-gapped machine'));
  assert.ok(split > 0);
  await sh(lines.slice(0, split).join('\n'), project, env());
  // The other machine: a copy of the project and the tree, a fresh HOME, and a proxy that fails.
  const site = join(tempDir(t, 'airgap'), 'project');
  cpSync(project, site, { recursive: true });
  proxy.setFaults([{ url: /./, status: 503 }]);
  proxy.reset();
  const out = await sh(lines.slice(split).join('\n'), site, env());
  assert.match(out, /example\.com\/c v0\.1\.0/);
  assert.deepEqual(proxy.requests, []);
});
