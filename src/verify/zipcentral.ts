/**
 * Reading a zip's end record and central directory exactly as Go's archive/zip NewReader does, so
 * gomod-dl sees the same entries go sees and refuses the same archives with the same texts:
 *
 * - the end record is searched in the last 1 KiB, then the last 65 KiB; the first signature found from
 *   the end whose comment would run past the file stops the search (`zip: not a valid zip file`);
 * - the disk-number fields are ignored;
 * - the ZIP64 locator and end record are consulted when a count, the size or the offset is saturated;
 * - the directory is found relative to the end record (`baseOffset`), so data before the zip is allowed,
 *   unless the stated offset read as absolute already lands on a directory header;
 * - every header present is read, until one is missing its signature or is cut short; the archive is
 *   refused only when their number differs from the end record's count modulo 2^16, with the error of
 *   the header that stopped the loop (`zip: not a valid zip file`, `unexpected EOF` or `EOF`).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/archive/zip/reader.go (init, readDirectoryEnd,
 *   readDirectoryHeader, findDirectory64End, readDirectory64End)
 */
import { ZipError, ZipFormatError, ZipUnexpectedEofError } from './ziperrors.js';

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
  /** CompressedSize64 (a Number: exact below 2^53, which any real file is). */
  readonly compressedSize: number;
  /** UncompressedSize64. */
  readonly uncompressedSize: number;
  readonly externalAttrs: number;
  /** Where the local header starts in the file, the base offset included (Go's int64 headerOffset). */
  readonly localHeaderOffset: number;
}

const DIRECTORY_HEADER_LEN = 46;
const DIRECTORY_END_LEN = 22;
const DIRECTORY64_LOC_LEN = 20;
const DIRECTORY64_END_LEN = 56;
const SIG_DIRECTORY_HEADER = 0x02014b50;
const SIG_DIRECTORY64_LOC = 0x07064b50;
const SIG_DIRECTORY64_END = 0x06064b50;
const ZIP64_EXTRA_ID = 0x0001;
const U32_MAX = 0xffffffff;
const CHUNK = 1 << 20;

/** io.EOF returned as is: `EOF`. */
class EofError extends ZipError {
  constructor() {
    super('EZIPEOF', 'EOF');
  }
}

/**
 * Synchronous positional reads of a zip: up to `length` bytes at `position`, fewer only at the end of
 * the file (os.File.ReadAt). The zip may be a file or a buffer in memory (zipdir.ts).
 */
export type PositionalRead = (position: number, length: number) => Buffer;

/** `length` bytes at `position` of a zip of `size` bytes, cut at its end. */
function readAt(src: PositionalRead, size: number, position: number, length: number): Buffer {
  return src(position, Math.max(0, Math.min(length, size - position)));
}

/** A sequential reader over [start, limit) of the file, like a bufio.Reader on an io.SectionReader. */
class SectionReader {
  private buf: Buffer = Buffer.alloc(0);
  private at = 0;
  private pos: number;
  constructor(
    private readonly src: PositionalRead,
    private readonly limit: number,
    start: number,
  ) {
    this.pos = start;
  }

