// A set of synthesized modules, indexed the way a GOPROXY addresses them (escaped path, escaped
// version), that can be served over HTTP (proxy-server.ts) or written out as a file:// proxy.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapePath, escapeVersion, isPseudoVersion } from '../../src/module/index.js';
import type { StoredModule } from './modbuilder.js';

/** Everything stored for one module path. */
interface PathEntry {
  path: string;
  /** By escaped version, in insertion order. */
  versions: Map<string, StoredModule>;
  /** Explicit `@v/list` body; default: the added non-pseudo versions. */
  list?: string;
  /** Version whose .info `@latest` serves; default: 404. */
  latest?: string;
  /** Non-canonical queries (`master`, a hash) by escaped query → version. */
  aliases: Map<string, string>;
}

/** What a proxy request for `<escpath>/@v/...` or `@latest` resolves to. */
export type ProxyFile =
  | { kind: 'bytes'; body: Buffer; contentType: string }
  | { kind: 'file'; file: string; size: number; contentType: string };

/** Content types as proxy.golang.org sends them. */
export const CONTENT_TYPES = {
  info: 'application/json',
  mod: 'text/plain; charset=utf-8',
  zip: 'application/zip',
  list: 'text/plain; charset=utf-8',
} as const;

/**
 * Modules and their version lists, addressed as the GOPROXY protocol addresses them.
 * @see https://go.dev/ref/mod#goproxy-protocol
 */
export class ModuleStore {
  readonly #paths = new Map<string, PathEntry>();

  #entry(path: string): PathEntry {
    const key = escapePath(path);
    let e = this.#paths.get(key);
    if (!e) {
      e = { path, versions: new Map(), aliases: new Map() };
      this.#paths.set(key, e);
    }
    return e;
  }

  /** Adds (or replaces) modules; returns the store for chaining. */
  add(...mods: StoredModule[]): this {
    for (const m of mods) this.#entry(m.path).versions.set(escapeVersion(m.version), m);
    return this;
  }

  /** The module stored for path@version, if any. */
  get(path: string, version: string): StoredModule | undefined {
    return this.#paths.get(escapePath(path))?.versions.get(escapeVersion(version));
  }

  /** Every stored module, grouped by path in insertion order. */
  modules(): StoredModule[] {
    return [...this.#paths.values()].flatMap((e) => [...e.versions.values()]);
  }

  /** Overrides the `@v/list` body: an array becomes one version per line; a string is served verbatim. */
  setVersionList(path: string, list: string[] | string): this {
    this.#entry(path).list = typeof list === 'string' ? list : list.map((v) => `${v}\n`).join('');
    return this;
  }

  /** Makes `@latest` serve the .info of `version` (which must be stored); `null` restores the 404. */
  setLatest(path: string, version: string | null): this {
    const e = this.#entry(path);
    if (version === null) delete e.latest;
    else e.latest = version;
    return this;
  }

  /** Makes `@v/<query>.info` (a branch, tag or hash) serve the .info of the stored `version`. */
  alias(path: string, query: string, version: string): this {
    this.#entry(path).aliases.set(escapeVersion(query), version);
    return this;
  }

  /** The `@v/list` body: the explicit list, else each stored non-pseudo version on its own line. */
  versionList(path: string): string | undefined {
    const e = this.#paths.get(escapePath(path));
    return e && this.#listOf(e);
  }

  #listOf(e: PathEntry): string {
    if (e.list !== undefined) return e.list;
    return [...e.versions.values()]
      .filter((m) => !isPseudoVersion(m.version))
      .map((m) => `${m.version}\n`)
      .join('');
  }

  #infoOf(e: PathEntry, version: string): Buffer | undefined {
    return e.versions.get(escapeVersion(version))?.info;
  }

  /**
   * Resolves a proxy request below the base URL (`<escpath>/@v/list`, `<escpath>/@v/<escver>.info`,
   * `.mod`, `.zip`, `<escpath>/@latest`), already percent-decoded and without a leading `/`.
   * Returns undefined when the store has nothing there (the server answers 404).
   */
  resolve(rel: string): ProxyFile | undefined {
    const latest = rel.endsWith('/@latest');
    const at = latest ? rel.length - '/@latest'.length : rel.lastIndexOf('/@v/');
    if (at <= 0) return undefined;
    const e = this.#paths.get(rel.slice(0, at));
    if (!e) return undefined;
    if (latest) {
      const body = e.latest === undefined ? undefined : this.#infoOf(e, e.latest);
      return body && { kind: 'bytes', body, contentType: CONTENT_TYPES.info };
    }
    const file = rel.slice(at + '/@v/'.length);
    if (file === 'list') return { kind: 'bytes', body: Buffer.from(this.#listOf(e)), contentType: CONTENT_TYPES.list };
    const dot = file.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const ev = file.slice(0, dot);
    const ext = file.slice(dot + 1);
    const m = e.versions.get(ev);
    if (ext === 'info') {
      const aliased = e.aliases.get(ev);
      const body = m?.info ?? (aliased === undefined ? undefined : this.#infoOf(e, aliased));
      return body && { kind: 'bytes', body, contentType: CONTENT_TYPES.info };
    }
    if (!m) return undefined;
    if (ext === 'mod') return { kind: 'bytes', body: m.mod, contentType: CONTENT_TYPES.mod };
    if (ext !== 'zip') return undefined;
    return 'zip' in m
      ? { kind: 'bytes', body: m.zip, contentType: CONTENT_TYPES.zip }
      : { kind: 'file', file: m.zipFile, size: m.zipSize, contentType: CONTENT_TYPES.zip };
  }

  /** The module path stored under an escaped path (for readable 404 texts). */
  pathOf(escapedPath: string): string | undefined {
    return this.#paths.get(escapedPath)?.path;
  }

  /**
   * Lays the store out as a GOPROXY directory usable as `GOPROXY=file://<dir>`:
   * `<escpath>/@v/list`, `<escpath>/@v/<escver>.{info,mod,zip}`, aliases as extra `.info` files and
   * `<escpath>/@latest` when set.
   * @see https://go.dev/ref/mod#goproxy-protocol
   */
  async writeProxyDir(dir: string): Promise<void> {
    for (const [ep, e] of this.#paths) {
      const vdir = join(dir, ...ep.split('/'), '@v');
      await mkdir(vdir, { recursive: true });
      await writeFile(join(vdir, 'list'), this.#listOf(e));
      for (const [ev, m] of e.versions) {
        await writeFile(join(vdir, `${ev}.info`), m.info);
        await writeFile(join(vdir, `${ev}.mod`), m.mod);
        if ('zip' in m) await writeFile(join(vdir, `${ev}.zip`), m.zip);
        else await copyFile(m.zipFile, join(vdir, `${ev}.zip`));
      }
      for (const [eq, v] of e.aliases) {
        const info = this.#infoOf(e, v);
        if (info) await writeFile(join(vdir, `${eq}.info`), info);
      }
      const latest = e.latest === undefined ? undefined : this.#infoOf(e, e.latest);
      if (latest) await writeFile(join(dir, ...ep.split('/'), '@latest'), latest);
    }
  }
}
