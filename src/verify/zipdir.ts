/**
 * Opening a zip and listing its central directory through yauzl, names kept as the raw bytes go sees
 * (decodeStrings off: no CP437 decoding, no Info-ZIP Unicode path field, no `\` → `/` rewriting).
 *
 * yauzl reads each central-directory record with its own small read; for the thousands of entries of
 * a large module that is thousands of thread-pool round trips, so the reader handed to yauzl serves
 * the central directory from one read of the file's tail.
 *
 * @see /usr/local/go/src/archive/zip/reader.go (NewReader)
 */
import { close, closeSync, fstatSync, openSync, read, readSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type yauzlModule from 'yauzl';
import { ZipFormatError } from './ziperrors.js';

/** One central-directory entry, with its name as stored. */
export interface ZipEntry {
  /** The name bytes as stored in the central directory. */
  readonly raw: Buffer;
  /** `raw` as a latin1 string: one character per byte, a Map key that sorts bytewise. */
  readonly key: string;
  readonly isDir: boolean;
  readonly method: number;
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly externalAttrs: number;
  readonly localHeaderOffset: number;
}

/** An open zip: its entries in central-directory order and positional reads. */
export interface ZipArchive {
  readonly file: string;
  readonly size: number;
  readonly entries: readonly ZipEntry[];
  /** Up to `length` bytes at `position`; fewer only at the end of the file. May share memory with the archive: never modify. */
  read(position: number, length: number): Promise<Buffer>;
  /** {@link read}, synchronously (the small entries). */
  readSync(position: number, length: number): Buffer;
  close(): Promise<void>;
}

/** The tail read first: the end-of-central-directory record with a maximal comment, and then some. */
const FIRST_TAIL = (1 << 20) + 0xffff + 22 + 20;
/** A central directory up to this size is read into memory in one go. */
const MAX_CENTRAL_DIRECTORY = 64 << 20;
/**
 * A zip up to this size is read whole, with one read: its entries are then slices of that buffer,
 * with no read (and no thread-pool round trip) per entry. Most module zips are far smaller.
 */
export const IN_MEMORY_ZIP = 4 << 20;

type Yauzl = typeof yauzlModule;

/** A yauzl reader over a file descriptor that serves reads inside `tail` from memory (fd -1: `tail` is the whole file). */
function tailReaderClass(yauzl: Yauzl) {
  return class TailReader extends yauzl.RandomAccessReader {
    constructor(
      private readonly fd: number,
      private readonly tail: Buffer,
      private readonly tailStart: number,
    ) {
      super();
    }

    override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
      const from = position - this.tailStart;
      // fd -1: the tail is the whole file, and a read past its end gets what is there, as from a file.
      if (this.fd < 0 || (from >= 0 && from + length <= this.tail.length)) {
        const n = from < 0 ? 0 : this.tail.copy(buffer, offset, Math.min(from, this.tail.length), from + length);
        queueMicrotask(() => callback(null, n));
        return;
      }
      read(this.fd, buffer, offset, length, position, (err, n) => callback(err, n));
    }

    override _readStreamForRange(start: number, end: number): Readable {
      return createReadStream('', { fd: this.fd, start, end: end - 1, autoClose: false });
    }
  };
}

/** yauzl and the reader class, loaded on first use: a run that extracts nothing never loads them. */
let loaded: Promise<{ yauzl: Yauzl; TailReader: ReturnType<typeof tailReaderClass> }> | undefined;
function loadYauzl(): Promise<{ yauzl: Yauzl; TailReader: ReturnType<typeof tailReaderClass> }> {
  loaded ??= import('yauzl').then((m) => {
    const yauzl = (m as { default: Yauzl }).default;
    return { yauzl, TailReader: tailReaderClass(yauzl) };
  });
  return loaded;
}

interface Tail {
  tail: Buffer;
  tailStart: number;
  /** Where the end-of-central-directory record (with its comment) ends: bytes after it are ignored. */
  end: number;
}

/**
 * Where the end-of-central-directory record (with its comment) ends, found in `tail` (the file's
 * bytes from `tailStart` to its end), and where the central directory starts (undefined: not found).
 * Like archive/zip (readDirectoryEnd), and unlike yauzl, bytes after that record and its comment are
 * ignored: yauzl is shown the file only up to there.
 */
