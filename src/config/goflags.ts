/**
 * GOFLAGS: parsed the way the go command parses it.
 *
 * Invariants (checked against go 1.26, see test/config/goflags.test.ts):
 * - The value is split like `cmd/internal/quoted.Split`: runs of space, tab, CR and LF separate fields;
 *   a field that *starts* with `'` or `"` runs to the next same quote, with no unescaping.
 * - Every field must look like `-name`, `--name`, `-name=value` or `--name=value`, and `name` must be a
 *   flag that *some* go command defines; otherwise the command stops (exit 1) before doing anything.
 * - A command then applies only the flags it defines and silently ignores the rest (so `-mod=mod` or
 *   `-tags=x` in GOFLAGS is harmless for `go mod download`). Bad values for its own flags are usage
 *   errors (exit 2).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/base/goflags.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/internal/quoted/quoted.go
 */
import { GoError } from '../internal/errors.js';
import { quote } from '../internal/gostrconv.js';

/** One field of GOFLAGS: the flag name without dashes, and its `=value` if it had one. */
export interface GoFlag {
  /** The field as written, e.g. `--modcacherw` or `-mod=mod`. */
  readonly raw: string;
  /** The name without leading dashes or value, e.g. `modcacherw`. */
  readonly name: string;
  /** The text after the first `=`, or undefined when there was none. */
  readonly value: string | undefined;
}

/** An error in $GOFLAGS. `exitCode` is 1 for a malformed list, 2 for a usage error. */
export class GoFlagsError extends GoError {
  /** go exits 1 for parse errors and 2 (after printing the command's usage) for bad flag values. */
  readonly exitCode: 1 | 2;
  constructor(message: string, exitCode: 1 | 2) {
    super('EGOFLAGS', message);
    this.name = 'GoFlagsError';
    this.exitCode = exitCode;
  }
}

/**
 * Flags the go test command forwards to the test binary, which it also accepts with a `test.` prefix.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/test/flagdefs.go
 */
const TEST_BINARY_FLAGS = [
  'artifacts', 'bench', 'benchmem', 'benchtime', 'blockprofile', 'blockprofilerate', 'count',
  'coverprofile', 'cpu', 'cpuprofile', 'failfast', 'fullpath', 'fuzz', 'fuzzminimizetime', 'fuzztime',
  'list', 'memprofile', 'memprofilerate', 'mutexprofile', 'mutexprofilefraction', 'outputdir',
  'parallel', 'run', 'short', 'shuffle', 'skip', 'timeout', 'trace', 'v',
];

/**
 * Every flag name defined by some go 1.26 subcommand (go's `hasFlag(Go, name)`). GOFLAGS may name any
 * of these; anything else is `unknown flag`. Each name is checked against the real go in the tests.
 */
const KNOWN_FLAGS: ReadonlySet<string> = new Set([
  'C', 'a', 'artifacts', 'asan', 'asmflags', 'bench', 'benchmem', 'benchtime', 'blockprofile',
  'blockprofilerate', 'buildmode', 'buildvcs', 'c', 'cache', 'changed', 'compat', 'compiled',
  'compiler', 'count', 'cover', 'covermode', 'coverpkg', 'coverprofile', 'cpu', 'cpuprofile', 'd',
  'debug-actiongraph', 'debug-runtime-trace', 'debug-trace', 'deps', 'diff', 'dropexclude',
  'dropgodebug', 'dropignore', 'dropreplace', 'droprequire', 'dropretract', 'droptool', 'dropuse', 'e',
  'exclude', 'exec', 'export', 'f', 'failfast', 'find', 'fix', 'fmt', 'fullpath', 'fuzz', 'fuzzcache',
  'fuzzminimizetime', 'fuzztime', 'gccgoflags', 'gcflags', 'go', 'godebug', 'i', 'ignore', 'insecure',
  'installsuffix', 'json', 'ldflags', 'linkshared', 'list', 'm', 'memprofile', 'memprofilerate', 'mod',
  'modcache', 'modcacherw', 'modfile', 'module', 'msan', 'mutexprofile', 'mutexprofilefraction', 'n',
  'o', 'outputdir', 'overlay', 'p', 'parallel', 'pgo', 'pkgdir', 'print', 'r', 'race', 'replace',
  'require', 'retract', 'retracted', 'reuse', 'run', 'short', 'shuffle', 'skip', 't', 'tags', 'test',
  'testcache', 'timeout', 'tool', 'toolchain', 'toolexec', 'trace', 'trimpath', 'u', 'use', 'v', 'vendor',
  'versions', 'vet', 'w', 'work', 'x',
  ...TEST_BINARY_FLAGS.map((f) => `test.${f}`),
]);

