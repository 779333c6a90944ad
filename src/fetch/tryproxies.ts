/**
 * Walking the GOPROXY list for one operation, as go's TryProxies does.
 *
 * Invariants (go 1.26 modfetch/proxy.go, checked end to end in test/fetch/fetcher.test.ts):
 * - Every operation starts again at the first entry and stops at the first success.
 * - After a failure the walk goes on only if the entry was followed by `|`, or the error is a
 *   not-exist one (404, 410, missing file, GOPROXY=off, GOPRIVATE routing).
 * - The error reported is the best ranked: errors from `direct` (or `noproxy`, unless it merely said
 *   "use a proxy") beat proxy errors that are not not-exist, which beat not-exist errors; within a rank
 *   the first one is kept, except that not-exist errors keep the last.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/proxy.go (TryProxies)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/sumdb.go (dbClient.initBase)
 */
import { isNotExist, NotExistError } from './errors.js';
import type { Trace } from './events.js';
import { goUrlString, redacted, type GoUrl } from '../internal/gourl.js';
import type { ProxyEntry } from './proxylist.js';

/** How an entry is shown in trace events (redacted URL or the built-in word). */
export function entryLabel(e: ProxyEntry): string {
  return e.kind === 'url' ? redacted(e.parsed) : e.kind;
}

/**
 * Whether a failure of `entry` moves on to another entry whatever the error: `|` follows it, and
 * then an entry that can answer (not `off`). gomod-dl does not retry requests to such an entry, as go
 * would not: the next entry is asked at once (README, Differences: Retries).
 */
export function fallsThroughOnAnyError(list: readonly ProxyEntry[], entry: ProxyEntry): boolean {
  const next = list[list.indexOf(entry) + 1];
  return entry.fallBackOnError && next !== undefined && next.kind !== 'off';
}

/**
 * Calls `f` on each entry until one succeeds; throws the best-ranked error otherwise.
 * @param isUseProxy recognises the `noproxy` entry's "path does not match" error (it ranks low)
 */
export async function tryProxies<T>(list: readonly ProxyEntry[], f: (entry: ProxyEntry) => Promise<T>,
  trace: Trace, isUseProxy: (err: unknown) => boolean): Promise<T> {
  const NOT_EXIST = 0, PROXY = 1, DIRECT = 2;
  let best: unknown;
  let bestRank = NOT_EXIST;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i]!;
    let err: unknown;
    try {
      return await f(entry);
    } catch (e) {
      err = e;
    }
    const notExist = isNotExist(err);
    if (entry.kind === 'direct' || (entry.kind === 'noproxy' && !isUseProxy(err))) {
      best = err;
      bestRank = DIRECT;
    } else if (bestRank <= PROXY && !notExist) {
      best = err;
      bestRank = PROXY;
    } else if (bestRank === NOT_EXIST) {
      best = err;
    }
    const next = list[i + 1];
    if (!entry.fallBackOnError && !notExist) {
      if (next !== undefined && entry.kind === 'url') {
        trace({ kind: 'no-fallback', from: entryLabel(entry), to: entryLabel(next), reason: (err as Error).message });
      }
      break;
    }
    if (next !== undefined && entry.kind !== 'noproxy') {
      trace({
        kind: 'fallback', from: entryLabel(entry), to: entryLabel(next),
        reason: `${(err as Error).message} (${notExist ? 'not found' : "any error, after '|'"})`,
      });
    }
  }
  throw best;
}

/** The answer of {@link findSumdbBase}: a proxy base URL, or connect directly. */
export type SumdbBase = { readonly kind: 'proxy'; readonly url: string } | { readonly kind: 'direct' };

/**
 * Finds how to reach checksum database `name`: the first proxy whose `<proxy>/sumdb/<name>/supported`
 * answers 200 is used exclusively (base `<proxy>/sumdb/<name>`); 404/410 (or `|`) moves on; `direct`,
 * `off` or the end of the list means a direct connection. Any other failure is returned as the error
 * of every lookup (go keeps it as baseErr).
 * @param get GETs a URL (Go string form) and throws go-style errors on non-200; `retry`: whether
 *   transient failures may be retried (not before a `|`, see {@link fallsThroughOnAnyError})
 * @see https://go.dev/design/25530-sumdb#proxying-a-checksum-database
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/sumdb.go (initBase)
 */
export async function findSumdbBase(list: readonly ProxyEntry[], name: string,
  get: (url: string, retry: boolean) => Promise<unknown>, trace: Trace = () => {}): Promise<SumdbBase> {
  const useProxy = new NotExistError('EUSEPROXY', 'path does not match GOPRIVATE/GONOPROXY');
  try {
    return await tryProxies<SumdbBase>(list, async (e) => {
      if (e.kind === 'noproxy') throw useProxy;
      if (e.kind !== 'url') throw new NotExistError('EPROXYOFF', 'module lookup disabled by GOPROXY=off');
      // web.Join: the path is appended without escaping or cleaning.
      const join = (u: GoUrl, p: string): GoUrl => ({
        ...u, path: u.path.replace(/\/$/, '') + '/' + p, rawPath: u.rawPath === '' ? '' : u.rawPath.replace(/\/$/, '') + '/' + p,
      });
      const base = join(e.parsed, 'sumdb/' + name);
      await get(goUrlString(join(base, 'supported')), !fallsThroughOnAnyError(list, e));
      return { kind: 'proxy', url: goUrlString(base) };
    }, trace, (err) => err === useProxy);
  } catch (err) {
    if (isNotExist(err)) return { kind: 'direct' };
    throw err;
  }
}
