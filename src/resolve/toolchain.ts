/**
 * The toolchain module go downloads to switch toolchains (GOTOOLCHAIN=auto): golang.org/toolchain at
 * `v0.0.1-<goX.Y.Z>.<goos>-<goarch>`, for the newer of the main module's `toolchain` line and its
 * `go` line (a language version such as `1.22` means its first release, `go1.22.0`).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/toolchain/select.go (Select, Exec)
 */
import { goCompare, goIsValid } from '../module/index.js';
import type { ModuleVersion } from './modver.js';
import { hostGoarch, hostGoos } from '../internal/hostplatform.js';

export const TOOLCHAIN_MODULE = 'golang.org/toolchain';

/** The toolchain module for a go.mod's (or go.work's) `go` and `toolchain` lines; undefined without a go line. */
export function toolchainModule(goLine: string | undefined, toolchainLine: string | undefined, goos: string, goarch: string): ModuleVersion | undefined {
  let name: string | undefined;
  let min = '';
  if (toolchainLine !== undefined && toolchainLine.startsWith('go') && goIsValid(toolchainLine.slice(2))) {
    name = toolchainLine;
    min = toolchainLine.slice(2);
  }
  if (goLine !== undefined && goIsValid(goLine) && (min === '' || goCompare(goLine, min) > 0)) {
    name = 'go' + goLine;
    if (/^\d+\.\d+$/.test(goLine) && goCompare(goLine, '1.21') >= 0) name += '.0';
  }
  if (name === undefined) return undefined;
  return { path: TOOLCHAIN_MODULE, version: `v0.0.1-${name}.${goos}-${goarch}` };
}

/** This machine's GOOS/GOARCH in Go's names. */
export function hostPlatform(): string {
  return `${hostGoos()}/${hostGoarch()}`;
}
