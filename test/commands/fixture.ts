// A small module world for the subcommand tests: a main module requiring example.com/a (which requires
// example.com/b) served by a local proxy, and helpers to fill a cache with the real go.
import type { TestContext } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy, type ProxyServer } from '../support/proxy-server.js';
import { TestSumdbServer, type SumdbEntry } from '../support/sumdb-server.js';
import assert from 'node:assert/strict';
import { parseJsonStream, requireGo, runGo } from '../support/gorun.js';
import { rmrf, writeTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';

export const MAIN_GO_MOD = `module example.com/main

go 1.21

require (
	example.com/a v1.0.0
	example.com/b v1.1.0 // indirect
)
`;

/** The modules: a (two versions), b, and c (only in b's graph), with packages main imports. */
export async function worldStore(): Promise<ModuleStore> {
  return new ModuleStore().add(
    await buildModule({
      path: 'example.com/a',
      version: 'v1.0.0',
      goMod: 'module example.com/a\n\ngo 1.21\n\nrequire example.com/b v1.1.0\n',
      files: { 'a.go': 'package a\n\nimport "example.com/b"\n\nfunc A() string { return b.B() }\n', 'sub/s.go': 'package sub\n' },
    }),
    await buildModule({ path: 'example.com/a', version: 'v1.1.0', goMod: 'module example.com/a\n\ngo 1.21\n', files: { 'a.go': 'package a\n' } }),
    await buildModule({
      path: 'example.com/b',
      version: 'v1.1.0',
      goMod: 'module example.com/b\n\ngo 1.21\n\nrequire example.com/c v0.1.0\n',
      files: { 'b.go': 'package b\n\nfunc B() string { return "b" }\n' },
    }),
    await buildModule({ path: 'example.com/c', version: 'v0.1.0', goMod: 'module example.com/c\n\ngo 1.21\n', files: { 'c.go': 'package c\n' } }),
  );
}

/** A proxy serving {@link worldStore}, closed after `t`. */
export async function worldProxy(t: TestContext): Promise<ProxyServer> {
  const proxy = await startProxy(await worldStore());
  t.after(() => proxy.close());
  return proxy;
}

/** A fresh main module directory (go.mod, lib.go; no go.sum). */
export function mainModule(t: TestContext): string {
  const dir = join(tempDir(t, 'main'), 'main');
  writeTree(dir, {
    'go.mod': MAIN_GO_MOD,
    // A library, not a command: go build ./... then compiles three tiny packages and no runtime.
    'lib.go': 'package lib\n\nimport "example.com/a"\n\nfunc Lib() string { return a.A() }\n',
  });
  return dir;
}

/** A fresh GOMODCACHE path (not created), removed after `t`. */
export function freshCache(t: TestContext): string {
  const root = mkdtempSync(join(tmpdir(), 'gomod-dl-cache-'));
  t.after(() => rmrf(root));
  return join(root, 'mod');
}

/** The test checksum database's signer and verifier keys (test/download/sumdb.test.ts uses the same). */
export const SUMDB_SKEY = 'PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXHDfDGxSPk';
export const SUMDB_VKEY = 'localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6';

/** A test checksum database served behind `proxy`'s /sumdb/ route. */
export function mountSumdb(proxy: ProxyServer): TestSumdbServer {
  const server = new TestSumdbServer({ signerKey: SUMDB_SKEY });
  proxy.setSumdb(async (name, rest, _req, res) => {
    const full = `${name}/${rest}`;
    if (!full.startsWith(`${server.name}/`)) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    const r = await server.handle('/' + full.slice(server.name.length + 1));
    res.writeHead(r.status, { 'Content-Type': r.contentType, 'Content-Length': r.body.length }).end(r.body);
  });
  return server;
}

const FILLER_MOD = 'h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA=';
const ALL = ['example.com/a@v1.0.0', 'example.com/a@v1.1.0', 'example.com/b@v1.1.0', 'example.com/c@v0.1.0'];

/**
 * The world's proxy with the test checksum database behind it, holding the true sums (as go computes
 * them) among 300 fillers, so that proofs need several tiles.
 */
export async function worldWithSumdb(t: TestContext): Promise<ProxyServer & { sumdb: TestSumdbServer }> {
  requireGo(t);
  const proxy = await worldProxy(t);
  const plain = await runGo(['mod', 'download', '-json', ...ALL], { t, proxy: proxy.url });
  assert.equal(plain.code, 0, plain.stderr);
  const entries: SumdbEntry[] = parseJsonStream<{ Path: string; Version: string; Sum: string; GoModSum: string }>(plain.stdout).map((s) => ({
    path: s.Path,
    version: s.Version,
    hash: s.Sum,
    goModHash: s.GoModSum,
  }));
  const fillers = Array.from({ length: 300 }, (_, i) => ({ path: `example.com/filler/f${i}`, version: 'v1.0.0', goModHash: FILLER_MOD }));
  const sumdb = mountSumdb(proxy);
  await sumdb.add(...fillers.slice(0, 150), ...entries.slice(0, 2), ...fillers.slice(150), ...entries.slice(2));
  return Object.assign(proxy, { sumdb });
}
