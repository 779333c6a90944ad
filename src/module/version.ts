/**
 * A module version pair and x/mod's `module.Sort` order, used for go.sum lines and listings.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/module/module.go (Version, Sort)
 */
import { compareGoStrings } from '../internal/gostrconv.js';
import { compare } from './semver.js';

/**
 * A module path and version (x/mod `module.Version`). The version may carry a `/go.mod` suffix, as in
 * go.sum keys; it is "" for the main module.
 */
export interface ModuleVersion {
  path: string;
  version: string;
}

/** Splits a version at its first `/`: [`v1.2.3`, `/go.mod`]. */
function splitSuffix(v: string): [string, string] {
  const k = v.indexOf('/');
  return k < 0 ? [v, ''] : [v.slice(0, k), v.slice(k)];
}

/**
 * The order of x/mod `module.Sort`: path bytewise; then the version before any `/` by semver
 * (invalid versions first); then the suffix bytewise, none first (`v1.0.0` < `v1.0.0/go.mod`).
 * As in Go, versions that differ only in build metadata, or are both invalid, compare as 0 whatever
 * their suffixes (go.sum never holds such pairs).
 * @see https://pkg.go.dev/golang.org/x/mod/module#Sort
 */
export function compareModules(a: ModuleVersion, b: ModuleVersion): number {
  if (a.path !== b.path) return compareGoStrings(a.path, b.path);
  const [va, fa] = splitSuffix(a.version);
  const [vb, fb] = splitSuffix(b.version);
  if (va !== vb) return compare(va, vb);
  return compareGoStrings(fa, fb);
}

/**
 * Sorts list in place by {@link compareModules} and returns it.
 * @see https://pkg.go.dev/golang.org/x/mod/module#Sort
 */
export function sortModules<T extends ModuleVersion>(list: T[]): T[] {
  return list.sort(compareModules);
}
