// One benchmark run: a fresh copy of the corpus entry, a fresh GOPATH and GOMODCACHE, the hermetic
// environment the tests give go (GOSUMDB=off, GOFLAGS=-modcacherw, GOTOOLCHAIN=local, GOPROXY = the
// mirror server), and either `go mod download` or `gomod-dl`, both with no arguments, in the entry.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hermeticGoEnv } from '../test/support/gorun.js';
import { runMeasured, type Measured } from './measure.js';
import { type CorpusEntry } from './mirror.js';
import { hermeticEnv, prepareGoRoot } from '../tools/compat/gorun.js';

export type Tool = 'go' | 'gomod-dl';

/** The command line, run as a user would run it (its own Node process, its own startup). */
export const GOMODDL_BIN = fileURLToPath(new URL('../../bin/gomod-dl.js', import.meta.url));

/** The directories of one cold run and the warm run after it. */
export interface RunDirs {
  root: string;
  gomodcache: string;
  env: Record<string, string>;
}

/**
 * A fresh root with home (telemetry off), GOPATH and GOMODCACHE for one tool's runs on one mirror.
 * `network`: the proxy is reached over this machine's network (its proxy variables and CAs), for the
 * real-proxy mode; otherwise any request to anything but `proxyUrl` fails.
 */
export async function freshRun(proxyUrl: string, network = false): Promise<RunDirs> {
  const root = await mkdtemp(join(tmpdir(), 'gomod-dl-bench-run-'));
  prepareGoRoot(root);
  const gomodcache = join(root, 'gopath', 'pkg', 'mod');
  const env = network
    ? hermeticEnv(root, { proxy: proxyUrl, allowNetwork: true, env: { GOMODCACHE: gomodcache, GOWORK: '', GOAUTH: 'off', XDG_CACHE_HOME: join(root, 'home', '.cache') } })
    : hermeticGoEnv(root, { proxy: proxyUrl, gomodcache });
  return { root, gomodcache, env };
}

let copies = 0;

/**
 * Runs `tool` once with no arguments in a fresh copy of the entry (go may rewrite go.sum), on the
 * run's cache: the first call on a fresh run is the cold run, a later one a warm run.
 * `extraArgs` go to gomod-dl only (the concurrency sweep's `-j N`).
 * @see https://go.dev/ref/mod#go-mod-download (no arguments: the main module's requirements)
 */
export async function runTool(tool: Tool, mirror: CorpusEntry, dirs: RunDirs, extraArgs: readonly string[] = []): Promise<Measured> {
  const work = join(dirs.root, `work${copies++}`, mirror.entry);
  await cp(mirror.entryDir, work, { recursive: true });
  const r =
    tool === 'go'
      ? await runMeasured('go', ['mod', 'download'], { cwd: work, env: dirs.env })
      : // Executed as npx runs it (through its #! line and the Node flags there).
        await runMeasured(GOMODDL_BIN, [...extraArgs], { cwd: work, env: dirs.env });
  if (r.code !== 0) {
    throw new Error(`${tool} exited ${r.code} in ${work} (${mirror.entry}); a benchmark of a failed run is worthless:\n${r.stderr.slice(0, 4000)}`);
  }
  return r;
}

/**
 * The relative names of every file in a module cache, except the checksum database's cache and lock
 * files: what two equivalent downloads must both have written.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go
 */
export async function cacheFiles(gomodcache: string): Promise<Set<string>> {
  const entries = await readdir(gomodcache, { recursive: true, withFileTypes: true });
  const names = new Set<string>();
  for (const e of entries) {
    if (e.isDirectory()) continue;
    const rel = join(e.parentPath, e.name).slice(gomodcache.length + 1);
    if (rel.startsWith('cache/download/sumdb/') || rel.endsWith('.lock')) continue;
    names.add(rel);
  }
  return names;
}

/** The module zips in a set of {@link cacheFiles} names: how many modules a run downloaded. */
export function zipCount(files: Set<string>): number {
  let n = 0;
  for (const f of files) if (f.startsWith('cache/download/') && f.endsWith('.zip')) n++;
  return n;
}

/** Names in one set and not the other, for the error message (at most `max` of each). */
export function setDifference(goFiles: Set<string>, ours: Set<string>, max = 20): string[] {
  const out: string[] = [];
  const missing = [...goFiles].filter((f) => !ours.has(f));
  const extra = [...ours].filter((f) => !goFiles.has(f));
  out.push(...missing.slice(0, max).map((f) => `only in go's cache:       ${f}`));
  if (missing.length > max) out.push(`... and ${missing.length - max} more only in go's`);
  out.push(...extra.slice(0, max).map((f) => `only in gomod-dl's cache: ${f}`));
  if (extra.length > max) out.push(`... and ${extra.length - max} more only in gomod-dl's`);
  return out;
}

/** Removes a run's directories (not timed). */
export async function removeRun(dirs: RunDirs): Promise<void> {
  await rm(dirs.root, { recursive: true, force: true, maxRetries: 3 });
}
