import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { loadGoEnv } from '../../src/config/index.js';
import { Fetcher, type FetcherOptions } from '../../src/fetch/fetcher.js';
import type { FetchEvent } from '../../src/fetch/events.js';
import { isNotExist } from '../../src/fetch/errors.js';
import { buildModule, type BuiltModule } from '../support/modbuilder.js';
import { startProxy, type FaultRule, type ProxyServer } from '../support/proxy-server.js';
import { ModuleStore } from '../support/store.js';
import { parseJsonStream, requireGo, runGo } from '../support/gorun.js';
import { rmrf } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';

const M = 'example.com/m';
let server: ProxyServer;
let mod: BuiltModule;

before(async () => {
  mod = await buildModule({ path: M, version: 'v1.0.0', files: { 'a.go': 'package m\n' } });
  const store = new ModuleStore().add(mod, await buildModule({ path: M, version: 'v1.1.0' }));
  server = await startProxy(store);
});
// go may leave a detached telemetry child writing under its root for a moment after it exits, so the
// roots are removed at the end, with retries, rather than by runGo's per-test cleanup.
const goRoots: string[] = [];
after(async () => {
  await server.close();
  for (const r of goRoots) {
    await rmrf(r); // retries a lingering writer itself; go roots have telemetry off
  }
});

const A = () => `${server.url}/~a`;
const B = () => `${server.url}/~b`;

async function fetcherFor(goproxy: string, extra: Partial<FetcherOptions> = {}, env: Record<string, string> = {}) {
  const events: FetchEvent[] = [];
  const sleeps: number[] = [];
  const goenv = await loadGoEnv({ env: { HOME: '/nonexistent', GOPROXY: goproxy, ...env }, cwd: '/' });
  const f = new Fetcher({
    env: goenv, trace: (e) => events.push(e), sleep: async (ms) => { sleeps.push(ms); }, random: () => 0.5, ...extra,
  });
  return { f, events, sleeps };
}

/** go's verdict on `go mod download -json M@v1.0.0` through `goproxy`, and the requests it made. */
async function goDownload(t: TestContext, goproxy: string, env: Record<string, string> = {}) {
  server.reset();
  requireGo(t);
  const r = await runGo(['mod', 'download', '-json', `${M}@v1.0.0`], { proxy: goproxy, env });
  goRoots.push(r.root);
  const [obj] = parseJsonStream<{ Error?: string }>(r.stdout);
  return { error: obj?.Error, requests: server.requests.map((q) => q.path) };
}

/** Our stat → goMod → zip, in go's order; the first error's text, and the requests made. */
async function ourDownload(goproxy: string, dir: string, env: Record<string, string> = {}) {
  server.reset();
  const { f, events, sleeps } = await fetcherFor(goproxy, {}, env);
  let error: string | undefined;
  try {
    await f.lookup(M).stat('v1.0.0');
    await f.lookup(M).goMod('v1.0.0');
    const h = await open(join(dir, 'z.zip'), 'w+');
    try {
      await f.lookup(M).zip('v1.0.0', h);
    } finally {
      await h.close();
    }
  } catch (e) {
    error = (e as Error).message;
  } finally {
    await f.close();
  }
  return { error, requests: server.requests.map((q) => q.path), events, sleeps };
}

interface Scenario {
  name: string;
  list: () => string;
  faults: () => FaultRule[];
  /** Requests we make beyond go's because of retries (undefined: same requests as go). */
  retried?: boolean;
  env?: Record<string, string>;
}

const info = (l: string) => `/~${l}/${M}/@v/v1.0.0.info`;
const all = (l: string) => new RegExp(`^/~${l}/`);

