/**
 * Version queries (`latest`, `upgrade`, `patch`, `v1.2`, `<v1.2.3`, `>=v1.2.3`, exact versions,
 * branches and hashes), with excluded and retracted versions skipped for non-revision queries,
 * `+incompatible` filtering, and replacement versions folded in.
 *
 * Which requests a query makes matters (they leave files in the module cache), so the order of
 * checks follows go: the version list only for non-exact queries; the retraction check (an
 * `@latest` query plus that version's .info and .mod) only when some listed version passes the
 * prefix and range filters and is not excluded; the `.mod` of the highest compatible version only
 * when an `+incompatible` version is above it.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/query.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (CheckAllowed, CheckRetractions)
 */
import { GoError } from '../internal/errors.js';
import { OnceMap } from '../internal/once.js';
import { unixNano, ZERO_TIME } from '../internal/gotime.js';
import { autoQuote } from '../modfile/index.js';
import {
  isZeroTime,
  ORIGIN_FIELDS,
  type Origin,
  canonical as semverCanonical,
  canonicalVersion,
  checkPath,
  checkPathMajor,
  isPseudoVersion,
  pseudoVersionTime,
  splitPathVersion,
  versionError,
} from '../module/index.js';
import { DisallowedError, NoMatchingVersionError, NoPatchBaseError, QuerySyntaxError, TooNewError, isDisallowed } from './errors.js';
import { isToolchainPath, modCompare, modIsPrefix, modIsPrerelease, modIsValid, modMajorMinor, mvString, type ModuleVersion } from './modver.js';
import { isNotExist, type RevInfo, type VersionList } from './source.js';
import type { SummaryLoader } from './summary.js';
import { shortMessage } from './shortmsg.js';
import { replacementRepo, type VersionRepo } from './replacerepo.js';
import { checkReuseOf } from '../module/repo.js';

/** Returns an error (a DisallowedError, or another that callers ignore) when `m` may not be used. */
export type AllowedFunc = (m: ModuleVersion) => Promise<Error | undefined>;

/**
 * Reports whether `vers` names one revision (`v1.2.3`, a branch, a hash) rather than choosing among
 * versions; revision queries may resolve to excluded or retracted versions.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/query.go (IsRevisionQuery)
 */
export function isRevisionQuery(path: string, vers: string): boolean {
  return !(
    vers === 'latest' || vers === 'upgrade' || vers === 'patch' ||
    vers.startsWith('<') || vers.startsWith('>') ||
    (modIsValid(path, vers) && modIsPrefix(path, vers))
  );
}

interface QueryMatcher {
  prefix: string;
  filter: ((v: string) => boolean) | undefined;
  canStat: boolean;
  preferLower: boolean;
  mayUseLatest: boolean;
  preferIncompatible: boolean;
}

