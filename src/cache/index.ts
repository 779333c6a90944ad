/**
 * The module cache layer: GOMODCACHE layout, go-compatible temp files, `.info` encoding, `list`,
 * and the publish protocol (ARCHITECTURE.md).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go
 */
export * from './errors.js';
export * from './layout.js';
export * from './atomic.js';
export * from './info.js';
export * from './list.js';
export * from './modcache.js';
export { exists, readIfExists, removeTree, statExists, trimSpace } from './fsutil.js';
export * from './flock.js';
export * from './workdir.js';
