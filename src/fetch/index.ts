/**
 * The GOPROXY client: list parsing and routing, the proxy protocol, HTTP (undici) with go's
 * semantics, retries, netrc, file:// proxies, and checksum-database discovery through proxies.
 * @see https://go.dev/ref/mod#goproxy-protocol
 */
export { Fetcher, type FetcherOptions, type HttpLike } from './fetcher.js';
export { HttpClient, stripPassword, type HttpBody, type HttpClientOptions } from './http.js';
export { GoAuth, GoAuthError, parseNetrc, type NetrcLine } from './auth.js';
export { classify, backoffDelay, parseRetryAfter, withRetry, DEFAULT_RETRY_POLICY, type RetryPolicy, type Verdict } from './retry.js';
export { parseProxyList, routeEntry, checkProxyUrl, type ProxyEntry, type Route } from './proxylist.js';
export { findSumdbBase, tryProxies, type SumdbBase } from './tryproxies.js';
export { ProxyRepo } from './proxyrepo.js';
export { ErrorRepo, ProxyListRepo } from './listrepo.js';
export { CachingRepo, VersionErrorRepo } from './repowrap.js';
export { noTrace, type FetchEvent, type Trace } from './events.js';
export {
  BadResponseError, HttpError, isNotExist, NotExistError, ProxyListError, TransportError,
  ZipTooLargeError,
} from './errors.js';
export { InsecureCredentialsError, RedirectError } from './httperrors.js';
export { FileUrlError } from './file.js';
export { parseGoUrl, goUrlString, redacted, UrlParseError, type GoUrl } from '../internal/gourl.js';
