// A zip as a plain object whose every field can be set wrong on purpose, and its serializer: the
// differential zip test mutates these models (counts, offsets, sizes, CRCs, flags, methods, extra fields,
// data descriptors, ZIP64 records, prepended and appended bytes) and serves the bytes to go and gomod-dl.
import zlib from 'node:zlib';

/** One entry; unset optional fields take the honest value. */
export interface ModelEntry {
  /** The name in the central directory. */
  name: Buffer;
  /** The name in the local header (default `name`). */
  localName?: Buffer;
  /** The uncompressed content. */
  content: Buffer;
  /** Deflate the content (else store it). */
  deflate: boolean;
  /** The method number written (default 8 or 0 from `deflate`). */
  method?: number;
  /** The bytes written as data (default: the content, deflated if `deflate`). */
  data?: Buffer;
  flags: number;
  /** The CRC-32 in the central directory / the local header / the data descriptor. */
  crc?: number;
  localCrc?: number;
  descriptorCrc?: number;
  /** The sizes in the central directory (32-bit fields; 0xffffffff asks for a ZIP64 extra field). */
  csize?: number;
  usize?: number;
  /** A data descriptor after the data: with or without its signature (flag 0x8 is set separately). */
  descriptor?: 'sig' | 'nosig';
  cdExtra?: Buffer;
  localExtra?: Buffer;
  /** Added to the local-header offset written in the central directory. */
  offsetDelta?: number;
  /** The offset field written as is (e.g. 0xffffffff). */
  offset32?: number;
  externalAttrs?: number;
  localSignature?: number;
  cdSignature?: number;
}

/** ZIP64 end record and locator, written before the end record when present. */
export interface Zip64Model {
  records?: bigint;
  size?: bigint;
  offsetDelta?: bigint;
  signature?: number;
  locatorDisk?: number;
  totalDisks?: number;
  /** Added to the end record's offset written in the locator. */
  locatorOffsetDelta?: bigint;
}

export interface ZipModel {
  entries: ModelEntry[];
  /** Bytes before the zip. With `absoluteOffsets` the offsets count them, else they are relative. */
  prefix: Buffer;
  absoluteOffsets?: boolean;
  /** Bytes after the end record's comment. */
  suffix: Buffer;
  /** Bytes between the central directory and the end record(s). */
  gap?: Buffer;
  comment: Buffer;
  commentLenDelta?: number;
  disk?: number;
  cdDisk?: number;
  recordsThisDisk?: number;
  /** The end record's count (default: the number of entries). */
  records?: number;
  sizeDelta?: number;
  offsetDelta?: number;
  /** Write 0xffff / 0xffffffff in the end record and a ZIP64 end record with the real values. */
  zip64?: Zip64Model;
}

const u16 = (v: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v & 0xffff);
  return b;
};
const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};
const u64 = (v: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, v));
  return b;
};

/** The data an entry writes (deflated or stored content unless overridden). */
export function entryData(e: ModelEntry): Buffer {
  return e.data ?? (e.deflate ? zlib.deflateRawSync(e.content) : e.content);
}

/** Serializes a model into zip bytes. */
export function writeZip(m: ZipModel): Buffer {
  const parts: Buffer[] = [m.prefix];
  const base = m.absoluteOffsets ? m.prefix.length : 0;
  let pos = 0;
  const offsets: number[] = [];
  for (const e of m.entries) {
    offsets.push(pos + base);
    const data = entryData(e);
    const crc = zlib.crc32(e.content);
    const localName = e.localName ?? e.name;
    const localExtra = e.localExtra ?? Buffer.alloc(0);
    const header = Buffer.concat([
      u32(e.localSignature ?? 0x04034b50),
      u16(20), u16(e.flags), u16(e.method ?? (e.deflate ? 8 : 0)), u16(0x1823), u16(0x4e22),
      u32(e.localCrc ?? (e.flags & 8 ? 0 : crc)),
      u32(e.flags & 8 ? 0 : data.length), u32(e.flags & 8 ? 0 : e.content.length),
      u16(localName.length), u16(localExtra.length),
      localName, localExtra,
    ]);
    parts.push(header, data);
    pos += header.length + data.length;
    if (e.descriptor) {
      const d = Buffer.concat([
        e.descriptor === 'sig' ? u32(0x08074b50) : Buffer.alloc(0),
        u32(e.descriptorCrc ?? crc), u32(data.length), u32(e.content.length),
      ]);
      parts.push(d);
      pos += d.length;
    }
  }
  const cdStart = pos + base;
  const cd: Buffer[] = [];
  m.entries.forEach((e, i) => {
    const data = entryData(e);
    const extra = e.cdExtra ?? Buffer.alloc(0);
    cd.push(Buffer.concat([
      u32(e.cdSignature ?? 0x02014b50),
      u16(0x031e), u16(20), u16(e.flags), u16(e.method ?? (e.deflate ? 8 : 0)), u16(0x1823), u16(0x4e22),
      u32(e.crc ?? zlib.crc32(e.content)), u32(e.csize ?? data.length), u32(e.usize ?? e.content.length),
      u16(e.name.length), u16(extra.length), u16(0), u16(0), u16(0),
      u32(e.externalAttrs ?? (0o100644 << 16)), u32(e.offset32 ?? offsets[i]! + (e.offsetDelta ?? 0)),
      e.name, extra,
    ]));
  });
  const cdBytes = Buffer.concat(cd);
  parts.push(cdBytes);
  pos += cdBytes.length;
  if (m.gap) {
    parts.push(m.gap);
    pos += m.gap.length;
  }
  const records = m.records ?? m.entries.length;
  const size = cdBytes.length + (m.sizeDelta ?? 0);
  const offset = cdStart + (m.offsetDelta ?? 0);
  if (m.zip64) {
    const z = m.zip64;
    const end64At = pos + base;
    const end64 = Buffer.concat([
      u32(z.signature ?? 0x06064b50), u64(44n), u16(45), u16(45), u32(0), u32(0),
      u64(z.records ?? BigInt(records)), u64(z.records ?? BigInt(records)),
      u64(z.size ?? BigInt(size)), u64(BigInt(offset) + (z.offsetDelta ?? 0n)),
    ]);
    const locator = Buffer.concat([
      u32(0x07064b50), u32(z.locatorDisk ?? 0), u64(BigInt(end64At) + (z.locatorOffsetDelta ?? 0n)), u32(z.totalDisks ?? 1),
    ]);
    parts.push(end64, locator);
  }
  const end = Buffer.concat([
    u32(0x06054b50), u16(m.disk ?? 0), u16(m.cdDisk ?? 0),
    u16(m.zip64 ? 0xffff : m.recordsThisDisk ?? records), u16(m.zip64 ? 0xffff : records),
    u32(m.zip64 ? 0xffffffff : size), u32(m.zip64 ? 0xffffffff : offset),
    u16(m.comment.length + (m.commentLenDelta ?? 0)), m.comment,
  ]);
  parts.push(end, m.suffix);
  return Buffer.concat(parts);
}

/** A ZIP64 extended-information extra field holding the given 64-bit values in order. */
export function zip64Extra(...values: bigint[]): Buffer {
  return Buffer.concat([u16(0x0001), u16(values.length * 8), ...values.map(u64)]);
}

/** An extra field of any tag. */
export function extraField(tag: number, body: Buffer): Buffer {
  return Buffer.concat([u16(tag), u16(body.length), body]);
}
