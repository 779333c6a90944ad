/**
 * The `h1:` directory hash recorded in go.sum and the checksum database.
 *
 * h1 = "h1:" + base64(SHA-256(summary)), where the summary has one line per file, in bytewise order of
 * the names: the lowercase hex SHA-256 of the content, two spaces, the name, a newline. It is what
 * `sha256sum $(find . -type f | sort) | sha256sum` would give.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/dirhash/hash.go
 * @see https://go.dev/ref/mod#go-sum-files
 */
import { createHash, type Hash } from 'node:crypto';
import { goBytes } from '../internal/gostrconv.js';
import { DirhashNewlineError } from './ziperrors.js';
import { processEntries } from './entries.js';
import { openZipArchive, type ZipArchive, type ZipEntry } from './zipdir.js';

/** One file of a hashed tree: its name (a string is taken as UTF-8) and the SHA-256 of its content. */
export interface HashedFile {
  readonly name: string | Uint8Array;
  /** The 32-byte digest, or its 64 hex digits. */
  readonly sha256: Uint8Array | string;
}

/**
 * A fresh SHA-256 for hashing content as it streams past (`update` per chunk, `digest()` at the end).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/dirhash/hash.go (Hash1 hashes each file)
 */
export function createSha256(): Hash {
  return createHash('sha256');
}

/**
 * The SHA-256 digest of a whole buffer.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/dirhash/hash.go (Hash1)
 */
export function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

/**
 * The SHA-256 digest of everything a stream yields; only one chunk is held at a time.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/dirhash/hash.go (Hash1's io.Copy)
 */
export async function sha256Stream(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const h = createHash('sha256');
  for await (const chunk of chunks) h.update(chunk);
  return h.digest();
}

function hexDigest(d: Uint8Array | string): string {
  return typeof d === 'string' ? d.toLowerCase() : Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex');
}

/**
 * The bytes of a name: a string is a Go string held in a JS string (see src/internal/gostrconv.ts).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/dirhash/hash.go (names are sorted as bytes)
 */
export function nameBytes(name: string | Uint8Array): Buffer {
  const b = typeof name === 'string' ? goBytes(name) : name;
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * dirhash.Hash1 over precomputed content digests: names sorted bytewise (as UTF-8 bytes, not UTF-16
 * code units), duplicates kept. Throws {@link DirhashNewlineError} for a name containing `\n`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/dirhash/hash.go (Hash1)
 */
export function hash1(files: readonly HashedFile[]): string {
  const rows = files.map((f) => ({ name: nameBytes(f.name), sha256: f.sha256 }));
  rows.sort((a, b) => Buffer.compare(a.name, b.name));
  const summary = createHash('sha256');
  for (const row of rows) {
    if (row.name.includes(0x0a)) throw new DirhashNewlineError();
    summary.update(hexDigest(row.sha256) + '  ');
    summary.update(row.name);
    summary.update('\n');
  }
  return 'h1:' + summary.digest('base64');
}

/**
 * The hash go records as `path version/go.mod`: Hash1 of one file named exactly `go.mod`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (checkGoMod)
 */
export function hashGoMod(data: Uint8Array | string): string {
  return hash1([{ name: 'go.mod', sha256: sha256(data) }]);
}

/**
 * dirhash.HashZip: Hash1 over every central-directory name as stored (directory entries included, as
 * empty content), each name's content being that of the LAST entry with that name. Content is read
 * with archive/zip's checks, so a corrupt entry fails with go's error; when several would fail, the one
 * whose name sorts first is reported, as Hash1's sorted loop would.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/dirhash/hash.go (HashZip)
 */
export async function hashZip(zipFile: string): Promise<string> {
  const zip = await openZipArchive(zipFile);
  let done = false;
  try {
    const h1 = await hashArchive(zip);
    done = true;
    return h1;
  } finally {
    await zip.close({ recycle: done });
  }
}

/** hashZip over an archive that is already open. */
export async function hashArchive(zip: ZipArchive, signal?: AbortSignal): Promise<string> {
  const last = new Map<string, ZipEntry>();
  for (const e of zip.entries) last.set(e.key, e);
  const unique = [...last.values()];
  // A name with a newline is never opened: Hash1 stops at it.
  const readable = unique.filter((e) => !e.raw.includes(0x0a));
  const digests = await processEntries(zip, readable, { stopOnError: false, ...(signal ? { signal } : {}) });

  // Report what Hash1's loop would meet first, in sorted order.
  const sorted = [...unique].sort((a, b) => Buffer.compare(a.raw, b.raw));
  for (const e of sorted) {
    if (e.raw.includes(0x0a)) throw new DirhashNewlineError();
    const d = digests.get(e.key);
    if (d instanceof Error) throw d;
  }
  return hash1(zip.entries.map((e) => ({ name: e.raw, sha256: digests.get(e.key) as Buffer })));
}