/** undefined means "a revision: stat it". @see query.go (newQueryMatcher) */
function newQueryMatcher(path: string, query: string, current: string): QueryMatcher | undefined {
  const bad = (v: string): never => {
    throw new QuerySyntaxError(`invalid semantic version "${v}" in range "${query}"`);
  };
  const matchesMajor = (v: string): boolean => {
    const { pathMajor, ok } = splitPathVersion(path);
    if (!ok) return false;
    try {
      checkPathMajor(v, pathMajor);
      return true;
    } catch {
      return false;
    }
  };
  const qm: QueryMatcher = {
    prefix: '',
    filter: undefined,
    canStat: false,
    preferLower: false,
    mayUseLatest: false,
    preferIncompatible: current.endsWith('+incompatible'),
  };
  const range = (op: string, cmp: (c: number) => boolean, lower: boolean, noPrefix: boolean): QueryMatcher => {
    const v = query.slice(op.length);
    if (!modIsValid(path, v)) bad(v);
    if (noPrefix && modIsPrefix(path, v)) {
      // Refuse to say whether <=v1.2 allows v1.2.3 (v1.2 might mean v1.2.3).
      throw new QuerySyntaxError(`ambiguous semantic version "${v}" in range "${query}"`);
    }
    qm.filter = (mv) => cmp(modCompare(path, mv, v));
    qm.preferLower = lower;
    if (!matchesMajor(v)) qm.preferIncompatible = true;
    return qm;
  };
  if (query === 'latest') {
    qm.mayUseLatest = true;
  } else if (query === 'upgrade') {
    if (current === '' || current === 'none') {
      qm.mayUseLatest = true;
    } else {
      qm.mayUseLatest = isPseudoVersion(current);
      qm.filter = (mv) => modCompare(path, mv, current) >= 0;
    }
  } else if (query === 'patch') {
    if (current === '' || current === 'none') throw new NoPatchBaseError(path);
    qm.mayUseLatest = isPseudoVersion(current);
    qm.prefix = modMajorMinor(path, current) + '.';
    qm.filter = (mv) => modCompare(path, mv, current) >= 0;
  } else if (query.startsWith('<=')) {
    return range('<=', (c) => c <= 0, false, true);
  } else if (query.startsWith('<')) {
    return range('<', (c) => c < 0, false, false);
  } else if (query.startsWith('>=')) {
    return range('>=', (c) => c >= 0, true, false);
  } else if (query.startsWith('>')) {
    return range('>', (c) => c > 0, true, true);
  } else if (modIsValid(path, query)) {
    if (modIsPrefix(path, query)) {
      qm.prefix = query + '.';
      // "v1.2" does not match prereleases of v1.2.0 (golang.org/issue/31972).
      qm.filter = (mv) => modCompare(path, mv, query) >= 0;
    } else {
      qm.canStat = true;
      qm.filter = (mv) => modCompare(path, mv, query) === 0;
      qm.prefix = semverCanonical(query);
    }
    if (!matchesMajor(query)) qm.preferIncompatible = true;
  } else {
    return undefined;
  }
  return qm;
}


/** Runs version queries for one run; caches the latest-version lookups used for retractions. */
export class Querier {
  private readonly latestCache = new OnceMap();

  constructor(readonly summaries: SummaryLoader) {}

  private get ld(): SummaryLoader {
    return this.summaries;
  }

  private get mm() {
    return this.summaries.mainModules;
  }

  /** go's CheckAllowed: exclusions, then retractions. */
  readonly checkAllowed: AllowedFunc = async (m) => {
    if (this.mm.isExcluded(m)) return versionError(m, new DisallowedError('excluded by go.mod'));
    return this.checkRetractions(m);
  };

  /**
   * Whether the author retracted `m`, judged from the go.mod of the module's latest version.
   * Errors loading that file are returned but are not DisallowedErrors (callers ignore them).
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (CheckRetractions)
   */
  async checkRetractions(m: ModuleVersion): Promise<Error | undefined> {
    if (m.version === '') return undefined;
    if (this.mm.replacement({ path: m.path, version: '' }) !== undefined) return undefined;
    let rm: ModuleVersion;
    try {
      rm = await this.latestIgnoringRetractions(m.path);
    } catch (e) {
      return new GoError('ERETRACTIONS', `loading module retractions for ${mvString(m)}: ${(e as Error).message}`);
    }
    const { summary, err } = await this.ld.rawGoModSummary(rm);
    if (err !== undefined && !(err instanceof TooNewError)) {
      return new GoError('ERETRACTIONS', `loading module retractions for ${mvString(m)}: ${err.message}`);
    }
    const rationale: string[] = [];
    let retracted = false;
    for (const r of summary?.retract ?? []) {
      if (modCompare(m.path, r.low, m.version) <= 0 && modCompare(m.path, m.version, r.high) <= 0) {
        retracted = true;
        if (r.rationale !== '') rationale.push(r.rationale);
      }
    }
    if (!retracted) return undefined;
    let msg = 'retracted by module author';
    if (rationale.length > 0) msg += ': ' + shortMessage(rationale[0]!, 'retracted by module author');
    return versionError(m, new DisallowedError(msg));
  }

