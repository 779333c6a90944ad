// The command inside modules and workspaces, against go on the same synthetic module graph: for each
// case, go and gomod-dl run in two copies of one main-module tree, through one local proxy, into two
// fresh caches. Exit status, stdout (-json), stderr, the cache trees (names, bytes, modes) and the
// main-module tree afterwards (go.mod, go.sum, go.work.sum) must be identical.
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy, type ProxyServer } from '../support/proxy-server.js';
import { requireGo, runGo, type GoResult } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { assertSameTree, writeTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';

const E = 'example.com';
const T1 = '2024-01-01T00:00:00Z';
const T2 = '2024-02-01T00:00:00Z';
const PSEUDO = 'v1.2.1-0.20240301000000-abcdefabcdef';

/** `module <path>` plus lines, as a go.mod. */
const mod = (path: string, ...lines: string[]): string => [`module ${path}`, ...lines].join('\n') + '\n';

async function universe(): Promise<ModuleStore> {
  const m = (path: string, version: string, goMod: string | null, time?: string) =>
    buildModule({ path, version, goMod, files: { 'x.go': `package x // ${path} ${version}\n` }, ...(time ? { time } : {}) });
  const s = new ModuleStore().add(
    // A diamond: a and b both need c, at different versions.
    await m(`${E}/a`, 'v1.0.0', mod(`${E}/a`, 'go 1.21', `require ${E}/c v1.1.0`)),
    await m(`${E}/b`, 'v1.0.0', mod(`${E}/b`, 'go 1.21', `require ${E}/c v1.2.0`)),
    await m(`${E}/b`, 'v1.1.0', mod(`${E}/b`, 'go 1.21')),
    await m(`${E}/c`, 'v1.1.0', mod(`${E}/c`, 'go 1.21')),
    await m(`${E}/c`, 'v1.2.0', mod(`${E}/c`, 'go 1.21')),
    await m(`${E}/c`, 'v1.3.0', mod(`${E}/c`, 'go 1.21')),
    // A pre-1.17 module whose dependencies are not pruned away.
    await m(`${E}/old`, 'v1.0.0', mod(`${E}/old`, `require ${E}/deep v1.0.0`)),
    await m(`${E}/deep`, 'v1.0.0', mod(`${E}/deep`, 'go 1.16', `require ${E}/deeper v1.0.0`)),
    await m(`${E}/deeper`, 'v1.0.0', mod(`${E}/deeper`, 'go 1.16')),
    // Replacement targets.
    await m(`${E}/fork`, 'v1.5.0', mod(`${E}/fork`, 'go 1.21')),
    // Queries: tags, a pre-release, a retracted latest, a branch and a hash.
    await m(`${E}/q`, 'v1.0.0', mod(`${E}/q`, 'go 1.21'), T1),
    await m(`${E}/q`, 'v1.1.0', mod(`${E}/q`, 'go 1.21'), T1),
    await m(`${E}/q`, 'v1.1.1', mod(`${E}/q`, 'go 1.21'), T1),
    await m(`${E}/q`, 'v1.2.0', mod(`${E}/q`, 'go 1.21'), T2),
    await m(`${E}/q`, 'v1.3.0-rc.1', mod(`${E}/q`, 'go 1.21'), T2),
    await m(`${E}/q`, PSEUDO, mod(`${E}/q`, 'go 1.21'), '2024-03-01T00:00:00Z'),
    await m(`${E}/r`, 'v1.0.0', mod(`${E}/r`, 'go 1.21')),
    await m(`${E}/r`, 'v1.1.0', mod(`${E}/r`, 'go 1.21', 'retract v1.1.0 // broken')),
    // +incompatible: a v2 tag without go.mod, next to v1.
    await m(`${E}/inc`, 'v1.0.0', mod(`${E}/inc`, 'go 1.21')),
    await m(`${E}/inc`, 'v2.0.0+incompatible', null),
  );
  return s.alias(`${E}/q`, 'main', PSEUDO).alias(`${E}/q`, 'abcdefabcdef', PSEUDO).setLatest(`${E}/r`, 'v1.1.0');
}

let proxy: ProxyServer;
before(async () => {
  proxy = await startProxy(await universe());
});
after(() => proxy.close());

interface Case {
  /** The main tree: relative path → contents. */
  files: Record<string, string>;
  args?: string[];
  /** Working directory inside the tree. */
  cwd?: string;
  env?: Record<string, string>;
  /** go's expected exit status (default 0): keeps a case from passing because both failed early. */
  code?: number;
}

/** Runs both on copies of `c.files` and asserts they are indistinguishable; returns go's result. */
async function same(t: TestContext, c: Case): Promise<GoResult & { dir: string }> {
  requireGo(t);
  const goDir = tempDir(t, 'main-go');
  const ourDir = tempDir(t, 'main-ours');
  writeTree(goDir, c.files);
  writeTree(ourDir, c.files);
  const args = c.args ?? [];
  const opts = (dir: string) => ({ t, proxy: proxy.url, cwd: join(dir, c.cwd ?? ''), ...(c.env ? { env: c.env } : {}) });
  const go = await runGo(['mod', 'download', ...args], opts(goDir));
  const ours = await runGomodDl(args, opts(ourDir));
  const norm = (s: string, r: GoResult, dir: string) =>
    s
      .replaceAll(r.gomodcache, '$GOMODCACHE')
      .replaceAll(dir, '$WORK')
      .replaceAll('gomod-dl: ', 'go: ')
      .replaceAll("(see 'gomod-dl --help')", "(see 'go help mod download')");
  assert.equal(norm(ours.stderr, ours, ourDir), norm(go.stderr, go, goDir), 'stderr');
  assert.equal(norm(ours.stdout, ours, ourDir), norm(go.stdout, go, goDir), 'stdout');
  assert.equal(go.code, c.code ?? 0, `go's exit status (the case is not what it claims)\n${go.stderr}`);
  assert.equal(ours.code, go.code, 'exit status');
  if (existsSync(ours.gomodcache)) await assertSameTree(ours.gomodcache, go.gomodcache);
  else assert.deepEqual(cachedFiles(go.gomodcache), [], 'go cached files, gomod-dl created no GOMODCACHE');
  await assertSameTree(ourDir, goDir);
  return { ...go, dir: goDir };
}

/** Regular files under a cache other than go's lock files (go creates those before it fails). */
function cachedFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.lock') && e.name !== 'lock')
    .map((e) => join(e.parentPath, e.name));
}