  /** io.ReadFull: the bytes, or io.EOF when none were left, io.ErrUnexpectedEOF when some were. */
  readFull(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    if (this.buf.length - this.at < n) this.fill(n);
    const have = this.buf.length - this.at;
    if (have === 0) throw new EofError();
    if (have < n) throw new ZipUnexpectedEofError();
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  private fill(n: number): void {
    const rest = this.buf.subarray(this.at);
    const want = Math.max(n - rest.length, CHUNK);
    const more = this.pos < 0 || this.pos >= this.limit ? Buffer.alloc(0) : readAt(this.src, this.limit, this.pos, want);
    this.pos += more.length;
    this.buf = rest.length === 0 ? more : Buffer.concat([rest, more]);
    this.at = 0;
  }
}

/** A little-endian cursor (archive/zip readBuf). */
class Cursor {
  constructor(
    private readonly b: Buffer,
    private off = 0,
  ) {}
  u16(): number {
    const v = this.b.readUInt16LE(this.off);
    this.off += 2;
    return v;
  }
  u32(): number {
    const v = this.b.readUInt32LE(this.off);
    this.off += 4;
    return v;
  }
  u64(): bigint {
    const v = this.b.readBigUInt64LE(this.off);
    this.off += 8;
    return v;
  }
  skip(n: number): void {
    this.off += n;
  }
  get left(): number {
    return this.b.length - this.off;
  }
  sub(n: number): Cursor {
    const c = new Cursor(this.b.subarray(this.off, this.off + n));
    this.off += n;
    return c;
  }
}

/** uint64 → int64 → Number, as Go converts the ZIP64 fields it uses as offsets. */
const int64 = (v: bigint): number => Number(BigInt.asIntN(64, v));

/**
 * archive/zip readDirectoryHeader: one central-directory header, or an error (ZipFormatError for a
 * bad signature or a short ZIP64 field, `unexpected EOF` / `EOF` when the input runs out).
 */
function readDirectoryHeader(r: SectionReader, baseOffset = 0): ZipEntry {
  const h = new Cursor(r.readFull(DIRECTORY_HEADER_LEN));
  if (h.u32() !== SIG_DIRECTORY_HEADER) throw new ZipFormatError();
  h.skip(4); // creator and reader versions
  const flags = h.u16();
  const method = h.u16();
  h.skip(4); // modified time and date
  const crc32 = h.u32();
  const csize32 = h.u32();
  const usize32 = h.u32();
  const nameLen = h.u16();
  const extraLen = h.u16();
  const commentLen = h.u16();
  h.skip(4); // start disk number and internal attributes
  const externalAttrs = h.u32();
  const offset32 = h.u32();
  const d = r.readFull(nameLen + extraLen + commentLen);
  const raw = Buffer.from(d.subarray(0, nameLen));

  let compressedSize = csize32;
  let uncompressedSize = usize32;
  let headerOffset = offset32;
  let needUSize = usize32 === U32_MAX;
  let needCSize = csize32 === U32_MAX;
  let needOffset = offset32 === U32_MAX;
  const extra = new Cursor(d.subarray(nameLen, nameLen + extraLen));
  while (extra.left >= 4) {
    const tag = extra.u16();
    const size = extra.u16();
    if (extra.left < size) break;
    const field = extra.sub(size);
    if (tag !== ZIP64_EXTRA_ID) continue; // the time fields only set Modified, which go does not use here
    if (needUSize) {
      needUSize = false;
      if (field.left < 8) throw new ZipFormatError();
      uncompressedSize = Number(field.u64());
    }
    if (needCSize) {
      needCSize = false;
      if (field.left < 8) throw new ZipFormatError();
      compressedSize = Number(field.u64());
    }
    if (needOffset) {
      needOffset = false;
      if (field.left < 8) throw new ZipFormatError();
      headerOffset = int64(field.u64());
    }
  }
  // An uncompressed size of 2^32-1 without a ZIP64 field is accepted as is (42.zip); the others are not.
  if (needCSize || needOffset) throw new ZipFormatError();
  return {
    raw,
    key: raw.toString('latin1'),
    isDir: raw.length > 0 && raw[raw.length - 1] === 0x2f,
    method,
    flags,
    crc32,
    compressedSize,
    uncompressedSize,
    externalAttrs,
    localHeaderOffset: headerOffset + baseOffset,
  };
}

/** archive/zip findSignatureInBlock: the last end-record signature, or -1 (also when its comment is cut). */
function findSignatureInBlock(b: Buffer): number {
  for (let i = b.length - DIRECTORY_END_LEN; i >= 0; i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) {
      const n = b.readUInt16LE(i + DIRECTORY_END_LEN - 2);
      return n + DIRECTORY_END_LEN + i > b.length ? -1 : i;
    }
  }
  return -1;
}

interface DirectoryEnd {
  records: bigint;
  size: bigint;
  offset: bigint;
  baseOffset: number;
}

