/**
 * Reading a zip entry's content the way Go's archive/zip does, through our own positional reads, so
 * the checks and error texts are archive/zip's (File.Open plus checksumReader):
 * - the local header must carry its signature (`zip: not a valid zip file`);
 * - a name ending in `/` is a directory: empty content, but a non-zero declared size is a format error;
 * - only Store and Deflate (`zip: unsupported compression algorithm`);
 * - content beyond the declared size is a format error, less is `unexpected EOF`;
 * - the CRC-32 is checked against the data descriptor when the entry has one, else only when non-zero.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/archive/zip/reader.go (File.Open, checksumReader, findBodyOffset)
 */
import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { pipeline } from 'node:stream/promises';
import { Readable, type Writable } from 'node:stream';
import zlib from 'node:zlib';
import {
  ZipAlgorithmError,
  ZipChecksumError,
  ZipCorruptInputError,
  ZipError,
  ZipFormatError,
  ZipUnexpectedEofError,
} from './ziperrors.js';
import type { ZipArchive, ZipEntry } from './zipdir.js';
import { collectIfHeavy } from './gcpressure.js';

/** Entries whose compressed and declared sizes are both below these are read and inflated in one go. */
const SMALL_COMPRESSED = 256 << 10;
const SMALL_UNCOMPRESSED = 1 << 20;
const STREAM_CHUNK = 256 << 10;
const INFLATE_CHUNK = 256 << 10;
const EMPTY_SHA256 = createHash('sha256').digest();

/** archive/zip findBodyOffset on the local header's first 30 bytes: where the entry's data starts. */
function bodyOffsetOf(entry: ZipEntry, h: Buffer): number {
  // os.File.ReadAt reports a short read at the end of the file as io.EOF.
  if (h.length < 30) throw new ZipError('EZIPEOF', 'EOF');
  if (h.readUInt32LE(0) !== 0x04034b50) throw new ZipFormatError();
  return entry.localHeaderOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
}

/** os.File.ReadAt refuses a negative offset (a ZIP64 header offset of 2^63 or more). */
function checkOffset(zip: ZipArchive, entry: ZipEntry): void {
  if (entry.localHeaderOffset < 0) throw new ZipError('EZIPREADAT', `readat ${zip.file}: negative offset`);
}

async function bodyOffset(zip: ZipArchive, entry: ZipEntry): Promise<number> {
  checkOffset(zip, entry);
  return bodyOffsetOf(entry, await zip.read(entry.localHeaderOffset, 30));
}

/** Maps a zlib failure to the error Go's compress/flate would have reported (see corruptOffset). */
function inflateError(err: unknown, offset: () => number): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ERR_BUFFER_TOO_LARGE') return new ZipFormatError();
  if (code === 'Z_BUF_ERROR') return new ZipUnexpectedEofError();
  if (code === 'Z_DATA_ERROR') return new ZipCorruptInputError(offset());
  return err as Error;
}

/** The output of inflating `comp` as far as it goes (no error for a stream cut short), capped. */
function inflatedSoFar(comp: Buffer, declared: number): number {
  try {
    return zlib.inflateRawSync(comp, { maxOutputLength: declared + 1, finishFlush: zlib.constants.Z_SYNC_FLUSH }).length;
  } catch {
    return declared + 1; // only ERR_BUFFER_TOO_LARGE can happen on a prefix that is not corrupt
  }
}

/**
 * The error go reports for a small entry zlib refused. go's flate hands out everything it inflated
 * before it met the end of the input or the corruption, so more than the declared size by then is
 * checksumReader's `zip: not a valid zip file`, which comes first.
 */
function smallInflateError(err: unknown, comp: Buffer, declared: number): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR' && inflatedSoFar(comp, declared) > declared) return new ZipFormatError();
  if (code === 'Z_DATA_ERROR') {
    const offset = corruptOffset(comp, declared);
    if (inflatedSoFar(comp.subarray(0, offset - 1), declared) > declared) return new ZipFormatError();
    return new ZipCorruptInputError(offset);
  }
  return inflateError(err, () => corruptOffset(comp, declared));
}

