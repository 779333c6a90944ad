/**
 * go.mod summaries of module versions: the raw file (fetched through the ModuleSource, or read from
 * disk for directory replacements and workspace modules), parsed laxly, and the view the module
 * graph uses (replacement applied, module path checked, excluded requirements dropped).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (goModSummary, rawGoModSummary, rawGoModData)
 */
import { FatalError } from '../internal/errors.js';
import * as nodePath from 'node:path';
import { versionError } from '../module/index.js';
import { TooNewError, WrappedError } from './errors.js';
import { parseGoModFile, type ParsedGoMod, type Retraction } from './gomod.js';
import type { MainModuleSet } from './mainmodules.js';
import { goAtLeast, isToolchainPath, modIsValid, mvKey, type ModuleVersion } from './modver.js';
import type { ModuleSource, ResolveEvents } from './source.js';

/** Whether a module's own requirements are complete (go >= 1.17) or must be followed transitively. */
export type Pruning = 'pruned' | 'unpruned' | 'workspace';

/** What module loading needs from one go.mod. */
export interface ModSummary {
  /** The module path declared by the file (`""` when there is no module line). */
  readonly module: string;
  readonly goVersion: string;
  readonly toolchain: string;
  readonly pruning: Pruning;
  /** Requirements, plus an implicit `go` requirement for go >= 1.21. */
  readonly require: readonly ModuleVersion[];
  readonly retract: readonly Retraction[];
  readonly deprecated: string;
}

/** Options shared by the loaders of one run. */
export interface LoaderOptions {
  readonly source: ModuleSource;
  /** The emulated go version (`gover.Local()`), for example `1.26.0`. */
  readonly goVersion: string;
  /** $GOTOOLCHAIN as set (only used in TooNewError texts). */
  readonly gotoolchain?: string;
  /**
   * Whether a go line newer than `goVersion` is an error (go's TooNewError, default true). gomod-dl
   * needs no toolchain, so it turns this off; the oracle tests leave it on to mirror go.
   */
  readonly checkGoVersion?: boolean;
  readonly events?: ResolveEvents;
  /** go's base.ShortPath: a path relative to the working directory when shorter. */
  readonly shortPath?: (p: string) => string;
}

/** @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (pruningForGoVersion) */
export function pruningForGoVersion(goVersion: string): Pruning {
  return goAtLeast(goVersion, '1.17') ? 'pruned' : 'unpruned';
}

interface RawResult {
  summary: ModSummary | undefined;
  err: Error | undefined;
}

/** Loads and caches go.mod summaries for one run. */
export class SummaryLoader {
  private readonly raw = new Map<string, Promise<RawResult>>();
  /** go lines seen, by module version (go's rawGoVersion). */
  readonly rawGoVersion = new Map<string, string>();
  /** Every module version whose go.mod bytes were requested from the source, in request order. */
  readonly fetched: ModuleVersion[] = [];

  constructor(
    readonly opts: LoaderOptions,
    readonly mainModules: MainModuleSet,
  ) {}

  shortPath(p: string): string {
    return this.opts.shortPath ? this.opts.shortPath(p) : p;
  }

  /**
   * The summary built from a parsed file; the error is a TooNewError when the file needs a newer go
   * (the summary is still usable for retractions).
   */
  fromFile(m: ModuleVersion, f: ParsedGoMod): RawResult {
    const require: ModuleVersion[] = f.require.map((r) => ({ path: r.path, version: r.version }));
    const goVersion = f.go ?? '';
    if (goVersion !== '') this.rawGoVersion.set(mvKey(m), goVersion);
    let err: Error | undefined;
    if (goVersion !== '' && goAtLeast(goVersion, '1.21')) {
      require.push({ path: 'go', version: goVersion });
      if (this.opts.checkGoVersion !== false && !goAtLeast(this.opts.goVersion, goVersion)) {
        err = new TooNewError(`module ${m.version === '' ? m.path : `${m.path}@${m.version}`}`, goVersion, this.opts.goVersion, this.opts.gotoolchain);
      }
    }
    const summary: ModSummary = {
      module: f.module ?? '',
      goVersion,
      toolchain: f.toolchain ?? '',
      pruning: goVersion === '' ? 'unpruned' : pruningForGoVersion(goVersion),
      require,
      retract: f.retract,
      deprecated: f.deprecated,
    };
    return { summary, err };
  }

