import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FatalError, FatalLatch, GoError } from '../../src/internal/errors.js';
import { fatalText } from '../../src/report/lines.js';
import { ResolveFatalError } from '../../src/resolve/errors.js';
import { GoSumMismatchError } from '../../src/modfetch/index.js';
import { REPO_ROOT } from '../support/shared.js';

test('a GoError carries a stable code and go text as its message', () => {
  const e = new GoError('EQUOTE', 'invalid syntax');
  assert.ok(e instanceof Error);
  assert.equal(e.code, 'EQUOTE');
  assert.equal(e.message, 'invalid syntax');
});

test('a fatal error prints after the program name unless it is a verbatim report', () => {
  assert.equal(fatalText(new FatalError('EX', 'no go.mod')), 'gomod-dl: no go.mod\n');
  assert.equal(fatalText(new FatalError('EX', 'report\n', { verbatim: true })), 'report\n');
  const mismatch = new GoSumMismatchError('m', 'v1.0.0', 'h1:a', 'go.sum', 'h1:b');
  assert.ok(mismatch instanceof FatalError);
  assert.equal(mismatch.code, 'ECHECKSUM');
  assert.ok(fatalText(mismatch).startsWith('verifying m@v1.0.0: checksum mismatch\n'));
});

test("the resolver's fatal errors are the run's one FatalError", () => {
  const e = new ResolveFatalError('EGOWORK', 'invalid GOWORK: not an absolute path');
  assert.ok(e instanceof FatalError);
  assert.equal(fatalText(e), 'gomod-dl: invalid GOWORK: not an absolute path\n');
});

test('a fatal latch keeps the first fatal verdict and stops later work', async () => {
  const latch = new FatalLatch();
  assert.equal(latch.note(new Error('per-module')), false);
  latch.check();
  const first = new FatalError('E1', 'first');
  await assert.rejects(latch.guard(async () => { throw first; }), first);
  assert.equal(latch.note(new FatalError('E2', 'second')), true);
  assert.equal(latch.first, first);
  let ran = false;
  await assert.rejects(latch.guard(async () => { ran = true; }), first);
  assert.equal(ran, false);
  assert.throws(() => latch.check(), first);
});

test('every error class under src/ has the one base: none extends Error but GoError, none throws a bare Error', () => {
  const src = join(REPO_ROOT, 'src');
  const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length > 100, 'src/ was found');
  const offenders: string[] = [];
  for (const f of files) {
    readFileSync(join(src, f), 'utf8').split('\n').forEach((line, i) => {
      const where = `src/${f}:${i + 1}: ${line.trim()}`;
      if (/\bclass\s+\w+\s+extends\s+Error\b/.test(line) && !/\bclass GoError\b/.test(line)) offenders.push(where);
      if (/\bthrow new Error\(/.test(line)) offenders.push(where);
    });
  }
  assert.deepEqual(offenders, []);
});
