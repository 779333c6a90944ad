// -overlay=file, side by side with go: the file's errors are go's, an overlay that replaces only
// files go mod download never reads changes nothing, and one that replaces a go.mod, go.work or go.sum
// is refused (go would read the replacement; gomod-dl reads the disk).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { requireGo, runGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { assertSameTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';

const MOD = 'example.com/overlaid';

/** A module directory requiring MOD, with a proxy serving it. */
async function setup(t: import('node:test').TestContext) {
  const proxy = await startProxy(new ModuleStore().add(await buildModule({ path: MOD, version: 'v1.0.0', files: { 'o.go': 'package overlaid\n' } })));
  t.after(() => proxy.close());
  const dir = tempDir(t);
  writeFileSync(join(dir, 'go.mod'), `module example.com/m\n\ngo 1.21\n\nrequire ${MOD} v1.0.0\n`);
  return { proxy, dir };
}

test('-overlay: go\'s errors for a file it cannot use, and the same run as go for one that replaces no module file', async (t) => {
  requireGo(t);
  const { proxy, dir } = await setup(t);
  mkdirSync(join(dir, 'adir'));
  const cases: Array<[name: string, content: string | undefined, ok: boolean]> = [
    ['missing.json', undefined, false],
    ['adir', undefined, false],
    ['syntax.json', '{"Replace":', false],
    ['array.json', '[]', false],
    ['replace-string.json', '{"Replace":"s"}', false],
    ['value-number.json', '{"Replace":{"a.go":5}}', false],
    ['empty-key.json', '{"Replace":{"":"x"}}', false],
    ['duplicate.json', '{"Replace":{"a.go":"b.go","./a.go":""}}', false],
    ['inconsistent.json', '{"replace":{"b/a.go":"x","b":"y"}}', false],
    ['sources.json', '{"Replace":{"a.go":"b.go","b":"y","b/a.go":"","c.go":null}}', true],
    ['null.json', 'null', true],
    ['other.json', '{"Other":1,"Replace":null}', true],
  ];
  for (const [name, content, ok] of cases) {
    if (content !== undefined) writeFileSync(join(dir, name), content);
    const go = await runGo(['mod', 'download', '-json', `-overlay=${name}`], { t, proxy: proxy.url, cwd: dir });
    const ours = await runGomodDl(['-json', `-overlay=${name}`], { t, proxy: proxy.url, cwd: dir });
    const norm = (s: string, cache: string) => s.split(cache).join('$C').replaceAll('gomod-dl: ', 'go: ');
    assert.equal(ours.code, go.code, `${name}: go: ${go.stderr}\ngomod-dl: ${ours.stderr}`);
    assert.equal(norm(ours.stderr, ours.gomodcache), norm(go.stderr, go.gomodcache), name);
    assert.equal(norm(ours.stdout, ours.gomodcache), norm(go.stdout, go.gomodcache), name);
    assert.equal(go.code, ok ? 0 : 1, `${name}: ${go.stderr}`);
    assert.equal(existsSync(ours.gomodcache), existsSync(go.gomodcache), name);
    if (ok) await assertSameTree(ours.gomodcache, go.gomodcache);
  }
});

test('-overlay beneath GOMODCACHE is accepted, as go mod download accepts it (only builds refuse it)', async (t) => {
  requireGo(t);
  const { proxy, dir } = await setup(t);
  const cache = join(dir, 'cache');
  writeFileSync(join(dir, 'o.json'), JSON.stringify({ Replace: { [join(cache, 'x')]: 'y' } }));
  const go = await runGo(['mod', 'download', '-overlay=o.json'], { t, proxy: proxy.url, cwd: dir, gomodcache: cache });
  assert.equal(go.code, 0, go.stderr);
  const oursCache = join(dir, 'ours');
  writeFileSync(join(dir, 'o2.json'), JSON.stringify({ Replace: { [join(oursCache, 'x')]: 'y' } }));
  const ours = await runGomodDl(['-overlay=o2.json'], { t, proxy: proxy.url, cwd: dir, gomodcache: oursCache });
  assert.equal(ours.code, 0, ours.stderr);
  await assertSameTree(oursCache, cache);
});

test('-overlay replacing go.mod, go.work or go.sum is refused, naming the file, with nothing downloaded', async (t) => {
  const { proxy, dir } = await setup(t);
  for (const file of ['go.mod', 'go.sum', 'sub/go.work', 'go.work.sum']) {
    writeFileSync(join(dir, 'o.json'), JSON.stringify({ Replace: { [file]: 'elsewhere' } }));
    const ours = await runGomodDl(['-overlay=o.json'], { t, proxy: proxy.url, cwd: dir });
    assert.equal(ours.code, 1, file);
    assert.equal(ours.stderr, `gomod-dl: -overlay replaces ${join(dir, file)}: not supported (go would read the replacement; gomod-dl reads the files on disk)\n`);
    assert.equal(existsSync(ours.gomodcache), false, file);
  }
  // Through GOFLAGS too, and -overlay= (empty) is no overlay.
  const viaEnv = await runGomodDl([], { t, proxy: proxy.url, cwd: dir, env: { GOFLAGS: '-overlay=o.json' } });
  assert.equal(viaEnv.code, 1);
  const empty = await runGomodDl(['-overlay='], { t, proxy: proxy.url, cwd: dir });
  assert.equal(empty.code, 0, empty.stderr);
});
