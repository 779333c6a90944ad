// go's start-up checks of its environment (toolchain selection, GOROOT, buildcfg, GOEXPERIMENT),
// each case run through go and gomod-dl: the whole of stderr and the exit status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gotoolchainError } from '../../src/config/startup.js';
import { goFromToolchain as fromToolchain } from '../../src/module/index.js';
import { runGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';

test('fromToolchain: the version a toolchain name stands for', () => {
  assert.equal(fromToolchain('go1.21.3'), '1.21.3');
  assert.equal(fromToolchain('go1.21.3-custom'), '1.21.3');
  assert.equal(fromToolchain('go1.22rc1 extra'), '1.22rc1');
  assert.equal(fromToolchain('gox'), '');
  assert.equal(fromToolchain('gccgo-go1.21'), '');
  assert.equal(fromToolchain('go1.21/x'), '');
  assert.equal(gotoolchainError('go1.25.0+auto'), '');
  assert.equal(gotoolchainError('local'), '');
});

const CASES: Record<string, string>[] = [
  { GOTOOLCHAIN: 'bogus' }, { GOTOOLCHAIN: 'local+bogus' }, { GOTOOLCHAIN: 'bogus+auto' }, { GOTOOLCHAIN: '/go1.22.0' },
  { GOTOOLCHAIN: 'go1.26.8+auto' }, { GOTOOLCHAIN: 'path' }, { GOTOOLCHAIN: 'local+path' },
  { GO111MODULE: 'off', GOTOOLCHAIN: 'bogus' }, { GOTOOLCHAIN: 'bogus', GOPATH: 'relative' },
  { GOEXPERIMENT: 'bogus' }, { GOEXPERIMENT: 'nojsonv2,x' }, { GOEXPERIMENT: 'JSONV2' }, { GOEXPERIMENT: 'none,regabi,,jsonv2' },
  { GOEXPERIMENT: 'bogus', GOPATH: 'relative' },
  { GOARCH: 's390x', GOEXPERIMENT: 'noregabiwrappers,regabiargs' }, { GOARCH: 's390x', GOEXPERIMENT: 'noregabiwrappers' },
  { GOFIPS140: 'bogus' }, { GOFIPS140: 'v1.2' }, { GOFIPS140: 'latest' }, { GOFIPS140: 'off' },
  { GOARM64: 'v9.6' }, { GOARM64: 'v8.0,crypto,lse' }, { GOWASM: 'a,satconv,b' }, { GOMIPS: 'x', GOPPC64: 'y' },
  { GOMIPS64: 'x', GORISCV64: 'rva23u64' }, { GOAMD64: 'v9' }, { GOARM: '9' }, { GOEXPERIMENT: 'x', GOMIPS: 'y' },
  { GOROOT: '/nonexistent/' },
];

for (const env of CASES) {
  test(`${JSON.stringify(env)}: go's stderr and exit status`, async (t) => {
    const go = await runGo(['mod', 'download', 'example.com/m@v1.0.0'], { t, proxy: 'off', env });
    const ours = await runGomodDl(['example.com/m@v1.0.0'], { t, proxy: 'off', env });
    assert.equal(ours.code, go.code, `go: ${go.stderr}\ngomod-dl: ${ours.stderr}`);
    assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: '), go.stderr);
  });
}

test("GOPATH equal to GOROOT: go's warning, and the run goes on", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gomod-dl-goroot-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const env of [{ GOROOT: dir, GOPATH: `${dir}/` }, { GOROOT: `${dir}/.`, GOPATH: `${dir}:/elsewhere` }]) {
    const go = await runGo(['mod', 'download', 'example.com/m@v1.0.0'], { t, proxy: 'off', env });
    const ours = await runGomodDl(['example.com/m@v1.0.0'], { t, proxy: 'off', env });
    assert.equal(ours.code, go.code, `go: ${go.stderr}\ngomod-dl: ${ours.stderr}`);
    assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: '), go.stderr);
  }
});
