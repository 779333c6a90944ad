/**
 * Module paths, escaping, Go semver, pseudo-versions, toolchain versions, prefix patterns and their
 * errors: the TypeScript counterpart of golang.org/x/mod/module and /semver.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/module/module.go
 */
export * from './semver.js';
export * from './errors.js';
export * from './path.js';
export * from './escape.js';
export * from './pseudo.js';
export * from './version.js';
export * from './match.js';
export * from './gover.js';
export * from './fold.js';
export * from './revinfo.js';
export * from './repo.js';
