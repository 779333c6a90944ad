// Cross-checks against the real go command: go downloads modules with odd .info bodies and
// several kinds of versions from a file:// proxy; the .info and list files it writes must equal
// what encodeInfo and rewriteVersionList produce, and its cache paths must equal CacheLayout's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, cp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModule, type BuiltModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { fileProxyUrl, runGo, type GoResult } from '../support/gorun.js';
import { rmrf } from '../support/tree.js';
import { decodeInfo, encodeInfo } from '../../src/cache/info.js';
import { CacheLayout } from '../../src/cache/layout.js';
import { rewriteVersionList } from '../../src/cache/list.js';

interface Case {
  path: string;
  version: string;
  info: string;
}

/** .info bodies chosen to exercise go's re-encoding; each Version matches the requested one. */
const CASES: Case[] = [
  {
    path: 'example.com/odd',
    version: 'v1.0.0',
    info: '{"Version":"v1.0.0","Time":"2018-02-14T15:44:20.120000000+01:00","Extra":[1,{"a":null}],"Name":"n","Short":"s",' +
      '"Origin":{"VCS":"git","URL":"https://example.com/odd?a=1&b=<2>","Subdir":"sub","Hash":"0123456789abcdef","TagPrefix":"sub/","TagSum":"t1:abc","Ref":"refs/tags/v1.0.0","RepoSum":"r1:xyz"}}\n',
  },
  {
    path: 'example.com/odd',
    version: 'v0.0.0-20180214154420-abcdefabcdef',
    info: '{"Version":"v0.0.0-20180214154420-abcdefabcdef","Time":"2018-02-14T15:44:20Z","Origin":{"VCS":"git","URL":"u","Hash":"abcdefabcdef0000","Ref":"refs/heads/main"}}',
  },
  { path: 'example.com/odd', version: 'v1.1.0-pre.1', info: '{"version":"v1.1.0-pre.1","TIME":"2019-03-04T05:06:07,5+00:00","Origin":{"TagSum":"t1:only"}}' },
  { path: 'example.com/odd', version: 'v1.0.1', info: '{"Version":"v1.0.1"}' },
  { path: 'example.com/odd', version: 'v1.0.0-RC1', info: '{"Version":"v1.0.0-RC1","Time":"2020-01-02T03:04:05.000000001-05:30"}' },
  { path: 'example.com/odd', version: 'v2.0.0+incompatible', info: '{"Version":"v2.0.0+incompatible","Time":"2021-01-01T00:00:00Z","Origin":null}' },
  { path: 'example.com/Upper/Case', version: 'v1.2.3', info: '{"Version":"v1.2.3","Time":"2021-06-07T08:09:10+01:60"}' },
];

let go: GoResult;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'gomod-dl-cache-gocompat-'));
  const store = new ModuleStore();
  for (const c of CASES) {
    const m: BuiltModule = await buildModule({ path: c.path, version: c.version, files: { 'a.go': 'package a\n' } });
    m.info = Buffer.from(c.info);
    store.add(m);
  }
  const proxyDir = join(work, 'proxy');
  await store.writeProxyDir(proxyDir);
  go = await runGo(['mod', 'download', ...CASES.map((c) => `${c.path}@${c.version}`)], { proxy: fileProxyUrl(proxyDir), cwd: work });
  assert.equal(go.code, 0, `go mod download failed:\n${go.stderr}`);
});

after(async () => {
  if (go) await rmrf(go.root);
  if (work) await rmrf(work);
});

test('encodeInfo of the proxy body equals the .info go writes, for every case', async () => {
  const layout = new CacheLayout(go.gomodcache);
  for (const c of CASES) {
    const goInfo = await readFile(layout.infoFile(c.path, c.version), 'utf8');
    assert.equal(encodeInfo(decodeInfo(Buffer.from(c.info))), goInfo, `${c.path}@${c.version}`);
  }
});

test('CacheLayout names every file and directory go created', async () => {
  const layout = new CacheLayout(go.gomodcache);
  for (const c of CASES) {
    for (const f of [layout.infoFile(c.path, c.version), layout.modFile(c.path, c.version), layout.zipFile(c.path, c.version),
      layout.ziphashFile(c.path, c.version), layout.lockFile(c.path, c.version)]) {
      assert.ok((await stat(f)).isFile(), `go did not create ${f}`);
    }
    assert.ok((await stat(layout.moduleDir(c.path, c.version))).isDirectory());
  }
  assert.ok((await stat(layout.listFile('example.com/Upper/Case'))).isFile());
});

test('rewriteVersionList rebuilds exactly the list go wrote (pre-release, pseudo, +incompatible; no !-escaped RC1)', async () => {
  const layout = new CacheLayout(go.gomodcache);
  const goDir = layout.downloadDir('example.com/odd');
  const goList = await readFile(join(goDir, 'list'), 'utf8');
  assert.ok(!goList.includes('RC1') && !goList.includes('!r!c1'), 'go never lists a !-escaped version');

  const copy = join(work, 'copy', '@v');
  await cp(goDir, copy, { recursive: true });
  await rm(join(copy, 'list'));
  assert.equal(await rewriteVersionList(copy), true);
  assert.equal(await readFile(join(copy, 'list'), 'utf8'), goList);
  assert.equal(await rewriteVersionList(copy), false, 'an unchanged list is not rewritten');
  assert.deepEqual((await readdir(copy)).filter((n) => n.endsWith('.tmp')), []);
});
