// Reads back the central directory of a zip (and optionally its data) for assertions in tests.
// Names are kept as raw bytes, so hostile names (`../x`, invalid UTF-8) can be inspected too.
import { buffer } from 'node:stream/consumers';
import yauzl from 'yauzl';

/** One central-directory entry. */
export interface ZipEntryInfo {
  /** The name decoded as UTF-8 (lossy for invalid bytes). */
  name: string;
  nameRaw: Buffer;
  /** 0 = stored, 8 = deflate. */
  method: number;
  crc32: number;
  /** Unix mode from the external attributes (type and permission bits), 0 if none. */
  mode: number;
  size: number;
  compressedSize: number;
  /** The inflated data, when requested and readable. */
  data?: Buffer;
}

/**
 * Lists the entries of a zip held in memory or in a file, in central-directory order.
 * With `data: true` each entry's content is inflated and checked (CRC, size) by yauzl.
 */
export async function zipEntries(zip: Buffer | string, opts: { data?: boolean } = {}): Promise<ZipEntryInfo[]> {
  const options = { lazyEntries: true, decodeStrings: false, validateEntrySizes: true };
  const zf = typeof zip === 'string' ? await yauzl.openPromise(zip, options) : await yauzl.fromBufferPromise(zip, options);
  const out: ZipEntryInfo[] = [];
  try {
    for await (const e of zf.eachEntry()) {
      const info: ZipEntryInfo = {
        name: e.fileNameRaw.toString('utf8'),
        nameRaw: Buffer.from(e.fileNameRaw),
        method: e.compressionMethod,
        crc32: e.crc32,
        mode: e.externalFileAttributes >>> 16,
        size: e.uncompressedSize,
        compressedSize: e.compressedSize,
      };
      if (opts.data) info.data = await buffer(await zf.openReadStreamPromise(e));
      out.push(info);
    }
  } finally {
    zf.close();
  }
  return out;
}
