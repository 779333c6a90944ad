import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadGoEnv } from '../../src/config/index.js';
import { GoAuth, parseNetrc } from '../../src/fetch/auth.js';
import type { FetchEvent } from '../../src/fetch/events.js';
import { Fetcher } from '../../src/fetch/fetcher.js';
import { HttpClient } from '../../src/fetch/http.js';
import { fileProxyUrl, parseJsonStream, requireGo, runGo } from '../support/gorun.js';
import { rmrf } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const M = 'example.com/m';
const INFO = '{"Version":"v1.0.0","Time":"2023-01-02T03:04:05Z"}';
const work = mkdtempSync(join(tmpdir(), 'fetch-http-'));
const goRoots: string[] = [];
let server: Server;
let base = '';
let cert = '';
const seen: { path: string; auth: string | undefined }[] = [];
let handler: (req: IncomingMessage, res: ServerResponse) => void = () => {};

before(async () => {
  // A throw-away self-signed certificate for 127.0.0.1; go trusts it through SSL_CERT_FILE.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(work, 'key.pem'), '-out', join(work, 'cert.pem')],
  { stdio: 'ignore' });
  cert = await readFile(join(work, 'cert.pem'), 'utf8');
  server = createServer({ key: await readFile(join(work, 'key.pem')), cert }, (req, res) => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.close();
  for (const r of [...goRoots, work]) {
    await rmrf(r); // retries a lingering writer itself; go roots have telemetry off
  }
});

async function goStat(goproxy: string, env: Record<string, string> = {}): Promise<{ error?: string; stderr: string }> {
  requireGo();
  seen.length = 0;
  const r = await runGo(['mod', 'download', '-x', '-json', `${M}@v1.0.0`],
    { proxy: goproxy, env: { SSL_CERT_FILE: join(work, 'cert.pem'), ...env } });
  goRoots.push(r.root);
  return { error: parseJsonStream<{ Error?: string }>(r.stdout)[0]?.Error, stderr: r.stderr };
}

async function ourStat(goproxy: string, env: Record<string, string> = {}) {
  seen.length = 0;
  const events: FetchEvent[] = [];
  const goenv = await loadGoEnv({ env: { HOME: '/nonexistent', GOPROXY: goproxy, ...env }, cwd: '/' });
  const http = new HttpClient({
    ca: cert, trace: (e) => events.push(e),
    auth: new GoAuth({ GOAUTH: goenv.GOAUTH, NETRC: goenv.NETRC, HOME: goenv.HOME }),
  });
  const f = new Fetcher({ env: goenv, http, trace: (e) => events.push(e), sleep: async () => {}, retry: { attempts: 1 } });
  try {
    await f.lookup(M).stat('v1.0.0');
    return { error: undefined, events };
  } catch (e) {
    return { error: (e as Error).message, events };
  } finally {
    await http.close();
  }
}

/** go's `# get` lines with the timing removed, in order. */
const getLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('# get '))
  .map((l) => l.replace(/ \(\d+\.\d{3}s\)$/, ''));
const ourLines = (events: FetchEvent[]) => events.flatMap((e) => e.kind === 'get' ? [`# get ${e.url}`]
  : e.kind === 'got' ? [`# get ${e.url}: ${e.status}`] : e.kind === 'get-error' ? [`# get ${e.url}: ${e.error}`] : []);

const serveInfo = (req: IncomingMessage, res: ServerResponse) => {
  if (req.url === `/${M}/@v/v1.0.0.info`) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(INFO);
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }
};

test('netrc credentials are sent to https proxies (machine with port, as go matches it); -x lines match go', async (t) => {
  const dir = tempDir(t);
  const port = new URL(base).port;
  await writeFile(join(dir, 'netrc'), `machine other.example login x password y\nmachine 127.0.0.1:${port}\n  login alice password s3cret\n`);
  handler = (req, res) => {
    if (req.headers.authorization === undefined) res.writeHead(401, { 'content-type': 'text/plain' }).end('auth\n');
    else serveInfo(req, res);
  };
  const env = { GOAUTH: 'netrc', NETRC: join(dir, 'netrc') };
  const go = await goStat(base, env);
  const goSeen = seen.slice();
  const ours = await ourStat(base, env);
  const basic = 'Basic ' + Buffer.from('alice:s3cret').toString('base64');
  assert.equal(ours.error, undefined);
  assert.equal(seen[0]?.auth, basic);
  assert.equal(goSeen.find((s) => s.path.endsWith('.info'))?.auth, basic);
  assert.deepEqual(ourLines(ours.events), getLines(go.stderr).slice(0, ourLines(ours.events).length));
});