function findEnd(tail: Buffer, tailStart: number, size: number): { end: number; cdOffset: number | undefined } {
  const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > tail.length) return { end: size, cdOffset: undefined };
  const recordEnd = eocd + 22 + tail.readUInt16LE(eocd + 20);
  return { end: recordEnd <= tail.length ? tailStart + recordEnd : size, cdOffset: tail.readUInt32LE(eocd + 16) };
}

/** Reads the end of the file, widened to the whole central directory when that is not too big. */
async function readTail(fd: number, size: number): Promise<Tail> {
  let tailStart = Math.max(0, size - FIRST_TAIL);
  let tail = await readAt(fd, tailStart, size - tailStart);
  const { end, cdOffset } = findEnd(tail, tailStart, size);
  if (cdOffset !== undefined && cdOffset !== 0xffffffff && cdOffset < tailStart && size - cdOffset <= MAX_CENTRAL_DIRECTORY) {
    tailStart = cdOffset;
    tail = await readAt(fd, tailStart, size - tailStart);
  }
  return { tail, tailStart, end };
}

function listEntries(yauzl: Yauzl, reader: yauzlModule.RandomAccessReader, size: number): Promise<ZipEntry[]> {
  const options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false, strictFileNames: true };
  return new Promise((resolve, reject) => {
    yauzl.fromRandomAccessReader(reader, size, options, (err, zf) => {
      if (err || !zf) return reject(asFormatError(err));
      const entries: ZipEntry[] = [];
      zf.on('entry', (e: yauzlModule.Entry) => {
        // With decodeStrings off yauzl hands back the name bytes untouched.
        const raw = Buffer.from(e.fileName as unknown as Buffer);
        entries.push({
          raw,
          key: raw.toString('latin1'),
          isDir: raw.length > 0 && raw[raw.length - 1] === 0x2f,
          method: e.compressionMethod,
          flags: e.generalPurposeBitFlag,
          crc32: e.crc32,
          compressedSize: e.compressedSize,
          uncompressedSize: e.uncompressedSize,
          externalAttrs: e.externalFileAttributes,
          localHeaderOffset: e.relativeOffsetOfLocalHeader,
        });
        zf.readEntry();
      });
      zf.once('end', () => {
        zf.close();
        resolve(entries);
      });
      zf.once('error', (e: Error) => {
        zf.close();
        reject(asFormatError(e));
      });
      zf.readEntry();
    });
  });
}

/** yauzl's structural complaints all correspond to archive/zip's ErrFormat; file-system errors pass. */
function asFormatError(err: Error | null): Error {
  if (err && 'syscall' in err) return err;
  return new ZipFormatError();
}

/** Up to `length` bytes of `fd` at `position`; fewer only at the end of the file. */
function readAtSync(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
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
  const buf = Buffer.allocUnsafe(length);
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
  const slice = (position: number, length: number): Buffer => data.subarray(Math.min(position, data.length), Math.min(position + length, data.length));
  return { readSync: slice, read: (position, length) => Promise.resolve(slice(position, length)) };
}

/**
 * Opens a zip and reads its central directory. Throws `zip: not a valid zip file` for a structure go's
 * zip.NewReader would reject (within what yauzl can tell), or the file-system error. A zip of at most
 * {@link IN_MEMORY_ZIP} bytes is read whole and its file closed at once.
 *
 * @see /usr/local/go/src/archive/zip/reader.go (NewReader)
 */
export async function openZipArchive(file: string): Promise<ZipArchive> {
  const fd = openSync(file, 'r');
  let closed = false;
  const closeFd = (): Promise<void> => {
    if (closed) return Promise.resolve();
    closed = true;
    return new Promise((resolve, reject) => close(fd, (err) => (err ? reject(err) : resolve())));
  };
  try {
    const { size } = fstatSync(fd);
    const { yauzl, TailReader } = await loadYauzl();
    if (size <= IN_MEMORY_ZIP) {
      const data = readAtSync(fd, 0, size);
      closed = true;
      closeSync(fd);
      const { end } = findEnd(data, 0, size);
      const entries = await listEntries(yauzl, new TailReader(-1, data, 0), end);
      return { file, size, entries, ...fromMemory(data), close: () => Promise.resolve() };
    }
    const { tail, tailStart, end } = await readTail(fd, size);
    const entries = await listEntries(yauzl, new TailReader(fd, tail, tailStart), end);
    return {
      file,
      size,
      entries,
      read: (position, length) => readAt(fd, position, length),
      readSync: (position, length) => readAtSync(fd, position, length),
      close: closeFd,
    };
  } catch (err) {
    await closeFd();
    throw err;
  }
}
