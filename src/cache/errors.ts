/**
 * Errors of the module cache layer, each with a stable `code` and go's exact text as `message`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go
 */
import { quote } from '../internal/gostrconv.js';

/** GOMODCACHE is unusable (relative, or exists but is not a directory, or cannot be created). */
export class CacheRootError extends Error {
  readonly code: 'EGOMODCACHERELATIVE' | 'EGOMODCACHENOTDIR' | 'EGOMODCACHECREATE';
  constructor(code: CacheRootError['code'], message: string) {
    super(message);
    this.name = 'CacheRootError';
    this.code = code;
  }
}

/** A version that cannot name a cache entry: not semver, or not canonical. */
export class CacheVersionError extends Error {
  readonly code: 'ENONSEMVER' | 'ENONCANONICAL';
  readonly version: string;
  constructor(code: CacheVersionError['code'], version: string) {
    const what = code === 'ENONSEMVER' ? 'non-semver' : 'non-canonical';
    super(`${what} module version ${quote(version)}`);
    this.name = 'CacheVersionError';
    this.code = code;
    this.version = version;
  }
}

/** The `go` and `toolchain` pseudo-modules are never cached. */
export class ToolchainModuleError extends Error {
  readonly code = 'ETOOLCHAINMODULE';
  constructor() {
    super('internal error: invalid operation on toolchain module');
    this.name = 'ToolchainModuleError';
  }
}

/** A .info body that go's json.Unmarshal into RevInfo would reject; `message` is go's json error. */
export class InfoDecodeError extends Error {
  readonly code = 'EINFODECODE';
  constructor(message: string) {
    super(message);
    this.name = 'InfoDecodeError';
  }
}

/** A RevInfo that go's json.Marshal refuses (a Time outside RFC 3339's range). */
export class InfoEncodeError extends Error {
  readonly code = 'EINFOENCODE';
  constructor(message: string) {
    super(message);
    this.name = 'InfoEncodeError';
  }
}
