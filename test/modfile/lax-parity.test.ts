// Lax parsing parity: each fixture in fixtures/modfile/lax/ is the go.mod of a dependency
// (example.com/dep v1.0.0, served by a file:// GOPROXY) of a main module; `go list -m all -mod=mod`
// loads it with modfile.ParseLax. Where go reports `example.com/dep@v1.0.0: parsing go.mod: …`,
// gomod-dl's lax parse must fail with the same lines; where go gets past parsing, it must succeed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileProxyUrl, requireGo, runGo } from '../support/gorun.js';
import { telemetryOffEnv } from './goenv.js';
import { ModfileErrorList } from '../../src/modfile/errors.js';
import { parseGoMod } from '../../src/modfile/rule.js';

const DIR = join(process.cwd(), 'fixtures', 'modfile', 'lax');
const PREFIX = 'go: example.com/dep@v1.0.0: parsing go.mod: ';

for (const name of readdirSync(DIR).sort()) {
  test(`${name}: a dependency's go.mod is accepted or rejected as go does, with go's text`, async (t) => {
    requireGo(t);
    const data = readFileSync(join(DIR, name));
    const root = mkdtempSync(join(tmpdir(), 'gomod-dl-lax-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const at = join(root, 'proxy', 'example.com', 'dep', '@v');
    mkdirSync(at, { recursive: true });
    writeFileSync(join(at, 'list'), 'v1.0.0\n');
    writeFileSync(join(at, 'v1.0.0.info'), '{"Version":"v1.0.0"}');
    writeFileSync(join(at, 'v1.0.0.mod'), data);
    const main = join(root, 'main');
    mkdirSync(main);
    writeFileSync(join(main, 'go.mod'), 'module x.y/main\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n');
    const r = await runGo(['list', '-m', 'all'], {
      cwd: main,
      proxy: fileProxyUrl(join(root, 'proxy')),
      t,
      env: { GOFLAGS: '-modcacherw -mod=mod', ...telemetryOffEnv(t) },
    });
    let ours: string | undefined;
    try {
      parseGoMod('go.mod', data, 'lax');
    } catch (e) {
      assert.ok(e instanceof ModfileErrorList);
      ours = e.message;
    }
    if (r.stderr.startsWith(PREFIX)) {
      assert.equal(ours === undefined ? 'gomod-dl accepted it' : PREFIX + ours + '\n', r.stderr);
    } else {
      assert.equal(ours, undefined, `go got past parsing (${r.stderr.trim() || 'exit ' + r.code}) but gomod-dl failed`);
    }
  });
}