test('a 4xx from an https proxy is asked once more (GOAUTH rule), and the error matches go', async () => {
  handler = (_req, res) => res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('forbidden: no access\n');
  const go = await goStat(base);
  const goCount = seen.length;
  const ours = await ourStat(base);
  assert.equal(ours.error, go.error);
  assert.equal(seen.length, goCount);
  assert.equal(seen.length, 2);
});

test('URL passwords are redacted as xxxxx in errors and -x lines, as go does', async () => {
  handler = (_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('nope\n');
  const proxy = base.replace('https://', 'https://bob:hunter2@');
  const go = await goStat(proxy);
  const ours = await ourStat(proxy);
  assert.equal(ours.error, go.error);
  assert.match(ours.error ?? '', /bob:xxxxx@/);
  assert.ok(!JSON.stringify(ours.events).includes('hunter2'));
  assert.deepEqual(ourLines(ours.events), getLines(go.stderr));
});

test('an https proxy redirecting to http is refused with go\'s message', async () => {
  handler = (_req, res) => res.writeHead(302, { location: `http://127.0.0.1:9/${M}/@v/v1.0.0.info` }).end();
  const go = await goStat(base);
  const ours = await ourStat(base);
  assert.ok(go.error?.includes('redirected from secure URL'));
  assert.equal(ours.error, go.error);
});

test('an http proxy URL with credentials is refused with go\'s message and -x line', async () => {
  const proxy = 'http://u:p@127.0.0.1:9';
  const go = await goStat(proxy);
  const ours = await ourStat(proxy);
  assert.equal(ours.error, go.error);
  assert.deepEqual(ourLines(ours.events), getLines(go.stderr));
});

test('gzip-encoded answers are decoded', async () => {
  handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(INFO));
  const ours = await ourStat(base);
  assert.equal(ours.error, undefined);
});

test('file:// proxies: missing files are not-exist (fall through), errors match go, no -x lines', async (t) => {
  const dir = tempDir(t);
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  await mkdir(join(b, M, '@v'), { recursive: true });
  await mkdir(a);
  await writeFile(join(b, M, '@v', 'v1.0.0.info'), INFO);
  const go = await goStat(fileProxyUrl(a));
  const ours = await ourStat(fileProxyUrl(a));
  assert.equal(ours.error, go.error);
  assert.deepEqual(ours.events, []);
  // Through a then b, the .info comes from b: go then fails on b's missing .mod, we stop after stat.
  const go2 = await goStat(`${fileProxyUrl(a)},${fileProxyUrl(b)}`);
  const ours2 = await ourStat(`${fileProxyUrl(a)},${fileProxyUrl(b)}`);
  assert.equal(ours2.error, undefined);
  assert.match(go2.error ?? '', /\/b\/example\.com\/m\/@v\/v1\.0\.0\.mod: no such file or directory$/);
  assert.deepEqual(ours2.events.filter((e) => e.kind !== 'fallback'), []);
});

test('parseNetrc: pairs, macdef, default, first entry wins for a machine', async () => {
  const data = 'machine a.example login u1 password p1\nmacdef init\nmachine evil.example login x password y\n\n' +
    'machine b.example\nlogin u2\npassword p2 machine a.example login u3 password p3\n' +
    'machine c.example login only\ndefault login d password d\nmachine late.example login l password l\n' +
    'default\nmachine never.example login n password n\n';
  // `default` stops parsing only where a key is expected with no value after it (go's pair loop).
  assert.deepEqual(parseNetrc(data).map((l) => `${l.machine}:${l.login}`),
    ['a.example:u1', 'b.example:u2', 'a.example:u3', 'late.example:l']);
  const auth = new GoAuth({ GOAUTH: 'netrc', NETRC: '/n', HOME: '', readFile: async () => data });
  assert.equal(await auth.authorization('https://a.example/x/y'), 'Basic ' + Buffer.from('u1:p1').toString('base64'));
  assert.equal(await auth.authorization('http://a.example/x'), undefined);
  assert.equal(await auth.authorization('https://a.example:443/x'), undefined);
  const off = new GoAuth({ GOAUTH: 'off', NETRC: '/n', HOME: '', readFile: async () => data });
  assert.equal(await off.authorization('https://a.example/x'), undefined);
  assert.throws(() => new GoAuth({ GOAUTH: 'netrc;off', NETRC: '', HOME: '' }), /cannot be combined/);
});
