/**
 * A module in a git repository: go's codeRepo, mapping module versions to tags (with the module's
 * subdirectory as tag prefix), major-version subdirectories, `+incompatible`, pseudo-versions, and
 * the module's go.mod and zip at a version.
 *
 * Invariants (go 1.26 modfetch/coderepo.go):
 * - versions: tags `<codeDir>/vX.Y.Z` that are canonical, not pseudo-versions and match the path's
 *   major version; v2+ tags of a root module without go.mod become `+incompatible` (unless the latest
 *   compatible version has a go.mod).
 * - stat/latest convert a commit to a version: its canonical tag, else a pseudo-version whose base is
 *   the highest allowed (not retracted) tag merged into the commit; a pseudo-version asked for is
 *   checked (revision, timestamp, base tag ancestry) with go's texts.
 * - goMod/zip find the module's directory (`codeDir`, or `codeDir/vN` for a major subdirectory).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/coderepo.go
 */
import { GoError } from '../internal/errors.js';
import type { FileHandle } from 'node:fs/promises';
import type { Origin, RevInfo } from '../cache/index.js';
import { parseRFC3339 } from '../internal/gotime.js';
import {
  canonical, canonicalVersion, compare, InvalidVersionError, isPseudoVersion, isValid, major, matchPathMajor, ModuleError,
  pathMajorPrefix, prerelease, pseudoVersion, pseudoVersionRev, sortVersions,
  splitPathVersion, build, checkPathMajor, goModTooNew,
} from '../module/index.js';
import { parseGoMod } from '../modfile/index.js';
import { FileNotExistError, type GitRepo } from './git.js';
import { createModuleZip } from './modzip.js';
import type { CodeOrigin, CodeRevInfo } from './types.js';
import type { Repo, VersionList } from '../module/repo.js';
import { VcsError } from './errors.js';
import { goModModulePath, hasPathPrefix, isMajor, joinPath, legacyQuote, orderOrigin } from './modpath.js';
import { validatePseudoVersion } from './pseudo.js';

export { goModModulePath } from './modpath.js';

const MAX_GO_MOD = 16 << 20;

/** go's ModuleError wrapping an InvalidVersionError for `version`. */
function invalid(path: string, version: string, err: Error, pseudo = false): ModuleError {
  const inv = new InvalidVersionError(version, err.message, pseudo);
  inv.cause = err;
  return new ModuleError(path, '', inv);
}

