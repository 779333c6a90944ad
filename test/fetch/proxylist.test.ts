import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProxyList, routeEntry, type ProxyEntry } from '../../src/fetch/proxylist.js';
import { isNotExist } from '../../src/fetch/errors.js';
import { requireGo, runGo } from '../support/gorun.js';
import { rmrf } from '../support/tree.js';

// go may leave a detached telemetry child writing under its root briefly after exiting: clean up
// at the end, with retries, instead of per test.
const goRoots: string[] = [];
after(async () => {
  for (const r of goRoots) {
    await rmrf(r); // retries a lingering writer itself; go roots have telemetry off
  }
});

const brief = (l: ProxyEntry[]) => l.map((e) => `${e.url}${e.fallBackOnError ? '|' : ''}`);

// Structure follows go's proxyList rules (proxy.go); the fallback behaviour of `,` and `|` is
// checked against go end to end in fetcher.test.ts.
const LISTS: [goproxy: string, gonoproxy: string, want: string[]][] = [
  ['https://proxy.golang.org,direct', '', ['https://proxy.golang.org', 'direct']],
  ['https://a.example|https://b.example,direct', '', ['https://a.example|', 'https://b.example', 'direct']],
  [' a.example , ,b.example:8080/x| ', '', ['https://a.example', 'https://b.example:8080/x|']],
  ['localhost:3000', '', ['https://localhost:3000']],
  ['off,https://a.example', '', ['off']],
  ['https://a.example|off|https://b.example', '', ['https://a.example|', 'off']],
  ['direct,https://a.example', '', ['direct']],
  ['https://a.example', 'corp.example', ['noproxy', 'https://a.example']],
  ['direct', 'corp.example', ['direct']],
  [' direct', 'corp.example', ['noproxy', 'direct']],
  ['file:///srv/proxy,http://127.0.0.1:1', '', ['file:///srv/proxy', 'http://127.0.0.1:1']],
  ['HTTP://Upper.Example/p', '', ['HTTP://Upper.Example/p']],
];

for (const [goproxy, gonoproxy, want] of LISTS) {
  test(`GOPROXY=${JSON.stringify(goproxy)} GONOPROXY=${JSON.stringify(gonoproxy)} parses into ${want.join(' ')}`, () => {
    assert.deepEqual(brief(parseProxyList({ GOPROXY: goproxy, GONOPROXY: gonoproxy })), want);
  });
}

// Each of these fails for every module; the text is checked against go's own message.
const BAD = [
  'ftp://u:p@x', '/srv/proxy', 'foo', 'a:b', 'http://a b', 'file://host/a', 'file:///a?x=1', 'file:/tmp/none',
  'file:///tmp/none#frag', ',', ' , | ', 'noproxy', 'https://%zz', 'http://a\x01b', 'http://[::1',
  'file:relative/path', 'https://a.example,gopher://b', 'http://u@h:1:2', 'https://a.example/%2',
];

for (const goproxy of BAD) {
  test(`GOPROXY=${JSON.stringify(goproxy)} is rejected with go's message`, async (t) => {
    requireGo(t);
    const go = await runGo(['mod', 'download', 'example.com/m@v1.0.0'], { proxy: goproxy });
    goRoots.push(go.root);
    let msg = '';
    try {
      parseProxyList({ GOPROXY: goproxy, GONOPROXY: '' });
    } catch (e) {
      msg = (e as Error).message;
    }
    assert.equal(`go: example.com/m@v1.0.0: ${msg}\n`, go.stderr);
  });
}

test('routing: GONOPROXY paths go direct via noproxy/direct and are refused (not-exist) by proxies', () => {
  const env = { GOPROXY: 'https://a.example,off,direct', GONOPROXY: '*.corp.example,private.example/x' };
  const list = parseProxyList({ GOPROXY: 'https://a.example|direct', GONOPROXY: env.GONOPROXY });
  const kinds = (p: string) => list.map((e) => {
    const r = routeEntry(e, p, env);
    return r.kind === 'error' ? `${r.error.message}${isNotExist(r.error) ? ' (not-exist)' : ''}` : r.kind;
  });
  assert.deepEqual(kinds('git.corp.example/a/b'), ['direct', 'disabled by GOPRIVATE/GONOPROXY (not-exist)', 'direct']);
  assert.deepEqual(kinds('private.example/x/y'), ['direct', 'disabled by GOPRIVATE/GONOPROXY (not-exist)', 'direct']);
  assert.deepEqual(kinds('private.example/y'),
    ['path does not match GOPRIVATE/GONOPROXY (not-exist)', 'proxy', 'direct']);
  const off = parseProxyList({ GOPROXY: 'off', GONOPROXY: '' });
  const r = routeEntry(off[0]!, 'example.com/m', { GONOPROXY: '' });
  assert.ok(r.kind === 'error' && r.error.message === 'module lookup disabled by GOPROXY=off' && isNotExist(r.error));
});
