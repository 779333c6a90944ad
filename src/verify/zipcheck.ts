/**
 * The module zip rules, checked over a zip's central directory before anything is extracted.
 *
 * A module zip for `path@version`:
 * - names a canonical version that passes module.Check;
 * - is at most 500 MiB, and so is the sum of its declared uncompressed sizes;
 * - holds only entries named `path@version/...`; every name below that prefix is a clean, valid file path
 *   (module.CheckFilePath), with no two names equal under Unicode case folding, no name both a file
 *   and a directory, and no file listed twice;
 * - has its go.mod, if any, at the root and spelled `go.mod`; go.mod and LICENSE are at most 16 MiB.
 *
 * Symbolic links and other irregular entries are not rejected: go's Unzip ignores the external
 * attributes and writes every file entry as a regular 0444 file (checked against go 1.26).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/zip/zip.go (checkZip, collisionChecker)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (downloadZip)
 */
import { canonicalVersion, check, checkFilePath, toFold } from '../module/index.js';
import { goString, quote } from '../internal/gostrconv.js';
import { cleanPath } from '../internal/gopath.js';
import { nameBytes } from './dirhash.js';
import { UnexpectedZipFileError, ZipCheckError } from './ziperrors.js';

/** x/mod/zip MaxZipFile (and codehost.MaxZipFile): the limit on a module zip file and on its total uncompressed content. */
export const MAX_ZIP_FILE = 500 << 20;
/** x/mod/zip MaxGoMod and MaxLICENSE. */
export const MAX_GO_MOD = 16 << 20;
export const MAX_LICENSE = 16 << 20;

/** What the rules need from one central-directory entry. */
export interface ZipEntryInfo {
  /** The name as stored: raw bytes (possibly invalid UTF-8) or a string (encoded as UTF-8). */
  readonly name: string | Uint8Array;
  /** The declared uncompressed size. */
  readonly uncompressedSize: number;
}

/**
 * A name as a Go string held in a JS string (bytes that are not UTF-8 as U+DC80–U+DCFF, see
 * src/internal/gostrconv.ts), so messages quote and print it as go does.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/zip/zip.go (FileError prints the name as is)
 */
export function displayName(name: string | Uint8Array): string {
  return typeof name === 'string' ? name : goString(name);
}

/**
 * cmd/go's check right after the download: every entry must have the prefix `path@version/`.
 * Throws {@link UnexpectedZipFileError} naming the first entry (central-directory order) that does not.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (downloadZip)
 */
export function checkZipPrefix(path: string, version: string, names: Iterable<string | Uint8Array>): void {
  const prefix = Buffer.from(`${path}@${version}/`, 'utf8');
  for (const name of names) {
    const b = nameBytes(name);
    if (b.length < prefix.length || !b.subarray(0, prefix.length).equals(prefix)) {
      throw new UnexpectedZipFileError(`${path}@${version}`, displayName(name));
    }
  }
}

export interface PathInfo {
  path: string;
  isDir: boolean;
}

/** x/mod/zip collisionChecker: a name is checked, then each of its parents as a directory. */
export function checkCollision(seen: Map<string, PathInfo>, p: string, isDir: boolean): string | undefined {
  for (;;) {
    const fold = toFold(p);
    const other = seen.get(fold);
    if (other !== undefined) {
      if (p !== other.path) return `case-insensitive file name collision: ${quote(other.path)} and ${quote(p)}`;
      if (isDir !== other.isDir) return `entry ${quote(p)} is both a file and a directory`;
      if (!isDir) return `multiple entries for file ${quote(p)}`;
      // The same directory again (explicitly or as the parent of another name) is fine.
    } else {
      seen.set(fold, { path: p, isDir });
    }
    const slash = p.lastIndexOf('/');
    if (slash < 0) return undefined;
    p = p.slice(0, slash);
    isDir = true;
  }
}

/** The reason module.CheckFilePath gives for a name, or undefined if it is valid. */
function filePathProblem(name: string): string | undefined {
  try {
    checkFilePath(name);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Checks a module zip's central directory against the module zip rules, in x/mod/zip checkZip's order
 * and with its texts. Throws the first failure of: the canonical-version check, module.Check, the zip
 * size; then, after looking at every entry, the total-size error if any, else a {@link ZipCheckError}
 * listing each invalid entry as `NAME: reason` on its own line. The caller wraps it as `unzip ZIP: …`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/zip/zip.go (checkZip, CheckedFiles.Err)
 */
export function checkZipEntries(
  path: string,
  version: string,
  entries: readonly ZipEntryInfo[],
  zipSize: number,
): void {
  const canon = canonicalVersion(version);
  if (canon !== version) {
    throw new ZipCheckError(`version ${quote(version)} is not canonical (should be ${quote(canon)})`);
  }
  try {
    check(path, version);
  } catch (err) {
    throw new ZipCheckError((err as Error).message);
  }
  if (zipSize > MAX_ZIP_FILE) {
    throw new ZipCheckError(`module zip file is too large (${zipSize} bytes; limit is ${MAX_ZIP_FILE} bytes)`);
  }

  const prefixText = `${path}@${version}/`;
  const prefix = Buffer.from(prefixText, 'utf8');
  const invalid: { name: string; reason: string }[] = [];
  const seen = new Map<string, PathInfo>();
  let sizeError: string | undefined;
  let size = 0;
  for (const entry of entries) {
    const raw = nameBytes(entry.name);
    const addError = (reason: string): void => {
      invalid.push({ name: displayName(entry.name), reason });
    };
    if (raw.length < prefix.length || !raw.subarray(0, prefix.length).equals(prefix)) {
      addError(`path does not have prefix ${quote(prefixText)}`);
      continue;
    }
    let rel = raw.subarray(prefix.length);
    if (rel.length === 0) continue;
    const isDir = rel[rel.length - 1] === 0x2f;
    if (isDir) rel = rel.subarray(0, rel.length - 1);
    // path.Clean only looks at '/' and '.', which a Go string held in a JS string keeps as they are.
    const name = goString(rel);
    if (cleanPath(name) !== name) {
      addError('file path is not clean');
      continue;
    }
    const problem = filePathProblem(name);
    if (problem !== undefined) {
      addError(problem);
      continue;
    }
    const collision = checkCollision(seen, name, isDir);
    if (collision !== undefined) {
      addError(collision);
      continue;
    }
    if (isDir) continue;
    const base = name.slice(name.lastIndexOf('/') + 1);
    if (toFold(base) === 'go.mod') {
      if (base !== name) {
        addError('go.mod file not in module root directory');
        continue;
      }
      if (name !== 'go.mod') {
        addError('go.mod files must have lowercase names');
        continue;
      }
    }
    const sz = entry.uncompressedSize;
    if (sz >= 0 && MAX_ZIP_FILE - size >= sz) {
      size += sz;
    } else if (sizeError === undefined) {
      sizeError = `total uncompressed size of module contents too large (max size is ${MAX_ZIP_FILE} bytes)`;
    }
    if (name === 'go.mod' && sz > MAX_GO_MOD) {
      addError(`go.mod file too large (max size is ${MAX_GO_MOD} bytes)`);
      continue;
    }
    if (name === 'LICENSE' && sz > MAX_LICENSE) {
      addError(`LICENSE file too large (max size is ${MAX_LICENSE} bytes)`);
      continue;
    }
  }
  if (sizeError !== undefined) throw new ZipCheckError(sizeError);
  if (invalid.length > 0) {
    throw new ZipCheckError(invalid.map((e) => `${e.name}: ${e.reason}`).join('\n'), invalid);
  }
}
