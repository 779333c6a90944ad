import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeArgv, UsageError } from '../../src/cli/argv.js';
import { main } from '../../src/cli/main.js';
import { runGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';

test('Go flag spellings become commander spellings; flags stop at the first argument', () => {
  // Everything from the first argument on is an argument, as in Go (commander is told with `--`).
  assert.deepEqual(normalizeArgv(['-C=dir', '-json', '--x', '-modcacherw', 'a@v1.0.0', '-json'], { goFlags: true }), [
    '--json', '-x', '--modcacherw', '-C', 'dir', '--', 'a@v1.0.0', '-json',
  ]);
  // A boolean set false is passed on as a negation, so that it overrides GOFLAGS.
  assert.deepEqual(normalizeArgv(['-x=false', '-json=true', '-j', '4', '--', '-x'], { goFlags: true }), ['--no-x', '--json', '-j', '4', '--', '-x']);
  // The last setting of a boolean wins.
  assert.deepEqual(normalizeArgv(['-json', '-json=false', '-x=0', '-x'], { goFlags: true }), ['--no-json', '-x']);
  // The subcommands' flags (no GOFLAGS) drop a false boolean.
  assert.deepEqual(normalizeArgv(['-json', '-json=false']), []);
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
  assert.deepEqual(normalizeArgv(['--progress', '-summary=never', '-color', 'a@v1.0.0'], { goFlags: true }), [
    '--progress=always', '--summary=never', '--color=always', '--', 'a@v1.0.0',
  ]);
  const bad = await runMain(['--color=sometimes']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /Allowed choices are auto, always, never/);
});

// go's flag errors and flag-parsing rules, against go itself: the first line of stderr (go's usage
// line names go) and the exit status.
const FLAG_CASES: string[][] = [
  ['-x=bogus'], ['-foo'], ['--foo'], ['-x', '-C', '/tmp'], ['-C=.', '-C=.'], ['---x'], ['-=x'], ['-1'], ['-x-json'],
  ['-reuse'], ['-C'], ['-C='], ['example.com/m@v1.0.0', '-x'], ['example.com/m@v1.0.0', '--'], ['example.com/m@v1.0.0', '-json'],
];

for (const argv of FLAG_CASES) {
  test(`flags ${JSON.stringify(argv)}: go's first line and exit status`, async (t) => {
    const go = await runGo(['mod', 'download', ...argv], { t, proxy: 'off' });
    const ours = await runGomodDl(argv, { t, proxy: 'off' });
    assert.equal(ours.code, go.code, `go: ${go.stderr}\ngomod-dl: ${ours.stderr}`);
    const first = (s: string) => s.split('\n')[0]!.replace(/^gomod-dl: /, 'go: ');
    assert.equal(first(ours.stderr), first(go.stderr));
  });
}

for (const value of ['bogus', 'OFF', 'auto', 'on']) {
  test(`GO111MODULE=${value}: go's answer`, async (t) => {
    const env = { GO111MODULE: value };
    const go = await runGo(['mod', 'download', 'example.com/m@v1.0.0'], { t, proxy: 'off', env });
    const ours = await runGomodDl(['example.com/m@v1.0.0'], { t, proxy: 'off', env });
    assert.equal(ours.code, go.code, `go: ${go.stderr}\ngomod-dl: ${ours.stderr}`);
    assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: '), go.stderr);
  });
}

// GOFLAGS sets a flag's default; the command line, true or false, overrides it (base.SetFromGOFLAGS).
const GOFLAGS_CASES: [goflags: string, argv: string[]][] = [
  ['-json', ['-json=false']], ['-json', []], ['-json=false', ['-json']], ['-json', ['-json=0']], ['-x', ['-x=false']],
];

for (const [goflags, argv] of GOFLAGS_CASES) {
  test(`GOFLAGS=${goflags} with ${JSON.stringify(argv)}: go's stdout, stderr and exit status`, async (t) => {
    const env = { GOFLAGS: goflags };
    const args = [...argv, 'example.com/m@v1.0.0'];
    const go = await runGo(['mod', 'download', ...args], { t, proxy: 'off', env });
    const ours = await runGomodDl(args, { t, proxy: 'off', env });
    assert.equal(ours.code, go.code, `go: ${go.stderr}\ngomod-dl: ${ours.stderr}`);
    assert.equal(ours.stdout, go.stdout);
    assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: '), go.stderr);
  });
}

// A GOFLAGS flag go's flag set refuses: go's error, then its usage lines (exit 2).
for (const goflags of ['-x=maybe', '-modfile', '-reuse', '-C=/tmp']) {
  test(`GOFLAGS=${goflags}: go's error, the usage lines and exit status`, async (t) => {
    const env = { GOFLAGS: goflags };
    const go = await runGo(['mod', 'download', 'example.com/m@v1.0.0'], { t, proxy: 'off', env });
    const ours = await runGomodDl(['example.com/m@v1.0.0'], { t, proxy: 'off', env });
    assert.equal(ours.code, go.code);
    const lines = (s: string) => s.replace(/^gomod-dl: /, 'go: ').split('\n');
    assert.equal(lines(ours.stderr)[0], lines(go.stderr)[0]);
    assert.equal(lines(ours.stderr).length, lines(go.stderr).length, ours.stderr);
    assert.match(ours.stderr, /\nusage: gomod-dl .*\nRun 'gomod-dl --help' for details\.\n$/);
  });
}
