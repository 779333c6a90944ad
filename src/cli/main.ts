/**
 * The gomod-dl command line: go's `go mod download` flags (single-dash spellings included) plus
 * gomod-dl's own (-j / --concurrency, --progress, --summary, --color), parsed with commander after Go
 * spellings are normalised. Exit status as go: 0, 1 when any module failed, 2 on usage errors.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createRequire } from 'node:module';
import { normalizeArgv, UsageError } from './argv.js';
import { HELP, USAGE } from './help.js';
import { run } from '../run.js';
import { networkUsed } from '../fetch/http.js';
import { Reporter, type When } from '../report/reporter.js';
import { exitOnBrokenPipe, handleSignals } from './signals.js';
import { isSubcommand, parsePlatform, runSubcommand, toolchainOption } from './subcommands.js';

export interface MainIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether stderr is a terminal. */
  isTTY: boolean;
  /** The terminal's width in columns (default 80). */
  columns?: () => number;
  /** The go release to reproduce where it shows (run.ts EMULATED_GO_VERSION); tests pass the oracle's. */
  goVersion?: string;
  /** Handle SIGINT/SIGTERM/SIGHUP (src/cli/signals.ts); only for the real process. */
  signals?: boolean;
}

const defaultIO = (): MainIO => ({
  // process.stdout is made on first use (for a pipe that loads node:net): a run that prints no data
  // does not pay for it, nor for the handler of a reader that goes away.
  stdout: (s) => {
    exitOnBrokenPipe();
    process.stdout.write(s);
  },
  stderr: (s) => void process.stderr.write(s),
  env: process.env,
  cwd: process.cwd(),
  isTTY: process.stderr.isTTY === true,
  // 0 when the terminal reports no size (script without stty, some CI ttys): take the default.
  columns: () => process.stderr.columns || 80,
  signals: true,
});

/**
 * The package's version, from its package.json: three levels above dist/src/cli/main.js, or two above
 * the bundle (dist/bundle/gomod-dl.cjs, scripts/bundle.mjs); the name tells it from another package's.
 */
function version(): string {
  const require = createRequire(import.meta.url);
  for (const file of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = require(file) as { name?: string; version: string };
      if (pkg.name === 'gomod-dl') return pkg.version;
    } catch {
      // not this layout
    }
  }
  return 'unknown';
}

function parseConcurrency(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1024) {
    throw new InvalidArgumentError('must be a whole number from 1 to 1024');
  }
  return n;
}

const WHEN: When[] = ['auto', 'always', 'never'];

/** The commander program (exported for the test that holds --help to every option it defines). */
export function program(io: MainIO): Command {
  return new Command('gomod-dl')
    .argument('[modules...]', 'module patterns or path@version queries')
    .option('-x, --x', 'print every request, its status and timing, as go -x does')
    .option('--json', 'print one JSON object per module on stdout, as go mod download -json')
    .option('-C, --chdir <dir>', 'change to dir before doing anything')
    .option('--modcacherw', 'leave extracted module directories writable')
    // What normalizeArgv makes of `-json=false` and the like: set, they override GOFLAGS.
    .addOption(new Option('--no-x').hideHelp())
    .addOption(new Option('--no-json').hideHelp())
    .addOption(new Option('--no-modcacherw').hideHelp())
    .option('--reuse <file>', 'the JSON of an earlier -json run (outside a module only): modules from git whose origin is unchanged are not downloaded again')
    .option('--modfile <file>', 'use this go.mod file instead of the one in the module root')
    .option('--overlay <file>', 'accepted when it replaces no go.mod, go.work or go.sum file')
    .option('-j, --concurrency <n>', 'modules downloaded at once (default: 16)', parseConcurrency)
    .addOption(new Option('--progress <when>', 'a live status line on stderr').choices(WHEN).default('auto'))
    .addOption(new Option('--summary <when>', 'a summary line after the run').choices(WHEN).default('auto'))
    .addOption(new Option('--color <when>', 'colour on stderr').choices(WHEN).default('auto'))
    .option('--offline-complete', 'also fetch the .info and go.mod files go list -m all needs, for GOPROXY=off')
    .option('--toolchain [GOOS/GOARCH]', 'also fetch the golang.org/toolchain module the go.mod selects', parsePlatform)
    .version(version(), '--version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .configureHelp({ formatHelp: () => HELP })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(s),
    });
}

/** go's cmd.Usage after a flag error: the usage line and where to read more. */
const USAGE_LINES = `usage: ${USAGE}\nRun 'gomod-dl --help' for details.\n`;

interface Opts {
  x?: boolean;
  json?: boolean;
  chdir?: string;
  modcacherw?: boolean;
  reuse?: string;
  modfile?: string;
  overlay?: string;
  concurrency?: number;
  progress: When;
  summary: When;
  color: When;
  offlineComplete?: boolean;
  toolchain?: string | boolean;
}

/** How far this process's runs went: 0 nothing but the command line, 1 a command ran, 2 it used the network. */
let reach = 0;

/**
 * How much of the program this process has run, for bin/gomod-dl.js: the bundle's code cache is
 * rewritten when a run goes further than the one that wrote it (see src/cli/codecache.ts).
 */
export function codeCacheLevel(): number {
  return networkUsed() ? 2 : reach;
}

/** Runs the command with `argv` (without node and script) and returns the exit status. */
export async function main(argv: string[], io: MainIO = defaultIO()): Promise<number> {
  if (isSubcommand(argv)) {
    reach = 1;
    return runSubcommand(argv, io);
  }
  const cmd = program(io);
  let opts: Opts;
  let modules: string[];
  try {
    cmd.parse(normalizeArgv(argv, { goFlags: true }), { from: 'user' });
    opts = cmd.opts<Opts>();
    modules = cmd.processedArgs[0] as string[];
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      io.stderr(USAGE_LINES);
      return 2;
    }
    if (err instanceof UsageError) {
      // go's flag errors: the message, the usage line and where to read more (no `go: ` prefix).
      io.stderr(`${err.message}\n${USAGE_LINES}`);
      return 2;
    }
    throw err;
  }
  const reporter = new Reporter({
    write: io.stderr,
    env: io.env,
    isTTY: io.isTTY,
    progress: opts.progress,
    summary: opts.summary,
    color: opts.color,
    ...(io.columns !== undefined ? { columns: io.columns } : {}),
  });
  // A process that exits before run() returns (a signal handler calling process.exit) still leaves
  // a clean line for the shell's prompt.
  if (io.isTTY) process.once('exit', reporter.abort);
  const signals = io.signals === true ? handleSignals(reporter.stderr, undefined, reporter.abort) : undefined;
  reach = 1;
  let code: number | undefined;
  try {
    code = await run({
      interrupt: signals?.interrupt,
      args: modules,
      cwd: io.cwd,
      env: io.env,
      chdir: opts.chdir,
      json: opts.json,
      x: opts.x,
      modcacherw: opts.modcacherw,
      modfile: opts.modfile,
      reuse: opts.reuse,
      usage: USAGE_LINES,
      overlay: opts.overlay,
      concurrency: opts.concurrency,
      goVersion: io.goVersion,
      offlineComplete: opts.offlineComplete === true,
      toolchain: toolchainOption(opts.toolchain),
      stdout: reporter.stdoutVia(io.stdout),
      stderr: reporter.stderr,
      onEvent: reporter.wantsEvents ? reporter.onEvent : undefined,
    });
    return code;
  } finally {
    signals?.dispose();
    process.removeListener('exit', reporter.abort);
    reporter.finish(code !== 0);
  }
}
