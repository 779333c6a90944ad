/**
 * `gomod-dl export DIR [modules]`: downloads what `gomod-dl [modules]` downloads (same arguments, same
 * resolution, through the module cache) and writes it as a static GOPROXY tree, with the checksum
 * database files a proxy serves under `/sumdb/<name>/`, so that go with `GOPROXY=file://DIR` (or DIR
 * behind any static web server) and GOSUMDB at its default downloads the same modules with no other
 * network. Files already in DIR are kept: exporting again adds only what is new (the checksum database
 * part is sumdbexport.ts).
 *
 * Layout (https://go.dev/ref/mod#goproxy-protocol, https://go.dev/ref/mod#checksum-database):
 *   DIR/<escpath>/@v/<escver>.{info,mod,zip}, DIR/<escpath>/@v/list, DIR/<escpath>/@latest
 *   DIR/sumdb/<name>/supported, DIR/sumdb/<name>/lookup/<escpath>@<escver>, DIR/sumdb/<name>/tile/…
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import nodePath from 'node:path';
import { CacheLayout } from '../cache/index.js';
import { escapePath, escapeVersion, isPseudoVersion, sortVersions, unescapeVersion } from '../module/index.js';
import { isToolchainPath, type DownloadPlan } from '../resolve/index.js';
import type { ModuleVersion } from '../module/index.js';
import { exportedLine } from '../report/commandlines.js';
import { run, type RunOptions } from '../run.js';
import { exportSumdb } from './sumdbexport.js';

export interface ExportOptions extends Omit<RunOptions, 'args' | 'onDone'> {
  /** The tree to write (relative to the working directory after -C). */
  dir: string;
  modules: string[];
}

/** Runs `gomod-dl export`; the exit status is the download's (the tree is written only on success). */
export async function exportCommand(o: ExportOptions): Promise<number> {
  const base = o.chdir !== undefined ? nodePath.resolve(o.cwd, o.chdir) : o.cwd;
  const dir = nodePath.resolve(base, o.dir);
  return run({
    ...o,
    args: o.modules,
    onDone: async (r) => {
      const n = await writeTree(dir, r);
      o.stderr(exportedLine(n.modules, dir, n.added));
    },
  });
}

/** Copies the run's modules and checksum database files from GOMODCACHE into the proxy tree. */
async function writeTree(dir: string, r: Parameters<NonNullable<RunOptions['onDone']>>[0]): Promise<{ modules: number; added: number }> {
  const cache = new CacheLayout(r.env.GOMODCACHE);
  const w = new TreeWriter();
  const vdir = (path: string): string => nodePath.join(dir, escapePath(path), '@v');
  const versions = new Map<string, Set<string>>();
  const note = (path: string, version: string): void => {
    let s = versions.get(path);
    if (s === undefined) versions.set(path, (s = new Set()));
    s.add(version);
  };
  // The go.mod (and .info, when cached) of every module version the resolver loaded, and of the build
  // list (whose .info --offline-complete fetched).
  for (const m of graphModules(r.plan)) {
    const to = nodePath.join(vdir(m.path), escapeVersion(m.version));
    await w.copy(cache.modFile(m.path, m.version), to + '.mod', { optional: true });
    await w.copy(cache.infoFile(m.path, m.version), to + '.info', { optional: true });
    note(m.path, m.version);
  }
  let count = 0;
  for (const m of r.modules) {
    if (m.Error !== undefined || m.Path === undefined || m.Version === undefined) continue;
    const to = nodePath.join(vdir(m.Path), escapeVersion(m.Version));
    await w.copy(m.Info!, to + '.info');
    await w.copy(m.GoMod!, to + '.mod');
    await w.copy(m.Zip!, to + '.zip');
    // A query go answers from @latest: when the version list has no release (pseudo-versions only).
    if (m.Query !== undefined && isPseudoVersion(m.Version)) await w.copy(m.Info!, nodePath.join(dir, escapePath(m.Path), '@latest'));
    note(m.Path, m.Version);
    count++;
  }
  for (const path of versions.keys()) await writeList(vdir(path), w);
  const sumdb = await exportSumdb(dir, cache, r.env, versions, r.fetcher);
  return { modules: count, added: w.added + sumdb.added };
}

function graphModules(plan: DownloadPlan): ModuleVersion[] {
  const mm = plan.mainModules;
  const fromBuildList = (plan.buildList ?? [])
    .filter((m) => !isToolchainPath(m.path) && mm !== undefined && !mm.contains(m.path))
    .map((m) => mm!.resolveReplacement(m));
  const seen = new Set<string>();
  return [...plan.goModsFetched, ...fromBuildList].filter((m) => {
    const key = `${m.path}@${m.version}`;
    if (m.version === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * `@v/list`: the release versions whose zip is in the tree (never pseudo-versions, as a proxy lists
 * them; never a version with only a go.mod, which a `latest` query must not pick).
 */
async function writeList(vdir: string, w: TreeWriter): Promise<void> {
  const names = await readdir(vdir).catch(() => undefined);
  if (names === undefined) return; // nothing of this module was in the cache
  const list = sortVersions(
    names.filter((n) => n.endsWith('.zip')).map((n) => unescapeVersion(n.slice(0, -4))).filter((v) => !isPseudoVersion(v)),
  );
  await w.write(nodePath.join(vdir, 'list'), list.map((v) => v + '\n').join(''));
}

/** Writes files into the tree by temp file and rename (a server never serves half a file), counting new ones. */
class TreeWriter {
  added = 0;
  #seq = 0;

  /** Copies `from` to `to` unless `to` exists (every file of the protocol is immutable but list). */
  async copy(from: string, to: string, opts: { optional?: boolean } = {}): Promise<void> {
    if (await exists(to)) return;
    if (opts.optional === true && !(await exists(from))) return;
    await mkdir(nodePath.dirname(to), { recursive: true });
    const tmp = `${to}.${process.pid}.${this.#seq++}.tmp`;
    await copyFile(from, tmp, constants.COPYFILE_EXCL);
    await rename(tmp, to);
    this.added++;
  }

  async write(to: string, data: string, opts: { keep?: boolean } = {}): Promise<void> {
    const existed = await exists(to);
    if (existed && opts.keep === true) return;
    await mkdir(nodePath.dirname(to), { recursive: true });
    const tmp = `${to}.${process.pid}.${this.#seq++}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, to);
    if (!existed) this.added++;
  }
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}