const SCENARIOS: Scenario[] = [
  { name: "',' falls back on 404", list: () => `${A()},${B()}`, faults: () => [{ url: all('a'), status: 404 }] },
  { name: "',' falls back on 410", list: () => `${A()},${B()}`, faults: () => [{ url: all('a'), status: 410 }] },
  { name: "',' stops at 500 (after our retries)", list: () => `${A()},${B()}`, faults: () => [{ url: all('a'), status: 500 }], retried: true },
  { name: "',' stops at 403", list: () => `${A()},${B()}`, faults: () => [{ url: all('a'), status: 403 }] },
  { name: "'|' falls back on 500 at once", list: () => `${A()}|${B()}`, faults: () => [{ url: all('a'), status: 500 }] },
  { name: "'|' falls back on 403", list: () => `${A()}|${B()}`, faults: () => [{ url: all('a'), status: 403 }] },
  { name: 'all not-exist: the last 404/410 is reported', list: () => `${A()},${B()}`,
    faults: () => [{ url: info('a'), status: 404 }, { url: info('b'), status: 410 }] },
  { name: "a 500 before '|' outranks a later 404", list: () => `${A()}|${B()}`,
    faults: () => [{ url: info('a'), status: 500 }, { url: info('b'), status: 404 }] },
  { name: "'|' before the last proxy: its 500 is retried", list: () => `${A()}|${B()}`,
    faults: () => [{ url: all('a'), status: 500 }, { url: all('b'), status: 503 }], retried: true },
  { name: "a 404 then a 500 reports the 500", list: () => `${A()},${B()}`,
    faults: () => [{ url: info('a'), status: 404 }, { url: info('b'), status: 503 }], retried: true },
  { name: 'GOPROXY=off', list: () => 'off', faults: () => [] },
  { name: 'a 404 then off', list: () => `${A()},off`, faults: () => [{ url: info('a'), status: 404 }] },
  { name: 'server response detail, one line', list: () => A(),
    faults: () => [{ url: info('a'), status: 404, body: 'not found: example.com/m@v1.0.0: no such version\n' }] },
  { name: 'server response detail, many lines', list: () => A(),
    faults: () => [{ url: info('a'), status: 404, body: Array.from({ length: 12 }, (_, i) => `line ${i}`).join('\n') }] },
  { name: 'server response detail, long line', list: () => A(),
    faults: () => [{ url: info('a'), status: 404, body: 'x'.repeat(300) + '\n' + 'y'.repeat(300) + '\n' + 'z'.repeat(60) }] },
  { name: 'server response detail stops at a blank line', list: () => A(),
    faults: () => [{ url: info('a'), status: 410, body: 'gone\n  \nhidden' }] },
  { name: 'no detail for JSON bodies', list: () => A(),
    faults: () => [{ url: info('a'), status: 404, body: '{"error":"x"}', contentType: 'application/json' }] },
  { name: 'no detail for control characters', list: () => A(),
    faults: () => [{ url: info('a'), status: 404, body: 'bad\x1b[31mred' }] },
  // go captures the whole of the read that holds the eighth newline: a small body is checked to its end.
  { name: 'no detail for a control character on line 11 of a small body', list: () => A(),
    faults: () => [{ url: info('a'), status: 404, body: Array.from({ length: 12 }, (_, i) => (i === 10 ? 'ctl\x07' : `line ${i}`)).join('\n') }] },
  { name: 'a control character far past the ninth line is never read for the detail', list: () => A(),
    faults: () => [{ url: info('a'), status: 404, body: 'short\n'.repeat(40) + 'x'.repeat(20_000) + '\x07\n' }] },
  { name: 'malformed .info', list: () => A(), faults: () => [{ url: info('a'), malformedJson: true }] },
  { name: 'wrong version in .info', list: () => A(),
    faults: () => [{ url: info('a'), body: '{"Version":"v1.1.0","Time":"2023-01-02T03:04:05Z"}', contentType: 'application/json' }] },
  { name: 'redirect loop', list: () => A(),
    faults: () => [{ url: info('a'), redirect: { location: `/~a/${M}/@v/v1.0.0.info` } }] },
  { name: 'redirects are followed', list: () => `${A()}`,
    faults: () => [{ url: info('a'), redirect: { location: `${B()}/${M}/@v/v1.0.0.info`, status: 307 } }] },
  { name: 'non-private path skips the noproxy entry', list: () => A(), faults: () => [{ url: info('a'), status: 404 }],
    env: { GONOPROXY: 'corp.example' } },
];

