import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  GoFlagsError, knownGoFlagNames, modDownloadFlagsFromGoFlags, parseGoFlags, splitQuoted,
} from '../../src/config/index.js';
import { tempDir } from '../support/tmp.js';

const run = promisify(execFile);

/**
 * `go mod download` outside a module with GOFLAGS set: go checks GOFLAGS first, so stderr is either the
 * GOFLAGS error or "no modules specified".
 */
async function goWithGoflags(goflags: string, dir: string): Promise<{ stderr: string; code: number }> {
  const env = { PATH: process.env.PATH ?? '', HOME: dir, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: goflags };
  try {
    await run('go', ['mod', 'download'], { cwd: dir, env });
    return { stderr: '', code: 0 };
  } catch (e) {
    const err = e as { stderr?: string; code?: number | string };
    if (typeof err.code !== 'number') throw e;
    return { stderr: err.stderr ?? '', code: err.code };
  }
}

const NO_MODULES = "go: no modules specified (see 'go help mod download')\n";
const USAGE = "usage: go mod download [-x] [-json] [-reuse=old.json] [modules]\nRun 'go help mod download' for details.\n";

/** Our verdict in go's terms: the stderr go would print and its exit status. */
function ours(goflags: string): { stderr: string; code: number } {
  try {
    modDownloadFlagsFromGoFlags(parseGoFlags(goflags));
    return { stderr: NO_MODULES, code: 1 };
  } catch (e) {
    assert.ok(e instanceof GoFlagsError);
    return { stderr: `go: ${e.message}\n${e.exitCode === 2 ? USAGE : ''}`, code: e.exitCode };
  }
}

const CASES = [
  '', '-x', '--x', '-x=1', '-json=false', '-x -json', '  -modcacherw\t-mod=mod\n', '-mod', '-tags=a,b',
  "'-tags=a b'", '"-ldflags=-s -w"', '-insecure', '-foo', '-test.run=x', '-test.foo', '-printf', 'x', '---x',
  '-', '--', '-=', '--=x', '"-x', "-x '", '-modcacherw=maybe', '-json=', '-reuse', '-reuse=old.json',
  '-modfile', '-C', '-C=/tmp', '--C=dir', '-overlay', '-x -foo', '-foo -x=bad',
];

for (const goflags of CASES) {
  test(`GOFLAGS=${JSON.stringify(goflags)} is accepted or rejected exactly as go does`, async (ctx) => {
    const dir = tempDir(ctx, 'goflags');
    assert.deepEqual(ours(goflags), await goWithGoflags(goflags, dir));
  });
}

test('every flag name we accept is known to go', async (ctx) => {
  const dir = tempDir(ctx, 'goflags');
  const names = knownGoFlagNames();
  // A value makes boolean and value flags alike acceptable for InitGOFLAGS; `mod download` ignores them
  // unless they are its own, whose values here are valid.
  const results = await Promise.all(names.map((n) => goWithGoflags(`-${n}=${n === 'C' ? '' : '1'}`, dir)));
  const unknown = names.filter((_n, i) => results[i]!.stderr.includes('unknown flag'));
  assert.deepEqual(unknown, []);
});

test('splitQuoted keeps quoted fields verbatim and only honours quotes at a field start', () => {
  assert.deepEqual(splitQuoted(` a 'b c'd "e\\"  f"g'h`), ['a', 'b c', 'd', 'e\\', 'f"g\'h']);
});

test('later GOFLAGS fields override earlier ones; other commands\' flags are ignored', () => {
  assert.deepEqual(modDownloadFlagsFromGoFlags(parseGoFlags('-x -mod=mod -x=false --json -reuse=a -reuse=b')),
    { x: false, json: true, reuse: 'b' });
});
