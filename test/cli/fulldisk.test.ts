// A full disk: the module cache on a small tmpfs, so that writing the zip fails with ENOSPC. go names
// the file it was writing (`read "<url>": write <temp>: no space left on device`); so must gomod-dl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { requireGo, runGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';

/** Mounts a tmpfs of `kib` KiB at `dir` (root only; CI runs as root). */
function mountSmallTmpfs(dir: string, kib: number): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test("a full disk: the zip's temp file is named in go's words, nothing is published", async (t) => {
  requireGo(t);
  // Incompressible, so the zip itself is bigger than the file system.
  const mod = await buildModule({ path: 'example.com/big', version: 'v1.0.0', files: { 'a.go': 'package a\n', 'blob.bin': randomBytes(256 << 10) } });
  const proxy = await startProxy(new ModuleStore().add(mod));
  t.after(() => proxy.close());
  const dir = mkdtempSync(join(tmpdir(), 'gomod-dl-fulldisk-'));
  const mounts: string[] = [];
  // Unmount first, then remove (the test context runs after-hooks in the order they were added).
  t.after(() => {
    for (const m of mounts) execFileSync('umount', ['-l', m]);
    rmSync(dir, { recursive: true, force: true });
  });
  const results: Record<string, { code: number; line: string; gomodcache: string }> = {};
  for (const tool of ['go', 'ours'] as const) {
    const gopath = join(dir, tool);
    mkdirSync(gopath, { recursive: true });
    if (!mountSmallTmpfs(gopath, 128)) {
      t.skip('mounting a tmpfs needs root (CI runs as root)');
      return;
    }
    mounts.push(gopath);
    const opts = { t, proxy: proxy.url, gopath, gomodcache: join(gopath, 'pkg/mod') };
    const r = tool === 'go' ? await runGo(['mod', 'download', 'example.com/big@v1.0.0'], opts) : await runGomodDl(['example.com/big@v1.0.0'], opts);
    const line = r.stderr.trimEnd().split('\n').pop()!.replace(/^(go|gomod-dl): /, '');
    results[tool] = { code: r.code, line, gomodcache: opts.gomodcache };
    if (tool === 'ours') {
      // Nothing under a final name: neither the zip nor the tree.
      const left = execFileSync('find', [opts.gomodcache, '-name', '*.zip', '-o', '-name', 'big@v1.0.0'], { encoding: 'utf8' });
      assert.equal(left, '');
    }
  }
  const go = results['go']!;
  const ours = results['ours']!;
  assert.equal(ours.code, go.code);
  // The temp file's name and place differ (gomod-dl keeps its temps in its work directory).
  const norm = (s: string, root: string) => s.split(root).join('$GOMODCACHE').replace(/write \$GOMODCACHE\/\S+\.tmp:/, 'write <temp>:');
  assert.match(go.line, /: write \S+\.tmp: no space left on device$/);
  assert.equal(norm(ours.line, ours.gomodcache), norm(go.line, go.gomodcache));
});
