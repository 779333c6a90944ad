// Fault tests through the whole pipeline: each transient fault recovers with the number of requests the
// retry policy implies (4 tries at most); each permanent fault gives go's message and exit status and
// leaves nothing go would read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildModule, type BuiltModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy, type FaultRule } from '../support/proxy-server.js';
import { requireGo, runGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { assertSameTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';

const PATH = 'example.com/faulty';
const VERSION = 'v1.0.0';
const ARG = `${PATH}@${VERSION}`;
const ZIP_URL = `/${PATH}/@v/${VERSION}.zip`;

async function store(): Promise<ModuleStore> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 20; i++) files[`pkg/f${i}.go`] = `package pkg\n\n// ${'filler '.repeat(200)}\n`;
  return new ModuleStore().add(await buildModule({ path: PATH, version: VERSION, files }));
}

/** Downloads ARG with `faults` installed and returns the run and the requests made for the zip. */
async function withFaults(t: import('node:test').TestContext, faults: FaultRule[], args = [ARG]) {
  const proxy = await startProxy(await store());
  t.after(() => proxy.close());
  proxy.setFaults(faults);
  const r = await runGomodDl(['-x', ...args], { t, proxy: proxy.url });
  return { r, proxy, zipRequests: proxy.requests.filter((q) => q.path === ZIP_URL).length };
}

/** Asserts that the cache holds nothing of the module's zip or tree (the .info/.mod may be there). */
async function assertNoZipOrTree(gomodcache: string): Promise<void> {
  const dl = join(gomodcache, 'cache/download', PATH, '@v');
  const names = await readdir(dl).catch(() => [] as string[]);
  assert.deepEqual(names.filter((n) => n.includes('.zip') || n.endsWith('.tmp')), [], `left in ${dl}: ${names}`);
  const parent = join(gomodcache, 'example.com');
  const trees = await readdir(parent).catch(() => [] as string[]);
  assert.deepEqual(trees.filter((n) => n.startsWith('faulty@')), [], `trees left: ${trees}`);
}

const transient: Array<[string, FaultRule]> = [
  ['503 Service Unavailable', { url: ZIP_URL, attempt: [1, 2], status: 503 }],
  ['500 Internal Server Error', { url: ZIP_URL, attempt: [1], status: 500 }],
  ['502 Bad Gateway', { url: ZIP_URL, attempt: [1, 2, 3], status: 502 }],
  ['429 with Retry-After: 0', { url: ZIP_URL, attempt: [1], status: 429, headers: { 'retry-after': '0' } }],
  ['408 Request Timeout', { url: ZIP_URL, attempt: [1], status: 408 }],
  ['a connection reset before the headers', { url: ZIP_URL, attempt: [1], resetBeforeHeaders: true }],
  ['a connection reset mid-body', { url: ZIP_URL, attempt: [1, 2], resetAfterBytes: 3000 }],
  ['a body that ends early', { url: ZIP_URL, attempt: [1], truncateAfterBytes: 2000 }],
];

