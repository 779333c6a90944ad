// Dispatch and usage errors of the subcommands (verify, export, env): a usage error exits 2 with the
// subcommand's usage line, as the download command's do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';
import { SUBCOMMAND_USAGE } from '../../src/cli/subcommands.js';

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: { HOME: '/nonexistent', GOENV: 'off' }, cwd: '/', isTTY: false });
  return { code, stdout, stderr };
}

test('usage errors of a subcommand exit 2 with its usage line', async () => {
  for (const [argv, name] of [[['verify', 'extra'], 'verify'], [['env', '--bogus'], 'env'], [['export'], 'export'], [['export', '--toolchain', 'out'], 'export']] as const) {
    const r = await cli([...argv]);
    assert.equal(r.code, 2, argv.join(' '));
    assert.ok(r.stderr.includes(`usage: ${SUBCOMMAND_USAGE[name]}\n`), r.stderr);
  }
  const bad = await cli(['--toolchain=bad']);
  assert.equal(bad.code, 2);
});

test('--help lists the subcommands; a subcommand has its own help', async () => {
  const r = await cli(['--help']);
  assert.equal(r.code, 0);
  for (const name of Object.keys(SUBCOMMAND_USAGE)) assert.match(r.stdout, new RegExp(`^  gomod-dl ${name}\\b`, 'm'), name);
  const v = await cli(['verify', '--help']);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^Usage: gomod-dl verify /);
});

test('env takes go spellings (-json, --json) and its three formats agree', async () => {
  const values = (await cli(['env', 'GOPROXY', 'GOSUMDB'])).stdout.split('\n');
  const lines = (await cli(['env'])).stdout;
  for (const json of ['-json', '--json']) {
    const r = await cli(['env', json, 'GOPROXY', 'GOSUMDB']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { GOPROXY: values[0], GOSUMDB: values[1] });
  }
  assert.ok(lines.includes(`GOPROXY='${values[0]}'\n`), lines);
});
