// --help lists every flag, environment variable and exit code, wraps at 80 columns, and agrees with
// README.md's Usage section, both ways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/shared.js';
import { HELP } from '../../src/cli/help.js';
import { main, program } from '../../src/cli/main.js';

/** Lines of a help section: from the line starting with `heading` to the next unindented line. */
function section(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith(heading));
  assert.ok(i >= 0, `help has no section ${heading}`);
  const out: string[] = [];
  for (const l of lines.slice(i + 1)) {
    if (l !== '' && !l.startsWith(' ')) break;
    out.push(l);
  }
  return out;
}

/** Names in the first column of a help section (`  NAME, NAME   description`). */
function helpNames(lines: string[], pattern: RegExp): Set<string> {
  const names = new Set<string>();
  for (const l of lines) {
    const m = /^ {2}(\S.*?)(?: {2,}|$)/.exec(l);
    if (m === null) continue;
    for (const n of m[1]!.matchAll(pattern)) names.add(n[1]!);
  }
  return names;
}

/** Names in the first column of the README table under `### heading`. */
function readmeNames(readme: string, heading: string, pattern: RegExp): Set<string> {
  const start = readme.indexOf(`### ${heading}\n`);
  assert.ok(start >= 0, `README has no ### ${heading}`);
  const body = readme.slice(start).split('\n### ')[0]!;
  const names = new Set<string>();
  for (const row of body.split('\n').filter((l) => l.startsWith('| `'))) {
    const first = row.split(' | ')[0]!;
    for (const n of first.matchAll(pattern)) names.add(n[1]!);
  }
  return names;
}

const FLAG = /(?:^|[\s,`])--?([A-Za-z][\w-]*)/g;
const ENV = /\b([A-Z][A-Z0-9_]{2,})\b/g;
const CODE = /(?:^|`)(\d+)/g;

const sorted = (s: Set<string>) => [...s].sort();
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

test('--help wraps at 80 columns and is what the command prints', async () => {
  const long = HELP.split('\n').filter((l) => l.length > 80);
  assert.deepEqual(long, []);
  let out = '';
  const code = await main(['--help'], { stdout: (s) => void (out += s), stderr: () => {}, env: {}, cwd: '/', isTTY: false });
  assert.equal(code, 0);
  assert.equal(out, HELP);
});

test('--help lists every option the command accepts', () => {
  const cmd = program({ stdout: () => {}, stderr: () => {}, env: {}, cwd: '/', isTTY: false });
  const flags = helpNames([...section(HELP, 'Flags of go'), ...section(HELP, 'Flags of gomod-dl')], FLAG);
  assert.ok(cmd.options.length >= 12);
  assert.ok(flags.has('h') && flags.has('help'));
  for (const o of cmd.options) {
    if (o.hidden) continue; // the negations normalizeArgv produces from `-json=false`, never typed
    for (const spelled of [o.short, o.long]) {
      if (spelled === undefined) continue;
      assert.ok(flags.has(spelled.replace(/^--?/, '')), `--help does not list ${spelled}`);
    }
  }
});

test('README lists the same flags, environment variables and exit codes as --help', () => {
  const helpFlags = helpNames([...section(HELP, 'Flags of go'), ...section(HELP, 'Flags of gomod-dl')], FLAG);
  assert.deepEqual(sorted(readmeNames(readme, 'Flags', FLAG)), sorted(helpFlags));
  const helpEnv = helpNames(section(HELP, 'Environment'), ENV);
  assert.ok(helpEnv.has('GOPROXY') && helpEnv.has('NO_COLOR'), [...helpEnv].join(' '));
  assert.deepEqual(sorted(readmeNames(readme, 'Environment', ENV)), sorted(helpEnv));
  const helpCodes = helpNames(section(HELP, 'Exit status'), CODE);
  assert.deepEqual(sorted(helpCodes), ['0', '1', '129', '130', '141', '143', '2']);
  assert.deepEqual(sorted(readmeNames(readme, 'Exit status', CODE)), sorted(helpCodes));
});

test('the environment variables --help names are the ones the sources read', () => {
  // Every variable in the help is one gomod-dl reads (a stale entry would mislead): each must be
  // named as a quoted string somewhere in the sources (process.env reads and the config layer's keys).
  const sources = readdirSync(join(REPO_ROOT, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(REPO_ROOT, 'src', f), 'utf8'))
    .join('\n');
  for (const name of helpNames(section(HELP, 'Environment'), ENV)) {
    assert.ok(new RegExp(`['"\`.]${name}\\b`).test(sources), `${name} is read nowhere`);
  }
});
