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
import { GoError } from '../internal/errors.js';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { redactUrls } from './redact.js';

/** A failed command, worded as go's codehost.RunError. */
export class RunError extends GoError {
  helpText = '';
  constructor(
    readonly cmd: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly errText: string,
  ) {
    super('EGITRUN', '');
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

/** What one finished command gave back. */
interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  error?: { code?: string; message: string };
}

const SPAWNER = fileURLToPath(new URL('./spawner.js', import.meta.url));

/**
 * Runs commands in the helper process of spawner.ts (one per GitRunner), falling back to spawning
 * here when the helper cannot start.
 */
class Spawner {
  #child: ChildProcess | undefined;
  #broken = false;
  #next = 0;
  /** Requests sent to the helper and not answered yet, kept to be run here if the helper dies. */
  readonly #pending = new Map<number, { resolve: (o: Outcome) => void; retry: () => Promise<Outcome> }>();

  run(args: readonly string[], cwd: string | undefined, env: Record<string, string>, stdin?: Uint8Array): Promise<Outcome> {
    const child = this.#start();
    if (child === undefined) return spawnHere(args, cwd, env, stdin);
    const id = this.#next++;
    return new Promise<Outcome>((resolve) => {
      this.#pending.set(id, { resolve, retry: () => spawnHere(args, cwd, env, stdin) });
      if (this.#pending.size === 1) {
        child.ref();
        (child.channel as { ref?: () => void } | undefined)?.ref?.();
      }
      child.send({ id, args, cwd, env, ...(stdin !== undefined ? { stdin } : {}) });
    });
  }

  #start(): ChildProcess | undefined {
    if (this.#broken) return undefined;
    if (this.#child !== undefined) return this.#child;
    try {
      const child = fork(SPAWNER, ['--gomod-dl-spawner'], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] });
      child.on('message', (m: Outcome & { id: number }) => {
        const p = this.#pending.get(m.id);
        this.#pending.delete(m.id);
        if (this.#pending.size === 0) this.#idle();
        p?.resolve(m);
      });
      child.on('exit', () => {
        this.#broken = true;
        this.#child = undefined;
        // A helper that could not start (or died) leaves its requests unanswered: they run here
        // instead, as every later one will.
        for (const p of this.#pending.values()) void p.retry().then(p.resolve);
        this.#pending.clear();
      });
      this.#child = child;
      this.#idle();
      return child;
    } catch {
      this.#broken = true;
      return undefined;
    }
  }

  /** An idle helper does not keep gomod-dl alive. */
  #idle(): void {
    this.#child?.unref();
    (this.#child?.channel as { unref?: () => void } | undefined)?.unref?.();
  }
}

function spawnHere(args: readonly string[], cwd: string | undefined, env: Record<string, string>, stdin?: Uint8Array): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    const child = spawn(args[0]!, args.slice(1), { cwd, env, stdio: [stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    if (stdin !== undefined) child.stdin!.end(stdin);
    let failed: NodeJS.ErrnoException | undefined;
    child.on('error', (e: NodeJS.ErrnoException) => (failed = e));
    child.on('close', (code, signal) => resolve({
      code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err),
      ...(failed !== undefined ? { error: { ...(failed.code !== undefined ? { code: failed.code } : {}), message: failed.message } } : {}),
    }));
  });
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
  readonly #spawner = new Spawner();

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
      const o = await this.#spawner.run(args, opts.dir !== '' ? opts.dir : undefined, { ...this.#env, ...opts.env }, opts.stdin);
      if (o.error !== undefined && o.code === null) {
        const what = o.error.code === 'ENOENT' ? `exec: "${args[0]}": executable file not found in $PATH` : o.error.message;
        throw new RunError(`${args.join(' ')} in ${opts.dir}`, null, '', what);
      }
      if (o.code === 0) return Buffer.from(o.stdout);
      const why = o.signal !== null ? `signal: ${o.signal === 'SIGKILL' ? 'killed' : o.signal}` : `exit status ${o.code}`;
      throw new RunError(`${args.join(' ')} in ${opts.dir}`, o.code, Buffer.from(o.stderr).toString('utf8'), why);
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
