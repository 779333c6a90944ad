// go.sum reading and writing, checked against go: the malformed go.sum message (go mod download on
// a module whose go.sum has a bad line), and the order, deduplication and empty-go.mod-hash rule of
// the file go writes back (go list -m all -mod=mod adding one hash to a shuffled go.sum).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileProxyUrl, requireGo, runGo } from '../support/gorun.js';
import { telemetryOffEnv } from './goenv.js';
import { EMPTY_GO_MOD_HASH, formatGoSum, GoSumError, mergeGoSum, parseGoSum, sumKey } from '../../src/modfile/gosum.js';

/** A main module requiring example.com/m v1.0.0 (served by a file:// proxy), with `goSum` as go.sum. */
function project(t: TestContext, goSum: string): { dir: string; proxy: string } {
  const root = mkdtempSync(join(tmpdir(), 'gomod-dl-gosum-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const at = join(root, 'proxy', 'example.com', 'm', '@v');
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, 'list'), 'v1.0.0\n');
  writeFileSync(join(at, 'v1.0.0.info'), '{"Version":"v1.0.0"}');
  writeFileSync(join(at, 'v1.0.0.mod'), 'module example.com/m\n');
  const dir = join(root, 'main');
  mkdirSync(dir);
  writeFileSync(join(dir, 'go.mod'), 'module x.y/main\n\ngo 1.22\n\nrequire example.com/m v1.0.0\n');
  writeFileSync(join(dir, 'go.sum'), goSum);
  return { dir, proxy: fileProxyUrl(join(root, 'proxy')) };
}

const MALFORMED = [
  'a.b/c v1.0.0 h1:x=\n\n  \nbad line\n',
  'a.b/c v1.0.0 h1:x= extra\n',
  'only-one-field',
  '\r\na.b/c v1.0.0 h1:x=\r\na.b/c\tv1.0.0\th1:y=\t\r\nx y z w v\n',
];

for (const [i, goSum] of MALFORMED.entries()) {
  test(`malformed go.sum #${i + 1} fails with go's message`, async (t) => {
    requireGo(t);
    const { dir, proxy } = project(t, goSum);
    const r = await runGo(['mod', 'download'], { cwd: dir, proxy, t, env: telemetryOffEnv(t) });
    assert.notEqual(r.code, 0);
    const file = join(dir, 'go.sum');
    assert.throws(() => parseGoSum(file, Buffer.from(goSum)), (e: unknown) => {
      assert.ok(e instanceof GoSumError);
      assert.equal(e.message + '\n', r.stderr);
      return true;
    });
  });
}

test('blank and whitespace-only lines are skipped and line numbers count them', () => {
  assert.throws(() => parseGoSum('go.sum', '\n \t\na b\n'), /^GoSumError: malformed go.sum:\ngo.sum:3: wrong number of fields 2$/);
  const s = parseGoSum('go.sum', '\n  a.b/c v1.0.0 h1:x=  \n\n');
  assert.deepEqual([...s], [['a.b/c v1.0.0', ['h1:x=']]]);
});

test('lines with the empty go.mod hash are dropped and a key keeps several hashes', () => {
  const s = parseGoSum('go.sum', `a.b/c v1.0.0/go.mod ${EMPTY_GO_MOD_HASH}\na.b/c v1.0.0 h1:b=\na.b/c v1.0.0 h1:a=\n`);
  assert.deepEqual([...s], [['a.b/c v1.0.0', ['h1:b=', 'h1:a=']]]);
});

test('the go.sum go writes back equals formatGoSum of what it read plus what it added', async (t) => {
  requireGo(t);
  const shuffled = [
    'a.b/c v1.9.0/go.mod h1:m=',
    'a.b/c/v2 v2.0.0 h1:v2=',
    'a.b/c v1.10.0 h1:ten=',
    'A.b/c v1.0.0 h1:upper=',
    'a.b/c v1.9.0 h1:z=',
    'a.b/c v1.9.0 h1:a=',
    'a.b/c v1.9.0 h1:z=',
    'a.b/c v1.9.0-pre h1:pre=',
    'a.b/c v0.0.0-20200101000000-abcdefabcdef h1:pseudo=',
    'a.b/c v2.0.0+incompatible h1:inc=',
    `old.bug/x v1.0.0/go.mod ${EMPTY_GO_MOD_HASH}`,
    'a.b v1.0.0 h1:short=',
    'a.b/c v1.9.0 h1:a=',
  ].join('\n') + '\n';
  const { dir, proxy } = project(t, shuffled);
  const r = await runGo(['list', '-m', 'all'], { cwd: dir, proxy, t, env: { GOFLAGS: '-modcacherw -mod=mod', ...telemetryOffEnv(t) } });
  assert.equal(r.code, 0, r.stderr);
  const written = readFileSync(join(dir, 'go.sum'), 'utf8');
  const added = /^example\.com\/m v1\.0\.0\/go\.mod (\S+)$/m.exec(written);
  assert.ok(added, written);
  const ours = mergeGoSum(parseGoSum('go.sum', shuffled), new Map([[sumKey('example.com/m', 'v1.0.0/go.mod'), [added[1]!]]]));
  assert.equal(formatGoSum(ours), written);
});
