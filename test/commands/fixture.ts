// A small module world for the subcommand tests: a main module requiring example.com/a (which requires
// example.com/b) served by a local proxy, and helpers to fill a cache with the real go.
import type { TestContext } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy, type ProxyServer } from '../support/proxy-server.js';
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

/** A fresh main module directory (go.mod, main.go; no go.sum). */
export function mainModule(t: TestContext): string {
  const dir = join(tempDir(t, 'main'), 'main');
  writeTree(dir, {
    'go.mod': MAIN_GO_MOD,
    'main.go': 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/a"\n)\n\nfunc main() { fmt.Println(a.A()) }\n',
  });
  return dir;
}

/** A fresh GOMODCACHE path (not created), removed after `t`. */
export function freshCache(t: TestContext): string {
  const root = mkdtempSync(join(tmpdir(), 'gomod-dl-cache-'));
  t.after(() => rmrf(root));
  return join(root, 'mod');
}
