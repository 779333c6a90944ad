/**
 * Credentials for https requests, as go's GOAUTH does them: `netrc`, `git DIR`, user commands, `off`,
 * several separated by `;` (commands in authcmd.ts).
 *
 * Invariants (go 1.26 auth/netrc.go and auth/auth.go):
 * - The netrc file is `$NETRC`, else `$HOME/.netrc` (`_netrc` first on Windows); a missing file means
 *   no credentials.
 * - Parsing: lines split at `\n`, then into white-space fields read in pairs. `machine` starts an entry;
 *   `login` and `password` fill it; an entry is kept once it has all three. `macdef` skips lines up to
 *   the next empty one. A `default` token at a pair boundary stops parsing.
 * - For duplicate machines the *first* entry wins.
 * - Credentials are looked up by the URL without `https://`, then by each shorter `/`-prefix; a netrc
 *   machine is a bare host, so a URL with a port never matches it (as in go).
 * - Only https URLs ever get credentials.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/auth/netrc.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/auth/auth.go
 */
import { GoError } from '../internal/errors.js';
import { readFile as fsReadFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { runAuthCommand, runGitAuth, type AuthResponse } from './authcmd.js';

/** One complete netrc entry. */
export interface NetrcLine {
  readonly machine: string;
  readonly login: string;
  readonly password: string;
}

/**
 * Parses a .netrc file exactly as go does.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/auth/netrc.go (parseNetrc)
 */
export function parseNetrc(data: string): NetrcLine[] {
  const out: NetrcLine[] = [];
  let cur = { machine: '', login: '', password: '' };
  let inMacro = false;
  for (const line of data.split('\n')) {
    if (inMacro) {
      if (line === '') inMacro = false;
      continue;
    }
    const f = line.split(/[\t\n\v\f\r \u0085\u00a0]+/).filter((s) => s !== '');
    let i = 0;
    for (; i < f.length - 1; i += 2) {
      switch (f[i]) {
        case 'machine': cur = { machine: f[i + 1]!, login: '', password: '' }; break;
        case 'login': cur.login = f[i + 1]!; break;
        case 'password': cur.password = f[i + 1]!; break;
        case 'macdef': inMacro = true; break;
        default: break; // `default` inside a pair is ignored, as in go
      }
      if (cur.machine !== '' && cur.login !== '' && cur.password !== '') {
        out.push(cur);
        cur = { machine: '', login: '', password: '' };
      }
    }
    if (i < f.length && f[i] === 'default') break;
  }
  return out;
}

/** Options of {@link GoAuth}. */
export interface GoAuthOptions {
  /** GOAUTH (default `netrc`). */
  readonly GOAUTH: string;
  /** $NETRC, or "". */
  readonly NETRC: string;
  /** $HOME (USERPROFILE on Windows), or "". */
  readonly HOME: string;
  /** The environment GOAUTH commands and `git credential` run with (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly platform?: NodeJS.Platform;
  readonly readFile?: (file: string) => Promise<string>;
  readonly exists?: (file: string) => Promise<boolean>;
}

/** A fatal GOAUTH configuration error (go exits with this text). */
export class GoAuthError extends GoError {
  constructor(message: string) {
    super('EGOAUTH', message);
    this.name = 'GoAuthError';
  }
}

/**
 * The credential store of one run, filled as go's runGoAuth fills it: every GOAUTH method (in reverse
 * order, so the first listed wins) once at the first https request, and again with the URL (and the
 * response) after a 4xx answer. `authorization(url)` returns the `Authorization` header for an https
 * URL (Go string form), or undefined.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/auth/auth.go
 */
export class GoAuth {
  readonly #opts: GoAuthOptions;
  readonly #words: string[];
  readonly #store = new Map<string, string>();
  #initial: Promise<void> | undefined;

  constructor(opts: GoAuthOptions) {
    this.#opts = opts;
    const words = opts.GOAUTH.split(';').map((c) => c.trim());
    for (const w of words) {
      if (w === '') throw new GoAuthError(`GOAUTH encountered an empty command (GOAUTH=${opts.GOAUTH})`);
      if (w === 'off' && words.length !== 1) {
        throw new GoAuthError(`GOAUTH=off cannot be combined with other authentication commands (GOAUTH=${opts.GOAUTH})`);
      }
    }
    this.#words = words;
  }

  /** The netrc path go would read. */
  async netrcPath(): Promise<string | undefined> {
    const { NETRC, HOME, platform = process.platform } = this.#opts;
    if (NETRC !== '') return NETRC;
    if (HOME === '') return undefined;
    const p = platform === 'win32' ? path.win32 : path.posix;
    if (platform === 'win32') {
      const legacy = p.join(HOME, '_netrc');
      const exists = this.#opts.exists ?? (async (f: string) => fsReadFile(f).then(() => true, () => false));
      if (await exists(legacy)) return legacy;
    }
    return p.join(HOME, '.netrc');
  }

  async #netrc(): Promise<NetrcLine[]> {
    const file = await this.netrcPath();
    if (file === undefined) return [];
    try {
      return parseNetrc(await (this.#opts.readFile ?? ((f: string) => fsReadFile(f, 'utf8')))(file));
    } catch {
      return []; // go ignores a missing netrc and only logs other read errors under -x
    }
  }

  #put(prefix: string, header: string | undefined): void {
    prefix = prefix.replace(/^https:\/\//, '').replace(/\/$/, '');
    if (header === undefined) this.#store.delete(prefix);
    else this.#store.set(prefix, header);
  }

  /** go's runGoAuth: each method, last listed first, so the first listed ends up winning. */
  async #runGoAuth(url: string, res: AuthResponse | undefined): Promise<void> {
    if (this.#opts.GOAUTH === 'off') return;
    const env = this.#opts.env ?? process.env;
    for (const command of [...this.#words].reverse()) {
      const words = command.split(/\s+/).filter((w) => w !== '');
      switch (words[0]) {
        case 'netrc': {
          const lines = await this.#netrc();
          for (let i = lines.length - 1; i >= 0; i--) {
            const l = lines[i]!;
            this.#put(l.machine, 'Basic ' + Buffer.from(`${l.login}:${l.password}`).toString('base64'));
          }
          break;
        }
        case 'git': {
          if (words.length !== 2) throw new GoAuthError('GOAUTH=git dir method requires an absolute path to the git working directory');
          const dir = words[1]!;
          if (!path.isAbsolute(dir)) {
            throw new GoAuthError('GOAUTH=git dir method requires an absolute path to the git working directory, dir is not absolute');
          }
          const st = await stat(dir).catch((e: Error) => {
            throw new GoAuthError(`GOAUTH=git encountered an error; cannot stat ${dir}: ${e.message}`);
          });
          if (!st.isDirectory()) throw new GoAuthError('GOAUTH=git dir method requires an absolute path to the git working directory, dir is not a directory');
          if (url === '') break;
          for (const [prefix, h] of await runGitAuth(dir, url, env)) this.#put(prefix, h['Authorization']);
          break;
        }
        default:
          for (const [prefix, h] of await runAuthCommand(command, url, res, env)) this.#put(prefix, h['Authorization']);
      }
    }
  }

  /**
   * The Authorization header for an https URL given in Go's string form, or undefined. With
   * `response` (a 4xx answer to a request for url), the GOAUTH methods run again for that URL first.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/auth/auth.go (AddCredentials, loadCredential)
   */
  async authorization(url: string, response?: AuthResponse): Promise<string | undefined> {
    if (!url.startsWith('https://') || this.#opts.GOAUTH === 'off') return undefined;
    this.#initial ??= this.#runGoAuth('', undefined);
    await this.#initial;
    if (response !== undefined) await this.#runGoAuth(url, response);
    let prefix = url.slice('https://'.length);
    if (prefix.endsWith('/')) prefix = prefix.slice(0, -1);
    for (;;) {
      const h = this.#store.get(prefix);
      if (h !== undefined) return h;
      const slash = prefix.lastIndexOf('/');
      if (slash < 0) return undefined;
      prefix = prefix.slice(0, slash);
    }
  }
}