/** archive/zip findDirectory64End: the ZIP64 end record's offset, or -1 when there is no valid locator. */
function findDirectory64End(src: PositionalRead, fileSize: number, endOffset: number): number {
  const loc = endOffset - DIRECTORY64_LOC_LEN;
  if (loc < 0) return -1;
  const buf = readAt(src, fileSize, loc, DIRECTORY64_LOC_LEN);
  if (buf.length < DIRECTORY64_LOC_LEN) throw new EofError(); // cannot happen: the end record follows
  const c = new Cursor(buf);
  if (c.u32() !== SIG_DIRECTORY64_LOC) return -1;
  if (c.u32() !== 0) return -1;
  const p = c.u64();
  if (c.u32() !== 1) return -1;
  return int64(p);
}

/** archive/zip readDirectoryEnd: the directory's record count, size, offset and the base offset. */
function readDirectoryEnd(src: PositionalRead, fileSize: number): DirectoryEnd {
  let buf: Buffer | undefined;
  let endOffset = 0;
  for (const [i, want] of [1024, 65 * 1024].entries()) {
    const len = Math.min(want, fileSize);
    buf = readAt(src, fileSize, fileSize - len, len);
    const p = findSignatureInBlock(buf);
    if (p >= 0) {
      buf = buf.subarray(p);
      endOffset = fileSize - len + p;
      break;
    }
    if (i === 1 || len === fileSize) throw new ZipFormatError();
  }
  const c = new Cursor(buf!, 4);
  c.skip(4); // disk numbers: ignored
  c.skip(2); // records on this disk
  let records = BigInt(c.u16());
  let size = BigInt(c.u32());
  let offset = BigInt(c.u32());
  // The comment length was checked by findSignatureInBlock.

  if (records === 0xffffn || size === 0xffffn || offset === 0xffffffffn) {
    const p = findDirectory64End(src, fileSize, endOffset);
    if (p >= 0) {
      endOffset = p;
      if (p > fileSize) throw new EofError(); // os.File.ReadAt at or past the end
      const b = readAt(src, fileSize, p, DIRECTORY64_END_LEN);
      if (b.length < DIRECTORY64_END_LEN) throw new EofError();
      const e = new Cursor(b);
      if (e.u32() !== SIG_DIRECTORY64_END) throw new ZipFormatError();
      e.skip(12 + 8 + 8); // size, versions, disk numbers, records on this disk
      records = e.u64();
      size = e.u64();
      offset = e.u64();
    }
  }
  const maxInt64 = (1n << 63n) - 1n;
  if (size > maxInt64 || offset > maxInt64) throw new ZipFormatError();
  let baseOffset = Number(BigInt.asIntN(64, BigInt(endOffset) - size - offset));
  const o = baseOffset + Number(offset);
  if (o < 0 || o >= fileSize) throw new ZipFormatError();
  if (baseOffset > 0) {
    // A directory header found at the stated offset taken as absolute wins over the computed base.
    try {
      readDirectoryHeader(new SectionReader(src, fileSize, Number(offset)));
      baseOffset = 0;
    } catch {
      // keep the base offset
    }
  }
  return { records, size, offset, baseOffset };
}

/**
 * archive/zip NewReader: the entries of the zip read through `src` (of `fileSize` bytes), in central-directory
 * order, with local-header offsets that include the base offset. Throws go's error for an archive go
 * refuses.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/archive/zip/reader.go (Reader.init)
 */
export function readCentralDirectory(src: PositionalRead, fileSize: number): ZipEntry[] {
  const end = readDirectoryEnd(src, fileSize);
  const r = new SectionReader(src, fileSize, end.baseOffset + Number(end.offset));
  const entries: ZipEntry[] = [];
  let stop: Error;
  for (;;) {
    try {
      entries.push(readDirectoryHeader(r, end.baseOffset));
    } catch (err) {
      if (err instanceof ZipFormatError || err instanceof ZipUnexpectedEofError) {
        stop = err;
        break;
      }
      throw err;
    }
  }
  if ((entries.length & 0xffff) !== Number(end.records & 0xffffn)) throw stop;
  return entries;
}
