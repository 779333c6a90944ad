/**
 * `file://` GOPROXY entries: read from disk, with go's errors.
 *
 * Invariants (go 1.26 web/http.go getFile, web/url.go urlToFilePath):
 * - The decoded URL path must be absolute (`path is not absolute`).
 * - A missing file is a 404 whose message is `reading file:///…: no such file or directory`
 *   (not-exist, so `,` lists fall through); a permission error is a 403 (`permission denied`);
 *   other open errors are returned as `open <path>: <reason>`.
 * - No `-x` line is printed for file:// reads.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/web/http.go (getFile)
 */
import { GoError } from '../internal/errors.js';
import { open } from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { quote } from '../internal/gostrconv.js';
import { errnoText, HttpError } from './errors.js';
import type { GoUrl } from '../internal/gourl.js';

/** A plain error carrying go's text (`open /x: not a directory`, `path is not absolute`). */
export class FileUrlError extends GoError {
  constructor(message: string, cause?: unknown) {
    super('EFILEURL', message);
    this.name = 'FileUrlError';
    if (cause !== undefined) this.cause = cause;
  }
}

/** The file system path of a file:// URL (Go's urlToFilePath, Unix and Windows drive forms). */
export function fileUrlPath(u: GoUrl): string {
  let p = u.path;
  if (p === '') throw new FileUrlError('file URL missing path');
  // file:///C:/x names C:\x on Windows (Go's convertFileURLPath).
  if (process.platform === 'win32' && /^\/[A-Za-z]:/.test(p)) p = path.win32.normalize(p.slice(1));
  if (!path.isAbsolute(p)) throw new FileUrlError('path is not absolute');
  return p;
}

/**
 * Opens the file a file:// URL names and returns a stream of it.
 * @param shown the redacted URL, for messages
 * @throws HttpError (404/403) or FileUrlError with go's texts
 */
export async function openFileUrl(u: GoUrl, shown: string): Promise<{ body: Readable; size: number }> {
  const p = fileUrlPath(u);
  let handle;
  try {
    handle = await open(p, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new HttpError(shown, 'Not Found', 404, '', errnoText(code));
    if (code === 'EACCES' || code === 'EPERM') throw new HttpError(shown, 'Forbidden', 403, '', errnoText(code));
    throw new FileUrlError(`open ${p}: ${errnoText(code) ?? (e as Error).message}`, e);
  }
  const st = await handle.stat();
  if (st.isDirectory()) {
    await handle.close();
    // Go opens directories fine and fails on the first read.
    throw new FileUrlError(`read ${quote(shown)}: read ${p}: is a directory`);
  }
  return { body: handle.createReadStream({ autoClose: true }), size: st.size };
}