for (const [name, rule] of transient) {
  test(`recovers from ${name} with one request per failure plus one`, { timeout: 60_000 }, async (t) => {
    const { r, zipRequests } = await withFaults(t, [rule]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(zipRequests, (rule.attempt as number[]).length + 1);
    assert.match(r.stderr, /# retry /, 'retries are visible in -x');
  });
}

test('gives up after 4 tries of a persistent 503 and leaves nothing of the zip', { timeout: 60_000 }, async (t) => {
  const { r, zipRequests } = await withFaults(t, [{ url: ZIP_URL, status: 503 }]);
  assert.equal(r.code, 1);
  assert.equal(zipRequests, 4);
  assert.match(r.stderr, /gomod-dl: example\.com\/faulty@v1\.0\.0: reading http:\/\/127\.0\.0\.1:\d+\/example\.com\/faulty\/@v\/v1\.0\.0\.zip: 503 Service Unavailable/);
  await assertNoZipOrTree(r.gomodcache);
});

for (const status of [403, 404, 410]) {
  test(`never retries ${status}: go's message, exit 1, nothing of the zip cached`, async (t) => {
    requireGo(t);
    const proxy = await startProxy(await store());
    t.after(() => proxy.close());
    const rule: FaultRule = { url: ZIP_URL, status, body: `no zip for you (${status})\n`, contentType: 'text/plain; charset=utf-8' };
    proxy.setFaults([rule]);
    const go = await runGo(['mod', 'download', ARG], { t, proxy: proxy.url });
    proxy.reset();
    const ours = await runGomodDl([ARG], { t, proxy: proxy.url });
    assert.equal(proxy.requests.filter((q) => q.path === ZIP_URL).length, 1);
    assert.equal(ours.code, go.code);
    assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: '), go.stderr);
    await assertNoZipOrTree(ours.gomodcache);
    await assertSameTree(ours.gomodcache, go.gomodcache);
  });
}

test('a zip that go.sum rejects is fatal, never retried, and leaves nothing', async (t) => {
  requireGo(t);
  const proxy = await startProxy(await store());
  t.after(() => proxy.close());
  // The true sums first, from a clean download by go.
  const clean = await runGo(['mod', 'download', '-json', ARG], { t, proxy: proxy.url });
  const { Sum, GoModSum } = JSON.parse(clean.stdout) as { Sum: string; GoModSum: string };
  const mod = tempDir(t, 'main');
  await writeFile(join(mod, 'go.mod'), `module example.com/main\n\ngo 1.22\n\nrequire ${PATH} ${VERSION}\n`);
  await writeFile(join(mod, 'go.sum'), `${PATH} ${VERSION} ${Sum}\n${PATH} ${VERSION}/go.mod ${GoModSum}\n`);
  // The proxy now serves other bytes for the same version: a well-formed zip with other content.
  const evil = await buildModule({ path: PATH, version: VERSION, files: { 'evil.go': 'package evil\n' } });
  proxy.setFaults([{ url: ZIP_URL, body: evil.zip, contentType: 'application/zip' }]);
  const go = await runGo(['mod', 'download', ARG], { t, proxy: proxy.url, cwd: mod });
  proxy.reset();
  const ours = await runGomodDl([ARG], { t, proxy: proxy.url, cwd: mod });
  assert.equal(proxy.requests.filter((q) => q.path === ZIP_URL).length, 1);
  assert.match(go.stderr, /SECURITY ERROR/);
  assert.equal(ours.code, go.code);
  assert.equal(ours.stderr, go.stderr);
  await assertNoZipOrTree(ours.gomodcache);
});

for (const offset of [100, 170, 200, 1000]) {
  test(`a zip corrupted at byte ${offset} fails as in go, and leaves nothing`, async (t) => {
    requireGo(t);
    const proxy = await startProxy(await store());
    t.after(() => proxy.close());
    proxy.setFaults([{ url: ZIP_URL, corruptAt: offset }]);
    const go = await runGo(['mod', 'download', ARG], { t, proxy: proxy.url });
    const ours = await runGomodDl([ARG], { t, proxy: proxy.url });
    assert.equal(ours.code, go.code, `go: ${go.stderr}\nours: ${ours.stderr}`);
    assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: ').replaceAll(ours.gomodcache, '$C'),
      go.stderr.replaceAll(go.gomodcache, '$C'));
    if (go.code !== 0) await assertNoZipOrTree(ours.gomodcache);
    await assertSameTree(ours.gomodcache, go.gomodcache);
  });
}

test('a malformed .info is go\'s invalid-response error and is not retried', async (t) => {
  requireGo(t);
  const proxy = await startProxy(await store());
  t.after(() => proxy.close());
  const infoUrl = `/${PATH}/@v/${VERSION}.info`;
  proxy.setFaults([{ url: infoUrl, malformedJson: true }]);
  const go = await runGo(['mod', 'download', ARG], { t, proxy: proxy.url });
  proxy.reset();
  const ours = await runGomodDl([ARG], { t, proxy: proxy.url });
  assert.equal(proxy.requests.filter((q) => q.path === infoUrl).length, 1);
  assert.equal(ours.code, go.code);
  assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: '), go.stderr);
  assert.ok(!existsSync(join(ours.gomodcache, 'cache/download', PATH, '@v', `${VERSION}.info`)));
});

test('redirects are followed, and -x names only the URL that was asked for', async (t) => {
  const proxy = await startProxy(await store());
  t.after(() => proxy.close());
  proxy.setFaults([{ url: ZIP_URL, attempt: [1], redirect: { location: `/~elsewhere${ZIP_URL}`, status: 302 } }]);
  const r = await runGomodDl(['-x', ARG], { t, proxy: proxy.url });
  assert.equal(r.code, 0, r.stderr);
  const zipLines = r.stderr.split('\n').filter((l) => l.includes('.zip'));
  assert.deepEqual(
    zipLines.map((l) => l.replace(/\(\d+\.\d{3}s\)/, '(T)')),
    [`# get ${proxy.url}${ZIP_URL}`, `# get ${proxy.url}${ZIP_URL}: 200 OK (T)`],
  );
});

// Odd answers real proxies and gateways give, read as go's net/http reads them (all against go).
async function sameAsGo(t: import('node:test').TestContext, proxyUrl: string, args = [ARG]) {
  const go = await runGo(['mod', 'download', ...args], { t, proxy: proxyUrl });
  const ours = await runGomodDl(args, { t, proxy: proxyUrl });
  assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: '), go.stderr);
  assert.equal(ours.code, go.code);
  assert.equal(ours.stdout.replaceAll(ours.gomodcache, '$GOMODCACHE'), go.stdout.replaceAll(go.gomodcache, '$GOMODCACHE'));
  await assertSameTree(ours.gomodcache, go.gomodcache);
  return { go, ours };
}

test('a .info whose Time go cannot re-encode (a UTC offset of 24 hours) is go\'s warning, and no .info', async (t) => {
  requireGo(t);
  const proxy = await startProxy(await store());
  t.after(() => proxy.close());
  proxy.setFaults([{ url: `/${PATH}/@v/${VERSION}.info`, body: `{"Version":"${VERSION}","Time":"2023-01-02T03:04:05+24:00"}` }]);
  const { ours } = await sameAsGo(t, proxy.url, ['-json', ARG]);
  assert.equal(ours.code, 0);
  assert.match(ours.stderr, /^gomod-dl: writing stat cache: json: error calling MarshalJSON for type time.Time: /);
  assert.ok(!existsSync(join(ours.gomodcache, 'cache/download', PATH, '@v', `${VERSION}.info`)));
});

test('response headers over 16 KiB are read (go allows 10 MiB): a 404 with a big cookie falls back', async (t) => {
  requireGo(t);
  const proxy = await startProxy(await store());
  t.after(() => proxy.close());
  proxy.setFaults([{ url: /^\/~a\//, status: 404, headers: { 'set-cookie': `s=${'x'.repeat(20_000)}` }, body: 'not found' }]);
  const { ours } = await sameAsGo(t, `${proxy.url}/~a,${proxy.url}/~b`);
  assert.equal(ours.code, 0);
});

// A Location go refuses: another scheme (net/http's send), or one its url.Parse rejects.
for (const [location, want] of [['ftp://127.0.0.1/x.zip', /unsupported protocol scheme "ftp"/], ['http://[::1', /missing '\]' in host/]] as const) {
  test(`a redirect to ${location} is go's error`, async (t) => {
    requireGo(t);
    const proxy = await startProxy(await store());
    t.after(() => proxy.close());
    proxy.setFaults([{ url: ZIP_URL, redirect: { location, status: 302 } }]);
    const { ours } = await sameAsGo(t, proxy.url);
    assert.match(ours.stderr, want);
  });
}

test('a status line without a reason phrase is printed as go prints it', async (t) => {
  requireGo(t);
  const { createServer } = await import('node:net');
  const server = createServer((sock) => {
    sock.once('data', () => sock.end('HTTP/1.1 404\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const { port } = server.address() as import('node:net').AddressInfo;
  const { ours } = await sameAsGo(t, `http://127.0.0.1:${port}`);
  assert.match(ours.stderr, /: 404\n/);
});

// Answers go's net/http reads otherwise than undici's parser, and transport failures, through the whole
// pipeline against go (test/fetch/rawanswers.test.ts has more lines).
async function served(): Promise<BuiltModule> {
  return (await store()).get(PATH, VERSION) as BuiltModule;
}

test('an unsolicited 100 Continue before each answer is skipped, as go skips it', async (t) => {
  requireGo(t);
  const mod = await served();
  const proxy = await startProxy(await store());
  t.after(() => proxy.close());
  const bodies: Record<string, Buffer> = { info: mod.info, mod: mod.mod, zip: mod.zip };
  proxy.setFaults([{ url: /\/@v\/v1\.0\.0\.(info|mod|zip)$/, handler: (_req, res, ctx) => {
    res.writeContinue();
    res.writeHead(200, { 'content-length': bodies[ctx.path.slice(ctx.path.lastIndexOf('.') + 1)]!.length });
    res.end(bodies[ctx.path.slice(ctx.path.lastIndexOf('.') + 1)]);
  } }]);
  const { ours } = await sameAsGo(t, proxy.url, ['-json', ARG]);
  assert.equal(ours.code, 0, ours.stderr);
});

for (const [name, file, raw] of [
  ['a status line that is no HTTP', 'mod', () => 'THIS IS NOT HTTP\r\n\r\n'],
  ['a chunk size that is no hex', 'info', (body: Buffer) => `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n${body}\r\n0\r\n\r\n`],
] as const) {
  test(`${name} is go's error, not retried`, async (t) => {
    requireGo(t);
    const mod = await served();
    const proxy = await startProxy(await store());
    t.after(() => proxy.close());
    const url = `/${PATH}/@v/${VERSION}.${file}`;
    proxy.setFaults([{ url, handler: (req) => void req.socket.end(raw(mod[file])) }]);
    const { ours } = await sameAsGo(t, proxy.url, ['-json', ARG]);
    assert.equal(proxy.requests.filter((q) => q.path === url).length, 2, 'one request by go, one by gomod-dl');
    assert.match(ours.stdout, /net\/http: HTTP\/1\.x transport connection broken: malformed HTTP status code \\"IS\\"|: invalid byte in chunk length/);
  });
}

/** stderr with the connection's own port (which differs between runs) as P, and gomod-dl's give-up line dropped. */
const portless = (stderr: string) => stderr.replaceAll('gomod-dl: ', 'go: ').replace(/^go: \S+: gave up after \d+ attempts in [\d.]+s\n/m, '')
  .replace(/tcp 127\.0\.0\.1:\d+->/g, 'tcp 127.0.0.1:P->');

// The reset in the body comes once the bytes before it have been read: a reset that overtakes them
// reads as the end of the stream on Linux (libuv), `unexpected EOF`, where go still says reset.
const resetInBody: FaultRule['handler'] = async (req, res) => {
  res.writeHead(200, { 'content-length': '100000' });
  res.write(Buffer.alloc(1000));
  await new Promise((resolve) => setTimeout(resolve, 50));
  req.socket.resetAndDestroy();
};
for (const [name, file, rule] of [
  ['a connection reset before the headers', 'info', { resetBeforeHeaders: true }],
  ['a connection reset in the body', 'zip', { handler: resetInBody }],
] as const) {
  test(`${name} names both ends of the connection, as go does`, { timeout: 60_000 }, async (t) => {
    requireGo(t);
    const proxy = await startProxy(await store());
    t.after(() => proxy.close());
    proxy.setFaults([{ url: `/${PATH}/@v/${VERSION}.${file}`, ...rule }]);
    const go = await runGo(['mod', 'download', ARG], { t, proxy: proxy.url });
    const ours = await runGomodDl([ARG], { t, proxy: proxy.url });
    assert.equal(portless(ours.stderr), portless(go.stderr));
    assert.equal(ours.code, go.code);
    assert.match(ours.stderr, new RegExp(`tcp 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:${new URL(proxy.url).port}: read: connection reset by peer\\n$`));
  });
}

test('https to an http server (GOPROXY without a scheme) is go\'s "server gave HTTP response to HTTPS client"', async (t) => {
  requireGo(t);
  const proxy = await startProxy(await store());
  t.after(() => proxy.close());
  const { ours } = await sameAsGo(t, proxy.url.replace('http://', ''), ['-json', ARG]);
  assert.match(ours.stdout, /Get \\"https:\/\/127\.0\.0\.1:\d+\/[^"]*\\": http: server gave HTTP response to HTTPS client"/);
});

for (const scheme of ['https', 'http']) {
  test(`an ${scheme.toUpperCase()}_PROXY that refuses connections is go's proxyconnect error`, { timeout: 60_000 }, async (t) => {
    requireGo(t);
    // The hermetic environment points HTTP(S)_PROXY at a closed loopback port; this host is not loopback.
    const goproxy = `${scheme}://proxy.example.invalid`;
    const go = await runGo(['mod', 'download', ARG], { t, proxy: goproxy });
    const ours = await runGomodDl([ARG], { t, proxy: goproxy });
    assert.match(go.stderr, /: proxyconnect tcp: dial tcp 127\.0\.0\.1:9: connect: connection refused\n$/);
    assert.equal(ours.code, go.code);
    assert.equal(portless(ours.stderr), go.stderr);
  });
}

// GOPROXY=A|B: any failure of A moves on to B at once, as in go: A is asked once per file and nothing
// is printed but what go prints (gomod-dl's retries are for the last proxy a request can reach).
for (const [name, broken, faults] of [
  ['answers 500', false, [{ url: /^\/~a\//, status: 500 }]],
  ['resets connections', false, [{ url: /^\/~a\//, resetBeforeHeaders: true }]],
  ['refuses connections', true, []],
] as const) {
  test(`GOPROXY=A|B where A ${name}: B at once, one request to A per file, go's output`, async (t) => {
    requireGo(t);
    const proxy = await startProxy(await store());
    t.after(() => proxy.close());
    const list = `${broken ? 'http://127.0.0.1:9' : `${proxy.url}/~a`}|${proxy.url}/~b`;
    proxy.setFaults([...faults]);
    const go = await runGo(['mod', 'download', '-json', ARG], { t, proxy: list });
    proxy.reset();
    const ours = await runGomodDl(['-json', ARG], { t, proxy: list });
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(go.code, 0, go.stderr);
    assert.equal(ours.stderr, go.stderr);
    assert.equal(ours.stdout.replaceAll(ours.gomodcache, '$C'), go.stdout.replaceAll(go.gomodcache, '$C'));
    await assertSameTree(ours.gomodcache, go.gomodcache);
    // (go's transport itself asks again, once, when a reused connection is reset before the answer.)
    assert.equal(proxy.requests.filter((q) => q.path.startsWith('/~a/')).length, broken ? 0 : 3, 'A asked once for .info, .mod and .zip');
    // -x: go's request lines (in another order: gomod-dl asks for the zip early), plus gomod-dl's `# fallback` lines.
    const x = (s: string) => s.split('\n').filter((l) => l.startsWith('# get '))
      .map((l) => l.replace(/ \(\d+\.\d{3}s\)$/, '').replace(/tcp 127\.0\.0\.1:\d+->/, 'tcp 127.0.0.1:P->')).sort();
    const goX = await runGo(['mod', 'download', '-x', ARG], { t, proxy: list });
    const ourX = await runGomodDl(['-x', ARG], { t, proxy: list });
    assert.deepEqual(x(ourX.stderr), x(goX.stderr));
    assert.deepEqual(ourX.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('# get ') && !l.startsWith('# fallback ')), []);
  });
}