const main = (...lines: string[]): Record<string, string> => ({ 'go.mod': mod(`${E}/main`, ...lines) });

test('diamond, no arguments: the require lines at their selected versions, go.mod sums of the pruned graph', async (t) => {
  const go = await same(t, { files: main('go 1.21', `require (\n\t${E}/a v1.0.0\n\t${E}/b v1.0.0\n\t${E}/c v1.2.0 // indirect\n)`) });
  assert.equal(go.code, 0, go.stderr);
});

test('diamond, all with -json: every build-list module, and its zip sums in go.sum', async (t) => {
  await same(t, { files: main('go 1.21', `require (\n\t${E}/a v1.0.0\n\t${E}/b v1.0.0\n\t${E}/c v1.2.0 // indirect\n)`), args: ['-json', 'all'] });
});

test('a pre-1.17 dependency under a pruned main module: its full closure is loaded', async (t) => {
  await same(t, { files: main('go 1.21', `require ${E}/old v1.0.0`) });
  await same(t, { files: main('go 1.21', `require ${E}/old v1.0.0`), args: ['all'] });
});

test('an unpruned main module (go 1.16): no arguments downloads all', async (t) => {
  await same(t, { files: main('go 1.16', `require ${E}/a v1.0.0`, `require ${E}/b v1.0.0`) });
});

test('replacements: whole module, one version, and a directory', async (t) => {
  const files = {
    ...main(
      'go 1.21',
      `require (\n\t${E}/a v1.0.0\n\t${E}/b v1.0.0\n\t${E}/c v1.2.0\n\t${E}/local v1.0.0\n)`,
      `replace ${E}/a => ${E}/fork v1.5.0`,
      `replace ${E}/b v1.0.0 => ${E}/b v1.1.0`,
      `replace ${E}/local => ./local`,
    ),
    'local/go.mod': mod(`${E}/local`, 'go 1.21', `require ${E}/c v1.3.0`),
  };
  await same(t, { files });
  await same(t, { files, args: ['-json', 'all'] });
});

test('exclude: an excluded version required by a dependency is never downloaded', async (t) => {
  const go = await same(t, { files: main('go 1.21', `require ${E}/b v1.0.0`, `exclude ${E}/c v1.2.0`), args: ['-json', 'all'] });
  assert.match(go.stdout, /"Path": "example\.com\/b"/);
  assert.doesNotMatch(go.stdout, /"Version": "v1\.2\.0"/);
  await same(t, { files: main('go 1.21', `require ${E}/b v1.0.0`, `exclude ${E}/c v1.2.0`) });
});

test('queries: each form resolved as go resolves it, with Query and Origin in -json', async (t) => {
  const files = main('go 1.21', `require ${E}/q v1.1.0`);
  const queries = ['latest', 'upgrade', 'patch', 'v1', 'v1.1', '<v1.2.0', '<=v1.1.0', '>v1.1.0', '>=v1.3.0-rc.1', 'main', 'abcdefabcdef', 'v1.0.0'];
  const go = await same(t, { files, args: ['-json', ...queries.map((q) => `${E}/q@${q}`)] });
  // An exact version is no query: go leaves Query out for it.
  assert.equal(go.stdout.match(/"Query": /g)?.length, queries.length - 1);
});

test('queries that match nothing and none: go\'s errors, and no go.sum in plain mode', async (t) => {
  const files = main('go 1.21', `require ${E}/q v1.1.0`);
  await same(t, { files, args: [`${E}/q@v9`, `${E}/q@none`, `${E}/q@v1.0.0`], code: 1 });
  await same(t, { files, args: ['-json', `${E}/q@v9`, `${E}/q@none`, `${E}/q@v1.0.0`], code: 1 });
});