/** Unix seconds as go's RevInfo.Time. */
function goTime(sec: number): RevInfo['Time'] {
  return parseRFC3339(new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
}

/** The module `path`, rooted at `codeRoot` in `code` (with go-import `subdir`). */
export class CodeRepo implements Repo {
  readonly #codeDir: string;
  readonly #pathPrefix: string;
  readonly #pathMajor: string;
  readonly #pseudoMajor: string;

  /** @param localGoVersion see DirectOptions.localGoVersion */
  constructor(readonly code: GitRepo, readonly codeRoot: string, subdir: string, readonly path: string, readonly localGoVersion?: string) {
    if (!hasPathPrefix(path, codeRoot)) throw new VcsError('EMISMATCH', `mismatched repo: found ${codeRoot} for ${path}`);
    const split = splitPathVersion(path);
    if (!split.ok) throw new VcsError('EBADPATH', `invalid module path "${path}"`);
    let pathPrefix = split.prefix;
    if (codeRoot === path) pathPrefix = path;
    let codeDir = '';
    if (codeRoot !== path) {
      if (!hasPathPrefix(pathPrefix, codeRoot)) {
        throw new VcsError('EMISMATCH', `repository rooted at ${codeRoot} cannot contain module ${path}`);
      }
      codeDir = pathPrefix.slice(codeRoot.length).replace(/^\/+|\/+$/g, '');
    }
    if (subdir !== '') codeDir = joinPath(...`${codeDir}/${subdir}`.split('/').filter((s) => s !== '' && s !== '.'));
    this.#codeDir = codeDir;
    this.#pathPrefix = pathPrefix;
    this.#pathMajor = split.pathMajor;
    this.#pseudoMajor = pathMajorPrefix(split.pathMajor);
  }

  async #readFile(rev: string, file: string): Promise<Buffer | undefined> {
    try {
      return await this.code.readFile(rev, file);
    } catch (e) {
      // os.IsNotExist in go: only the missing-file answer, not an unknown revision.
      if (e instanceof FileNotExistError) return undefined;
      throw e;
    }
  }

  async versions(prefix: string): Promise<VersionList> {
    if (this.path.startsWith('gopkg.in/') && this.path.endsWith('-unstable')) return [];
    const p = this.#codeDir !== '' ? this.#codeDir + '/' + prefix : prefix;
    let tags;
    try {
      tags = await this.code.tags(p);
    } catch (e) {
      throw new ModuleError(this.path, '', e as Error);
    }
    const list: string[] = [];
    const incompatible: string[] = [];
    for (const tag of tags.list) {
      if (!tag.name.startsWith(p)) continue;
      let v = tag.name;
      if (this.#codeDir !== '') v = v.slice(this.#codeDir.length + 1);
      if (v === '' || v !== canonical(v) || isPseudoVersion(v)) continue;
      try {
        checkPathMajor(v, this.#pathMajor);
      } catch {
        if (this.#codeDir === '' && this.#pathMajor === '' && major(v) > 'v1') incompatible.push(v);
        continue;
      }
      list.push(v);
    }
    sortVersions(list);
    sortVersions(incompatible);
    // The list's Origin (go's Versions.Origin), which queries merge into their answers.
    const origin = orderOrigin({ ...tags.origin, Subdir: this.#codeDir });
    Object.assign(list, { origin });
    if (incompatible.length === 0 || this.#pathMajor !== '') return list;
    const hasGoMod = async (v: string): Promise<boolean> => {
      try {
        return (await this.#readFile(v, 'go.mod')) !== undefined;
      } catch (e) {
        throw new ModuleError(this.path, '', e as Error);
      }
    };
    if (list.length > 0 && (await hasGoMod(list[list.length - 1]!))) return list;
    let lastMajor = '';
    let lastMajorHasGoMod = false;
    for (let i = 0; i < incompatible.length; i++) {
      const v = incompatible[i]!;
      const m = major(v);
      if (m !== lastMajor) {
        let j = i;
        while (j + 1 < incompatible.length && major(incompatible[j + 1]!) === m) j++;
        lastMajor = m;
        lastMajorHasGoMod = await hasGoMod(incompatible[j]!);
      }
      if (!lastMajorHasGoMod) list.push(v + '+incompatible');
    }
    return list;
  }

  async stat(rev: string): Promise<RevInfo> {
    if (rev === 'latest') return this.latest();
    let info: CodeRevInfo;
    try {
      info = await this.code.stat(this.#revToRev(rev));
    } catch (e) {
      const origin = (e as { origin?: CodeOrigin }).origin;
      throw withOrigin(invalid(this.path, rev, e as Error), origin);
    }
    return this.#convert(info, rev);
  }

  async latest(): Promise<RevInfo> {
    return this.#convert(await this.code.latest(), '');
  }

  /** go's codeRepo.CheckReuse: the repository's check, in this module's subdirectory. */
  checkReuse(origin: Readonly<Origin>): Promise<void> {
    return this.code.checkReuse(origin, this.#codeDir);
  }

  /**
   * go's convert: the version for a commit, its Origin completed with Subdir (and TagSum for
   * pseudo-versions). Its error carries the commit's Origin too (for -json).
   */
  async #convert(info: CodeRevInfo, statVers: string): Promise<RevInfo> {
    try {
      return await this.#convertWithOrigin(info, statVers);
    } catch (e) {
      throw withOrigin(e as Error, { ...info.origin, Subdir: this.#codeDir });
    }
  }

  /** {@link #convert} without the Origin on its error. */
  async #convertWithOrigin(info: CodeRevInfo, statVers: string): Promise<RevInfo> {
    const rev = await this.#convertVersion(info, statVers);
    const origin = { ...info.origin, Subdir: this.#codeDir };
    if (isPseudoVersion(rev.Version) && (rev.Version !== statVers || !rev.Version.startsWith('v0.0.0-'))) {
      let prefix = this.#codeDir !== '' ? this.#codeDir + '/' : '';
      if (this.#pathMajor !== '') prefix += this.#pathMajor.slice(1) + '.';
      const tags = await this.code.tags(prefix);
      origin.TagPrefix = tags.origin.TagPrefix ?? '';
      origin.TagSum = tags.origin.TagSum ?? '';
    }
    return { ...rev, Origin: orderOrigin(origin) };
  }

  async #convertVersion(info: CodeRevInfo, statVers: string): Promise<RevInfo> {
    const incompatibleOk = new Map<string, boolean>();
    const canUseIncompatible = async (v: string): Promise<boolean> => {
      if (this.#codeDir !== '' || this.#pathMajor !== '') return false;
      let ok = incompatibleOk.get('');
      if (ok === undefined) {
        ok = (await this.#readFile(info.name, 'go.mod').catch(() => undefined)) === undefined;
        incompatibleOk.set('', ok);
      }
      if (!ok) return false;
      if (v !== '' && !statVers.endsWith('+incompatible')) {
        const m = major(v);
        let okm = incompatibleOk.get(m);
        if (okm === undefined) {
          okm = (await this.#readFile(info.name, `${m}/go.mod`).catch(() => undefined)) === undefined;
          incompatibleOk.set(m, okm);
        }
        if (!okm) return false;
      }
      return true;
    };

    const checkCanonical = async (v: string): Promise<RevInfo> => {
      try {
        await this.#findDir(v);
      } catch (e) {
        const err = new VcsError('EFINDDIR', (e as Error).message, true);
        throw invalid(this.path, v, err);
      }
      if (v === statVers.replace(/\+incompatible$/, '')) v = statVers;
      const base = v.replace(/\+incompatible$/, '');
      let errIncompatible: Error | undefined;
      if (!matchPathMajor(base, this.#pathMajor)) {
        if (await canUseIncompatible(base)) v = base + '+incompatible';
        else if (this.#pathMajor !== '') {
          errIncompatible = invalid(this.path, v, new Error('module path includes a major version suffix, so major version must match'));
        } else {
          errIncompatible = invalid(this.path, v, new Error(
            `module contains a go.mod file, so module path must match major version ("${this.#pathPrefix}/${major(v)}")`));
        }
      } else if (v.endsWith('+incompatible')) {
        errIncompatible = invalid(this.path, v, new Error(`+incompatible suffix not allowed: major version ${major(v)} is compatible`));
      }
      if (statVers !== '' && statVers === canonicalVersion(statVers)) {
        const statBase = statVers.replace(/\+incompatible$/, '');
        if (statBase !== base) {
          throw invalid(this.path, statVers, new Error(`resolves to version ${v} (${statBase} is not a tag)`));
        }
      }
      if (errIncompatible !== undefined) throw errIncompatible;
      return { Version: v, Time: goTime(info.time) };
    };

    if (isPseudoVersion(statVers)) {
      const r = await checkCanonical(statVers);
      await validatePseudoVersion({ code: this.code, path: this.path, codeDir: this.#codeDir, pseudoMajor: this.#pseudoMajor, invalid }, info, statVers);
      return r;
    }

    const tagPrefix = this.#codeDir !== '' ? this.#codeDir + '/' : '';
    const isRetracted = await this.#retractedVersions().catch(() => (_: string) => false);
    const tagToVersion = (tag: string): { v: string; canonical: boolean } => {
      if (!tag.startsWith(tagPrefix)) return { v: '', canonical: false };
      const trimmed = tag.slice(tagPrefix.length);
      if (isPseudoVersion(tag)) return { v: '', canonical: false };
      const v = canonical(trimmed);
      if (v === '' || !trimmed.startsWith(v)) return { v: '', canonical: false };
      return { v, canonical: v === trimmed };
    };

    const own = tagToVersion(info.version);
    if (own.canonical) {
      try {
        return await checkCanonical(own.v);
      } catch {
        // go tries the commit's other tags next
      }
    }

    let highestCanonical = '';
    let pseudoBase = '';
    for (const pathTag of info.tags) {
      const { v, canonical: isCanon } = tagToVersion(pathTag);
      if (statVers !== '' && compare(v, statVers) === 0) {
        if (isCanon) return checkCanonical(v);
        pseudoBase = v;
      }
      if (isCanon && compare(highestCanonical, v) < 0 && !isRetracted(v)) {
        if (matchPathMajor(v, this.#pathMajor) || (await canUseIncompatible(v))) highestCanonical = v;
      }
    }
    if (highestCanonical !== '') return checkCanonical(highestCanonical);

    const tagAllowed = async (tag: string): Promise<boolean> => {
      const { v } = tagToVersion(tag);
      if (v === '') return false;
      if (!matchPathMajor(v, this.#pathMajor) && !(await canUseIncompatible(v))) return false;
      return !isRetracted(v);
    };
    if (pseudoBase === '') {
      const tag = await this.code.recentTag(info.name, tagPrefix, tagAllowed);
      if (tag !== '') pseudoBase = tagToVersion(tag).v;
    }
    return checkCanonical(pseudoVersion(this.#pseudoMajor, pseudoBase, new Date(info.time * 1000), info.short));
  }

  #revToRev(rev: string): string {
    if (!isValid(rev)) return rev;
    if (isPseudoVersion(rev)) return pseudoVersionRev(rev);
    if (build(rev) === '+incompatible') rev = rev.slice(0, -'+incompatible'.length);
    return this.#codeDir === '' ? rev : this.#codeDir + '/' + rev;
  }

  /** go's findDir: the revision, the module's directory in the repository and its go.mod, if any. */
  async #findDir(version: string): Promise<{ rev: string; dir: string; gomod: Buffer | undefined }> {
    if (!isValid(version)) throw invalid(this.path, version, new Error('syntax error'));
    const rev = this.#revToRev(version);
    const file1 = joinPath(this.#codeDir, 'go.mod');
    const gomod1 = await this.#readFile(rev, file1).catch((e: Error) => {
      throw new GoError('EGOMODREAD', `reading ${this.codeRoot}/${file1} at revision ${rev}: ${e.message}`);
    });
    const mpath1 = goModModulePath(gomod1);
    const found1 = gomod1 !== undefined && (isMajor(mpath1, this.#pathMajor) || (this.#pathMajor === '' && mpath1.startsWith('gopkg.in/')));
    let file2 = '';
    if (this.#pathMajor !== '' && this.codeRoot !== this.path && !this.#pathMajor.startsWith('.')) {
      const dir2 = joinPath(this.#codeDir, this.#pathMajor.slice(1));
      file2 = joinPath(dir2, 'go.mod');
      const gomod2 = await this.#readFile(rev, file2).catch((e: Error) => {
        throw new GoError('EGOMODREAD', `reading ${this.codeRoot}/${file2} at revision ${rev}: ${e.message}`);
      });
      const mpath2 = goModModulePath(gomod2);
      const found2 = gomod2 !== undefined && isMajor(mpath2, this.#pathMajor);
      if (found1 && found2) {
        throw new GoError('EGOMODPATH', `${this.#pathPrefix}/${file1} and ...${this.#pathMajor}/go.mod both have ...${this.#pathMajor} module paths at revision ${rev}`);
      }
      if (found2) return { rev, dir: dir2, gomod: gomod2 };
      if (gomod2 !== undefined) {
        if (mpath2 === '') throw new GoError('EGOMODPATH', `${this.codeRoot}/${file2} is missing module path at revision ${rev}`);
        throw new GoError('EGOMODPATH', `${this.codeRoot}/${file2} has non-...${this.#pathMajor} module path "${mpath2}" at revision ${rev}`);
      }
    }
    if (found1) return { rev, dir: this.#codeDir, gomod: gomod1 };
    if (gomod1 !== undefined) {
      const suffix = file2 !== '' ? ` (and ...${this.#pathMajor}/go.mod does not exist)` : '';
      if (mpath1 === '') throw new GoError('EGOMODPATH', `${file1} is missing module path${suffix} at revision ${rev}`);
      if (this.#pathMajor !== '') throw new GoError('EGOMODPATH', `${file1} has non-...${this.#pathMajor} module path "${mpath1}"${suffix} at revision ${rev}`);
      if (!splitPathVersion(mpath1).ok) throw new GoError('EGOMODPATH', `${file1} has malformed module path "${mpath1}"${suffix} at revision ${rev}`);
      throw new GoError('EGOMODPATH', `${file1} has post-${major(version)} module path "${mpath1}"${suffix} at revision ${rev}`);
    }
    if (this.#codeDir === '' && (this.#pathMajor === '' || this.#pathMajor.startsWith('.'))) return { rev, dir: '', gomod: undefined };
    if (file2 !== '') throw new GoError('ENOGOMOD', `missing ${this.#pathPrefix}/go.mod and ...${this.#pathMajor}/go.mod at revision ${rev}`);
    throw new GoError('ENOGOMOD', `missing ${this.#pathPrefix}/go.mod at revision ${rev}`);
  }

  async #retractedVersions(): Promise<(v: string) => boolean> {
    let versions = await this.versions('');
    const inc = versions.findIndex((v) => v.endsWith('+incompatible'));
    if (inc >= 0) versions = versions.slice(0, inc);
    if (versions.length === 0) return () => false;
    let highest = '';
    for (let i = versions.length - 1; i >= 0; i--) {
      if (prerelease(versions[i]!) === '') {
        highest = versions[i]!;
        break;
      }
    }
    if (highest === '') highest = versions[versions.length - 1]!;
    const f = parseGoMod('go.mod', await this.goMod(highest), 'lax');
    const intervals = f.retract.map((r) => ({ low: r.low, high: r.high }));
    return (v) => intervals.some((r) => compare(r.low, v) <= 0 && compare(v, r.high) <= 0);
  }

  async goMod(version: string): Promise<Uint8Array> {
    if (version !== canonicalVersion(version)) throw new GoError('ENONCANONICAL', `version ${version} is not canonical`);
    if (isPseudoVersion(version)) await this.stat(version);
    const { rev, dir, gomod } = await this.#findDirWrapped(version);
    if (gomod !== undefined) return gomod;
    const data = await this.#readFile(rev, joinPath(dir, 'go.mod'));
    if (data === undefined) return Buffer.from(`module ${legacyQuote(this.path)}\n`);
    return data;
  }

  async #findDirWrapped(version: string): Promise<{ rev: string; dir: string; gomod: Buffer | undefined }> {
    try {
      return await this.#findDir(version);
    } catch (e) {
      if (e instanceof ModuleError) throw e;
      throw new ModuleError(this.path, version, e as Error);
    }
  }

  async zip(version: string, dest: FileHandle): Promise<number> {
    if (version !== canonicalVersion(version)) throw new GoError('ENONCANONICAL', `version ${version} is not canonical`);
    if (isPseudoVersion(version)) await this.stat(version);
    const { rev, dir } = await this.#findDirWrapped(version);
    if (this.localGoVersion !== undefined) {
      // go's codeRepo.Zip: the go line of the go.mod at the revision, read as gover.GoModLookup reads it.
      const gomod = await this.#readFile(rev, dir === '' ? 'go.mod' : `${dir}/go.mod`);
      const tooNew = goModTooNew(`${this.path}@${version}`, gomod, this.localGoVersion, 'local');
      // Returned bare, as codeRepo.Zip returns it (the text names the module already).
      if (tooNew !== undefined) throw Object.assign(tooNew, { bare: true });
    }
    const archive = await this.code.readZip(rev, dir);
    const license = dir !== '' ? () => this.#readFile(rev, 'LICENSE') : async () => undefined;
    try {
      return await createModuleZip({ path: this.path, version, archive, subdir: dir, license, dest, maxGoMod: MAX_GO_MOD });
    } catch (e) {
      // go returns zip.Create's error as is: `create zip: …`, without the module prefix.
      if (e instanceof VcsError) Object.assign(e, { bare: true });
      throw e;
    }
  }
}

/** Attaches the Origin go returns alongside a Stat error (shown in -json). */
function withOrigin(e: Error, origin: CodeOrigin | undefined): Error {
  if (origin !== undefined && !('origin' in e)) Object.assign(e, { origin: orderOrigin(origin as Record<string, string | undefined>) });
  return e;
}