/** The flag names {@link parseGoFlags} accepts (every go subcommand's flags). */
export function knownGoFlagNames(): readonly string[] {
  return [...KNOWN_FLAGS];
}

function isSpaceByte(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/**
 * Splits a string into fields like Go's `quoted.Split`.
 * @throws GoFlagsError `unterminated " string`
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/internal/quoted/quoted.go
 */
export function splitQuoted(s: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && isSpaceByte(s[i]!)) i++;
    if (i >= s.length) break;
    const c = s[i]!;
    if (c === '"' || c === "'") {
      const end = s.indexOf(c, i + 1);
      if (end < 0) throw new GoFlagsError(`parsing $GOFLAGS: unterminated ${c} string`, 1);
      fields.push(s.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < s.length && !isSpaceByte(s[j]!)) j++;
    fields.push(s.slice(i, j));
    i = j;
  }
  return fields;
}

/**
 * Parses and validates $GOFLAGS as every go command does at start-up (go's `InitGOFLAGS`).
 * Message texts are what go prints after `go: `.
 * @throws GoFlagsError (exit 1) `parsing $GOFLAGS: non-flag "x"` or `parsing $GOFLAGS: unknown flag -x`
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/base/goflags.go
 */
export function parseGoFlags(value: string): GoFlag[] {
  const out: GoFlag[] = [];
  for (const f of splitQuoted(value)) {
    if (!f.startsWith('-') || f === '-' || f === '--' || f.startsWith('---') || f.startsWith('-=') ||
      f.startsWith('--=')) {
      throw new GoFlagsError(`parsing $GOFLAGS: non-flag ${quote(f)}`, 1);
    }
    let name = f.slice(f.startsWith('--') ? 2 : 1);
    const eq = name.indexOf('=');
    const flagValue = eq >= 0 ? name.slice(eq + 1) : undefined;
    if (eq >= 0) name = name.slice(0, eq);
    if (!KNOWN_FLAGS.has(name)) throw new GoFlagsError(`parsing $GOFLAGS: unknown flag -${name}`, 1);
    out.push({ raw: f, name, value: flagValue });
  }
  return out;
}

/** The `go mod download` flags that can come from GOFLAGS; undefined = not set there. */
export interface ModDownloadGoFlags {
  readonly x?: boolean;
  readonly json?: boolean;
  readonly modcacherw?: boolean;
  readonly reuse?: string;
  readonly modfile?: string;
  readonly overlay?: string;
}

const DOWNLOAD_BOOL_FLAGS = new Set(['x', 'json', 'modcacherw']);
const DOWNLOAD_VALUE_FLAGS = new Set(['reuse', 'modfile', 'overlay', 'C']);

/** Go's strconv.ParseBool. */
function parseBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/**
 * Applies parsed GOFLAGS to `go mod download`'s flag set, as go's `SetFromGOFLAGS` does: flags the
 * command does not define are ignored, later fields override earlier ones. The command line is applied
 * afterwards by the caller and wins.
 * @throws GoFlagsError (exit 2, go then prints the usage) for a bad boolean, a value flag without a
 *   value, or `-C` (which go only accepts first on the command line).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/base/goflags.go (SetFromGOFLAGS)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/download.go
 */
export function modDownloadFlagsFromGoFlags(flags: readonly GoFlag[]): ModDownloadGoFlags {
  const where = '$GOFLAGS';
  const out: { -readonly [K in keyof ModDownloadGoFlags]: ModDownloadGoFlags[K] } = {};
  for (const f of flags) {
    // go reports the flag with a single dash whatever was written.
    const shown = `-${f.name}`;
    if (DOWNLOAD_BOOL_FLAGS.has(f.name)) {
      const v = f.value === undefined ? true : parseBool(f.value);
      if (v === undefined) {
        throw new GoFlagsError(
          `invalid boolean value ${quote(f.value ?? '')} for flag ${shown} (from ${where}): parse error`, 2);
      }
      out[f.name as 'x' | 'json' | 'modcacherw'] = v;
    } else if (DOWNLOAD_VALUE_FLAGS.has(f.name)) {
      if (f.value === undefined) throw new GoFlagsError(`flag needs an argument: ${shown} (from ${where})`, 2);
      if (f.name === 'C') {
        throw new GoFlagsError(`invalid value ${quote(f.value)} for flag ${shown} (from ${where}): ` +
          '-C flag must be first flag on command line', 2);
      }
      out[f.name as 'reuse' | 'modfile' | 'overlay'] = f.value;
    }
  }
  return out;
}