for (const sc of SCENARIOS) {
  test(`fetcher vs go: ${sc.name}`, async (t) => {
    const dir = tempDir(t);
    server.setFaults(sc.faults());
    const go = await goDownload(t, sc.list(), sc.env);
    const ours = await ourDownload(sc.list(), dir, sc.env);
    server.setFaults([]);
    assert.equal(ours.error, go.error);
    if (!sc.retried) assert.deepEqual(ours.requests, go.requests);
    if (go.error === undefined) assert.deepEqual(await readFile(join(dir, 'z.zip')), mod.zip);
  });
}

test('a 500 is retried exactly policy.attempts times, with trace events and backoff sleeps', async (t) => {
  server.setFaults([{ url: info('a'), status: 500 }]);
  const ours = await ourDownload(A(), tempDir(t));
  server.setFaults([]);
  assert.equal(ours.requests.filter((p) => p === info('a')).length, 4);
  assert.deepEqual(ours.sleeps, [250, 500, 1000]);
  assert.deepEqual(ours.events.filter((e) => e.kind === 'retry').map((e) => e.kind === 'retry' && e.attempt), [1, 2, 3]);
});

test("'|' retries nothing but the last entry that can answer; a trailing '|' or '|off' keeps the retries", async (t) => {
  for (const [list, retriedA] of [[`${A()}|${B()}`, false], [`${A()}|`, true], [`${A()}|off`, true], [`${A()},${B()}`, true]] as const) {
    server.setFaults([{ url: info('a'), status: 500 }, { url: info('b'), status: 500 }]);
    const ours = await ourDownload(list, tempDir(t));
    server.setFaults([]);
    assert.equal(ours.requests.filter((p) => p === info('a')).length, retriedA ? 4 : 1, list);
    assert.equal(ours.events.filter((e) => e.kind === 'give-up').length, 1, `${list}: one give-up notice, for the last try`);
  }
});

test("the checksum database through GOPROXY: a 500 before '|' moves on at once, as go's initBase does", async () => {
  const supported = (l: string) => `/~${l}/sumdb/sum.example/supported`;
  server.setFaults([{ url: supported('a'), status: 500 }]);
  server.setSumdb((_name, rest, _req, res) => void res.writeHead(rest === 'supported' ? 200 : 404).end());
  server.reset();
  const { f, events } = await fetcherFor(`${A()}|${B()}`);
  assert.deepEqual(await f.sumdbBase('sum.example'), { kind: 'proxy', url: `${B()}/sumdb/sum.example` });
  await f.close();
  server.setFaults([]);
  server.setSumdb(undefined);
  assert.equal(server.count(supported('a')), 1);
  assert.equal(server.count(supported('b')), 1);
  assert.deepEqual(events.filter((e) => e.kind === 'retry' || e.kind === 'give-up'), []);
});

const TRANSIENT: [string, FaultRule][] = [
  ['connection reset before headers', { url: info('a'), attempt: 1, resetBeforeHeaders: true }],
  ['503 with Retry-After', { url: info('a'), attempt: 1, status: 503, headers: { 'retry-after': '2' } }],
  ['429', { url: info('a'), attempt: [1, 2], status: 429 }],
  ['zip body cut short', { url: `/~a/${M}/@v/v1.0.0.zip`, attempt: 1, truncateAfterBytes: 100 }],
  ['zip connection reset mid-body', { url: `/~a/${M}/@v/v1.0.0.zip`, attempt: 1, resetAfterBytes: 50 }],
];

