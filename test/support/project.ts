/**
 * A project directory run by go and gomod-dl side by side: each gets its own copy, and everything a
 * user sees afterwards is compared (exit status, stderr, stdout, the project's files, the cache).
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { runGo } from './gorun.js';
import { runGomodDl } from './gomoddl.js';
import type { ProxyServer } from './proxy-server.js';
import { assertSameTree } from './tree.js';
import { tempDir } from './tmp.js';

/** Every file of a directory tree (relative names) with its text. */
export function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else out[rel + e.name] = readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

/**
 * Copies `project` twice, runs go in one copy and gomod-dl in the other with `args` (from `sub`),
 * and asserts the same exit status, stderr, stdout, project files afterwards and cache.
 */
export async function sameProjectRun(t: TestContext, p: Pick<ProxyServer, 'url'>, project: string, args: string[], opts: { sub?: string; env?: Record<string, string> } = {}) {
  const goDir = tempDir(t, 'go-proj');
  const ourDir = tempDir(t, 'our-proj');
  cpSync(project, goDir, { recursive: true });
  cpSync(project, ourDir, { recursive: true });
  const go = await runGo(['mod', 'download', ...args], { t, proxy: p.url, cwd: join(goDir, opts.sub ?? ''), env: opts.env ?? {} });
  const ours = await runGomodDl(args, { t, proxy: p.url, cwd: join(ourDir, opts.sub ?? ''), env: opts.env ?? {} });
  const norm = (s: string, cache: string, dir: string) => s.split(cache).join('$C').split(dir).join('$P').replaceAll('gomod-dl: ', 'go: ');
  assert.equal(ours.code, go.code, `go: ${go.stderr}\ngomod-dl: ${ours.stderr}`);
  assert.equal(norm(ours.stderr, ours.gomodcache, ourDir), norm(go.stderr, go.gomodcache, goDir));
  assert.equal(norm(ours.stdout, ours.gomodcache, ourDir), norm(go.stdout, go.gomodcache, goDir));
  assert.deepEqual(files(ourDir), files(goDir));
  assert.equal(existsSync(ours.gomodcache), existsSync(go.gomodcache), `cache made by ${args.join(' ')}: go ${existsSync(go.gomodcache)}, ours ${existsSync(ours.gomodcache)}\n${go.stderr}`);
  if (existsSync(go.gomodcache)) await assertSameTree(ours.gomodcache, go.gomodcache);
  return { go, ours };
}

