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
import { read } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
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

/** The tail read first: the end-of-central-directory record with a maximal comment, and then some. */
const FIRST_TAIL = (1 << 20) + 0xffff + 22 + 20;
/** A central directory up to this size is read into memory in one go. */
const MAX_CENTRAL_DIRECTORY = 64 << 20;

type Yauzl = typeof yauzlModule;

/** A yauzl reader over a file descriptor that serves reads inside `tail` from memory. */
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
      if (from >= 0 && from + length <= this.tail.length) {
        this.tail.copy(buffer, offset, from, from + length);
        queueMicrotask(() => callback(null, length));
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
 * Reads the end of the file, widened to the whole central directory when that is not too big.
 * Like archive/zip (readDirectoryEnd), and unlike yauzl, bytes after the end-of-central-directory
 * record and its comment are ignored: yauzl is shown the file only up to there.
 */
async function readTail(fh: FileHandle, size: number): Promise<Tail> {
  let tailStart = Math.max(0, size - FIRST_TAIL);
  let tail = Buffer.allocUnsafe(size - tailStart);
  await fh.read(tail, 0, tail.length, tailStart);
  let end = size;
  const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd >= 0 && eocd + 22 <= tail.length) {
    const recordEnd = eocd + 22 + tail.readUInt16LE(eocd + 20);
    if (recordEnd <= tail.length) end = tailStart + recordEnd;
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset !== 0xffffffff && cdOffset < tailStart && size - cdOffset <= MAX_CENTRAL_DIRECTORY) {
      tailStart = cdOffset;
      tail = Buffer.allocUnsafe(size - tailStart);
      await fh.read(tail, 0, tail.length, tailStart);
    }
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

/**
 * Opens a zip and reads its central directory. Throws `zip: not a valid zip file` for a structure go's
 * zip.NewReader would reject (within what yauzl can tell), or the file-system error.
 *
 * @see /usr/local/go/src/archive/zip/reader.go (NewReader)
 */
export async function openZipArchive(file: string): Promise<ZipArchive> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const { tail, tailStart, end } = await readTail(fh, size);
    const { yauzl, TailReader } = await loadYauzl();
    const entries = await listEntries(yauzl, new TailReader(fh.fd, tail, tailStart), end);
    return { file, size, entries, fh, fd: fh.fd, close: () => fh.close() };
  } catch (err) {
    await fh.close();
    throw err;
  }
}
