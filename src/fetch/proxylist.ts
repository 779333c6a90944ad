/**
 * The GOPROXY list and the route of one module path through it.
 *
 * Invariants (go's `proxyList`, checked against go 1.26 in test/fetch/proxylist.test.ts):
 * - If GONOPROXY is non-empty and GOPROXY is not exactly `direct`, an implicit `noproxy` entry comes
 *   first.
 * - The list splits at `,` and `|`; the separator *after* an entry says whether a failure there falls
 *   through to the next entry on any error (`|`) or only on not-exist errors (`,`).
 * - Entries are trimmed; empty ones are skipped; `off` and `direct` end the list.
 * - An entry containing `.`, `:` or `/`, without `:/`, that is not an absolute path, gets `https://`.
 * - Each URL must parse (Go's net/url) with scheme http, https or file; a file URL must be only a path.
 * - No entries (or only `noproxy`): `GOPROXY list is not the empty string, but contains no entries`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/proxy.go (proxyList, TryProxies)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/repo.go (lookup)
 */
import * as path from 'node:path';
import { matchPrefixPatterns } from '../module/index.js';
import type { GoEnv } from '../config/index.js';
import { noProxyError, ProxyListError, proxyOffError, useProxyError } from './errors.js';
import { parseGoUrl, redacted, type GoUrl } from '../internal/gourl.js';

/** One entry of the list: a proxy URL or one of the built-in words. */
export type ProxyEntry =
  | { readonly kind: 'url'; readonly url: string; readonly parsed: GoUrl; readonly fallBackOnError: boolean }
  | { readonly kind: 'off' | 'direct' | 'noproxy'; readonly url: string; readonly fallBackOnError: boolean };

/**
 * Checks a proxy base URL as go's newProxyRepo does and returns it parsed.
 * @throws ProxyListError or UrlParseError with go's text
 */
export function checkProxyUrl(raw: string): GoUrl {
  const u = parseGoUrl(raw);
  const shown = redacted(u);
  switch (u.scheme) {
    case 'http':
    case 'https':
      return u;
    case 'file':
      // Go compares the whole struct against {Scheme, Path, RawPath}: no host, query, fragment,
      // user, opaque part, and not the `file:/x` spelling (OmitHost).
      if (u.host !== '' || u.user !== undefined || u.opaque !== '' || u.rawQuery !== '' || u.forceQuery ||
        u.fragment !== '' || u.omitHost) {
        throw new ProxyListError(`invalid file:// proxy URL with non-path elements: ${shown}`);
      }
      return u;
    case '':
      throw new ProxyListError(`invalid proxy URL missing scheme: ${shown}`);
    default:
      throw new ProxyListError(`invalid proxy URL scheme (must be https, http, file): ${shown}`);
  }
}

/**
 * Parses GOPROXY (with GONOPROXY deciding the implicit `noproxy` entry) into its entries.
 * @throws ProxyListError / UrlParseError with go's text; go reports it for every module.
 * @see https://go.dev/ref/mod#goproxy-protocol
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/proxy.go (proxyList)
 */
export function parseProxyList(env: Pick<GoEnv, 'GOPROXY' | 'GONOPROXY'>): ProxyEntry[] {
  const list: ProxyEntry[] = [];
  if (env.GONOPROXY !== '' && env.GOPROXY !== 'direct') {
    list.push({ kind: 'noproxy', url: 'noproxy', fallBackOnError: false });
  }
  let rest = env.GOPROXY;
  while (rest !== '') {
    let entry: string;
    let fallBackOnError = false;
    const i = rest.search(/[,|]/);
    if (i >= 0) {
      entry = rest.slice(0, i);
      fallBackOnError = rest[i] === '|';
      rest = rest.slice(i + 1);
    } else {
      entry = rest;
      rest = '';
    }
    entry = trimSpaceGo(entry);
    if (entry === '') continue;
    if (entry === 'off' || entry === 'direct') {
      // Both end the list: `off` always fails, and go reserves what follows `direct` for the future.
      list.push({ kind: entry, url: entry, fallBackOnError: false });
      break;
    }
    if (/[.:/]/.test(entry) && !entry.includes(':/') && !path.posix.isAbsolute(entry) &&
      !path.win32.isAbsolute(entry)) {
      entry = 'https://' + entry;
    }
    list.push({ kind: 'url', url: entry, parsed: checkProxyUrl(entry), fallBackOnError });
  }
  if (list.length === 0 || (list.length === 1 && list[0]!.kind === 'noproxy')) {
    throw new ProxyListError('GOPROXY list is not the empty string, but contains no entries');
  }
  return list;
}

/** Go's strings.TrimSpace for the ASCII and Unicode white space go trims. */
function trimSpaceGo(s: string): string {
  return s.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u, '')
    .replace(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/u, '');
}

/** What one list entry means for one module path. */
export type Route =
  | { readonly kind: 'proxy'; readonly entry: ProxyEntry & { kind: 'url' } }
  | { readonly kind: 'direct'; readonly entry: ProxyEntry }
  | { readonly kind: 'error'; readonly entry: ProxyEntry; readonly error: Error };

/**
 * Where a list entry sends a module path, as go's `lookup` decides: GONOPROXY paths go to version
 * control through `noproxy`/`direct` and fail (not-exist) on proxies; other paths skip `noproxy`.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/repo.go (lookup)
 */
export function routeEntry(entry: ProxyEntry, modulePath: string, env: Pick<GoEnv, 'GONOPROXY'>): Route {
  if (matchPrefixPatterns(env.GONOPROXY, modulePath)) {
    if (entry.kind === 'noproxy' || entry.kind === 'direct') return { kind: 'direct', entry };
    return { kind: 'error', entry, error: noProxyError() };
  }
  switch (entry.kind) {
    case 'off': return { kind: 'error', entry, error: proxyOffError() };
    case 'direct': return { kind: 'direct', entry };
    case 'noproxy': return { kind: 'error', entry, error: useProxyError() };
    default: return { kind: 'proxy', entry };
  }
}
