/**
 * Go-style flags on top of commander.
 *
 * The go command uses Go's `flag` package: a flag is spelled with one dash or two (`-json`, `--json`),
 * boolean flags take an optional `=true|false`, and value flags take `=v` or the next argument.
 * commander only understands POSIX spellings, so the Go spellings are rewritten to commander's before
 * parsing. Nothing after the first positional argument or `--` is touched, as in Go, where flag parsing
 * stops there.
 *
 * @see https://pkg.go.dev/flag#hdr-Command_line_flag_syntax
 */
import { GoError } from '../internal/errors.js';

/** Go boolean flags of `go mod download` and their commander spelling. */
const BOOL_FLAGS: Record<string, string> = {
  json: '--json',
  x: '-x',
  modcacherw: '--modcacherw',
};

/** Go value flags and their commander spelling. */
const VALUE_FLAGS: Record<string, string> = {
  C: '-C',
  reuse: '--reuse',
  modfile: '--modfile',
  overlay: '--overlay',
  j: '-j',
  concurrency: '--concurrency',
};

/**
 * gomod-dl's own `WHEN` flags (`auto|always|never`): given bare (`--progress`, `-summary`) they mean
 * `always`, so that a module argument after them is never taken for their value.
 */
const WHEN_FLAGS: Record<string, string> = {
  progress: '--progress',
  summary: '--summary',
  color: '--color',
};

/** A usage error: printed with the usage line, exit status 2 (as go's flag errors). */
export class UsageError extends GoError {
  constructor(message: string) {
    super('EUSAGE', message);
  }
}

/**
 * Rewrites Go flag spellings into commander's. `-x=false` and friends are resolved here, since commander
 * has no syntax for a negated boolean given by value.
 */
export function normalizeArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      return out;
    }
    const m = /^--?([A-Za-z][\w-]*)(?:=([\s\S]*))?$/.exec(arg);
    if (!m || arg === '-') break; // first positional argument: flags end here
    const name = m[1]!;
    const value = m[2];
    const boolFlag = BOOL_FLAGS[name];
    if (boolFlag !== undefined) {
      if (value === undefined || parseGoBool(name, value)) out.push(boolFlag);
      continue;
    }
    const whenFlag = WHEN_FLAGS[name];
    if (whenFlag !== undefined) {
      out.push(`${whenFlag}=${value ?? 'always'}`);
      continue;
    }
    const valueFlag = VALUE_FLAGS[name];
    if (valueFlag !== undefined) {
      if (value !== undefined) {
        out.push(valueFlag, value);
      } else {
        if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: -${name}`);
        out.push(valueFlag, argv[++i]!);
      }
      continue;
    }
    // Our own long options (--help, --version, --no-color, --progress…) pass through as they are.
    out.push(arg);
  }
  out.push(...argv.slice(i));
  return out;
}

/** Go's strconv.ParseBool, as the flag package uses for `-flag=value`. */
function parseGoBool(name: string, v: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new UsageError(`invalid boolean value "${v}" for -${name}: parse error`);
}
