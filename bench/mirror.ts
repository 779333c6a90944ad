// The benchmark's local mirror: for each corpus entry, the module cache that the real `go mod download`
// (no arguments) fills from the real proxy. A module cache's cache/download directory is a valid GOPROXY
// tree (the file:// proxy layout), so serving it replays exactly the files go needed, with no network.
//
// The mirror lives outside the repository (default ~/.cache/gomod-dl-bench, or $GOMODDL_BENCH_DIR) and
// is built once: a COMPLETE marker, holding a digest of the entry's go.mod and go.sum, says it is whole.
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hermeticEnv, prepareGoRoot } from '../tools/compat/gorun.js';

const run = promisify(execFile);

/** Where the corpus lives. */
export const CORPUS_DIR = process.env.GOMODDL_SHARED ? `${process.env.GOMODDL_SHARED}/corpus` : fileURLToPath(new URL('../../../shared/corpus', import.meta.url));

/** The proxy the mirror is filled from (and the real-proxy mode uses): the machine's GOPROXY if set, else the public one. */
export const UPSTREAM = process.env['GOPROXY'] && !/^(off|direct)$/.test(process.env['GOPROXY']) ? process.env['GOPROXY'] : 'https://proxy.golang.org';

/** A corpus entry: the directory a benchmark run copies and runs in. */
export interface CorpusEntry {
  entry: string;
  /** The corpus directory holding go.mod and go.sum. */
  entryDir: string;
}

/** The corpus entry `entry` (its go.mod must be there). */
export async function corpusEntry(entry: string): Promise<CorpusEntry> {
  const entryDir = join(CORPUS_DIR, entry);
  await access(join(entryDir, 'go.mod')).catch(() => {
    throw new Error(`bench: no corpus entry ${entry} (no ${join(entryDir, 'go.mod')})`);
  });
  return { entry, entryDir };
}

/** One corpus entry's mirror. */
export interface Mirror extends CorpusEntry {
  /** The module cache go filled. */
  modcache: string;
  /** `<modcache>/cache/download`: the GOPROXY tree to serve. */
  proxyDir: string;
}

/** The mirror root: $GOMODDL_BENCH_DIR or ~/.cache/gomod-dl-bench. */
export function mirrorRoot(): string {
  return process.env['GOMODDL_BENCH_DIR'] || join(homedir(), '.cache', 'gomod-dl-bench');
}

/** Digest of what the mirror depends on: a changed go.mod or go.sum means a rebuild. */
async function entryDigest(entryDir: string): Promise<string> {
  const h = createHash('sha256');
  for (const f of ['go.mod', 'go.sum']) h.update(await readFile(join(entryDir, f)).catch(() => Buffer.alloc(0))).update('\0');
  return h.digest('hex');
}

/**
 * Returns the mirror of a corpus entry, building it first (with the network) when it is missing or stale.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (the cache/download layout)
 * @see https://go.dev/ref/mod#goproxy-protocol (a file:// proxy has the same layout)
 */
export async function ensureMirror(entry: string, log: (s: string) => void): Promise<Mirror> {
  const entryDir = join(CORPUS_DIR, entry);
  const dir = join(mirrorRoot(), entry);
  const modcache = join(dir, 'modcache');
  const mirror: Mirror = { entry, entryDir, modcache, proxyDir: join(modcache, 'cache', 'download') };
  const marker = join(dir, 'COMPLETE');
  const digest = await entryDigest(entryDir);
  const have = await readFile(marker, 'utf8').catch(() => '');
  if (have.split('\n')[0] === digest) return mirror;

  log(`building mirror of ${entry} in ${dir} from ${UPSTREAM} ...`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const tmp = await mkdtemp(join(tmpdir(), 'gomod-dl-bench-mirror-'));
  try {
    const work = join(tmp, entry);
    await cp(entryDir, work, { recursive: true });
    // The tests' hermetic environment, with this machine's network and go's default GOSUMDB.
    const env = hermeticEnv(prepareGoRoot(tmp), {
      proxy: UPSTREAM,
      allowNetwork: true,
      env: { GOMODCACHE: modcache, GOSUMDB: undefined, GOWORK: undefined },
    });
    const t0 = performance.now();
    await run('go', ['mod', 'download'], { cwd: work, env, maxBuffer: 64 << 20 });
    const { stdout: version } = await run('go', ['version'], { env });
    await writeFile(marker, `${digest}\n${version.trim()}\n${new Date().toISOString()}\n`);
    log(`mirror of ${entry} built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return mirror;
}
