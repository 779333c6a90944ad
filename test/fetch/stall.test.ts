// Stalls and long waits through the whole command. go has no timeouts (a stalled proxy hangs it) and
// no retries (a 429 fails at once), so go is the oracle for the final cache and for the error text
// where it fails, and gomod-dl's own behaviour is checked where go only hangs: a stall (no byte for the
// stall bound, shortened here with GOMODDL_STALL_TIMEOUT) is retried, a server that never answers ends
// in an error naming the URL and the time waited, a slow but live transfer completes, and a Retry-After
// longer than the wait budget fails at once, saying what the server asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildModule, type BuiltModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy, type FaultRule } from '../support/proxy-server.js';
import { requireGo, runGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { assertSameTree } from '../support/tree.js';

const PATH = 'example.com/stally';
const VERSION = 'v1.0.0';
const ARG = `${PATH}@${VERSION}`;
const ZIP_URL = `/${PATH}/@v/${VERSION}.zip`;
/** The stall bound for these tests (the default is 20 s, see src/fetch/http.ts). */
const STALL = { GOMODDL_STALL_TIMEOUT: '0.4' };

/** A module whose zip is about 120 KiB (random-ish text that deflate cannot shrink much). */
async function module(): Promise<BuiltModule> {
  const files: Record<string, string> = {};
  let x = 12345;
  for (let i = 0; i < 6; i++) {
    let s = '';
    for (let k = 0; k < 20_000; k++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      s += String.fromCharCode(33 + (x % 90));
    }
    files[`data/f${i}.txt`] = s;
  }
  return buildModule({ path: PATH, version: VERSION, files });
}

async function setup(t: import('node:test').TestContext, faults: (m: BuiltModule) => FaultRule[]) {
  const m = await module();
  const proxy = await startProxy(new ModuleStore().add(m));
  t.after(() => proxy.close());
  proxy.setFaults(faults(m));
  return { m, proxy, zipRequests: () => proxy.count(ZIP_URL) };
}

/** Accepts the request and never answers. */
const silent = (): void => {};
/** Sends the headers and the first `n` bytes of the zip, then nothing. */
const stallAfter = (m: BuiltModule, n: number) => (_req: unknown, res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(m.zip.length) });
  res.write(m.zip.subarray(0, n));
};

async function assertNothingOfTheZip(gomodcache: string): Promise<void> {
  const names = await readdir(join(gomodcache, 'cache/download', PATH, '@v')).catch(() => [] as string[]);
  assert.deepEqual(names.filter((n) => n.includes('.zip')), []);
  assert.deepEqual((await readdir(join(gomodcache, 'example.com')).catch(() => [] as string[])).filter((n) => n.startsWith('stally@')), []);
}

/** go's cache for the module, downloaded from a proxy without faults. */
async function goCache(t: import('node:test').TestContext): Promise<string> {
  requireGo(t);
  const proxy = await startProxy(new ModuleStore().add(await module()));
  t.after(() => proxy.close());
  const go = await runGo(['mod', 'download', ARG], { t, proxy: proxy.url });
  assert.equal(go.code, 0, go.stderr);
  return go.gomodcache;
}

for (const [where, fault] of [
  ['before the headers', (_m: BuiltModule) => silent],
  ['in the middle of the body', (m: BuiltModule) => stallAfter(m, 50_000)],
] as const) {
  test(`a proxy that stalls once ${where} is retried and the download completes as go's`, async (t) => {
    const { zipRequests, proxy } = await setup(t, (m) => [{ url: ZIP_URL, attempt: 1, handler: fault(m) }]);
    const ours = await runGomodDl([ARG], { t, proxy: proxy.url, env: STALL });
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(zipRequests(), 2);
    await assertSameTree(ours.gomodcache, await goCache(t));
  });

  test(`a proxy that always stalls ${where} ends in an error naming the URL, the wait and the attempts`, async (t) => {
    const { proxy } = await setup(t, (m) => [{ url: ZIP_URL, handler: fault(m) }]);
    const ours = await runGomodDl([ARG], { t, proxy: proxy.url, env: STALL });
    assert.equal(ours.code, 1);
    assert.equal(proxy.count(ZIP_URL), 4);
    const url = `${proxy.url}${ZIP_URL}`;
    const error = where === 'before the headers'
      ? `Get "${url}": net/http: timeout awaiting response headers (nothing received for 0.4s)`
      : `read "${url}": i/o timeout (nothing received for 0.4s)`;
    // The socket's addresses, when undici gives them (`read tcp A->B: i/o timeout`), are left out.
    const lines = ours.stderr.replace(/: read tcp \S+: i\/o timeout/, ': i/o timeout')
      .replace(/ in [\d.]+s$/m, ' in Ns').split('\n');
    assert.deepEqual(lines, [`gomod-dl: ${url}: gave up after 4 attempts in Ns`, `gomod-dl: ${ARG}: ${error}`, '']);
    await assertNothingOfTheZip(ours.gomodcache);
  });
}

test('a slow but live transfer (a chunk every 0.25 s, 8 times the stall bound in all) completes as go does', async (t) => {
  requireGo(t);
  const slow: FaultRule[] = [{ url: ZIP_URL, chunkSize: 16 * 1024, chunkDelayMs: 250 }];
  const { proxy } = await setup(t, () => slow);
  const ours = await runGomodDl([ARG], { t, proxy: proxy.url, env: STALL });
  assert.equal(ours.code, 0, ours.stderr);
  assert.equal(proxy.count(ZIP_URL), 1, 'no retry');
  const go = await runGo(['mod', 'download', ARG], { t, proxy: proxy.url });
  assert.equal(go.code, 0, go.stderr);
  await assertSameTree(ours.gomodcache, go.gomodcache);
});

for (const [form, value] of [
  ['seconds', () => '3600'],
  ['an HTTP date', () => new Date(Date.now() + 3_600_000).toUTCString()],
] as const) {
  test(`a Retry-After (${form}) longer than the wait budget fails at once with go's error, saying what the server asked`, async (t) => {
    requireGo(t);
    const { proxy } = await setup(t, () => [{ url: ZIP_URL, status: 429, headers: { 'retry-after': value() } }]);
    const go = await runGo(['mod', 'download', ARG], { t, proxy: proxy.url });
    proxy.reset();
    const ours = await runGomodDl([ARG], { t, proxy: proxy.url });
    assert.equal(ours.code, go.code);
    assert.equal(proxy.count(ZIP_URL), 1, 'no retry, no wait');
    const notice = new RegExp(`^gomod-dl: http://\\S+${ZIP_URL.replace(/[./]/g, '\\$&')}: the server asked to retry after (3600|359\\d(\\.\\d+)?)s, more than the 60s left to wait; gave up after 1 attempt\\n`);
    assert.match(ours.stderr, notice);
    assert.equal(ours.stderr.replace(notice, '').replaceAll('gomod-dl: ', 'go: '), go.stderr);
  });
}

test('a wait of a few seconds is announced on stderr without -x, in one line', async (t) => {
  const { proxy } = await setup(t, () => [{ url: ZIP_URL, attempt: 1, status: 503, headers: { 'retry-after': '3' } }]);
  const ours = await runGomodDl([ARG], { t, proxy: proxy.url });
  assert.equal(ours.code, 0, ours.stderr);
  assert.equal(ours.stderr, `gomod-dl: ${proxy.url}${ZIP_URL}: reading ${proxy.url}${ZIP_URL}: 503 Service Unavailable; waiting 3s before attempt 2\n`);
});
