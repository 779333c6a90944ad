/**
 * A module's versions with the main modules' replacement versions folded in: replaced versions
 * count as existing even when the proxy does not have them.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/query.go (replacementRepo)
 */
import { ZERO_TIME } from '../internal/gotime.js';
import { build as semverBuild, canonicalVersion, checkPathMajor, goTimeFromDate, isPseudoVersion, pseudoVersionTime, splitPathVersion, zeroPseudoVersion } from '../module/index.js';
import type { MainModuleSet } from './mainmodules.js';
import { modCompare } from './modver.js';
import { isNotExist, type RevInfo } from './source.js';
import type { Repo } from '../module/repo.js';

/** A module's versions as a query sees them (go's versionRepo): the query side of the one Repo. */
export type VersionRepo = Pick<Repo, 'versions' | 'stat' | 'latest'>;

/** Wraps `repo` for a module path that some main module (or go.work) replaces. */
export function replacementRepo(mm: MainModuleSet, path: string, repo: VersionRepo): VersionRepo {
  const replacementStat = (v: string): RevInfo =>
    ({ Version: v, Time: isPseudoVersion(v) ? goTimeFromDate(pseudoVersionTime(v)) : ZERO_TIME });
  return {
    versions: async (prefix) => {
      let list: readonly string[];
      try {
        list = await repo.versions(prefix);
      } catch (e) {
        if (!isNotExist(e)) throw e;
        list = [];
      }
      const extra = mm.moduleReplaceVersions(path).filter((v) => v !== '' && v.startsWith(prefix) && !isPseudoVersion(v));
      if (extra.length === 0) return list;
      const all = [...list, ...extra].sort((a, b) => modCompare(path, a, b));
      return all.filter((v, i) => i === 0 || v !== all[i - 1]);
    },
    stat: async (rev) => {
      try {
        return await repo.stat(rev);
      } catch (err) {
        if (!mm.hasModuleReplacements()) throw err;
        let v = canonicalVersion(rev);
        if (v !== rev) throw err;
        const { pathMajor, ok } = splitPathVersion(path);
        if (ok && pathMajor === '') {
          try {
            checkPathMajor(v, pathMajor);
          } catch {
            if (semverBuild(v) === '') v += '+incompatible';
          }
        }
        if (mm.replacement({ path, version: v }) === undefined) throw err;
        return replacementStat(v);
      }
    },
    latest: async () => {
      let info: RevInfo | undefined;
      let err: unknown;
      try {
        info = await repo.latest();
      } catch (e) {
        err = e;
      }
      let v = mm.highestReplaced.get(path);
      if (v !== undefined) {
        if (v === '') {
          // Only a wildcard replacement: a pseudo-version below any real one.
          const { pathMajor, ok } = splitPathVersion(path);
          v = zeroPseudoVersion(ok && pathMajor.length > 0 ? pathMajor.slice(1) : 'v0');
        }
        if (info === undefined || modCompare(path, v, info.Version) > 0) return replacementStat(v);
      }
      if (info === undefined) throw err;
      return info;
    },
  };
}
