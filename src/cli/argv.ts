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

/** gomod-dl's own flags besides those: passed to commander as they are. */
const OWN_FLAGS = new Set(['chdir', 'offline-complete', 'toolchain', 'help', 'h', 'version']);

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
export function normalizeArgv(argv: readonly string[], opts: { goFlags?: boolean } = {}): string[] {
  // `goFlags`: the download command's flags, which follow go's flag package to the letter (unknown
  // flags, -C first, flags ending at the first argument). The subcommands keep commander's rules.
  const strict = opts.goFlags === true;
  const out: string[] = [];
  /** Boolean flags by commander spelling: the last setting wins, as in Go (`-json -json=false`). */
  const bools = new Map<string, boolean>();
  // A boolean set false on go's command line still overrides GOFLAGS, so it is passed on as commander's
  // negation (`--no-json`); the subcommands have no GOFLAGS to override and define no negations.
  const flags = (): string[] => [
    ...[...bools].flatMap(([f, on]) => (on ? [f] : strict ? [`--no-${f.replace(/^--?/, '')}`] : [])),
    ...out,
  ];
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return [...flags(), ...argv.slice(i)];
    // Go's flag package: one or two dashes, then a name that does not start with `-` or `=`.
    if (arg.length < 2 || arg[0] !== '-' || arg === '-') break; // the first argument: flags end here
    const m = (strict ? /^--?([^-=][^=]*)(?:=([\s\S]*))?$/ : /^--?([A-Za-z][\w-]*)(?:=([\s\S]*))?$/).exec(arg);
    if (!m) {
      if (strict) throw new UsageError(`bad flag syntax: ${arg}`);
      break;
    }
    const name = m[1]!;
    const value = m[2];
    if (strict && (name === 'C' || name === 'chdir') && i > 0) {
      // go's rule (cmd/go/main.go handleChdirFlag): -C must come first.
      const v = value ?? argv[i + 1] ?? '';
      throw new UsageError(`invalid value ${JSON.stringify(v)} for flag -C: -C flag must be first flag on command line`);
    }
    const boolFlag = BOOL_FLAGS[name];
    if (boolFlag !== undefined) {
      bools.set(boolFlag, value === undefined || parseGoBool(name, value));
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
    if (strict && !OWN_FLAGS.has(name)) throw new UsageError(`flag provided but not defined: -${name}`);
    // Our own long options (--help, --version, --toolchain…) pass through as they are.
    out.push(arg);
  }
  // Everything from the first argument on is an argument, as in Go: `--` tells commander so.
  if (!strict) return [...flags(), ...argv.slice(i)];
  return i < argv.length ? [...flags(), '--', ...argv.slice(i)] : flags();
}

/** Go's strconv.ParseBool, as the flag package uses for `-flag=value`. */
function parseGoBool(name: string, v: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new UsageError(`invalid boolean value "${v}" for -${name}: parse error`);
}
