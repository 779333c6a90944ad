// Compares planDownload with the real `go mod download -json` on the same module universe: the
// modules go lists (path, version, query, error), and the .mod / .zip / .info files in its cache.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { TestContext } from 'node:test';
import { planDownload, type DownloadPlan } from '../../src/resolve/plan.js';
import { cacheFiles, goIn, jsonObjects, requested, type Universe } from './fixture.js';
import type { GoResult } from '../support/gorun.js';

let goVersionCache: string | undefined;

/** The running go's version without the `go` prefix (gover.Local()). */
export function localGoVersion(): string {
  goVersionCache ??= execFileSync('go', ['env', 'GOVERSION'], { env: { ...process.env, GOTOOLCHAIN: 'local', GOENV: 'off' } })
    .toString()
    .trim()
    .replace(/^go/, '');
  return goVersionCache;
}

/** Runs the resolver as `go mod download [-json] args` in `cwd` would. */
export function plan(u: Universe, cwd: string, args: string[], extra: { gowork?: string; json?: boolean } = {}): Promise<DownloadPlan> {
  return planDownload({
    source: u.source,
    cwd,
    args,
    goVersion: localGoVersion(),
    gotoolchain: 'local',
    concurrency: 4,
    gowork: extra.gowork ?? '',
    json: extra.json ?? true,
  });
}

export interface Compared {
  plan: DownloadPlan;
  go: GoResult;
}

/**
 * Plans, then runs go on the same directory, and asserts that both agree on the listed modules
 * and on which .mod, .info and .zip files end up in the cache.
 */
export async function compareWithGo(t: TestContext, u: Universe, cwd: string, args: string[], env: Record<string, string> = {}): Promise<Compared> {
  const p = await plan(u, cwd, args, env['GOWORK'] !== undefined ? { gowork: env['GOWORK'] } : {});
  const go = await goIn(t, u, cwd, ['mod', 'download', '-json', ...args], env);
  const goMods = jsonObjects(go).map((o) => ({
    path: o['Path'],
    version: o['Version'] ?? '',
    ...(o['Query'] !== undefined ? { query: o['Query'] } : {}),
    ...(o['Error'] !== undefined ? { error: o['Error'] } : {}),
  }));
  const ours = p.modules.map((x) => ({
    path: x.path,
    version: x.version,
    ...(x.query !== undefined ? { query: x.query } : {}),
    ...(x.error !== undefined ? { error: x.error } : {}),
  }));
  assert.deepEqual(ours, goMods, `listed modules differ\ngo stderr:\n${go.stderr}`);
  const downloaded = p.modules.filter((x) => x.error === undefined).map((x) => `${x.path}@${x.version}`);
  const uniq = (l: string[]): string[] => [...new Set(l)].sort();
  assert.deepEqual(uniq(downloaded), cacheFiles(go.gomodcache, 'zip'), 'zip files differ');
  assert.deepEqual(uniq([...requested(u, 'mod'), ...downloaded]), cacheFiles(go.gomodcache, 'mod'), '.mod files differ');
  assert.deepEqual(uniq([...requested(u, 'infov'), ...downloaded]), cacheFiles(go.gomodcache, 'info'), '.info files differ');
  return { plan: p, go };
}
