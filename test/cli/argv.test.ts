import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeArgv, UsageError } from '../../src/cli/argv.js';
import { main } from '../../src/cli/main.js';

test('Go flag spellings become commander spellings; flags stop at the first argument', () => {
  assert.deepEqual(normalizeArgv(['-json', '--x', '-C=dir', '-modcacherw', 'a@v1.0.0', '-json']), [
    '--json', '-x', '-C', 'dir', '--modcacherw', 'a@v1.0.0', '-json',
  ]);
  assert.deepEqual(normalizeArgv(['-x=false', '-json=true', '-j', '4', '--', '-x']), ['--json', '-j', '4', '--', '-x']);
});

test('a bad boolean or a missing value is a usage error', () => {
  assert.throws(() => normalizeArgv(['-x=maybe']), UsageError);
  assert.throws(() => normalizeArgv(['-C']), /flag needs an argument: -C/);
});

async function runMain(argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => void (out += s), stderr: (s) => void (err += s), env: {}, cwd: '/', isTTY: false });
  return { code, out, err };
}

test('unknown flags exit 2 with the usage line; --help and --version exit 0 on stdout', async () => {
  const bad = await runMain(['-bogus']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /usage: gomod-dl/);
  const help = await runMain(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /Usage: gomod-dl/);
  const version = await runMain(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.out, /^\d+\.\d+\.\d+\n$/);
  const j = await runMain(['-j', '0', 'x@v1.0.0']);
  assert.equal(j.code, 2);
});

test('--progress, --summary and --color take =WHEN; bare (any dash count) they mean always', async () => {
  assert.deepEqual(normalizeArgv(['--progress', '-summary=never', '-color', 'a@v1.0.0']), [
    '--progress=always', '--summary=never', '--color=always', 'a@v1.0.0',
  ]);
  const bad = await runMain(['--color=sometimes']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /Allowed choices are auto, always, never/);
});
