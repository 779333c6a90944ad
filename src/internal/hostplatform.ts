/**
 * This machine's GOOS and GOARCH, in Go's names (Node's `win32`, `x64`, `ia32`… renamed), for the
 * layers that need them before anything is resolved: start-up checks and the toolchain module.
 */

/** GOOS of this machine. */
export function hostGoos(): string {
  return process.platform === 'win32' ? 'windows' : process.platform === 'sunos' ? 'solaris' : process.platform;
}

/** GOARCH of this machine. */
export function hostGoarch(): string {
  const names: Record<string, string> = { x64: 'amd64', ia32: '386', ppc64: 'ppc64le', mipsel: 'mipsle' };
  return names[process.arch] ?? process.arch;
}
