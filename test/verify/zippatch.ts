// Edits fields of a zip held in memory, for hostile fixtures that yazl will not write: a declared size
// that lies, an unknown compression method, a broken local header.
// Offsets: APPNOTE.TXT 4.3.7 (local header) and 4.3.12 (central directory header).

/** Fields of one entry to overwrite; central-directory fields unless said otherwise. */
export interface EntryPatch {
  /** Declared uncompressed size (central directory, which is what readers trust). */
  uncompressedSize?: number;
  /** Compressed size (central directory). */
  compressedSize?: number;
  /** Compression method, in both headers. */
  method?: number;
  /** CRC-32 (central directory). */
  crc32?: number;
  /** General-purpose flags (central directory). */
  flags?: number;
  /** Overwrite the local header's signature (a broken local header). */
  localSignature?: number;
}

/** The offset of each central-directory header, in order. */
export function centralHeaders(zip: Buffer): number[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('zippatch: no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let off = zip.readUInt32LE(eocd + 16);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(off) !== 0x02014b50) throw new Error('zippatch: bad central header');
    out.push(off);
    off += 46 + zip.readUInt16LE(off + 28) + zip.readUInt16LE(off + 30) + zip.readUInt16LE(off + 32);
  }
  return out;
}

/** Returns a copy of `zip` with entry `index` (central-directory order) patched. */
export function patchEntry(zip: Buffer, index: number, p: EntryPatch): Buffer {
  const out = Buffer.from(zip);
  const c = centralHeaders(out)[index];
  if (c === undefined) throw new Error(`zippatch: no entry ${index}`);
  const local = out.readUInt32LE(c + 42);
  if (p.uncompressedSize !== undefined) out.writeUInt32LE(p.uncompressedSize, c + 24);
  if (p.compressedSize !== undefined) out.writeUInt32LE(p.compressedSize, c + 20);
  if (p.crc32 !== undefined) out.writeUInt32LE(p.crc32 >>> 0, c + 16);
  if (p.flags !== undefined) out.writeUInt16LE(p.flags, c + 8);
  if (p.method !== undefined) {
    out.writeUInt16LE(p.method, c + 10);
    out.writeUInt16LE(p.method, local + 8);
  }
  if (p.localSignature !== undefined) out.writeUInt32LE(p.localSignature >>> 0, local);
  return out;
}

/** The central-directory CRC-32 of entry `index`. */
export function entryCrc(zip: Buffer, index: number): number {
  return zip.readUInt32LE(centralHeaders(zip)[index]! + 16);
}

/** Returns a copy of `zip` with byte `at` of entry `index`'s (compressed) data XORed with `xor`. */
export function corruptData(zip: Buffer, index: number, at: number, xor: number): Buffer {
  const out = Buffer.from(zip);
  const c = centralHeaders(out)[index]!;
  const local = out.readUInt32LE(c + 42);
  const start = local + 30 + out.readUInt16LE(local + 26) + out.readUInt16LE(local + 28);
  if (at >= out.readUInt32LE(c + 20)) throw new Error('zippatch: offset beyond the entry data');
  out[start + at]! ^= xor;
  return out;
}
