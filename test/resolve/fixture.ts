// Test fixtures for src/resolve: a synthetic module universe served both to the resolver (an
// in-memory ModuleSource that logs every request) and to the real go command (a file:// GOPROXY
// directory with the same bytes), plus helpers that compare what each of them fetched.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TestContext } from 'node:test';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { fileProxyUrl, parseJsonStream, runGo, type GoResult } from '../support/gorun.js';
import { tempDir } from '../support/tmp.js';
import { writeTree } from '../support/tree.js';
import {
  compare,
  escapePath,
  escapeVersion,
  isPseudoVersion,
  isValid,
  canonicalVersion,
  unescapePath,
  unescapeVersion,
  InvalidVersionError,
  ModuleError,
} from '../../src/module/index.js';
import type { ModuleSource, RevInfo, SourceRepo } from '../../src/resolve/source.js';
import { decodeInfo } from '../../src/cache/index.js';

/** A module version of the synthetic universe: its go.mod text (default `module <path>\n`). */
export interface Mod {
  path: string;
  version: string;
  goMod?: string;
  time?: string;
}

/** Shorthand: `m('example.com/a', 'v1.0.0', 'go 1.16', 'require example.com/b v1.0.0')`. */
export function m(path: string, version: string, ...lines: string[]): Mod {
  return { path, version, goMod: [`module ${path}`, ...lines].join('\n') + '\n' };
}

/** A built universe: the store (for go) and a logging ModuleSource (for the resolver). */
export interface Universe {
  store: ModuleStore;
  proxyDir: string;
  proxyUrl: string;
  source: ModuleSource & { log: string[] };
}

function notExist(path: string, version: string, url: string): Error {
  const reason = `reading ${url}: no such file or directory`;
  const inner = version !== '' && canonicalVersion(version) !== version ? new InvalidVersionError(version, reason) : new Error(reason);
  return Object.assign(new ModuleError(path, version, inner), { notExist: true });
}

/** Builds the universe and writes it as a file:// proxy under a temp dir of `t`. */
export async function universe(t: TestContext, mods: Mod[], opts: { latest?: Record<string, string>; aliases?: [string, string, string][] } = {}): Promise<Universe> {
  const store = new ModuleStore();
  for (const x of mods) {
    store.add(await buildModule({ path: x.path, version: x.version, goMod: x.goMod ?? `module ${x.path}\n`, ...(x.time ? { time: x.time } : {}) }));
  }
  for (const [p, v] of Object.entries(opts.latest ?? {})) store.setLatest(p, v);
  for (const [p, q, v] of opts.aliases ?? []) store.alias(p, q, v);
  const proxyDir = tempDir(t, 'resolve-proxy');
  await store.writeProxyDir(proxyDir);
  const proxyUrl = fileProxyUrl(proxyDir);
  const log: string[] = [];
  const get = (rel: string): Buffer | undefined => {
    const f = store.resolve(rel);
    if (f === undefined) return undefined;
    if (f.kind !== 'bytes') throw new Error(`fixture: unexpected proxy file kind for ${rel}`);
    return f.body;
  };
  const repo = (path: string): SourceRepo => ({
    async goMod(version) {
      const rel = `${escapePath(path)}/@v/${escapeVersion(version)}.mod`;
      const b = get(rel);
      log.push(`${b === undefined ? 'missing-' : ''}mod ${path}@${version}`);
      if (b === undefined) throw notExist(path, version, `${proxyUrl}/${rel}`);
      return new Uint8Array(b);
    },
    async versions() {
      log.push(`list ${path}`);
      const rel = `${escapePath(path)}/@v/list`;
      const b = get(rel);
      if (b === undefined) throw notExist(path, '', `${proxyUrl}/${rel}`);
      const out = b
        .toString()
        .split('\n')
        .map((l) => l.trim().split(/\s+/)[0] ?? '')
        .filter((v) => isValid(v) && !isPseudoVersion(v));
      return out.sort(compare);
    },
    async stat(rev) {
      log.push(`info ${path}@${rev}`);
      const rel = `${escapePath(path)}/@v/${escapeVersion(rev)}.info`;
      const b = get(rel);
      if (b === undefined) throw notExist(path, rev, `${proxyUrl}/${rel}`);
      const info = toRev(b);
      log.push(`infov ${path}@${info.Version}`);
      return info;
    },
    async latest() {
      log.push(`latest ${path}`);
      const rel = `${escapePath(path)}/@latest`;
      const b = get(rel);
      if (b === undefined) throw notExist(path, '', `${proxyUrl}/${rel}`);
      return toRev(b);
    },
  });
  const repos = new Map<string, SourceRepo>();
  const source: ModuleSource & { log: string[] } = {
    log,
    lookup(path) {
      if (!repos.has(path)) repos.set(path, repo(path));
      return repos.get(path)!;
    },
    async readFile(p) {
      try {
        return new Uint8Array(readFileSync(p));
      } catch {
        return null;
      }
    },
  };
  return { store, proxyDir, proxyUrl, source };
}

function toRev(b: Buffer): RevInfo {
  return decodeInfo(b);
}

/** Writes files (relative path → text) under `dir` (test/support/tree.ts). */
export { writeTree };

/** `path@version` of every `<ext>` file in a module cache's download tree, sorted. */
export function cacheFiles(gomodcache: string, ext: 'mod' | 'zip' | 'info'): string[] {
  const root = join(gomodcache, 'cache', 'download');
  const out: string[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.' + ext) && d.endsWith('/@v')) {
        const modPath = unescapePath(relative(root, d).slice(0, -'/@v'.length));
        out.push(`${modPath}@${unescapeVersion(n.slice(0, -ext.length - 1))}`);
      }
    }
  };
  walk(root);
  return out.sort();
}

/** The resolver's requests of one kind (`mod`, `info`, …) as sorted unique `path@version`. */
export function requested(u: Universe, kind: 'mod' | 'info' | 'infov' | 'list' | 'latest'): string[] {
  return [...new Set(u.source.log.filter((l) => l.startsWith(kind + ' ')).map((l) => l.slice(kind.length + 1)))].sort();
}

/** Runs go with the universe as GOPROXY (file://) in `cwd`. */
export async function goIn(t: TestContext, u: Universe, cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<GoResult> {
  return runGo(args, { t, cwd, proxy: u.proxyUrl, env });
}

/** `go mod download -json` output objects. */
export function jsonObjects(r: GoResult): Record<string, unknown>[] {
  return parseJsonStream(r.stdout);
}

/** A fresh main-module directory with the given go.mod (and other files). */
export function mainModule(t: TestContext, files: Record<string, string>): string {
  const dir = tempDir(t, 'resolve-main');
  writeTree(dir, files);
  return dir;
}
