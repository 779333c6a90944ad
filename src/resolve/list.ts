/**
 * Resolving `go mod download` arguments to modules, as go's ListModules does for it: `all`,
 * `...` patterns over the build list, bare paths (which must be in the build list), `path@query`,
 * with go's fatal texts for malformed arguments and its per-module errors.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/list.go (listModules)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/build.go (moduleInfo)
 */
import { ModuleError } from '../module/index.js';
import { FatalError } from '../internal/errors.js';
import { NoMainModulesError, NoMatchingVersionError, findModuleError } from './errors.js';
import type { ModuleGraph } from './graph.js';
import type { ModLoader, Requirements } from './loader.js';
import { isToolchainPath, mvKey, type ModuleVersion } from './modver.js';
import { matchPattern } from './pkgpattern.js';
import { isRevisionQuery, type Querier } from './query.js';
import type { RevInfo } from './source.js';
import type { BuildListError } from './errors.js';
import type { ReuseMap } from './reuse.js';
import { ZERO_TIME } from '../internal/gotime.js';

/** One module as go lists it for download (go's ModulePublic, the fields download uses). */
export interface ListedModule {
  readonly path: string;
  /** `""` for a main module or a directory replacement: nothing to download. */
  readonly version: string;
  /** The query as given, when it differs from the resolved version. */
  readonly query?: string;
  /** go's error text for this module (the JSON `Error`). */
  readonly error?: string;
  /** The Origin of the query's RevInfo (path@query arguments only). */
  readonly origin?: Readonly<Record<string, unknown>>;
  /** The RevInfo from the Stat go made while listing (its `.info`). */
  readonly info?: RevInfo;
  /** The replacement, when the module is replaced; go downloads that instead. */
  readonly replace?: ListedModule;
  /** The record was reused from the -reuse file (go's ModulePublic.Reuse). */
  readonly reuse?: boolean;
}

/** What listModules returns: the modules in go's order, new roots, and the graph error if any. */
export interface ListResult {
  readonly mods: ListedModule[];
  readonly rs: Requirements | undefined;
  readonly graphError: BuildListError | undefined;
  /** `warning: pattern "<p>" matched no module dependencies` lines. */
  readonly warnings: string[];
}

/** go's ParsePathVersion. @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/list.go */
export function parsePathVersion(arg: string): { path: string; vers: string; found: boolean } {
  const i = arg.indexOf('@');
  if (i < 0) return { path: arg, vers: '', found: false };
  const vers = arg.slice(i + 1);
  if (vers.startsWith('-') || vers.startsWith('/')) {
    throw new FatalError('EBADVERSION', `invalid module version "${vers}"`);
  }
  return { path: arg.slice(0, i), vers, found: true };
}

function isRelativePath(p: string): boolean {
  return p.startsWith('./') || p.startsWith('../') || p === '.' || p === '..';
}

/** The JSON Error text for a failed query (go's modinfoError). */
function modinfoError(path: string, vers: string, err: Error): string {
  if (err instanceof NoMatchingVersionError) return new ModuleError(path, '', err).message;
  if (findModuleError(err) === undefined) return new ModuleError(path, vers, err).message;
  return err.message;
}

/** Context for listing: the loader (undefined outside a module) and the querier. */
export interface ListContext {
  readonly loader: ModLoader | undefined;
  readonly querier: Querier;
  /** Whether a go.work file is in use (even one without modules). */
  readonly inWorkspace: boolean;
  /** The -reuse file's records (only outside a module, where arguments are path@query). */
  readonly reuse?: ReuseMap;
}

/**
 * Resolves `args` to modules in go's order. Throws FatalError for go's fatal argument
 * errors; per-module failures are in each module's `error`.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/list.go (listModules)
 */