for (const [name, fault] of TRANSIENT) {
  test(`recovers from ${name} with the requests the policy implies`, async (t) => {
    const dir = tempDir(t);
    server.setFaults([fault]);
    const ours = await ourDownload(A(), dir);
    server.setFaults([]);
    assert.equal(ours.error, undefined);
    const failures = Array.isArray(fault.attempt) ? fault.attempt.length : 1;
    const target = typeof fault.url === 'string' ? fault.url : '';
    assert.equal(ours.requests.filter((p) => p === target).length, failures + 1);
    assert.equal(ours.requests.length, 3 + failures);
    if (fault.headers?.['retry-after']) assert.deepEqual(ours.sleeps, [2000]);
    assert.deepEqual(await readFile(join(dir, 'z.zip')), mod.zip);
  });
}

test('versions filters and sorts @v/list; latest falls back to the list; results are fetched once', async () => {
  server.setFaults([{ url: `/~a/${M}/@v/list`, body: 'v1.1.0\nv1.0.0 2020-01-01T00:00:00Z\nnot-a-version\nv0.0.0-20240101000000-abcdefabcdef\nv1.2.0-pre\n', contentType: 'text/plain' }]);
  server.reset();
  const { f } = await fetcherFor(A());
  assert.deepEqual(await f.lookup(M).versions(''), ['v1.0.0', 'v1.1.0', 'v1.2.0-pre']);
  assert.deepEqual(await f.lookup(M).versions('v1.1'), ['v1.1.0']);
  await assert.rejects(f.lookup(M).latest(), /example.com\/m@v0.0.0-20240101000000-abcdefabcdef: reading .*: 404 Not Found/);
  await Promise.all([f.lookup(M).stat('v1.0.0'), f.lookup(M).stat('v1.0.0')]);
  await f.close();
  server.setFaults([]);
  assert.equal(server.count(`/~a/${M}/@v/list`), 1);
  assert.equal(server.count(`/~a/${M}/@latest`), 1);
  assert.equal(server.count(info('a')), 1);
});

test('a route reaching direct asks version control, and its error outranks the proxy 404 (go\'s TryProxies)', async () => {
  server.setFaults([{ url: info('a'), status: 404 }]);
  // GOVCS refuses git for the known host before any network use: the direct error is the one reported.
  const G = 'github.com/acme/m';
  const { f } = await fetcherFor(`${A()},direct`, { processEnv: { GOVCS: 'public:hg' } });
  await assert.rejects(f.lookup(G).stat('v1.0.0'), (e: Error) => {
    assert.equal(e.message, `${G}@v1.0.0: GOVCS disallows using git for public ${G}; see 'go help vcs'`);
    assert.ok(isNotExist(e));
    return true;
  });
  server.setFaults([]);
});

test('non-canonical revs: `invalid version:` form (still not-exist for fallback); list/latest texts match go', async (t) => {
  const dir = tempDir(t);
  await mkdir(join(dir, M, '@v'), { recursive: true });
  await writeFile(join(dir, M, '@v', 'master.info'), 'not json');
  const proxy = pathToFileURL(dir).href;
  requireGo(t);
  const go = await runGo(['mod', 'download', '-json', `${M}@master`], { proxy });
  const goList = await runGo(['mod', 'download', '-json', `${M}@latest`], { proxy });
  goRoots.push(go.root, goList.root);
  const { f } = await fetcherFor(proxy);
  await assert.rejects(f.lookup(M).stat('master'), (e: Error) => e.message === parseJsonStream<{ Error: string }>(go.stdout)[0]?.Error);
  await assert.rejects(f.lookup(M).latest(), (e: Error) => e.message === parseJsonStream<{ Error: string }>(goList.stdout)[0]?.Error);
  await assert.rejects(f.lookup(M).stat('v1.0'), (e: Error) => /^example\.com\/m@v1\.0: invalid version: reading file:.*no such file or directory$/.test(e.message) && isNotExist(e));
  const off = await fetcherFor('off');
  await assert.rejects(off.f.lookup(M).versions(''), (e: Error) => e.message === 'module lookup disabled by GOPROXY=off');
});