  /**
   * The latest version of `path` ignoring exclusions and retractions (or its replacement).
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (queryLatestVersionIgnoringRetractions)
   */
  latestIgnoringRetractions(path: string): Promise<ModuleVersion> {
    return this.latestCache.do(path, async () => {
      const repl = this.mm.replacement({ path, version: '' });
      if (repl !== undefined) return repl;
      const rev = await this.query(path, 'latest', '', null);
      return this.mm.resolveReplacement({ path, version: rev.Version });
    });
  }

  /**
   * Whether an earlier answer to `path@query` (a -reuse record) may be reused: its Origin holds
   * enough to resolve the query again, and the repository confirms it (go's checkReuseRepo).
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/query.go (checkReuseRepo)
   */
  async reusable(path: string, query: string, origin: Readonly<Origin>): Promise<boolean> {
    const has = (k: keyof Origin): boolean => (origin[k] ?? '') !== '';
    if (has('RepoSum')) {
      // A RepoSum covers every ref: always enough (often the Origin of an error).
    } else if (query === canonicalVersion(query)) {
      // A version is immutable once it exists; the Hash, Ref or TagSum only has to hold.
      if (!has('Hash') && !has('Ref') && !has('TagSum')) return false;
    } else if (isRevisionQuery(path, query)) {
      // A branch, tag or hash, and the tags that name the version of its commit.
      if ((!has('Hash') && !has('Ref')) || !has('TagSum')) return false;
    } else if (!has('TagSum')) {
      return false; // latest, a prefix or a range: the absence of newer tags must hold
    }
    if (!isToolchainPath(path)) {
      try {
        checkPath(path);
      } catch {
        return false; // go's emptyRepo confirms nothing
      }
    }
    try {
      await checkReuseOf(this.ld.opts.source.lookup(path), origin);
      return true;
    } catch {
      return false;
    }
  }

  private lookupRepo(path: string): VersionRepo {
    const repo = this.ld.opts.source.lookup(path);
    let pathErr: Error | undefined;
    if (!isToolchainPath(path)) {
      try {
        checkPath(path);
      } catch (e) {
        pathErr = e as Error;
      }
    }
    const base: VersionRepo =
      pathErr === undefined
        ? {
            versions: async (prefix) => {
              const list = await repo.versions(prefix);
              const kept = list.filter((v) => v.startsWith(prefix));
              return list.origin !== undefined ? Object.assign(kept, { origin: list.origin }) : kept;
            },
            stat: (rev) => repo.stat(rev),
            latest: () => repo.latest(),
          }
        : { versions: () => Promise.resolve([]), stat: () => Promise.reject(pathErr), latest: () => Promise.reject(pathErr) };
    if (!this.mm.highestReplaced.has(path)) return base;
    return replacementRepo(this.mm, path, base);
  }

