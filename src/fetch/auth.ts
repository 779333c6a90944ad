/**
 * Credentials for https requests, as go's GOAUTH does them (the `netrc` and `off` methods).
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
 * @see /usr/local/go/src/cmd/go/internal/auth/netrc.go
 * @see /usr/local/go/src/cmd/go/internal/auth/auth.go
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import * as path from 'node:path';

/** One complete netrc entry. */
export interface NetrcLine {
  readonly machine: string;
  readonly login: string;
  readonly password: string;
}

/**
 * Parses a .netrc file exactly as go does.
 * @see /usr/local/go/src/cmd/go/internal/auth/netrc.go (parseNetrc)
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
  readonly platform?: NodeJS.Platform;
  readonly readFile?: (file: string) => Promise<string>;
  readonly exists?: (file: string) => Promise<boolean>;
}

/** A fatal GOAUTH configuration error (go exits with this text). */
export class GoAuthError extends Error {
  readonly code = 'EGOAUTH';
  constructor(message: string) {
    super(message);
    this.name = 'GoAuthError';
  }
}

/**
 * The credential store of one run. `authorization(url)` returns the `Authorization` header for an
 * https URL (Go string form), or undefined.
 */
export class GoAuth {
  readonly #opts: GoAuthOptions;
  #store: Promise<Map<string, string>> | undefined;
  /** GOAUTH words gomod-dl does not run (`git`, custom commands); callers may warn once. */
  readonly unsupported: readonly string[];

  constructor(opts: GoAuthOptions) {
    this.#opts = opts;
    const words = opts.GOAUTH.split(';').map((c) => c.trim());
    for (const w of words) {
      if (w === '') throw new GoAuthError(`GOAUTH encountered an empty command (GOAUTH=${opts.GOAUTH})`);
      if (w === 'off' && words.length !== 1) {
        throw new GoAuthError(`GOAUTH=off cannot be combined with other authentication commands (GOAUTH=${opts.GOAUTH})`);
      }
    }
    this.unsupported = words.filter((w) => w !== 'off' && w !== 'netrc');
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

  #load(): Promise<Map<string, string>> {
    this.#store ??= (async () => {
      const store = new Map<string, string>();
      if (this.#opts.GOAUTH === 'off' || !this.#opts.GOAUTH.split(';').some((w) => w.trim() === 'netrc')) {
        return store;
      }
      const file = await this.netrcPath();
      if (file === undefined) return store;
      let data: string;
      try {
        data = await (this.#opts.readFile ?? ((f: string) => fsReadFile(f, 'utf8')))(file);
      } catch {
        return store; // go ignores a missing netrc and only logs other read errors under -x
      }
      // Reverse order so the first entry for a machine is the one kept.
      for (const l of parseNetrc(data).reverse()) {
        store.set(l.machine, 'Basic ' + Buffer.from(`${l.login}:${l.password}`).toString('base64'));
      }
      return store;
    })();
    return this.#store;
  }

  /**
   * The Authorization header for an https URL given in Go's string form, or undefined.
   * @see /usr/local/go/src/cmd/go/internal/auth/auth.go (loadCredential)
   */
  async authorization(url: string): Promise<string | undefined> {
    if (!url.startsWith('https://')) return undefined;
    const store = await this.#load();
    let prefix = url.slice('https://'.length);
    if (prefix.endsWith('/')) prefix = prefix.slice(0, -1);
    for (;;) {
      const h = store.get(prefix);
      if (h !== undefined) return h;
      const slash = prefix.lastIndexOf('/');
      if (slash < 0) return undefined;
      prefix = prefix.slice(0, slash);
    }
  }
}
