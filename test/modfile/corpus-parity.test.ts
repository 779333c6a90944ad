// Parity with go on real files: every go.mod and go.work in the shared corpus (nested ones included)
// is parsed by gomod-dl and by go (`go mod edit -json` / `go work edit -json`, run now), and the
// printed JSON must be identical byte for byte. Also checks that formatFile reproduces what
// `go mod edit -print` writes for the same files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireGo, runGo } from '../support/gorun.js';
import { telemetryOffEnv } from './goenv.js';
import { findGoFiles, parseParity } from '../../tools/compat/parse.js';
import { cleanupSyntax, sortBlocks, sortWorkBlocks } from '../../src/modfile/edit.js';
import { formatFile } from '../../src/modfile/print.js';
import { parseGoMod } from '../../src/modfile/rule.js';
import { parseGoWork } from '../../src/modfile/work.js';
import { CORPUS_DIR } from '../support/shared.js';

const CORPUS = CORPUS_DIR;

test('the corpus holds 30 go.mod/go.work files, nested ones included', () => {
  const files = findGoFiles(CORPUS);
  assert.equal(files.length, 30, files.join('\n'));
  for (const f of ['moby/api/go.mod', 'moby/client/go.mod', 'prometheus/go.work', 'prometheus/internal/tools/go.mod']) {
    assert.ok(files.includes(f), `missing ${f}`);
  }
});

test('every corpus go.mod and go.work gives the same -json bytes as go mod/work edit -json', async (t) => {
  requireGo(t);
  const rows = await parseParity(CORPUS);
  const bad = rows.filter((r) => r.verdict !== 'ok' || r.detail !== 'parsed');
  assert.deepEqual(bad, [], bad.map((r) => `${r.entry}: ${r.detail}`).join('\n'));
});

/** What `go mod edit -print` does: parse, SortBlocks, Cleanup, Format. */
function printLikeGo(kind: string, data: Uint8Array): Uint8Array {
  if (kind === 'go.mod') {
    const f = parseGoMod(kind, data, 'strict');
    sortBlocks(f);
    cleanupSyntax(f.syntax);
    return formatFile(f.syntax);
  }
  const w = parseGoWork(kind, data);
  sortWorkBlocks(w);
  cleanupSyntax(w.syntax);
  return formatFile(w.syntax);
}

test('formatFile writes every corpus file as go mod edit -print does', async (t) => {
  requireGo(t);
  const dir = mkdtempSync(join(tmpdir(), 'gomod-dl-fmt-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = telemetryOffEnv(t);
  for (const rel of findGoFiles(CORPUS)) {
    const kind = rel.endsWith('go.work') ? 'go.work' : 'go.mod';
    const data = readFileSync(join(CORPUS, rel));
    writeFileSync(join(dir, kind), data);
    const r = await runGo([kind === 'go.mod' ? 'mod' : 'work', 'edit', '-print', kind], { cwd: dir, t, env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(Buffer.from(printLikeGo(kind, data)).toString('utf8'), r.stdout, rel);
  }
});

test('formatFile writes the format fixtures as go mod edit -print does', async (t) => {
  requireGo(t);
  const dir = mkdtempSync(join(tmpdir(), 'gomod-dl-fmt-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = telemetryOffEnv(t);
  const fixtures = join(process.cwd(), 'fixtures', 'modfile', 'format');
  for (const name of readdirSync(fixtures).sort()) {
    const kind = name.endsWith('.work') ? 'go.work' : 'go.mod';
    const data = readFileSync(join(fixtures, name));
    writeFileSync(join(dir, kind), data);
    const r = await runGo([kind === 'go.mod' ? 'mod' : 'work', 'edit', '-print', kind], { cwd: dir, t, env });
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.equal(Buffer.from(printLikeGo(kind, data)).toString('utf8'), r.stdout, name);
  }
});
