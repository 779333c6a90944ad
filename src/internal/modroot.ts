/**
 * Finding the main module's go.mod as go does, for every layer that needs it before the resolver runs
 * (start-up checks read it to know whether module mode will be on).
 */
import { statSync } from 'node:fs';
import * as nodePath from 'node:path';

/** Whether p is a regular file (following symlinks); false for any error. */
export function isRegularFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The directory of the nearest go.mod at or above `dir`, or `""`.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (findModuleRoot)
 */
export function findModuleRoot(dir: string, isFile: (p: string) => boolean): string {
  let d = nodePath.resolve(dir);
  for (;;) {
    if (isFile(nodePath.join(d, 'go.mod'))) return d;
    const up = nodePath.dirname(d);
    if (up === d) return '';
    d = up;
  }
}
