// Parse parity on malformed (and odd-but-legal) go.mod / go.work files: for every file in
// fixtures/modfile/bad/, go's `go mod edit -json` / `go work edit -json` (run now, on a copy named
// go.mod / go.work) and gomod-dl's parser must give the same exit code and the same bytes on stdout
// and stderr (`go: errors parsing go.mod:` and each error line, positions included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireGo } from '../support/gorun.js';
import { compareOutputs, goEditOutput, ourEditOutput, type FileKind } from '../../tools/compat/parse.js';

const DIR = join(process.cwd(), 'fixtures', 'modfile', 'bad');
const files = readdirSync(DIR).sort();

test('the bad-input fixtures include at least 45 files go rejects', async (t) => {
  requireGo(t);
  let rejected = 0;
  await Promise.all(
    files.map(async (name) => {
      const kind: FileKind = name.endsWith('.work') ? 'go.work' : 'go.mod';
      if ((await goEditOutput(kind, readFileSync(join(DIR, name)))).code !== 0) rejected++;
    }),
  );
  assert.ok(rejected >= 45, `only ${rejected} fixtures are rejected by go`);
});

for (const name of files) {
  const kind: FileKind = name.endsWith('.work') ? 'go.work' : 'go.mod';
  test(`${name}: gomod-dl parses it exactly as go does`, async (t) => {
    requireGo(t);
    const data = readFileSync(join(DIR, name));
    const want = await goEditOutput(kind, data);
    const got = ourEditOutput(kind, data);
    assert.equal(compareOutputs(want, got), '', `go stderr:\n${Buffer.from(want.stderr).toString()}`);
  });
}
