/**
 * Direct mode: modules fetched from version control (git) exactly as go fetches them, with go's
 * repository cache under GOMODCACHE/cache/vcs. Sits beside src/fetch, below it: the fetcher asks
 * {@link DirectSource} for a {@link Repo} when a GOPROXY route reaches `direct`.
 * @see https://go.dev/ref/mod#vcs
 */
export { DirectSource, type DirectOptions, type DirectLookup } from './direct.js';
export type { DiscoveryResponse } from './discovery.js';
export type { CodeOrigin } from './types.js';
export { RunError } from './run.js';
export { GIT_CREDENTIALS_HINT } from './git.js';
export { redactUrls } from './redact.js';
export { UnsupportedVcsError, UnknownRevisionError, VcsError } from './errors.js';
