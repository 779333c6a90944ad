// Oracle tests of `gomod-dl env`: under the same environment, every variable it prints has the value
// `go env` prints, in go env's three formats (NAME='value' lines, values by name, -json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireGo, runGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { tempDir } from '../support/tmp.js';

const NAMES = ['GO111MODULE', 'GOAUTH', 'GOENV', 'GOFLAGS', 'GOINSECURE', 'GOMODCACHE', 'GONOPROXY', 'GONOSUMDB', 'GOPATH', 'GOPRIVATE', 'GOPROXY', 'GOSUMDB'];

const cases: [string, (dir: string) => Record<string, string | undefined>][] = [
  ['the hermetic defaults', () => ({})],
  ['GOPRIVATE (GONOPROXY and GONOSUMDB follow it) and quotes in values', () => ({ GOPRIVATE: "*.corp.example.com,it's", GOFLAGS: '-modcacherw -mod=mod' })],
  ['a GOENV file under process variables', (dir) => {
    const file = join(dir, 'goenv');
    writeFileSync(file, 'GOPROXY=https://proxy.example.com\nGONOSUMDB=example.com/private\nGOSUMDB=sum.example.com+abcd\nGOINSECURE=insecure.example\n');
    return { GOENV: file, GOPROXY: undefined, GOSUMDB: undefined, GOINSECURE: undefined, GONOSUMDB: undefined };
  }],
  ['GOMODCACHE from GOPATH', () => ({ GOMODCACHE: undefined, GO111MODULE: 'on' })],
];

for (const [name, envOf] of cases) {
  test(`env prints what go env prints for the shared variables: ${name}`, async (t) => {
    requireGo(t);
    const dir = tempDir(t, 'env');
    const env = envOf(dir);
    const go = await runGo(['env'], { t, env, cwd: dir });
    const ours = await runGomodDl(['env'], { t, env, cwd: dir, gopath: go.gopath, gomodcache: go.gomodcache });
    assert.equal(go.code, 0, go.stderr);
    assert.equal(ours.code, 0, ours.stderr);
    const goLines = new Set(go.stdout.split('\n'));
    const ourLines = ours.stdout.trimEnd().split('\n');
    assert.equal(ourLines.length, NAMES.length);
    for (const line of ourLines) assert.ok(goLines.has(line), `${line} is not among go env's lines:\n${go.stdout}`);

    const goByName = await runGo(['env', ...NAMES, 'NOT_A_GO_VARIABLE'], { t, env, cwd: dir, gopath: go.gopath, gomodcache: go.gomodcache });
    const oursByName = await runGomodDl(['env', ...NAMES, 'NOT_A_GO_VARIABLE'], { t, env, cwd: dir, gopath: go.gopath, gomodcache: go.gomodcache });
    assert.equal(oursByName.stdout, goByName.stdout);

    const goJson = await runGo(['env', '-json', ...NAMES], { t, env, cwd: dir, gopath: go.gopath, gomodcache: go.gomodcache });
    const oursJson = await runGomodDl(['env', '-json', ...NAMES], { t, env, cwd: dir, gopath: go.gopath, gomodcache: go.gomodcache });
    assert.equal(oursJson.stdout, goJson.stdout);
  });
}