export async function listModules(ctx: ListContext, args: readonly string[]): Promise<ListResult> {
  const ld = ctx.loader;
  let rs = ld?.requirements;
  const hasModRoot = ld !== undefined;
  const noMain = (arg: string): never => {
    throw new FatalError('ENOMAINMODULE', `cannot match "${arg}": ${new NoMainModulesError(ctx.inWorkspace).message}`);
  };
  const rootSelected = (path: string): string | undefined => (ld && rs ? ld.rootSelected(rs, path) : undefined);

  let needFullGraph = false;
  for (const arg of args) {
    if (arg.includes('\\')) throw new FatalError('EBACKSLASH', 'module paths never use backslash');
    if (isRelativePath(arg)) throw new FatalError('ERELATIVE', `cannot use relative path ${arg} to specify module`);
    if (arg === 'all' || arg.includes('...')) {
      needFullGraph = true;
      if (!hasModRoot) noMain(arg);
      continue;
    }
    const { path, vers, found } = parsePathVersion(arg);
    if (found) {
      if ((vers === 'upgrade' || vers === 'patch') && (rootSelected(path) === undefined || rs?.pruning === 'unpruned')) {
        needFullGraph = true;
        if (!hasModRoot) noMain(arg);
      }
      continue;
    }
    if (rootSelected(arg) === undefined || rs?.pruning === 'unpruned') {
      needFullGraph = true;
      if (!hasModRoot) {
        throw new FatalError(
          'ENOMAINMODULE',
          `cannot match "${arg}" without -versions or an explicit version: ${new NoMainModulesError(ctx.inWorkspace).message}`,
        );
      }
    }
  }

  let mg: ModuleGraph | undefined;
  let graphError: BuildListError | undefined;
  if (needFullGraph && ld && rs) {
    ({ rs, mg, err: graphError } = await ld.expandGraph(rs));
  }

  // Each argument's listing (a Stat per module, often a network round trip) starts at once; the
  // results keep the arguments' order, as go prints them.
  const pending: Promise<ListedModule[]>[] = [];
  const warnings: string[] = [];
  const matched = new Set<string>();
  for (const arg of args) {
    const { path, vers, found } = parsePathVersion(arg);
    if (found) {
      const current = mg ? mg.selected(path) : (rootSelected(path) ?? '');
      if (current === 'none' && graphError !== undefined && (vers === 'upgrade' || vers === 'patch')) continue;
      const allowed = isRevisionQuery(path, vers) ? null : ctx.querier.checkAllowed;
      pending.push(
        (async (): Promise<ListedModule[]> => {
          let info: RevInfo;
          try {
            info = (await reusedAnswer(ctx, path, vers)) ?? (await ctx.querier.query(path, vers, current, allowed));
          } catch (e) {
            if (e instanceof FatalError) throw e; // go's base.Fatalf inside the query
            // go keeps the Origin a failed Stat still knows (a version-control source's), for -json.
            const origin = (e as { origin?: Readonly<Record<string, unknown>> }).origin;
            return [{ path, version: vers, error: modinfoError(path, vers, e as Error), ...(origin !== undefined ? { origin } : {}) }];
          }
          // Resolved outside the requirements: report the requested module, not its replacement.
          const mod = await moduleInfo(ctx, undefined, { path, version: info.Version });
          return [
            {
              ...mod,
              ...(vers !== mod.version ? { query: vers } : {}),
              ...(info.Origin !== undefined ? { origin: info.Origin } : {}),
            },
          ];
        })(),
      );
      continue;
    }

    let match: (p: string) => boolean;
    if (arg === 'all') {
      match = (p) => !isToolchainPath(p);
    } else if (arg.includes('...')) {
      const mp = matchPattern(arg);
      match = (p) => mp(p) && !isToolchainPath(p);
    } else {
      const v = mg ? mg.selected(arg) : rootSelected(arg)!;
      if (v === 'none' && graphError !== undefined) continue;
      if (v !== 'none') pending.push(moduleInfo(ctx, rs, { path: arg, version: v }).then((m) => [m]));
      else pending.push(Promise.resolve([{ path: arg, version: '', error: new ModuleError(arg, '', new Error('not a known dependency')).message }]));
      continue;
    }
    const matches: ModuleVersion[] = [];
    for (const m of mg!.buildList()) {
      if (match(m.path) && !matched.has(mvKey(m))) {
        matched.add(mvKey(m));
        matches.push(m);
      }
    }
    if (matches.length === 0) warnings.push(`warning: pattern "${arg}" matched no module dependencies`);
    pending.push(Promise.all(matches.map((m) => moduleInfo(ctx, rs, m))));
  }
  const mods = (await Promise.all(pending)).flat();
  return { mods, rs, graphError, warnings };
}

/**
 * The listing of one module version: a Stat of the version (its `.info`) and, when the graph did
 * not read it, its go.mod (for the go version) — or the same for its replacement.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/build.go (moduleInfo)
 */
async function moduleInfo(ctx: ListContext, rs: Requirements | undefined, m: ModuleVersion): Promise<ListedModule> {
  const ld = ctx.loader;
  if (m.version === '' && ld?.mainModules.contains(m.path)) return { path: m.path, version: '' };
  if (rs === undefined || ld === undefined) return completeFromModCache(ctx, m);
  const r = ld.mainModules.replacement(m);
  if (r === undefined) return completeFromModCache(ctx, m);
  return { path: m.path, version: m.version, replace: await completeFromModCache(ctx, r) };
}

/** The GOPROXY=off error inside `e`, if that is what it is. */
function proxyOffError(e: unknown): Error | undefined {
  for (let x: unknown = e, depth = 0; x instanceof Error && depth < 8; x = x.cause, depth++) {
    if ((x as { code?: unknown }).code === 'EPROXYOFF') return x;
  }
  return undefined;
}

/**
 * queryProxy's reuse: the answer of a -reuse record for `path@query` whose Origin still holds.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/query.go (queryProxy)
 */
async function reusedAnswer(ctx: ListContext, path: string, query: string): Promise<RevInfo | undefined> {
  const old = ctx.reuse?.get(`${path}@${query}`);
  if (old === undefined || !(await ctx.querier.reusable(path, query, old.origin))) return undefined;
  return { Version: old.version, Time: ZERO_TIME, Origin: old.origin };
}

async function completeFromModCache(ctx: ListContext, m: ModuleVersion): Promise<ListedModule> {
  // moduleInfo's reuse: the old record as it was, once its Origin holds for this version.
  const old = m.version !== '' ? ctx.reuse?.get(`${m.path}@${m.version}`) : undefined;
  if (old !== undefined && (await ctx.querier.reusable(m.path, m.version, old.origin))) {
    return { path: old.path, version: old.version, ...(old.error !== undefined ? { error: old.error } : {}), reuse: true };
  }
  if (isToolchainPath(m.path)) return { path: m.path, version: m.version };
  let version = m.version;
  let error: string | undefined;
  let info: RevInfo | undefined;
  if (m.version !== '') {
    try {
      info = await ctx.querier.query(m.path, m.version, '', null);
      version = info.Version;
    } catch (e) {
      // GOPROXY=off fails in go's TryProxies, before any repository adds the module: moduleInfo
      // reports it as it is (`module lookup disabled by GOPROXY=off`).
      error = (proxyOffError(e) ?? (e as Error)).message;
    }
  }
  const summaries = ctx.querier.summaries;
  if (!summaries.rawGoVersion.has(mvKey(m))) {
    // go reads the go.mod for the module's go version when the graph has not (errors ignored).
    await summaries.rawGoModSummary(m);
  }
  return { path: m.path, version, ...(error !== undefined ? { error } : {}), ...(info !== undefined ? { info } : {}) };
}
