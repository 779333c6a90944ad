/**
 * Opening a zip and listing its central directory as Go's archive/zip does (see zipcentral.ts), names
 * kept as the raw bytes go sees (no CP437 decoding, no Unicode path field, no `\` → `/` rewriting).
 *
 * A zip of at most {@link IN_MEMORY_ZIP} bytes (most module zips) is read whole with one read and its
 * file closed at once: its central directory and entries are then slices of that buffer, with no read
 * (and no thread-pool round trip) per entry; the extraction workers open zips so. A larger zip, or
 * any zip opened `positional` (the calling thread's extractions), is read a piece at a time.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/archive/zip/reader.go (OpenReader, NewReader)
 */
import { close, closeSync, fstatSync, openSync, read, readSync } from 'node:fs';
import { readCentralDirectory, type ZipEntry } from './zipcentral.js';

export type { ZipEntry } from './zipcentral.js';

/** An open zip: its entries in central-directory order and positional reads. */
export interface ZipArchive {
  readonly file: string;
  readonly size: number;
  readonly entries: readonly ZipEntry[];
  /** Up to `length` bytes at `position`; fewer only at the end of the file. May share memory with the archive: never modify. */
  read(position: number, length: number): Promise<Buffer>;
  /**
   * {@link read}, synchronously (the small entries). With `into` (at least `length` bytes), a zip
   * read from its file is read into it and the result is a view of it, valid until the caller reuses
   * `into`; a zip held in memory returns a slice of itself either way.
   */
  readSync(position: number, length: number, into?: Buffer): Buffer;
  /**
   * Closes the file. With `recycle`, the memory of an in-memory zip is reused by the next one this
   * thread opens: pass it only when nothing read from the archive is still in use (no write pending).
   */
  close(opts?: { recycle?: boolean }): Promise<void>;
}

/** A zip up to this size is read whole, with one read. */
export const IN_MEMORY_ZIP = 4 << 20;

/**
 * Buffers of {@link IN_MEMORY_ZIP} bytes that held a closed zip, for the next ones this thread opens.
 * A fresh 4 MiB buffer per zip is a fresh mapping (page faults on every read), and it outlives the
 * zip until a full garbage collection, which V8 starts only after tens of MiB of such external
 * memory: reused, at most {@link SPARE_BUFFERS} per thread stay resident instead.
 */
const spare: Buffer[] = [];
const SPARE_BUFFERS = 2;

/** Up to `length` bytes of `fd` at `position`; fewer only at the end of the file. */
function readAtSync(fd: number, position: number, length: number, into?: Buffer): Buffer {
  const buf = into?.subarray(0, length) ?? Buffer.allocUnsafe(Math.max(0, length));
  let n = 0;
  while (n < length) {
    const bytesRead = readSync(fd, buf, n, length - n, position + n);
    if (bytesRead === 0) break;
    n += bytesRead;
  }
  return n === length ? buf : buf.subarray(0, n);
}

/** {@link readAtSync} through the thread pool (the callback API: no FileHandle per read). */
async function readAt(fd: number, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(Math.max(0, length));
  let n = 0;
  while (n < length) {
    const bytesRead = await new Promise<number>((resolve, reject) => read(fd, buf, n, length - n, position + n, (err, k) => (err ? reject(err) : resolve(k))));
    if (bytesRead === 0) break;
    n += bytesRead;
  }
  return n === length ? buf : buf.subarray(0, n);
}

/** Reads of a zip held whole in memory: slices, no copy. */
function fromMemory(data: Buffer): Pick<ZipArchive, 'read' | 'readSync'> {
  const slice = (position: number, length: number, _into?: Buffer): Buffer =>
    data.subarray(Math.min(position, data.length), Math.min(position + length, data.length));
  return { readSync: slice, read: (position, length) => Promise.resolve(slice(position, length)) };
}

/**
 * Opens a zip and reads its central directory; with `positional`, a small zip is read positionally too
 * (a reader of a few of its entries: not worth a 4 MiB buffer). Throws go's error (`zip: not a valid zip file`,
 * `unexpected EOF`, `EOF`) for an archive go's zip.NewReader refuses, or the file-system error.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/archive/zip/reader.go (NewReader)
 */
export async function openZipArchive(file: string, opts: { positional?: boolean } = {}): Promise<ZipArchive> {
  const fd = openSync(file, 'r');
  let closed = false;
  const closeFd = (): Promise<void> => {
    if (closed) return Promise.resolve();
    closed = true;
    return new Promise((resolve, reject) => close(fd, (err) => (err ? reject(err) : resolve())));
  };
  try {
    const { size } = fstatSync(fd);
    if (size <= IN_MEMORY_ZIP && opts.positional !== true) {
      const whole = spare.pop() ?? Buffer.allocUnsafeSlow(IN_MEMORY_ZIP);
      const data = readAtSync(fd, 0, size, whole);
      closed = true;
      closeSync(fd);
      const mem = fromMemory(data);
      let released = false;
      const release = (opts?: { recycle?: boolean }): Promise<void> => {
        if (!released && opts?.recycle === true && spare.length < SPARE_BUFFERS) spare.push(whole);
        released = true;
        return Promise.resolve();
      };
      try {
        return { file, size, entries: readCentralDirectory(mem.readSync, size), ...mem, close: release };
      } catch (err) {
        await release({ recycle: true }); // nothing read from it survives a refused directory
        throw err;
      }
    }
    const readSyncAt = (position: number, length: number, into?: Buffer): Buffer => readAtSync(fd, position, length, into);
    const entries = readCentralDirectory(readSyncAt, size);
    return { file, size, entries, read: (position, length) => readAt(fd, position, length), readSync: readSyncAt, close: closeFd };
  } catch (err) {
    await closeFd();
    throw err;
  }
}
