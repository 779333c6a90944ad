/**
 * gomod-dl's subcommands (`verify`, `export`, `env`): the first argument names one, the rest are its
 * flags and arguments, parsed with commander after Go spellings are normalised (as for the download
 * command in main.ts). Kept apart from main.ts so the download command's flags and help stay its own.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { envCommand } from '../commands/env.js';
import { exportCommand } from '../commands/export.js';
import { verifyCommand } from '../commands/verify.js';
import type { Interrupt } from '../session.js';
import { handleSignals } from './signals.js';
import { normalizeArgv, UsageError } from './argv.js';
import type { MainIO } from './main.js';
import { hostPlatform } from '../resolve/toolchain.js';

/** Usage lines, one per subcommand (main.ts's --help lists them). */
export const SUBCOMMAND_USAGE: Readonly<Record<string, string>> = {
  verify: 'gomod-dl verify [-C dir] [-x] [--cache] [--repair] [-modcacherw] [-modfile file]',
  export: 'gomod-dl export [-C dir] [-x] [-j N] [-modfile file] [--offline-complete] [--toolchain [GOOS/GOARCH]] DIR [modules]',
  env: 'gomod-dl env [-C dir] [-json] [NAME...]',
};

/** Whether `argv` starts with a subcommand's name. */
export function isSubcommand(argv: readonly string[]): boolean {
  return argv.length > 0 && Object.hasOwn(SUBCOMMAND_USAGE, argv[0]!);
}

function command(name: string, io: MainIO): Command {
  return new Command(`gomod-dl ${name}`)
    .usage(SUBCOMMAND_USAGE[name]!.slice(`gomod-dl ${name} `.length))
    .option('-C, --chdir <dir>', 'change to dir before doing anything')
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s), outputError: (s, write) => write(s) });
}

/** Runs `gomod-dl <subcommand> …` and returns the exit status (2 on usage errors). */
export async function runSubcommand(argv: readonly string[], io: MainIO): Promise<number> {
  const name = argv[0]!;
  const base = { cwd: io.cwd, env: io.env, stdout: io.stdout, stderr: io.stderr };
  let action: (() => Promise<number>) | undefined;
  const cmd = command(name, io);
  if (name === 'verify') {
    cmd
      .description('Check the cached modules of the build list (go mod verify), or the whole cache.')
      .option('-x', 'print every request (with --repair)')
      .option('--cache', 'check every module in GOMODCACHE, and leftovers of interrupted writers; no go.mod needed')
      .option('--repair', 're-extract or re-download exactly the damaged modules, and remove leftovers')
      .option('--modcacherw', 'leave re-extracted directories writable')
      .option('--modfile <file>', 'the build list of file instead of go.mod (its sums in file minus .mod plus .sum)')
      .action((opts: { chdir?: string; x?: boolean; cache?: boolean; repair?: boolean; modcacherw?: boolean; modfile?: string }) => {
        action = () => withSignals(io, (interrupt) =>
          verifyCommand({ ...base, chdir: opts.chdir, x: opts.x === true, cache: opts.cache === true, repair: opts.repair === true, modcacherw: opts.modcacherw === true, modfile: opts.modfile, interrupt }));
      });
  } else if (name === 'export') {
    cmd
      .description('Download as gomod-dl [modules] does and write a static GOPROXY tree (with checksum database files) to DIR.')
      .argument('<DIR>', 'the tree to write; files already there are kept')
      .argument('[modules...]', 'module patterns or path@version queries, as for gomod-dl')
      .option('-x', 'print every request')
      .option('-j, --concurrency <n>', 'modules downloaded at once (default: 16)', (v) => Number(v))
      .option('--modcacherw', 'leave extracted module directories writable')
      .option('--modfile <file>', 'the requirements of file instead of go.mod, as for gomod-dl')
      .option('--offline-complete', 'also export the .info files go list -m all needs')
      .option('--toolchain [GOOS/GOARCH]', 'also export the golang.org/toolchain module the go.mod selects', parsePlatform)
      .action((dir: string, modules: string[], opts: { chdir?: string; x?: boolean; concurrency?: number; modcacherw?: boolean; modfile?: string; offlineComplete?: boolean; toolchain?: string | boolean }) => {
        action = () => withSignals(io, (interrupt) =>
          exportCommand({
            ...base,
            interrupt,
            dir,
            modules,
            chdir: opts.chdir,
            json: false,
            x: opts.x === true,
            modcacherw: opts.modcacherw === true,
            modfile: opts.modfile,
            concurrency: opts.concurrency,
            offlineComplete: opts.offlineComplete === true,
            toolchain: toolchainOption(opts.toolchain),
            goVersion: io.goVersion,
          }));
      });
  } else {
    cmd
      .description("Print the Go environment as gomod-dl resolved it, in go env's format.")
      .argument('[NAME...]', 'print only these variables, one value a line')
      .option('--json', 'print a JSON object, as go env -json')
      .action((names: string[], opts: { chdir?: string; json?: boolean }) => {
        action = () => envCommand({ ...base, chdir: opts.chdir, names, json: opts.json === true });
      });
  }
  try {
    cmd.parse(normalizeArgv(argv.slice(1)), { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed') return 0;
      io.stderr(`usage: ${SUBCOMMAND_USAGE[name]}\nRun 'gomod-dl ${name} --help' for details.\n`);
      return 2;
    }
    if (err instanceof UsageError) {
      io.stderr(`gomod-dl ${name}: ${err.message}\nusage: ${SUBCOMMAND_USAGE[name]}\n`);
      return 2;
    }
    throw err;
  }
  return action!();
}

/** Runs a subcommand that writes to the cache with the download run's SIGINT/SIGTERM/SIGHUP handling. */
async function withSignals(io: MainIO, f: (interrupt: Interrupt | undefined) => Promise<number>): Promise<number> {
  const signals = io.signals === true ? handleSignals(io.stderr) : undefined;
  try {
    return await f(signals?.interrupt);
  } finally {
    signals?.dispose();
  }
}

/** `--toolchain` alone means this machine's platform (resolved in the run). */
export function toolchainOption(v: string | boolean | undefined): string | undefined {
  if (v === undefined || v === false) return undefined;
  return v === true ? hostPlatform() : v;
}

/** A --toolchain value: GOOS/GOARCH. */
export function parsePlatform(v: string): string {
  if (!/^[a-z0-9]+\/[a-z0-9]+$/.test(v)) throw new InvalidArgumentError('must be GOOS/GOARCH, such as linux/amd64');
  return v;
}
