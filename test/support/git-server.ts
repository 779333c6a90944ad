// A hermetic git host for direct-mode tests: git repositories created at test time with fixed dates
// (stable hashes), `?go-get=1` discovery with go-import meta tags, git's smart HTTP protocol through
// `git http-backend` as a CGI, and an HTTP forward proxy that refuses CONNECT.
//
// Both go and gomod-dl reach module paths on the fake host `git.example.test` through this server set
// as HTTP_PROXY / http_proxy / HTTPS_PROXY: their https attempt fails at once (CONNECT refused) and,
// with GOINSECURE=git.example.test, they fall back to http, which the proxy answers itself.
import { spawn, execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdirSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';

/** The fake host every test module lives on. */
export const GIT_HOST = 'git.example.test';

/** A file of a commit: text, bytes, an executable file, a symlink, or null to delete it. */
export type FileSpec = string | Uint8Array | { exec: string } | { symlink: string } | null;

/** One commit: the files it writes (other files stay as they were), its tags, its branch. */
export interface CommitSpec {
  files: Record<string, FileSpec>;
  tags?: string[];
  /** Annotated tags (`git tag -a`). */
  annotated?: string[];
  /** Commit on this branch (created from the current HEAD if new); default `main`. */
  branch?: string;
  message?: string;
}

/** What a discovery request for an import path gets. */
export interface DiscoveryRule {
  /** The go-import content, e.g. `git.example.test/a git http://git.example.test/repo/a`. */
  imports?: string[];
  status?: number;
  /** text/plain body of a non-200 answer. */
  body?: string;
  /** Answer 401 unless the request carries this Authorization header. */
  requireAuth?: string;
}

export interface GitServer {
  /** `http://127.0.0.1:<port>`: the proxy address for HTTP_PROXY. */
  readonly url: string;
  readonly reposDir: string;
  /** The environment both tools need (proxy variables, GOINSECURE, GOPRIVATE, GOPROXY=direct...). */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  /** Creates repository `name` (served at http://git.example.test/repo/<name>) and returns commit hashes. */
  createRepo(name: string, commits: CommitSpec[]): string[];
  /** Adds commits to an existing repository. */
  addCommits(name: string, commits: CommitSpec[]): string[];
  /** Discovery for `path?go-get=1` (the exact import path asked). */
  setDiscovery(path: string, rule: DiscoveryRule): void;
  /** Repositories that need `Authorization: Basic base64(user:pass)`. */
  protectRepo(name: string, user: string, pass: string): void;
  /** CONNECT `host:port` is tunnelled to 127.0.0.1:`port` (other CONNECTs are refused). */
  tunnel(hostPort: string, port: number): void;
  /** Handles requests whose path starts with a prefix (e.g. a module proxy at `/proxy/`). */
  route(prefix: string, handler: (req: IncomingMessage, res: ServerResponse) => void): void;
  readonly requests: { method: string; url: string; status: number; auth?: string | undefined }[];
  close(): Promise<void>;
}

/** A fixed date for commit number i (one day apart from 2024-01-01). */
function commitDate(i: number): string {
  return `${1704103200 + i * 86400} +0000`;
}

function git(dir: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, {
    cwd: dir,
    env: {
      PATH: process.env['PATH'] ?? '', HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Gopher', GIT_AUTHOR_EMAIL: 'gopher@example.test', GIT_COMMITTER_NAME: 'Gopher',
      GIT_COMMITTER_EMAIL: 'gopher@example.test', ...env,
    },
    encoding: 'utf8',
  }).trim();
}