/** Corrupt data longer than this is not searched for go's offset (see corruptOffset). */
const BISECT_LIMIT = 16 << 20;

/**
 * Go's flate says `corrupt input before offset N`, N being the compressed bytes it had read when it
 * saw the corruption. zlib does not say where it stopped, but the shortest prefix of the data that it
 * rejects as corrupt (rather than as merely short) has that length; a prefix that fails stays failing
 * when extended, so a binary search finds it. Checked against go on corruptions at several offsets.
 * Only runs on the error path.
 */
function corruptOffset(comp: Buffer, declared: number): number {
  const corrupt = (k: number): boolean => {
    try {
      zlib.inflateRawSync(comp.subarray(0, k), { maxOutputLength: declared + 1 });
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'Z_DATA_ERROR';
    }
  };
  let lo = 0;
  let hi = comp.length;
  if (!corrupt(hi)) return hi;
  while (lo + 1 < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (corrupt(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The CRC checks checksumReader makes once the content has been read in full; `descriptor` holds the
 * (up to 16) bytes after the data, read only when the entry has a data descriptor.
 */
function checkCrc(entry: ZipEntry, crc: number, descriptor: Buffer | undefined): void {
  if (entry.flags & 0x8) {
    // A data descriptor follows the data, with or without its optional signature.
    const d = descriptor ?? Buffer.alloc(0);
    if (d.length < 4) throw new ZipUnexpectedEofError();
    const off = d.readUInt32LE(0) === 0x08074b50 ? 4 : 0;
    if (d.length < off + 12) throw new ZipUnexpectedEofError();
    if (d.readUInt32LE(off) !== entry.crc32) throw new ZipChecksumError();
    if (crc !== entry.crc32) throw new ZipChecksumError();
  } else if (entry.crc32 !== 0 && crc !== entry.crc32) {
    throw new ZipChecksumError();
  }
}

const hasDescriptor = (e: ZipEntry): boolean => (e.flags & 0x8) !== 0;

/** Where an entry's content goes besides the hash: a file to create (`wx`, 0444) or nowhere. */
export interface EntrySink {
  /** Writes a small entry's whole content before it returns (`data` is then reused); throws go's error. */
  writeAll(data: Buffer): void;
  /** Opens a stream for a large entry's content. */
  stream(): Writable;
  /** Creates the file for a large entry's content, written piece by piece; throws go's error. */
  open(): EntryWriter;
}

/** A large entry's file, written synchronously ({@link EntrySink.open}). */
export interface EntryWriter {
  /** Appends `data` before it returns; throws go's error. */
  write(data: Buffer): void;
  close(): void;
  /** Closes and removes the file (the entry is read again another way). */
  discard(): void;
}

/**
 * Whether an entry is small enough for {@link readSmallEntrySync}: a directory, or compressed and
 * declared sizes both below 256 KiB and 1 MiB.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/archive/zip/reader.go (File.Open)
 */
export function isSmallEntry(e: ZipEntry): boolean {
  return e.isDir || (e.compressedSize <= SMALL_COMPRESSED && e.uncompressedSize <= SMALL_UNCOMPRESSED);
}

/** A small entry's content and its SHA-256 digest. */
export interface SmallEntry {
  readonly sha256: Buffer;
  /** Valid until the next {@link readSmallEntrySync} on this thread (it may be a reused buffer). */
  readonly data: Buffer;
}

/** The part of Node's native zlib object behind a zlib stream that {@link ReusedInflater} drives. */
interface ZlibHandle {
  writeSync(flush: number, input: Buffer, inOff: number, inLen: number, out: Buffer, outOff: number, outLen: number): void;
  reset(): void;
  onerror: (message: string, errno: number) => void;
}

/**
 * One raw-inflate stream per thread, reset between small entries, writing into one reused output
 * buffer. `zlib.inflateRawSync` builds a stream object, a native zlib state and a fresh output
 * buffer for every entry: about 10 µs each, and the buffers (hundreds of MiB on a large run) are
 * garbage the moment the file is written, which V8 collects late (see gcpressure.ts). This makes
 * the same single zlib call inflateRawSync makes first (Z_FINISH, an output of the declared size
 * plus one byte) on the stream's own native handle, which Node's zlib module drives the same way.
 *
 * Only a clean result is taken from it: an entry that fails, or fills the output (longer than
 * declared), goes through inflateRawSync again, which yields go's error. Where the native handle is
 * not there (another runtime), every entry takes that path.
 *
 * @see https://github.com/nodejs/node/blob/v20.18.1/lib/zlib.js (processChunkSync)
 */
class ReusedInflater {
  #handle: ZlibHandle | undefined | null;
  #stream: zlib.InflateRaw | undefined;
  #state: Uint32Array | undefined;
  #out = Buffer.alloc(0);
  #failed = false;

  /** The inflated content, or undefined: take the exact path. */
  inflate(comp: Buffer, declared: number): Buffer | undefined {
    const handle = this.#open();
    if (handle === undefined) return undefined;
    const size = declared + 1;
    if (this.#out.length < size) this.#out = Buffer.allocUnsafeSlow(Math.max(size, 64 << 10));
    this.#failed = false;
    handle.reset();
    handle.writeSync(zlib.constants.Z_FINISH, comp, 0, comp.length, this.#out, 0, size);
    if (this.#failed) {
      this.#stream?.close(); // a fresh stream for the next entry
      this.#handle = undefined;
      return undefined;
    }
    const availOut = this.#state![0]!;
    if (availOut === 0) return undefined; // more than the declared size
    return this.#out.subarray(0, size - availOut);
  }

  /** Whether the native handle is there and inflated the probe right (else every entry takes the exact path). */
  works(): boolean {
    return this.#open() !== undefined;
  }

  #open(): ZlibHandle | undefined {
    if (this.#handle === null) return undefined;
    if (this.#handle !== undefined) return this.#handle;
    const native = nativeInflate(() => {
      this.#failed = true;
    });
    if (native === undefined) {
      this.#handle = null;
      return undefined;
    }
    this.#stream = native.stream;
    this.#state = native.state;
    this.#handle = native.handle;
    // That handle is Node's internal API: one known entry must come out right first, or every
    // entry takes the exact path.
    const probe = Buffer.from('gomod-dl: the reused inflater works\n'.repeat(4));
    if (!this.inflate(zlib.deflateRawSync(probe), probe.length)?.equals(probe)) {
      native.stream.close();
      this.#handle = null;
      return undefined;
    }
    return this.#handle;
  }
}

/**
 * A raw-inflate stream's native handle and its [availOut, availIn] state, for synchronous use;
 * `onError` is called instead of Node's handler (which would destroy the stream object).
 * Undefined where the handle is not there (another runtime).
 */
function nativeInflate(onError: () => void): { stream: zlib.InflateRaw; handle: ZlibHandle; state: Uint32Array } | undefined {
  const stream = zlib.createInflateRaw({ chunkSize: zlib.constants.Z_MIN_CHUNK });
  const { _handle: h, _writeState: state } = stream as unknown as { _handle?: Partial<ZlibHandle>; _writeState?: unknown };
  if (typeof h?.writeSync !== 'function' || typeof h.reset !== 'function' || !(state instanceof Uint32Array)) {
    stream.close();
    return undefined;
  }
  h.onerror = onError;
  return { stream, handle: h as ZlibHandle, state };
}

const inflater = new ReusedInflater();

/**
 * This thread's buffer for the first read of a small entry of a zip read from its file (larger than
 * zipdir.ts's IN_MEMORY_ZIP): a fresh buffer per entry was garbage the moment the entry was written
 * (see gcpressure.ts). Sized on demand, at most about SMALL_COMPRESSED plus a header.
 */
let scratch = Buffer.alloc(0);

/** {@link scratch}, at least `n` bytes long. */
function scratchOf(n: number): Buffer {
  if (scratch.length < n) scratch = Buffer.allocUnsafeSlow(Math.max(n, 64 << 10));
  return scratch;
}

/**
 * Reads a small entry as archive/zip's File.Open would. Synchronous on purpose: for the thousands of
 * small files of a module, one direct read and an in-thread inflate beat several thread-pool round
 * trips; callers yield to the event loop between entries. One read covers the local header, the data
 * and the data descriptor.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/archive/zip/reader.go (File.Open, checksumReader)
 */
export function readSmallEntrySync(zip: ZipArchive, entry: ZipEntry): SmallEntry {
  // The local name usually repeats the central one; 128 bytes of slack cover a typical extra field.
  checkOffset(zip, entry);
  const guess = 30 + entry.raw.length + 128 + entry.compressedSize + 16;
  // Only this read goes to the scratch buffer: the data and the descriptor may be slices of it, and
  // nothing else reads into it before the caller has written the data (SmallEntry.data).
  const first = Math.min(guess, Math.max(0, zip.size - entry.localHeaderOffset));
  const buf = zip.readSync(entry.localHeaderOffset, first, scratchOf(first));
  const start = bodyOffsetOf(entry, buf.subarray(0, 30));
  if (entry.isDir) {
    if (entry.uncompressedSize !== 0) throw new ZipFormatError();
    return { sha256: EMPTY_SHA256, data: Buffer.alloc(0) };
  }
  if (entry.method !== 0 && entry.method !== 8) throw new ZipAlgorithmError();
  const declared = entry.uncompressedSize;
  // The data is a section of the file; one running past the end just comes up short, as in Go.
  const available = Math.max(0, Math.min(entry.compressedSize, zip.size - start));
  const dataEnd = start + entry.compressedSize;
  const rel = start - entry.localHeaderOffset;
  const inBuf = (from: number, n: number): Buffer | undefined =>
    from - entry.localHeaderOffset + n <= buf.length ? buf.subarray(from - entry.localHeaderOffset, from - entry.localHeaderOffset + n) : undefined;
  const comp = rel + available <= buf.length ? buf.subarray(rel, rel + available) : zip.readSync(start, available);
  let data: Buffer;
  if (entry.method === 0) {
    data = comp;
  } else {
    const fast = inflater.inflate(comp, declared);
    if (fast !== undefined) data = fast;
    else {
      try {
        // The exact path, which also names the error: one output buffer of the declared size (plus
        // the byte that detects a longer entry), as in ReusedInflater.
        data = zlib.inflateRawSync(comp, { maxOutputLength: declared + 1, chunkSize: Math.max(64, declared + 1) });
      } catch (err) {
        throw smallInflateError(err, comp, declared);
      }
    }
  }
  if (data.length > declared) throw new ZipFormatError();
  if (data.length < declared) throw new ZipUnexpectedEofError();
  const descriptor = hasDescriptor(entry) ? (inBuf(dataEnd, 16) ?? zip.readSync(dataEnd, 16)) : undefined;
  checkCrc(entry, zlib.crc32(data), descriptor);
  return { sha256: createHash('sha256').update(data).digest(), data };
}

/**
 * Reads one entry as archive/zip's File.Open would, returning its SHA-256 digest and passing the
 * bytes to `sink` if given. Large entries are streamed in 1 MiB chunks, so memory stays flat.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/archive/zip/reader.go (File.Open, checksumReader)
 */
export async function readEntry(zip: ZipArchive, entry: ZipEntry, sink?: EntrySink, signal?: AbortSignal): Promise<Buffer> {
  if (isSmallEntry(entry)) {
    const { sha256, data } = readSmallEntrySync(zip, entry);
    sink?.writeAll(data);
    return sha256;
  }
  const start = await bodyOffset(zip, entry);
  if (entry.method !== 0 && entry.method !== 8) throw new ZipAlgorithmError();
  const data: DataSection = {
    start,
    // The data is a section of the file; one running past the end just comes up short, as in Go.
    available: Math.max(0, Math.min(entry.compressedSize, zip.size - start)),
    end: start + entry.compressedSize,
  };
  const job: LargeEntryJob = { zip, entry, data, sink, signal };
  return (await readLargeEntry(job)) ?? streamEntry(job);
}

/** Where a large entry's compressed data lies: from `start`, `available` bytes of the file; ends at `end` (its descriptor follows). */
interface DataSection {
  readonly start: number;
  readonly available: number;
  readonly end: number;
}

/** A large entry to read: {@link readLargeEntry} first, {@link streamEntry} when it declines. */
interface LargeEntryJob {
  readonly zip: ZipArchive;
  readonly entry: ZipEntry;
  readonly data: DataSection;
  readonly sink: EntrySink | undefined;
  readonly signal: AbortSignal | undefined;
}

/** Input read and output inflated at a time by {@link readLargeEntry}. */
const LARGE_CHUNK = 256 << 10;

/**
 * This thread's spare {@link LARGE_CHUNK} buffers for {@link readLargeEntry}, which holds two per
 * entry while it reads it (a few entries are read at once, each yielding between chunks). Fresh
 * ones per entry were garbage once it was read: a 200 MB module of 300 large files raised the peak
 * RSS by their dead buffers.
 */
const spareLarge: Buffer[] = [];
const SPARE_LARGE = 8;

const takeLarge = (): Buffer => spareLarge.pop() ?? Buffer.allocUnsafeSlow(LARGE_CHUNK);
const giveLarge = (b: Buffer | undefined): void => {
  if (b !== undefined && spareLarge.length < SPARE_LARGE) spareLarge.push(b);
};

/** Longest stretch of synchronous work in {@link readLargeEntry} between two turns of the event loop. */
const LARGE_SLICE_MS = 10;

/**
 * A large entry read as {@link streamEntry} reads it, without its streams: a chunk of input at a
 * time through a raw-inflate stream's native handle (as {@link ReusedInflater}), each piece of
 * output hashed and written at once, into two buffers this thread reuses. Through streams
 * every 256 KiB read and inflated was a fresh buffer, garbage once written (gcpressure.ts), and
 * each chunk crossed the thread pool twice.
 *
 * Only a clean entry is taken: a zlib error, a stream that ends before its input or runs past the
 * declared size, a short section, a wrong size or CRC all give undefined (and remove the file
 * begun), and {@link streamEntry} reads the entry again and names go's error. A failed write is
 * the error, as there.
 */
async function readLargeEntry({ zip, entry, data, sink, signal }: LargeEntryJob): Promise<Buffer | undefined> {
  const { start, available, end: dataEnd } = data;
  if (!inflater.works()) return undefined;
  let failed = false;
  const native = entry.method === 8 ? nativeInflate(() => (failed = true)) : undefined;
  if (entry.method === 8 && native === undefined) return undefined;
  const declared = entry.uncompressedSize;
  const input = takeLarge();
  const output = native === undefined ? undefined : takeLarge();
  const hash = createHash('sha256');
  let crc = 0;
  let n = 0;
  let out: EntryWriter | undefined;
  let finished = false;
  let clean = false;
  /** Hashes and writes a piece of the content; false once it runs past the declared size. */
  const emit = (piece: Buffer): boolean => {
    n += piece.length;
    if (n > declared) return false;
    hash.update(piece);
    crc = zlib.crc32(piece, crc);
    out?.write(piece);
    return true;
  };
  try {
    out = sink?.open();
    let fed = 0;
    let since = performance.now();
    while (fed < available) {
      const chunk = zip.readSync(start + fed, Math.min(LARGE_CHUNK, available - fed), input);
      if (chunk.length === 0) return undefined;
      fed += chunk.length;
      if (native === undefined) {
        if (!emit(chunk)) return undefined;
      } else {
        finished = fed >= available;
        const flush = finished ? zlib.constants.Z_FINISH : zlib.constants.Z_NO_FLUSH;
        let inOff = 0;
        let inLen = chunk.length;
        for (;;) {
          native.handle.writeSync(flush, chunk, inOff, inLen, output!, 0, output!.length);
          if (failed) return undefined;
          const [availOut, availIn] = [native.state[0]!, native.state[1]!];
          if (availOut < output!.length && !emit(output!.subarray(0, output!.length - availOut))) return undefined;
          inOff += inLen - availIn;
          inLen = availIn;
          if (availOut === 0) continue; // the output filled up: there may be more
          if (availIn > 0) return undefined; // the stream ended before its input
          break;
        }
      }
      if (performance.now() - since > LARGE_SLICE_MS) {
        await nextTurn();
        signal?.throwIfAborted();
        since = performance.now();
      }
    }
    // A deflate stream is whole only once zlib has finished it (an empty section never started it).
    if (n !== declared || (native !== undefined && !finished)) return undefined;
    try {
      checkCrc(entry, crc, hasDescriptor(entry) ? zip.readSync(dataEnd, 16) : undefined);
    } catch {
      return undefined;
    }
    out?.close();
    clean = true;
    return hash.digest();
  } finally {
    native?.stream.close();
    if (!clean) out?.discard();
    giveLarge(input);
    giveLarge(output);
  }
}

async function streamEntry({ zip, entry, data, sink, signal }: LargeEntryJob): Promise<Buffer> {
  const { start, available, end: dataEnd } = data;
  const declared = entry.uncompressedSize;
  let fed = 0;
  async function* source(): AsyncGenerator<Buffer> {
    while (fed < available) {
      const chunk = await zip.read(start + fed, Math.min(STREAM_CHUNK, available - fed));
      if (chunk.length === 0) return;
      fed += chunk.length;
      yield chunk;
    }
  }
  const hash = createHash('sha256');
  let crc = 0;
  let n = 0;
  // Node's pipeline may reject with an AbortError from another stage; keep our own verdict.
  let tooLong: ZipFormatError | undefined;
  async function* meter(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of chunks) {
      n += chunk.length;
      // checksumReader fails as soon as more than the declared size has come out.
      if (n > declared) throw (tooLong = new ZipFormatError());
      hash.update(chunk);
      crc = zlib.crc32(chunk, crc);
      collectIfHeavy();
      yield chunk;
    }
  }
  const out = sink ? sink.stream() : null;
  const opts = signal ? { signal } : {};
  // One chunk read ahead, not Readable.from's default sixteen (16 MiB per entry while inflating lags).
  const input = (): Readable => Readable.from(source(), { highWaterMark: 1 });
  try {
    if (entry.method === 8) {
      // With zlib's default 16 KiB output chunks, hashing and writing per chunk cost as much as
      // inflating; 256 KiB chunks halve the time on large files (measured on a 400 MiB module).
      const inflate = zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK });
      if (out) await pipeline(input(), inflate, meter, out, opts);
      else await pipeline(input(), inflate, meter, drain, opts);
    } else if (out) {
      await pipeline(input(), meter, out, opts);
    } else {
      await pipeline(input(), meter, drain, opts);
    }
  } catch (err) {
    if (tooLong) throw tooLong;
    if (err instanceof ZipError) throw err;
    const corrupt = inflateError(err, () => fed);
    if (corrupt instanceof ZipCorruptInputError && fed <= BISECT_LIMIT) {
      throw new ZipCorruptInputError(corruptOffset(await zip.read(start, fed), declared));
    }
    throw corrupt;
  }
  if (n < declared) throw new ZipUnexpectedEofError();
  checkCrc(entry, crc, hasDescriptor(entry) ? await zip.read(dataEnd, 16) : undefined);
  return hash.digest();
}

async function drain(chunks: AsyncIterable<Buffer>): Promise<void> {
  for await (const _ of chunks) {
    // Hashing happens in meter; nothing to keep.
  }
}
