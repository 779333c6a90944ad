/**
 * Running the `git` binary as go's codehost.Run does: one command at a time per repository
 * directory, stdout captured, and on failure a RunError whose text is go's
 * (`<cmd> in <dir>: exit status N:\n\t<stderr lines>`).
 *
 * Invariants:
 * - The environment is the run's environment plus `GIT_TERMINAL_PROMPT=0` and `GCM_INTERACTIVE=never`
 *   unless the user set them (go's modload.Init), plus per-command extras such as `GIT_DIR`.
 * - `-x` lines are go's: `cd DIR; git ARGS` before and `0.012s # cd DIR; git ARGS` after, with go's
 *   quoting of arguments; credentials in URLs are redacted (go prints them; gomod-dl never does).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/codehost/codehost.go (run, RunError)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (GIT_TERMINAL_PROMPT)
 */
import { spawn } from 'node:child_process';
import { redactUrls } from './redact.js';

/** A failed command, worded as go's codehost.RunError. */
export class RunError extends Error {
  readonly code = 'EGITRUN';
  helpText = '';
  constructor(
    readonly cmd: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly errText: string,
  ) {
    super('');
    this.name = 'RunError';
    this.message = this.text();
  }

  /** Re-renders the message (after helpText is set). */
  text(): string {
    let t = `${this.cmd}: ${this.errText}`;
    const s = this.stderr.replace(/\n+$/, '');
    if (s !== '') t += ':\n\t' + s.replaceAll('\n', '\n\t');
    t = redactUrls(t);
    return this.helpText !== '' ? `${t}\n${this.helpText}` : t;
  }

  setHelp(help: string): void {
    this.helpText = help;
    this.message = this.text();
  }
}

/** Receives `-x` lines (with their newline). */
export type CommandTrace = (line: string) => void;

/** Options of one command. */
export interface RunOptions {
  readonly dir: string;
  readonly env?: Record<string, string>;
  readonly stdin?: Uint8Array;
}

/** The git runner of one run: environment, trace and per-directory serialisation. */
export class GitRunner {
  readonly #env: Record<string, string>;
  readonly #trace: CommandTrace | undefined;
  readonly #busy = new Map<string, Promise<unknown>>();

  constructor(env: Readonly<Record<string, string | undefined>>, trace?: CommandTrace) {
    const e: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) if (v !== undefined) e[k] = v;
    e['GIT_TERMINAL_PROMPT'] ??= '0';
    if (e['GIT_TERMINAL_PROMPT'] === '') e['GIT_TERMINAL_PROMPT'] = '0';
    if ((e['GCM_INTERACTIVE'] ?? '') === '') e['GCM_INTERACTIVE'] = 'never';
    this.#env = e;
    this.#trace = trace;
  }

  /** The environment commands run with (for tests and for git credential helpers). */
  get env(): Readonly<Record<string, string>> {
    return this.#env;
  }

  /**
   * Runs `args` (args[0] is the program) in `dir`, after any command already running there.
   * @returns stdout bytes
   * @throws RunError on a non-zero exit or when the program cannot start
   */
  run(args: readonly string[], opts: RunOptions): Promise<Buffer> {
    const prev = this.#busy.get(opts.dir) ?? Promise.resolve();
    const p = prev.catch(() => undefined).then(() => this.#exec(args, opts));
    this.#busy.set(opts.dir, p);
    return p;
  }

  async #exec(args: readonly string[], opts: RunOptions): Promise<Buffer> {
    const shown = redactUrls(`${opts.dir !== '' ? `cd ${opts.dir}; ` : ''}${args.map(quoteArg).join(' ')}`);
    const start = performance.now();
    this.#trace?.(`${shown}\n`);
    try {
      return await new Promise<Buffer>((resolve, reject) => {
        const child = spawn(args[0]!, args.slice(1), {
          cwd: opts.dir !== '' ? opts.dir : undefined,
          env: { ...this.#env, ...opts.env },
          stdio: [opts.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout!.on('data', (c: Buffer) => out.push(c));
        child.stderr!.on('data', (c: Buffer) => err.push(c));
        if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
        child.on('error', (e: NodeJS.ErrnoException) => {
          const what = e.code === 'ENOENT' ? `exec: "${args[0]}": executable file not found in $PATH` : e.message;
          reject(new RunError(`${args.join(' ')} in ${opts.dir}`, null, '', what));
        });
        child.on('close', (code, signal) => {
          if (code === 0) resolve(Buffer.concat(out));
          else {
            const why = signal !== null ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}` : `exit status ${code}`;
            reject(new RunError(`${args.join(' ')} in ${opts.dir}`, code, Buffer.concat(err).toString('utf8'), why));
          }
        });
      });
    } finally {
      this.#trace?.(`${((performance.now() - start) / 1000).toFixed(3)}s # ${shown}\n`);
    }
  }
}

/** go's quoting of one argument in -x lines. */
export function quoteArg(arg: string): string {
  if (arg.includes("'")) return '"' + arg.replace(/["$`\\]/g, (c) => '\\' + c) + '"';
  if (/[$`\\*?["\t\n\v\f\r \u0085\u00a0]/.test(arg)) return `'${arg}'`;
  return arg;
}
