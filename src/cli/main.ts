/**
 * The gomod-dl command line: go's `go mod download` flags (single-dash spellings included) plus
 * gomod-dl's own (-j / --concurrency, --progress), parsed with commander after Go spellings are
 * normalised. Exit status as go: 0, 1 when any module failed, 2 on usage errors.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { createRequire } from 'node:module';
import { normalizeArgv, UsageError } from './argv.js';
import { run } from '../run.js';
import { handleSignals } from './signals.js';

const USAGE = 'gomod-dl [-x] [-json] [-C dir] [-modcacherw] [-j N] [modules]';

export interface MainIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  isTTY: boolean;
  /** The go release to reproduce where it shows (run.ts EMULATED_GO_VERSION); tests pass the oracle's. */
  goVersion?: string;
  /** Handle SIGINT/SIGTERM/SIGHUP (src/cli/signals.ts); only for the real process. */
  signals?: boolean;
}

const defaultIO = (): MainIO => ({
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  env: process.env,
  cwd: process.cwd(),
  isTTY: process.stderr.isTTY === true,
  signals: true,
});

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../../package.json') as { version: string }).version;
}

function parseConcurrency(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1024) {
    throw new InvalidArgumentError('must be a whole number from 1 to 1024');
  }
  return n;
}

function program(io: MainIO): Command {
  return new Command('gomod-dl')
    .usage('[-x] [-json] [-C dir] [-modcacherw] [-j N] [modules]')
    .description(
      'Download Go modules into the module cache (GOMODCACHE) exactly as `go mod download` does,\n' +
        'without a Go toolchain. Modules are path@version arguments, `all`, patterns, or nothing\n' +
        '(the requirements of the module in the current directory).',
    )
    .argument('[modules...]', 'module patterns or path@version queries')
    .option('-x', 'print every request, its status and timing, as go -x does')
    .option('--json', 'print one JSON object per module on stdout, as go mod download -json')
    .option('-C, --chdir <dir>', 'change to dir before doing anything')
    .option('--modcacherw', 'leave extracted module directories writable')
    .option('--reuse <file>', 'accepted for compatibility with go; not used yet')
    .option('--modfile <file>', 'use this go.mod file instead of the one in the module root')
    .option('--overlay <file>', 'accepted for compatibility with go; ignored')
    .option('-j, --concurrency <n>', 'modules downloaded at once (default: 8)', parseConcurrency)
    .option('--progress', 'show a progress line on a terminal (never with -json or -x, or in CI)')
    .version(version(), '--version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(s),
    });
}

interface Opts {
  x?: boolean;
  json?: boolean;
  chdir?: string;
  modcacherw?: boolean;
  reuse?: string;
  modfile?: string;
  overlay?: string;
  concurrency?: number;
  progress?: boolean;
}

/** Runs the command with `argv` (without node and script) and returns the exit status. */
export async function main(argv: string[], io: MainIO = defaultIO()): Promise<number> {
  const cmd = program(io);
  let opts: Opts;
  let modules: string[];
  try {
    cmd.parse(normalizeArgv(argv), { from: 'user' });
    opts = cmd.opts<Opts>();
    modules = cmd.processedArgs[0] as string[];
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      io.stderr(`usage: ${USAGE}\nRun 'gomod-dl --help' for details.\n`);
      return 2;
    }
    if (err instanceof UsageError) {
      io.stderr(`gomod-dl: ${err.message}\nusage: ${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  const signals = io.signals === true ? handleSignals(io.stderr) : undefined;
  try {
    return await runWith(modules, opts, io, signals?.interrupt);
  } finally {
    signals?.dispose();
  }
}

function runWith(modules: string[], opts: Opts, io: MainIO, interrupt: Parameters<typeof run>[0]['interrupt']): Promise<number> {
  return run({
    interrupt,
    args: modules,
    cwd: io.cwd,
    env: io.env,
    chdir: opts.chdir,
    json: opts.json === true,
    x: opts.x === true,
    modcacherw: opts.modcacherw === true,
    modfile: opts.modfile,
    concurrency: opts.concurrency,
    progress: opts.progress === true && io.isTTY,
    goVersion: io.goVersion,
    stdout: io.stdout,
    stderr: io.stderr,
  });
}