test('a retracted latest version is skipped', async (t) => {
  await same(t, { files: main('go 1.21'), args: ['-json', `${E}/r@latest`] });
  await same(t, { files: main('go 1.21'), args: ['-json', `${E}/r@v1.1.0`] });
});

test('+incompatible versions', async (t) => {
  await same(t, { files: main('go 1.21', `require ${E}/inc v2.0.0+incompatible`) });
  await same(t, { files: main('go 1.21'), args: ['-json', `${E}/inc@latest`, `${E}/inc@v2.0.0+incompatible`, `${E}/inc@>v1.0.0`] });
});

test('a workspace of two modules downloads all and writes go.work.sum', async (t) => {
  const files = {
    'go.work': 'go 1.22\n\nuse (\n\t./one\n\t./two\n)\n',
    'one/go.mod': mod(`${E}/one`, 'go 1.21', `require ${E}/a v1.0.0`),
    'two/go.mod': mod(`${E}/two`, 'go 1.21', `require ${E}/b v1.0.0`),
  };
  const go = await same(t, { files, cwd: 'one' });
  assert.match(readFileSync(join(go.dir, 'go.work.sum'), 'utf8'), /^example\.com\/a v1\.0\.0 h1:/m);
  await same(t, { files, cwd: 'two', args: ['-json'] });
  await same(t, { files, cwd: 'one', env: { GOWORK: 'off' } });
});

test('the main module named as an argument is skipped with go\'s message', async (t) => {
  const files = main('go 1.21', `require ${E}/a v1.0.0`);
  await same(t, { files, args: [`${E}/main`, `${E}/main@upgrade`, `${E}/a`] });
});

test('go\'s messages: unknown module, unmatched pattern, nothing to download', async (t) => {
  const files = main('go 1.21', `require ${E}/a v1.0.0`);
  await same(t, { files, args: [`${E}/nope`], code: 1 });
  await same(t, { files, args: [`${E}/zzz/...`, `${E}/...`] });
  await same(t, { files: main('go 1.21') });
});

test('arguments that are not module paths: relative paths, backslashes, outside a module', async (t) => {
  const files = main('go 1.21', `require ${E}/a v1.0.0`);
  await same(t, { files, args: ['./x'], code: 1 });
  await same(t, { files, args: ['example.com\\a@v1.0.0'], code: 1 });
  await same(t, { files: {}, args: ['all'], code: 1 });
  await same(t, { files: {}, code: 1 });
});

test('a go.sum that already vouches for everything is left byte for byte', async (t) => {
  const files = main('go 1.21', `require ${E}/a v1.0.0`, `require ${E}/c v1.1.0 // indirect`);
  const first = tempDir(t, 'first');
  writeTree(first, files);
  const r = await runGomodDl(['all'], { t, proxy: proxy.url, cwd: first });
  assert.equal(r.code, 0, r.stderr);
  const sum = readFileSync(join(first, 'go.sum'), 'utf8');
  assert.match(sum, /example\.com\/a v1\.0\.0 h1:/);
  await same(t, { files: { ...files, 'go.sum': sum } });
  await same(t, { files: { ...files, 'go.sum': sum.split('\n').reverse().join('\n') }, args: ['all'] });
});

test('a go.mod without a go line gets go\'s own fix-ups: the go line and pruned requirements', async (t) => {
  const quoted = { 'go.mod': `module "${E}/main"\n\nrequire (\n\t"${E}/a" v1.0.0\n)\n` };
  const go = await same(t, { files: quoted });
  assert.match(readFileSync(join(go.dir, 'go.mod'), 'utf8'), /^go 1\.\d+/m);
  await same(t, { files: main(`require ${E}/old v1.0.0`), args: [`${E}/old@v1.0.0`] });
  // Nothing to download: go stops before it would write go.mod.
  await same(t, { files: main() });
});

test('a go.sum mismatch met while loading the graph is fatal, with go\'s text and no JSON', async (t) => {
  const files = {
    ...main('go 1.21', `require ${E}/a v1.0.0`),
    'go.sum': `${E}/a v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n`,
  };
  const go = await same(t, { files, code: 1 });
  assert.match(go.stderr, /SECURITY ERROR/);
  await same(t, { files, args: ['-json', 'all'], code: 1 });
});

test('an untidy go.mod: a zip fetched early for a requirement that is not selected leaves nothing behind', async (t) => {
  // c v1.1.0 is required but b selects c v1.2.0: gomod-dl starts c v1.1.0's zip while the graph loads.
  const files = main('go 1.21', `require (\n\t${E}/b v1.0.0\n\t${E}/c v1.1.0\n)`);
  proxy.reset();
  await same(t, { files });
  assert.equal(proxy.count(/\/c\/@v\/v1\.1\.0\.zip$/), 1, 'the early fetch this test is about did not happen');
  await same(t, { files, args: ['-json', 'all'] });
});
