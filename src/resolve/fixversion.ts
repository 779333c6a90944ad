/**
 * go's fixVersion for the main module's go.mod (and each go.mod of a workspace): a version that is
 * not canonical (`v1.5`, `latest`, a branch, `<v1.5.0`) is resolved with a version query, as go
 * resolves it while parsing, before any main module is known (no replacements, no exclusions).
 * x/mod's VersionFixer is synchronous, so the file is parsed twice: once to collect the queries, then
 * with their answers.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (fixVersion)
 */
import { InternalError } from '../internal/errors.js';
import type { VersionFixer } from '../modfile/index.js';
import { canonicalVersion, checkPathMajor, InvalidVersionError, ModuleError, splitPathVersion, versionError } from '../module/index.js';

/** Runs one version query (`Query(path, vers, "", nil)`), returning the version it selects. */
export type QueryVersion = (path: string, vers: string) => Promise<string>;

/** The part of fixVersion that needs no network: undefined when a query is needed. */
function fixOffline(path: string, vers: string): { vers: string; resolved?: string } {
  if (path.startsWith('gopkg.in/') && vers.includes('-gopkgin-')) vers = vers.slice(vers.indexOf('-gopkgin-') + '-gopkgin-'.length);
  const sp = splitPathVersion(path);
  if (!sp.ok) throw new ModuleError(path, '', new InvalidVersionError(vers, `malformed module path "${path}"`));
  if (vers !== '' && canonicalVersion(vers) === vers) {
    try {
      checkPathMajor(vers, sp.pathMajor);
    } catch (e) {
      throw versionError({ path, version: vers }, e as Error);
    }
    return { vers, resolved: vers };
  }
  return { vers };
}

/**
 * Parses with go's fixer: once, when every version is canonical (the usual go.mod, `parsed` is the
 * result); else once to collect the queries, which then run, and again with their answers (`parsed`
 * is undefined: parse again with `fix`). A failing first parse also leaves `parsed` undefined, so
 * that the second one reports its errors. go.mod is rewritten with `fix` when the requirements are
 * written back (modfetch/sumfiles.ts), which shows any version it changed.
 */
export async function prepareFixer<T>(
  parse: (fix: VersionFixer) => T,
  query: QueryVersion,
): Promise<{ parsed: T | undefined; fix: VersionFixer }> {
  const wanted = new Map<string, { path: string; vers: string }>();
  let first: T | undefined;
  try {
    first = parse((path, vers) => {
      const o = fixOffline(path, vers);
      if (o.resolved !== undefined) return o.resolved;
      wanted.set(`${path}\0${o.vers}`, { path, vers: o.vers });
      return canonicalVersion(o.vers) || 'v0.0.0';
    });
  } catch {
    // The second parse reports the errors, with the queries' answers.
  }
  const answers = new Map<string, { v?: string; err?: Error }>();
  await Promise.all(
    [...wanted].map(async ([k, q]) => {
      try {
        answers.set(k, { v: await query(q.path, q.vers) });
      } catch (e) {
        answers.set(k, { err: e as Error });
      }
    }),
  );
  const fix: VersionFixer = (path, orig) => {
    const o = fixOffline(path, orig);
    if (o.resolved !== undefined) return o.resolved;
    const a = answers.get(`${path}\0${o.vers}`);
    if (a === undefined) throw new InternalError(`internal error: no query answer for ${path}@${o.vers}`);
    if (a.err !== undefined) throw a.err;
    return a.v!;
  };
  return { parsed: wanted.size === 0 ? first : undefined, fix };
}
