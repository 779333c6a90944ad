/**
 * The GOAUTH methods that run programs: `git DIR` (`git credential fill` in DIR) and any other word
 * list, a user command whose output maps URL prefixes to HTTP headers.
 *
 * Invariants (go 1.26 auth/gitauth.go, auth/userauth.go):
 * - A command is split as cmd/internal/quoted splits (spaces; '…' or "…" around whole words) and run
 *   with no argument at start-up, then with the URL after a 4xx answer, the response's status line
 *   and headers on stdin (`HTTP/1.1 401 Unauthorized`, `Key: v1, v2` lines, an empty line).
 * - Its output is blocks of: URL lines, an empty line, `Name: value` header lines, an empty line.
 *   A malformed output or a failing command gives no credentials (go logs why under -x).
 * - `git credential fill` gets `url=<URL>\n`; its protocol/host/path (or url) must be a prefix of the
 *   URL; the credential is Basic username:password for that prefix.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/auth/userauth.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/auth/gitauth.go
 */
import { GoError } from '../internal/errors.js';
import { spawn } from 'node:child_process';

/** The response a retry is about (go writes it to the command's stdin). */
export interface AuthResponse {
  /** e.g. `401 Unauthorized`. */
  readonly status: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Header values by URL prefix (without `https://`, no trailing slash). */
export type Credentials = Map<string, Record<string, string>>;

/** cmd/internal/quoted.Split. @throws Error `unterminated ' string` */
export function splitQuoted(s: string): string[] {
  const f: string[] = [];
  let i = 0;
  const space = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  while (i < s.length) {
    while (i < s.length && space(s[i]!)) i++;
    if (i >= s.length) break;
    if (s[i] === '"' || s[i] === "'") {
      const q = s[i]!;
      const end = s.indexOf(q, i + 1);
      if (end < 0) throw new GoError('EGOAUTHQUOTE', `unterminated ${q} string`);
      f.push(s.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < s.length && !space(s[j]!)) j++;
    f.push(s.slice(i, j));
    i = j;
  }
  return f;
}

function run(args: string[], opts: { cwd?: string; env: Record<string, string | undefined>; stdin: string | undefined }): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
    const child = spawn(args[0]!, args.slice(1), { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.on('error', () => resolve({ code: null, stdout: '' }));
    child.on('close', (code) => resolve({ code, stdout: out }));
    child.stdin.on('error', () => {});
    child.stdin.end(opts.stdin ?? '');
  });
}

/** Canonical MIME header key (Go's textproto.CanonicalMIMEHeaderKey for ASCII tokens). */
function canonicalKey(k: string): string {
  return k.toLowerCase().replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
}

function stdinFor(res: AuthResponse | undefined): string | undefined {
  if (res === undefined) return undefined;
  let s = `HTTP/1.1 ${res.status}\n`;
  for (const [k, v] of Object.entries(res.headers)) {
    if (v === undefined) continue;
    s += `${canonicalKey(k)}: ${Array.isArray(v) ? v.join(', ') : v}\n`;
  }
  return s + '\n';
}

/** go's parseUserAuth; undefined for a malformed output. */
export function parseUserAuth(data: string): Credentials | undefined {
  const creds: Credentials = new Map();
  let rest = data;
  const next = (): string | undefined => {
    const nl = rest.indexOf('\n');
    if (nl < 0) return undefined;
    const line = rest.slice(0, nl);
    rest = rest.slice(nl + 1);
    return line;
  };
  while (rest !== '') {
    const urls: string[] = [];
    for (;;) {
      const line = next();
      if (line === undefined) return undefined;
      if (line === '') break;
      if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s]*$|^\/[^\s]*$/.test(line)) return undefined;
      urls.push(line);
    }
    const header: Record<string, string> = {};
    for (;;) {
      const line = next();
      if (line === undefined) return undefined;
      if (line === '') break;
      const i = line.indexOf(': ');
      if (i <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(line.slice(0, i))) return undefined;
      const key = canonicalKey(line.slice(0, i));
      const value = line.slice(i + 2).trim();
      header[key] = header[key] !== undefined ? `${header[key]}, ${value}` : value;
    }
    for (const u of urls) creds.set(u.replace(/^https:\/\//, '').replace(/\/$/, ''), { ...header });
  }
  return creds;
}

/** Runs a GOAUTH user command; its credentials, or none when it fails. */
export async function runAuthCommand(command: string, url: string, res: AuthResponse | undefined,
  env: Record<string, string | undefined>): Promise<Credentials> {
  let words: string[];
  try {
    words = splitQuoted(command);
  } catch {
    return new Map();
  }
  const out = await run(url !== '' ? [...words, url] : words, { env, stdin: stdinFor(res) });
  if (out.code !== 0) return new Map();
  return parseUserAuth(out.stdout) ?? new Map();
}

/** `git credential fill` in dir for url: the prefix and its Authorization header, or undefined. */
export async function runGitAuth(dir: string, url: string, env: Record<string, string | undefined>): Promise<Credentials> {
  const out = await run(['git', 'credential', 'fill'], { cwd: dir, env: { ...env, GIT_TERMINAL_PROMPT: env['GIT_TERMINAL_PROMPT'] ?? '0' }, stdin: `url=${url}\n` });
  if (out.code !== 0) return new Map();
  let scheme = '';
  let host = '';
  let path = '';
  let full: string | undefined;
  let username = '';
  let password = '';
  for (const raw of out.stdout.split('\n')) {
    const line = raw.trim();
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const [k, v] = [line.slice(0, eq), line.slice(eq + 1)];
    if (k === 'protocol') scheme = v;
    else if (k === 'host') host = v;
    else if (k === 'path') path = v;
    else if (k === 'username') username = v;
    else if (k === 'password') password = v;
    else if (k === 'url') full = v;
  }
  const prefix = full ?? `${scheme !== '' ? scheme + ':' : ''}${host !== '' ? '//' + host : ''}${path !== '' ? (path.startsWith('/') ? path : '/' + path) : ''}`;
  if (prefix === '' || !url.startsWith(prefix)) return new Map();
  const header = { Authorization: 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64') };
  return new Map([[prefix.replace(/^https:\/\//, '').replace(/\/$/, ''), header]]);
}
