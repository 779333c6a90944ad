/**
 * Opening a zip and listing its central directory as Go's archive/zip does (see zipcentral.ts), names
 * kept as the raw bytes go sees (no CP437 decoding, no Unicode path field, no `\` → `/` rewriting).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/archive/zip/reader.go (OpenReader, NewReader)
 */
import { open, type FileHandle } from 'node:fs/promises';
import { readCentralDirectory, type ZipEntry } from './zipcentral.js';

export type { ZipEntry } from './zipcentral.js';

/** An open zip: its entries in central-directory order and a handle for positional reads. */
export interface ZipArchive {
  readonly file: string;
  readonly size: number;
  readonly entries: readonly ZipEntry[];
  readonly fh: FileHandle;
  /** fh's descriptor, for the synchronous reads of small entries. */
  readonly fd: number;
  close(): Promise<void>;
}

/**
 * Opens a zip and reads its central directory. Throws go's error (`zip: not a valid zip file`,
 * `unexpected EOF`, `EOF`) for an archive go's zip.NewReader refuses, or the file-system error.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/archive/zip/reader.go (NewReader)
 */
export async function openZipArchive(file: string): Promise<ZipArchive> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const entries = readCentralDirectory(fh.fd, size);
    return { file, size, entries, fh, fd: fh.fd, close: () => fh.close() };
  } catch (err) {
    await fh.close();
    throw err;
  }
}
