/**
 * Errors of the module cache layer, each with a stable `code` and go's exact text as `message`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go
 */
import { GoError } from '../internal/errors.js';
import { quote } from '../internal/gostrconv.js';

/** GOMODCACHE is unusable (relative, or exists but is not a directory, or cannot be created). */
export class CacheRootError extends GoError {
  declare readonly code: 'EGOMODCACHERELATIVE' | 'EGOMODCACHENOTDIR' | 'EGOMODCACHECREATE';
  constructor(code: CacheRootError['code'], message: string) {
    super(code, message);
    this.name = 'CacheRootError';
  }
}

/** A version that cannot name a cache entry: not semver, or not canonical. */
export class CacheVersionError extends GoError {
  declare readonly code: 'ENONSEMVER' | 'ENONCANONICAL';
  readonly version: string;
  constructor(code: CacheVersionError['code'], version: string) {
    const what = code === 'ENONSEMVER' ? 'non-semver' : 'non-canonical';
    super(code, `${what} module version ${quote(version)}`);
    this.name = 'CacheVersionError';
    this.version = version;
  }
}

/** The `go` and `toolchain` pseudo-modules are never cached. */
export class ToolchainModuleError extends GoError {
  constructor() {
    super('ETOOLCHAINMODULE', 'internal error: invalid operation on toolchain module');
    this.name = 'ToolchainModuleError';
  }
}

/** A .info body that go's json.Unmarshal into RevInfo would reject; `message` is go's json error. */
export class InfoDecodeError extends GoError {
  constructor(message: string) {
    super('EINFODECODE', message);
    this.name = 'InfoDecodeError';
  }
}

/** A RevInfo that go's json.Marshal refuses (a Time outside RFC 3339's range). */
export class InfoEncodeError extends GoError {
  constructor(message: string) {
    super('EINFOENCODE', message);
    this.name = 'InfoEncodeError';
  }
}