  /**
   * The go.mod of `m` itself, ignoring replacements and exclusions. Resolves to the summary (when
   * the file parsed) and the error, if any.
   */
  rawGoModSummary(m: ModuleVersion): Promise<RawResult> {
    if (isToolchainPath(m.path)) {
      const require = m.path === 'go' && goAtLeast(m.version, '1.21') ? [{ path: 'toolchain', version: 'go' + m.version }] : [];
      return Promise.resolve({ summary: { module: m.path, goVersion: '', toolchain: '', pruning: 'unpruned', require, retract: [], deprecated: '' }, err: undefined });
    }
    if (m.version === '' && this.mainModules.inWorkspace && this.mainModules.contains(m.path)) {
      const mm = this.mainModules.modules.find((x) => x.path === m.path)!;
      return Promise.resolve(this.fromFile(m, mm.file));
    }
    const k = mvKey(m);
    let p = this.raw.get(k);
    if (p === undefined) {
      p = this.loadRaw(m);
      this.raw.set(k, p);
    }
    return p;
  }

  private async loadRaw(m: ModuleVersion): Promise<RawResult> {
    let name: string;
    let data: Uint8Array;
    try {
      ({ name, data } = await this.rawGoModData(m));
    } catch (e) {
      if (e instanceof FatalError) throw e;
      return { summary: undefined, err: e as Error };
    }
    let f: ParsedGoMod;
    try {
      f = parseGoModFile(name, data, 'lax');
    } catch (e) {
      const msg = `parsing ${this.shortPath(name)}: ${(e as Error).message}`;
      return { summary: undefined, err: versionError(m, new WrappedError('EPARSEGOMOD', msg, e as Error)) };
    }
    if (m.version !== '') this.opts.events?.goModLoaded?.(m);
    return this.fromFile(m, f);
  }

  /**
   * The bytes of `m`'s go.mod: from the source for a version, from disk for a directory.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (rawGoModData)
   */
  async rawGoModData(m: ModuleVersion): Promise<{ name: string; data: Uint8Array }> {
    if (m.version === '') {
      let dir = m.path;
      if (!nodePath.isAbsolute(dir)) {
        const root = this.mainModules.inWorkspace && this.mainModules.contains(m.path) ? this.mainModules.modRoot(m.path) : undefined;
        dir = root ?? nodePath.join(this.mainModules.replaceRelativeTo(), dir);
      }
      const name = nodePath.join(dir, 'go.mod');
      const data = await this.opts.source.readFile(name);
      if (data === null) {
        const e = new WrappedError('ENOENT', `reading ${this.shortPath(name)}: open ${name}: no such file or directory`, Object.assign(new Error(`open ${name}: no such file or directory`), { code: 'ENOENT' }));
        throw versionError(m, e);
      }
      return { name, data };
    }
    if (!modIsValid(m.path, m.version)) {
      // go's base.Fatalf: a query answer that names no version (a proxy's `@latest` said `bogus`)
      // stops the run here, before any -json record.
      throw new FatalError('EINTERNAL', `internal error: ${m.path}@${m.version}: unexpected invalid semantic version`);
    }
    this.fetched.push(m);
    return { name: 'go.mod', data: await this.opts.source.lookup(m.path).goMod(m.version) };
  }

  /**
   * The summary the module graph uses for `m`: its replacement's go.mod, the module path checked,
   * requirements on excluded versions dropped. Throws on any error (TooNewError included).
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (goModSummary)
   */
  async goModSummary(m: ModuleVersion): Promise<ModSummary> {
    if (isToolchainPath(m.path)) return (await this.rawGoModSummary(m)).summary!;
    const actual = this.mainModules.resolveReplacement(m);
    const { summary, err } = await this.rawGoModSummary(actual);
    if (err !== undefined) throw err;
    const s = summary!;
    if (actual.version !== '') {
      if (s.module === '') throw versionError(actual, new Error('parsing go.mod: missing module line'));
      if (s.module !== m.path && s.module !== actual.path) {
        throw versionError(
          actual,
          new Error(`parsing go.mod:\n\tmodule declares its path as: ${s.module}\n\t        but was required as: ${m.path}`),
        );
      }
    }
    if (s.require.some((r) => this.mainModules.isExcluded(r))) {
      return { ...s, require: s.require.filter((r) => !this.mainModules.isExcluded(r)) };
    }
    return s;
  }
}
