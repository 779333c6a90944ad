// formatParseError against the text go list / go mod download print for a main module whose go.mod
// (or the workspace's go.work) does not parse: `go: errors parsing go.mod:` then go's error lines.
// Only fixtures whose errors do not involve version lookups are used: for the main module go parses
// with a version fixer that queries the proxy (here GOPROXY=off) for non-canonical versions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireGo, runGo } from '../support/gorun.js';
import { telemetryOffEnv } from './goenv.js';
import { formatParseError, ModfileErrorList } from '../../src/modfile/errors.js';
import { parseGoMod } from '../../src/modfile/rule.js';
import { parseGoWork } from '../../src/modfile/work.js';

const BAD = join(process.cwd(), 'fixtures', 'modfile', 'bad');
const MOD_FIXTURES = [
  'unknown-directive.mod',
  'slash-star-line.mod',
  'repeated-module.mod',
  'toolchain-bad.mod',
  'godebug-no-equals.mod',
  'replace-no-arrow.mod',
  'retract-extra-token.mod',
  'unterminated-block.mod',
  'crlf-errors.mod',
  'require-major-mismatch.mod',
];

function parseError(parse: () => unknown): ModfileErrorList {
  try {
    parse();
  } catch (e) {
    if (e instanceof ModfileErrorList) return e;
    throw e;
  }
  assert.fail('gomod-dl parsed a file go rejects');
}

for (const cmd of [['list', '-m'], ['mod', 'download']]) {
  test(`go ${cmd.join(' ')} prints formatParseError's text for a main go.mod that does not parse`, async (t) => {
    requireGo(t);
    const dir = mkdtempSync(join(tmpdir(), 'gomod-dl-main-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const env = telemetryOffEnv(t);
    for (const name of MOD_FIXTURES) {
      const data = readFileSync(join(BAD, name));
      writeFileSync(join(dir, 'go.mod'), data);
      const r = await runGo(cmd, { cwd: dir, t, env });
      const err = parseError(() => parseGoMod(join(dir, 'go.mod'), data, 'strict'));
      assert.equal(`go: ${formatParseError(err, 'go.mod')}\n`, r.stderr, name);
    }
  });
}

test('go list -m prints formatParseError(…, {work: true}) for a go.work that does not parse', async (t) => {
  requireGo(t);
  const dir = mkdtempSync(join(tmpdir(), 'gomod-dl-main-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'go.mod'), 'module x.y/m\n\ngo 1.22\n');
  const data = Buffer.from('go 1.22\n\nuse .\nrequire x.y/z v1.0.0\nuse ./a ./b\n');
  writeFileSync(join(dir, 'go.work'), data);
  const r = await runGo(['list', '-m'], { cwd: dir, t, env: telemetryOffEnv(t) });
  const err = parseError(() => parseGoWork('go.work', data));
  assert.equal(`go: ${formatParseError(err, 'go.work', { work: true })}\n`, r.stderr);
});
