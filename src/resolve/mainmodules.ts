/**
 * The main modules of a run (one go.mod, or every `use` of a go.work) with their excludes and
 * replacements, and go's rules for finding the replacement of a module version.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (makeMainModules, MainModuleSet)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (replacementFrom, canonicalizeReplacePath)
 */
import * as nodePath from 'node:path';
import { isDirectoryPath } from '../modfile/index.js';
import { FatalError } from '../internal/errors.js';
import type { ParsedGoMod, ParsedGoWork, Replace } from './gomod.js';
import { modCompare, mvKey, mvString, type ModuleVersion } from './modver.js';

/** One main module: its path, root directory and parsed go.mod. */
export interface MainModule {
  readonly path: string;
  /** Absolute directory holding go.mod. */
  readonly root: string;
  /** The go.mod file read (and updated): `<root>/go.mod`, or -modfile's file. */
  readonly gomod: string;
  readonly file: ParsedGoMod;
}

/**
 * The go.sum beside a go.mod file: its name without `.mod`, plus `.sum` (go.mod -> go.sum,
 * -modfile=tools.mod -> tools.sum).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (SetGoSumFile)
 */
export function sumFileOf(gomod: string): string {
  return (gomod.endsWith('.mod') ? gomod.slice(0, -'.mod'.length) : gomod) + '.sum';
}

/** An opened go.work file. */
export interface WorkFile {
  /** Absolute path of go.work. */
  readonly path: string;
  readonly file: ParsedGoWork;
}

/** @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (ToDirectoryPath) */
export function toDirectoryPath(p: string): string {
  if (isDirectoryPath(p)) return p;
  return './' + nodePath.normalize(p).split(nodePath.sep).join('/');
}

/** A replace map (go's `toReplaceMap`), fatal on two different targets for one old module. */
function toReplaceMap(reps: readonly Replace[]): Map<string, ModuleVersion> {
  const m = new Map<string, ModuleVersion>();
  for (const r of reps) {
    const k = mvKey(r.old);
    const prev = m.get(k);
    if (prev !== undefined && (prev.path !== r.new.path || prev.version !== r.new.version)) {
      throw new FatalError(
        'ECONFLICTREPLACE',
        `conflicting replacements for ${mvString(r.old)}:\n\t${mvString(prev)}\n\t${mvString(r.new)}`,
      );
    }
    m.set(k, r.new);
  }
  return m;
}

function lookup(mod: ModuleVersion, map: ReadonlyMap<string, ModuleVersion>): { from: string; to: ModuleVersion } | undefined {
  if (map.size === 0) return undefined; // most go.mod files replace nothing: no keys to build
  const exact = map.get(mvKey(mod));
  if (exact !== undefined) return { from: mod.version, to: exact };
  const wild = map.get(mvKey({ path: mod.path, version: '' }));
  if (wild !== undefined) return { from: '', to: wild };
  return undefined;
}

/** The main modules, with their indexes of excludes and replacements. */
export class MainModuleSet {
  readonly modules: readonly MainModule[];
  readonly work: WorkFile | undefined;
  /** For each module path with any replacement, the highest replaced version (`""` = all versions). */
  readonly highestReplaced = new Map<string, string>();
  private readonly workReplace: Map<string, ModuleVersion>;
  private readonly replaceMaps: Map<string, ModuleVersion>[];
  private readonly excludes: Set<string>[];
  private readonly paths: Set<string>;
  private readonly reported = new Set<string>();

  /**
   * @param report receives go's non-fatal diagnostics (printed verbatim, exit status 1).
   * @throws FatalError for conflicting replacements (go's base.Fatalf).
   */
  constructor(modules: readonly MainModule[], work: WorkFile | undefined, private readonly report: (text: string) => void) {
    this.modules = modules;
    this.work = work;
    this.replaceMaps = modules.map((m) => toReplaceMap(m.file.replace));
    this.excludes = modules.map((m) => new Set(m.file.exclude.map(mvKey)));
    this.workReplace = work ? toReplaceMap(work.file.replace) : new Map();
    this.paths = new Set();
    for (const m of modules) {
      if (this.paths.has(m.path)) report(`go: module ${m.path} appears multiple times in workspace`);
      this.paths.add(m.path);
    }
    this.indexReplacements();
  }

  private noteHighest(old: ModuleVersion): void {
    const v = this.highestReplaced.get(old.path);
    if (v === undefined || modCompare(old.path, old.version, v) > 0) this.highestReplaced.set(old.path, old.version);
  }