  /**
   * Resolves `query` for module `path`. `current` is the selected version (`""` or `none` when
   * there is none); `allowed` (null: everything) filters versions for non-revision queries.
   * Throws go's errors (the caller adds the `path@query: ` prefix where go does).
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/query.go (queryProxy)
   */
  async query(path: string, query: string, current: string, allowed: AllowedFunc | null): Promise<RevInfo> {
    if (current !== '' && current !== 'none' && !modIsValid(path, current)) {
      throw new GoError('EBADVERSION', `invalid previous version ${path}@${current}`);
    }
    const allow: AllowedFunc = allowed ?? (() => Promise.resolve(undefined));
    if (this.mm.contains(path) && (query === 'upgrade' || query === 'patch')) return { Version: '', Time: ZERO_TIME };
    if (path === 'std' || path === 'cmd') {
      throw new GoError('ESTDQUERY', `can't query specific version ("${query}") of standard-library module "${path}"`);
    }
    const repo = this.lookupRepo(path);
    const qm = newQueryMatcher(path, query, current);
    if (qm === undefined || qm.canStat) {
      let info: RevInfo;
      try {
        info = await repo.stat(query);
      } catch (queryErr) {
        // A +metadata version is the same version as its canonical form: try that tag.
        const canon = canonicalVersion(query);
        if (canon === '' || canon === query) throw queryErr;
        try {
          info = await repo.stat(canon);
        } catch (e) {
          if (!isNotExist(e)) throw e;
          throw queryErr;
        }
      }
      const err = await allow({ path, version: info.Version });
      if (err !== undefined && isDisallowed(err)) throw err;
      return info;
    }

    const versions: VersionList = await repo.versions(qm.prefix);
    // go's revWithOrigin: a version-control list's Origin, merged with each Stat's, is the result's.
    // (A proxy's list has none; its answers keep their own Origin.)
    let origin = versions.origin;
    const merged = versions.origin !== undefined;
    const withOrigin = (rev: RevInfo): RevInfo => {
      if (!merged) return rev;
      const { Origin: _dropped, ...rest } = rev;
      return origin !== undefined ? { ...rest, Origin: origin as Origin } : rest;
    };
    const { releases, prereleases } = await this.filterVersions(path, qm, allow, versions);
    const lookup = async (v: string): Promise<RevInfo> => withOrigin(await lookupRaw(v));
    // go's lookup: an error of Stat or Latest carries the list's Origin merged with the one
    // returned beside it.
    const mergeErrOrigin = (e: unknown): void => {
      const errOrigin = e instanceof Error ? (e as { origin?: OriginObject }).origin : undefined;
      if (merged && errOrigin !== undefined) origin = mergeOrigin(origin, errOrigin);
    };
    const withMergedOrigin = (e: unknown): unknown => (merged && e instanceof Error ? withErrOrigin(e, origin) : e);
    const statMerged = async (v: string): Promise<RevInfo> => {
      try {
        return await repo.stat(v);
      } catch (e) {
        mergeErrOrigin(e);
        throw withMergedOrigin(e);
      }
    };
    const lookupRaw = async (v: string): Promise<RevInfo> => {
      const rev = await statMerged(v);
      if (merged) origin = mergeOrigin(origin, rev.Origin);
      if ((query === 'upgrade' || query === 'patch') && isPseudoVersion(current) && !isZeroTime(rev.Time)) {
        // Do not "upgrade" from a pseudo-version to a chronologically older version.
        const curTime = BigInt(pseudoVersionTime(current).getTime()) * 1_000_000n;
        if (unixNano(rev.Time) < curTime) {
          const err = await allow({ path, version: current });
          if (err !== undefined && isDisallowed(err)) throw err;
          const cur = await statMerged(current);
          if (merged) origin = mergeOrigin(origin, cur.Origin);
          return cur;
        }
      }
      return rev;
    };
    const pick = qm.preferLower ? (l: string[]) => l[0] : (l: string[]) => l[l.length - 1];
    if (releases.length > 0) return lookup(pick(releases)!);
    if (prereleases.length > 0) return lookup(pick(prereleases)!);

    if (qm.mayUseLatest) {
      let latest: RevInfo | undefined;
      try {
        latest = await repo.latest();
        if (merged) origin = mergeOrigin(origin, latest.Origin);
      } catch (e) {
        // go merges the Origin Latest returned beside its error, whatever the error.
        mergeErrOrigin(e);
        if (!isNotExist(e)) throw withMergedOrigin(e);
      }
      if (latest !== undefined && (await this.allowsVersion(path, qm, allow, latest.Version))) return lookup(latest.Version);
    }
    if ((query === 'upgrade' || query === 'patch') && current !== '' && current !== 'none') {
      const err = await allow({ path, version: current });
      if (err !== undefined && isDisallowed(err)) throw err;
      return lookup(current);
    }
    const noMatch = new NoMatchingVersionError(query, current);
    // go's revWithOrigin(nil): the error keeps the list's Origin for -json.
    if (merged && origin !== undefined) Object.assign(noMatch, { origin });
    throw noMatch;
  }

