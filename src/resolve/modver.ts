/**
 * Version comparison for module paths as the go command's module loader does it: ordinary modules
 * use Go semver, the `go` and `toolchain` pseudo-modules use Go toolchain versions (gover).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/gover/mod.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/mvs.go (cmpVersion)
 */
import {
  compare as semverCompare,
  isValid as semverIsValid,
  majorMinor as semverMajorMinor,
  prerelease as semverPrerelease,
  goCompare,
  goIsLang,
  goFromToolchain,
  goIsValid,
  goLang,
  type ModuleVersion,
} from '../module/index.js';
import { compareGoStrings } from '../internal/gostrconv.js';

export type { ModuleVersion };

/**
 * Reports whether `path` names the `go` or `toolchain` pseudo-module.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/gover/mod.go (IsToolchain)
 */
export function isToolchainPath(path: string): boolean {
  return path === 'go' || path === 'toolchain';
}


function maybeToolchainVersion(name: string): string {
  return goIsValid(name) ? name : goFromToolchain(name);
}

/**
 * Compares two versions of the module `path` (-1, 0, +1).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/gover/mod.go (ModCompare)
 */
export function modCompare(path: string, x: string, y: string): number {
  if (path === 'go') return goCompare(x, y);
  if (path === 'toolchain') return goCompare(maybeToolchainVersion(x), maybeToolchainVersion(y));
  return semverCompare(x, y);
}

/**
 * Like {@link modCompare}, but the version `""` (a main module) is above every other version.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/mvs.go (cmpVersion)
 */
export function cmpVersion(path: string, v1: string, v2: string): number {
  if (v2 === '') return v1 === '' ? 0 : -1;
  if (v1 === '') return 1;
  return modCompare(path, v1, v2);
}

/** @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/gover/mod.go (ModIsValid) */
export function modIsValid(path: string, v: string): boolean {
  if (path === 'toolchain') return goIsValid(goFromToolchain(v));
  if (path === 'go') return goIsValid(v);
  return semverIsValid(v);
}

/**
 * Reports whether `v` is a version prefix such as `v1` or `v1.2` (a query, not a version).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/gover/mod.go (ModIsPrefix)
 */
export function modIsPrefix(path: string, v: string): boolean {
  if (path === 'toolchain') return goIsLang(goFromToolchain(v));
  if (path === 'go') return goIsLang(v);
  let dots = 0;
  for (const c of v) {
    if (c === '-' || c === '+') return false;
    if (c === '.' && ++dots >= 2) return false;
  }
  return true;
}

/** @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/gover/mod.go (ModIsPrerelease) */
export function modIsPrerelease(path: string, v: string): boolean {
  if (isToolchainPath(path)) {
    const g = path === 'toolchain' ? goFromToolchain(v) : v;
    return goIsValid(g) && /[a-z]/.test(g);
  }
  return semverPrerelease(v) !== '';
}

/** @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/gover/mod.go (ModMajorMinor) */
export function modMajorMinor(path: string, v: string): string {
  if (path === 'toolchain') return 'go' + goLang(goFromToolchain(v));
  if (path === 'go') return goLang(v);
  return semverMajorMinor(v);
}

/**
 * Sorts in place by path (bytewise), then version (a `/go.mod`-style suffix sorts by string).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/gover/mod.go (ModSort)
 */
export function modSort<T extends ModuleVersion>(list: T[]): T[] {
  return list.sort((a, b) => {
    if (a.path !== b.path) return compareGoStrings(a.path, b.path);
    let vi = a.version;
    let vj = b.version;
    let fi = '';
    let fj = '';
    const ki = vi.indexOf('/');
    if (ki >= 0) [vi, fi] = [vi.slice(0, ki), vi.slice(ki)];
    const kj = vj.indexOf('/');
    if (kj >= 0) [vj, fj] = [vj.slice(0, kj), vj.slice(kj)];
    if (vi !== vj) return modCompare(a.path, vi, vj);
    return fi < fj ? -1 : fi > fj ? 1 : 0;
  });
}

/** The map key of a module version: `path@version` (`path` alone for version `""`). */
export function mvString(m: ModuleVersion): string {
  return m.version === '' ? m.path : `${m.path}@${m.version}`;
}

/** A map key that keeps `path` and `path@""` apart from any real version. */
export function mvKey(m: ModuleVersion): string {
  return `${m.path}\x00${m.version}`;
}

/** Whether Go version `v` is at least `min` (gover.Compare(v, min) >= 0). */
export function goAtLeast(v: string, min: string): boolean {
  return goCompare(v, min) >= 0;
}