/** Starts the server; close it with `close()`. */
export async function startGitServer(root: string): Promise<GitServer> {
  const reposDir = join(root, 'repos');
  const work = join(root, 'work');
  mkdirSync(reposDir, { recursive: true });
  mkdirSync(work, { recursive: true });
  const discovery = new Map<string, DiscoveryRule>();
  const protectedRepos = new Map<string, string>();
  const routes: [string, (req: IncomingMessage, res: ServerResponse) => void][] = [];
  const requests: GitServer['requests'] = [];
  const commitCount = new Map<string, number>();
  const tunnels = new Map<string, number>();

  function commit(name: string, commits: CommitSpec[]): string[] {
    const wt = join(work, name);
    const hashes: string[] = [];
    for (const c of commits) {
      const branch = c.branch ?? 'main';
      const current = git(wt, ['symbolic-ref', '--short', 'HEAD']);
      if (current !== branch) {
        const exists = git(wt, ['branch', '--list', branch]) !== '';
        git(wt, exists ? ['checkout', '-q', branch] : ['checkout', '-q', '-b', branch]);
      }
      for (const [p, spec] of Object.entries(c.files)) {
        const f = join(wt, p);
        rmSync(f, { force: true });
        if (spec === null) continue;
        mkdirSync(dirname(f), { recursive: true });
        if (typeof spec === 'string' || spec instanceof Uint8Array) writeFileSync(f, spec);
        else if ('exec' in spec) {
          writeFileSync(f, spec.exec);
          chmodSync(f, 0o755);
        } else symlinkSync(spec.symlink, f);
      }
      const n = commitCount.get(name) ?? 0;
      commitCount.set(name, n + 1);
      const dates = { GIT_AUTHOR_DATE: commitDate(n), GIT_COMMITTER_DATE: commitDate(n) };
      git(wt, ['add', '-A']);
      git(wt, ['commit', '-q', '--allow-empty', '-m', c.message ?? `commit ${n}`], dates);
      for (const tag of c.tags ?? []) git(wt, ['tag', tag]);
      for (const tag of c.annotated ?? []) git(wt, ['tag', '-a', '-m', tag, tag], dates);
      hashes.push(git(wt, ['rev-parse', 'HEAD']));
    }
    git(wt, ['push', '-q', '--force', '--all', join(reposDir, name)]);
    git(wt, ['push', '-q', '--force', '--tags', join(reposDir, name)]);
    git(join(reposDir, name), ['symbolic-ref', 'HEAD', 'refs/heads/main']);
    return hashes;
  }

  const server: Server = createServer((req, res) => {
    const rec: GitServer['requests'][number] = { method: req.method ?? '', url: req.url ?? '', status: 0, auth: req.headers.authorization };
    requests.push(rec);
    res.on('finish', () => (rec.status = res.statusCode));
    const u = new URL(req.url ?? '/', `http://${req.headers.host ?? GIT_HOST}`);
    for (const [prefix, h] of routes) if (u.pathname.startsWith(prefix)) return h(req, res);
    if (u.searchParams.get('go-get') === '1') return serveDiscovery(`${u.host}${u.pathname}`.replace(/\/$/, ''), req, res);
    const m = /^\/repo\/([^/]+)(\/.*)$/.exec(u.pathname);
    if (m === null) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const need = protectedRepos.get(m[1]!);
    if (need !== undefined && req.headers.authorization !== need) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="git"', 'content-type': 'text/plain' }).end('authentication required\n');
      return;
    }
    serveGit(m[1]!, m[2]!, u.search.slice(1), req, res);
  });
  server.on('connect', (req, socket) => {
    const port = tunnels.get(req.url ?? '');
    if (port === undefined) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });

  function serveDiscovery(path: string, req: IncomingMessage, res: ServerResponse): void {
    const rule = discovery.get(path);
    if (rule === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no such path ${path}\n`);
      return;
    }
    if (rule.requireAuth !== undefined && req.headers.authorization !== rule.requireAuth) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('credentials required\n');
      return;
    }
    if (rule.status !== undefined && rule.status !== 200) {
      res.writeHead(rule.status, { 'content-type': 'text/plain' }).end(rule.body ?? '');
      return;
    }
    const metas = (rule.imports ?? []).map((c) => `<meta name="go-import" content="${c}">`).join('\n');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!DOCTYPE html>\n<html><head>\n${metas}\n</head><body>go get</body></html>\n`);
  }

  function serveGit(name: string, rest: string, query: string, req: IncomingMessage, res: ServerResponse): void {
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env['PATH'] ?? '', GIT_PROJECT_ROOT: reposDir, GIT_HTTP_EXPORT_ALL: '1', GIT_CONFIG_NOSYSTEM: '1',
        HOME: root, REQUEST_METHOD: req.method ?? 'GET', PATH_INFO: `/${name}${rest}`, QUERY_STRING: query,
        CONTENT_TYPE: req.headers['content-type'] ?? '', REMOTE_ADDR: '127.0.0.1', GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
      },
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (c: Buffer) => chunks.push(c));
    cgi.on('close', () => {
      const out = Buffer.concat(chunks);
      const sep = out.indexOf('\r\n\r\n');
      const head = out.subarray(0, sep).toString('latin1');
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.split('\r\n')) {
        const i = line.indexOf(':');
        if (i < 0) continue;
        const k = line.slice(0, i).toLowerCase();
        const v = line.slice(i + 1).trim();
        if (k === 'status') status = parseInt(v, 10);
        else headers[k] = v;
      }
      res.writeHead(status, headers).end(out.subarray(sep + 4));
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    reposDir,
    requests,
    env: (extra = {}) => ({
      HTTP_PROXY: url, http_proxy: url, HTTPS_PROXY: url, https_proxy: url, NO_PROXY: '', no_proxy: '',
      GOPROXY: 'direct', GOINSECURE: GIT_HOST, GOPRIVATE: GIT_HOST, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1',
      ...extra,
    }),
    createRepo(name, commits) {
      const wt = join(work, name);
      mkdirSync(wt, { recursive: true });
      git(wt, ['init', '-q', '-b', 'main']);
      git(reposDir, ['init', '-q', '--bare', name]);
      return commit(name, commits);
    },
    addCommits: commit,
    setDiscovery: (path, rule) => void discovery.set(path, rule),
    protectRepo: (name, user, pass) => void protectedRepos.set(name, 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64')),
    route: (prefix, handler) => void routes.push([prefix, handler]),
    tunnel: (hostPort, port) => void tunnels.set(hostPort, port),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The go-import line for a repository served by this server. */
export function goImport(prefix: string, repo: string, subdir?: string): string {
  return `${prefix} git http://${GIT_HOST}/repo/${repo}${subdir !== undefined ? ' ' + subdir : ''}`;
}