  /** Prefix, then range filter, then `allowed` (so retractions are loaded only when needed). */
  private async allowsVersion(path: string, qm: QueryMatcher, allow: AllowedFunc, v: string): Promise<boolean> {
    if (qm.prefix !== '' && !v.startsWith(qm.prefix)) {
      if (!(isToolchainPath(path) && qm.prefix.slice(0, -1) === v)) return false;
    }
    if (qm.filter !== undefined && !qm.filter(v)) return false;
    const err = await allow({ path, version: v });
    return !(err !== undefined && isDisallowed(err));
  }

  /** @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/query.go (filterVersions) */
  private async filterVersions(
    path: string,
    qm: QueryMatcher,
    allow: AllowedFunc,
    versions: readonly string[],
  ): Promise<{ releases: string[]; prereleases: string[] }> {
    let needIncompatible = qm.preferIncompatible;
    let lastCompatible = '';
    const releases: string[] = [];
    const prereleases: string[] = [];
    for (const v of versions) {
      if (!(await this.allowsVersion(path, qm, allow, v))) continue;
      if (!needIncompatible) {
        if (!v.endsWith('+incompatible')) {
          lastCompatible = v;
        } else if (lastCompatible !== '') {
          // A go.mod in the highest compatible version means the author moved to modules:
          // ignore +incompatible versions above it (golang.org/issue/34165).
          if (await this.versionHasGoMod({ path, version: lastCompatible })) break;
          needIncompatible = true;
        }
      }
      (modIsPrerelease(path, v) ? prereleases : releases).push(v);
    }
    return { releases, prereleases };
  }

  /**
   * Whether `m` has a real go.mod (not the `module <path>` line go synthesizes).
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/query.go (versionHasGoMod)
   */
  private async versionHasGoMod(m: ModuleVersion): Promise<boolean> {
    const { data } = await this.ld.rawGoModData(m);
    const fake = new TextEncoder().encode(`module ${autoQuote(m.path)}\n`);
    return !(data.length === fake.length && data.every((b, i) => b === fake[i]));
  }
}

type OriginObject = Readonly<Record<string, unknown>>;

/**
 * A copy of `e` (same class, message and fields) whose Origin is `origin` (none when undefined): the
 * error itself may be cached by the repository (one Stat error serves every query that asks).
 */
function withErrOrigin(e: Error, origin: OriginObject | undefined): Error {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(e) as object) as Error, e);
  copy.message = e.message;
  copy.stack = e.stack ?? '';
  if (origin !== undefined) Object.assign(copy, { origin });
  else delete (copy as { origin?: OriginObject }).origin;
  return copy;
}

/**
 * go's mergeOrigin: the union of two Origins of one repository, or undefined (nil) when either is
 * nil or they disagree.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/build.go (mergeOrigin)
 */
export function mergeOrigin(m1: OriginObject | undefined, m2: OriginObject | undefined): OriginObject | undefined {
  if (m1 === undefined || m2 === undefined) return undefined;
  const f = (o: OriginObject, k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : '');
  if (f(m1, 'VCS') !== f(m2, 'VCS') || f(m1, 'URL') !== f(m2, 'URL') || f(m1, 'Subdir') !== f(m2, 'Subdir')) return undefined;
  const merged: Record<string, string> = {};
  for (const k of ORIGIN_FIELDS) merged[k] = f(m1, k);
  for (const k of ['Hash', 'RepoSum', 'Ref']) {
    if (f(m2, k) === '') continue;
    if (merged[k] !== '' && merged[k] !== f(m2, k)) return undefined;
    merged[k] = f(m2, k);
  }
  if (f(m2, 'TagSum') !== '') {
    if (merged['TagSum'] !== '' && (merged['TagSum'] !== f(m2, 'TagSum') || merged['TagPrefix'] !== f(m2, 'TagPrefix'))) return undefined;
    merged['TagSum'] = f(m2, 'TagSum');
    merged['TagPrefix'] = f(m2, 'TagPrefix');
  }
  const out: Record<string, string> = {};
  for (const k of ORIGIN_FIELDS) if (merged[k] !== '') out[k] = merged[k]!;
  return out;
}
