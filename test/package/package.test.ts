// The npm package as users get it: `npm pack` holds only what runs (bin/, the built JavaScript, README,
// LICENSE, package.json), no install scripts, and the tarball installed into a temp prefix runs
// offline against the local proxy (its dependencies come from a throwaway registry on 127.0.0.1 built
// from node_modules, so the test needs no network).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { freshGoRoot, hermeticGoEnv, requireGo, runGo } from '../support/gorun.js';
import { assertSameTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';

const run = promisify(execFile);
/** The checkout (dist/test/package → ../../..). */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

/** npm with the user's environment but no npm_* variables of the npm test run that started us. */
function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith('npm_')) env[k] = v;
  return { ...env, npm_config_update_notifier: 'false', ...extra };
}

test('npm pack holds bin/, the bundled command and worker, README, LICENSE and package.json, nothing else; no install scripts', async () => {
  // --ignore-scripts: prepack would rebuild dist/src while other test files import it.
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, env: npmEnv() });
  const [info] = JSON.parse(stdout) as { files: { path: string }[]; entryCount: number; size: number }[];
  const files = info!.files.map((f) => f.path).sort();
  for (const f of files) {
    assert.ok(/^(bin\/gomod-dl\.js|bin\/package\.json|dist\/bundle\/package\.json|dist\/bundle\/[^/]+\.c?js|dist\/bundle\/THIRD-PARTY-LICENSES\.txt|README\.md|LICENSE|package\.json)$/.test(f), `unexpected file in the package: ${f}`);
  }
  for (const f of ['LICENSE', 'README.md', 'bin/gomod-dl.js', 'bin/package.json', 'dist/bundle/package.json', 'dist/bundle/gomod-dl.cjs', 'dist/bundle/codecache.js', 'dist/bundle/extractworker.js', 'dist/bundle/extractworker.cjs', 'dist/bundle/spawner.js', 'dist/bundle/THIRD-PARTY-LICENSES.txt']) assert.ok(files.includes(f), f);
  assert.match(readFileSync(join(ROOT, 'LICENSE'), 'utf8'), /BSD 3-Clause License/);
  for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(pkg.scripts[s], undefined, `${s} script`);
  assert.match(pkg.scripts['prepack'] ?? '', /tsconfig\.build\.json/);
  const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: Record<string, unknown>; include: string[] };
  assert.equal(build.compilerOptions['sourceMap'], false);
  assert.equal(build.compilerOptions['declaration'], false);
  assert.deepEqual(build.include, ['src/**/*.ts']);
});

/**
 * A registry on 127.0.0.1 serving the production dependencies found in node_modules (packed with npm
 * pack), so npm can install the tarball with no network.
 */
async function localRegistry(t: TestContext, dir: string): Promise<string> {
  const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, env: npmEnv() });
  const deps = stdout.trim().split('\n').slice(1);
  const packuments = new Map<string, unknown>();
  const tarballs = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '/');
    const tarball = tarballs.get(url);
    if (tarball !== undefined) return void res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(tarball);
    const doc = packuments.get(url.slice(1));
    if (doc !== undefined) return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(doc));
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await Promise.all(deps.map(async (depDir) => {
    const manifest = JSON.parse(readFileSync(join(depDir, 'package.json'), 'utf8')) as { name: string; version: string };
    const { stdout: name } = await run('npm', ['pack', depDir, '--ignore-scripts', '--silent', '--pack-destination', dir], { env: npmEnv() });
    const data = readFileSync(join(dir, name.trim()));
    const path = `/${manifest.name}/-/${name.trim()}`;
    tarballs.set(path, data);
    const dist = {
      tarball: base + path,
      shasum: createHash('sha1').update(data).digest('hex'),
      integrity: 'sha512-' + createHash('sha512').update(data).digest('base64'),
    };
    packuments.set(manifest.name, { name: manifest.name, 'dist-tags': { latest: manifest.version }, versions: { [manifest.version]: { ...manifest, dist } } });
  }));
  return base;
}

test('the packed tarball installs into a temp prefix without network and downloads as go does against the local proxy', async (t) => {
  requireGo(t);
  const dir = tempDir(t, 'pack');
  const { stdout: tgz } = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT, env: npmEnv() });
  const registry = await localRegistry(t, dir);
  const prefix = join(dir, 'prefix');
  await run('npm', ['install', '-g', '--prefix', prefix, '--registry', registry, '--cache', join(dir, 'npm-cache'), '--no-audit', '--no-fund', join(dir, tgz.trim())], {
    env: npmEnv(),
  });
  const bin = join(prefix, 'bin', 'gomod-dl');
  const { stdout: version } = await run(bin, ['--version']);
  assert.equal(version.trim(), pkg.version);

  const m = await buildModule({ path: 'example.com/Packed', version: 'v1.2.3', files: { 'p.go': 'package p\n' } });
  const proxy = await startProxy(new ModuleStore().add(m));
  t.after(() => proxy.close());
  const root = freshGoRoot(t);
  const env = hermeticGoEnv(root, { proxy: proxy.url });
  const ours = await run(bin, ['example.com/Packed@v1.2.3'], { env: { ...env, PATH: process.env['PATH'] ?? '' }, cwd: root });
  assert.equal(ours.stderr, '');
  const go = await runGo(['mod', 'download', 'example.com/Packed@v1.2.3'], { t, proxy: proxy.url });
  assert.equal(go.code, 0, go.stderr);
  await assertSameTree(env['GOMODCACHE']!, go.gomodcache);
});