  private indexReplacements(): void {
    const replacedByWork = new Set<string>();
    const all = new Map<string, ModuleVersion>();
    for (const r of this.work?.file.replace ?? []) {
      if (this.paths.has(r.old.path) && r.old.version === '') {
        this.report(
          `go: workspace module ${r.old.path} is replaced at all versions in the go.work file. To fix, remove the replacement from the go.work file or specify the version at which to replace the module.`,
        );
      }
      replacedByWork.add(r.old.path);
      this.noteHighest(r.old);
      all.set(mvKey(r.old), r.new);
    }
    for (const m of this.modules) {
      const cur = new Set<string>();
      for (const r of m.file.replace) {
        if (replacedByWork.has(r.old.path)) continue;
        let nv = r.new;
        // In a workspace, relative directories are relative to each go.mod: compare them absolute.
        if (this.work && nv.version === '' && !nodePath.isAbsolute(nv.path)) nv = { path: nodePath.join(m.root, nv.path), version: '' };
        const k = mvKey(r.old);
        const prev = all.get(k);
        if (prev !== undefined && !cur.has(k) && (prev.path !== nv.path || prev.version !== nv.version)) {
          const o = mvString(r.old);
          throw new FatalError(
            'ECONFLICTREPLACE',
            `conflicting replacements for ${o}:\n\t${mvString(prev)}\n\t${mvString(nv)}\nuse "go work edit -replace ${o}=[override]" to resolve`,
          );
        }
        cur.add(k);
        all.set(k, nv);
        this.noteHighest(r.old);
      }
    }
  }

  /** Whether this is a workspace (go.work) run. */
  get inWorkspace(): boolean {
    return this.work !== undefined;
  }

  /** The main modules as module versions (version `""`), in go.mod / go.work order. */
  versions(): ModuleVersion[] {
    return this.modules.map((m) => ({ path: m.path, version: '' }));
  }

  contains(path: string): boolean {
    return this.paths.has(path);
  }

  modRoot(path: string): string | undefined {
    return this.modules.find((m) => m.path === path)?.root;
  }

  /** Whether a main module's go.mod excludes `m`. */
  isExcluded(m: ModuleVersion): boolean {
    const k = mvKey(m);
    return this.excludes.some((s) => s.has(k));
  }

  /** Whether any main module has any replace directive. */
  hasModuleReplacements(): boolean {
    return this.modules.some((m) => m.file.replace.length > 0);
  }

  /** Whether any main module (not go.work) replaces exactly `m`. */
  moduleReplaceVersions(path: string): string[] {
    const out: string[] = [];
    for (const mm of this.modules) for (const r of mm.file.replace) if (r.old.path === path) out.push(r.old.version);
    return out;
  }

  /** Directory that relative replacement paths are resolved against. */
  replaceRelativeTo(): string {
    if (this.work) return nodePath.dirname(this.work.path);
    return this.modules[0]!.root;
  }

  /**
   * The replacement for `mod` as written (relative to the file it appears in), with the module
   * root it came from. go.work replacements win; then each main module's exact, then wildcard.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (replacementFrom)
   */
  private replacementFrom(mod: ModuleVersion): { r: ModuleVersion | undefined; modRoot: string } {
    if (this.contains(mod.path) && mod.version === '') return { r: undefined, modRoot: '' };
    const w = lookup(mod, this.workReplace);
    if (w !== undefined) return { r: w.to, modRoot: '' };
    let found: ModuleVersion | undefined;
    let foundModRoot = '';
    for (let i = 0; i < this.modules.length; i++) {
      const hit = lookup(mod, this.replaceMaps[i]!);
      if (hit === undefined) continue;
      const modRoot = this.modules[i]!.root;
      // go compares against a "foundFrom" that is never assigned, so any exact-version hit after
      // an earlier hit with a different target is reported.
      if (foundModRoot !== '' && hit.from !== '' && (found!.path !== hit.to.path || found!.version !== hit.to.version)) {
        const text = `conflicting replacements found for ${mvString(mod)} in workspace modules defined by ${nodePath.join(foundModRoot, 'go.mod')} and ${nodePath.join(modRoot, 'go.mod')}`;
        if (!this.reported.has(text)) {
          this.reported.add(text);
          this.report(text);
        }
        return { r: found, modRoot: foundModRoot };
      }
      found = hit.to;
      foundModRoot = modRoot;
    }
    return { r: found, modRoot: foundModRoot };
  }

  /**
   * The replacement of `mod`, or undefined. A directory replacement has version `""`; in a
   * workspace a relative directory is rewritten relative to the go.work directory.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (Replacement)
   */
  replacement(mod: ModuleVersion): ModuleVersion | undefined {
    const { r, modRoot } = this.replacementFrom(mod);
    if (r === undefined) return undefined;
    if (nodePath.isAbsolute(r.path) || r.version !== '' || modRoot === '' || !this.work) return r;
    const abs = nodePath.join(modRoot, r.path);
    const rel = nodePath.relative(nodePath.dirname(this.work.path), abs);
    return { path: toDirectoryPath(rel === '' ? '.' : rel), version: '' };
  }

  /** `mod`'s replacement, or `mod` itself. */
  resolveReplacement(mod: ModuleVersion): ModuleVersion {
    return this.replacement(mod) ?? mod;
  }

  /** The absolute directory of a directory replacement `r` (version `""`). */
  replacementDir(r: ModuleVersion): string {
    return nodePath.isAbsolute(r.path) ? r.path : nodePath.join(this.replaceRelativeTo(), r.path);
  }
}
