/**
 * Single-pass extraction of a module zip: the central directory is checked once, then each entry is
 * read (inflated) once, its SHA-256 and CRC-32 taken while it is written, and the zip's `h1:` assembled
 * from those digests. go reads every entry twice (dirhash.HashZip, then zip.Unzip); this reads once and
 * still reports what go would, in go's order:
 *
 * 1. the zip's structure (`zip: not a valid zip file`), 2. cmd/go's prefix check (`zip for … has
 * unexpected file …`), 3. HashZip's failures (a name with a newline, a corrupt entry: first in sorted
 * order), 4. [the caller's go.sum check], 5. Unzip's failures, wrapped `unzip ZIPFILE: …`.
 *
 * Steps 3 and 5 are fused: when the rules of step 5 fail, nothing is written and the hash is computed
 * alone (so a step-3 failure still wins); the {@link UnzipError} then carries `h1` for the caller's
 * step 4. When an entry fails while extracting, the exact HashZip pass is rerun to pick go's error.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (downloadZip, unzip)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/zip/zip.go (Unzip)
 */
import { closeSync, createWriteStream, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hash1, hashArchive } from './dirhash.js';
import { checkZipEntries, checkZipPrefix } from './zipcheck.js';
import { UnzipError, ZipCheckError, ZipError } from './ziperrors.js';
import { processEntries, type Claims } from './entries.js';
import { SharedClaims } from './sharedclaims.js';
import { GoPathError, toGoPathError } from '../internal/goerrno.js';
import { openZipArchive, type ZipArchive, type ZipEntry } from './zipdir.js';
import type { EntrySink } from './zipreader.js';

export interface ExtractOptions {
  /** The downloaded zip (usually a temp file). */
  readonly zipFile: string;
  readonly path: string;
  readonly version: string;
  /** A fresh (absent or empty) staging directory. */
  readonly targetDir: string;
  readonly signal?: AbortSignal;
  /** The zip path go would name in `unzip ZIPFILE: …` (its final cache path); defaults to zipFile. */
  readonly zipName?: string;
  /**
   * The directory go would name in place of `targetDir` in errors (the module's final directory,
   * which go's Unzip writes into directly); defaults to targetDir.
   */
  readonly dirName?: string;
  /** Large entries streamed at once (default 4); small ones are read one after another. */
  readonly concurrency?: number;
  /**
   * Read even a small zip a piece at a time instead of whole into a 4 MiB buffer (zipdir.ts
   * IN_MEMORY_ZIP): the calling thread does, where that buffer stood in a small project's peak RSS.
   */
  readonly positional?: boolean;
}

/** {@link ExtractOptions} of an extraction one other thread may join ({@link extractSharing}). */
export interface SharingOptions extends ExtractOptions {
  /** The extraction's counters, made by {@link SharedClaims.create}. */
  readonly share?: SharedArrayBuffer | undefined;
}

export interface ExtractResult {
  /** The zip's dirhash, equal to dirhash.HashZip of the same file. */
  readonly h1: string;
  /** Regular files written. */
  readonly files: number;
  /** Bytes written. */
  readonly bytes: number;
}

/** Created files are read-only, as go's Unzip creates them (before the umask). */
const FILE_MODE = 0o444;

/**
 * Checks, hashes and extracts a module zip into `targetDir` in one pass over its entries.
 * On failure, whatever was written lies inside `targetDir`, which the caller removes.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/zip/zip.go (Unzip)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/dirhash/hash.go (HashZip)
 */
export async function extractZip(opts: ExtractOptions): Promise<ExtractResult> {
  return (await extractSharing({ ...opts, share: undefined })) as ExtractResult;
}

/**
 * {@link extractZip}, opening the extraction to a helper when `opts.share` is set: the result is then
 * this thread's {@link ExtractPart} if a helper joined.
 */
export async function extractSharing(opts: SharingOptions): Promise<ExtractResult | ExtractPart> {
  const { zipFile, path, version, targetDir, signal } = opts;
  const zipName = opts.zipName ?? zipFile;
  signal?.throwIfAborted();
  const zip = await openZipArchive(zipFile, { positional: opts.positional === true });
  // After a failure a stream may still be writing a slice of the zip: its memory is not reused.
  let done = false;
  try {
    signal?.throwIfAborted();
    checkZipPrefix(path, version, zip.entries.map((e) => e.raw));
    // HashZip stops at a name with a newline (unless an earlier name fails to read): let it decide.
    if (zip.entries.some((e) => e.raw.includes(0x0a))) await hashArchive(zip, signal);

    let ruleError: Error | undefined;
    if (await hasChildren(targetDir)) {
      ruleError = new ZipCheckError(`target directory ${opts.dirName ?? targetDir} exists and is not empty`);
    } else {
      try {
        checkZipEntries(path, version, zip.entries.map((e) => ({ name: e.raw, uncompressedSize: e.uncompressedSize })), zip.size);
      } catch (err) {
        ruleError = err as Error;
      }
    }
    if (ruleError) {
      const h1 = await hashArchive(zip, signal);
      throw new UnzipError(zipName, ruleError, h1);
    }
    const result = await extractChecked(zip, opts, zipName);
    done = true;
    return result;
  } finally {
    await zip.close({ recycle: done });
  }
}

async function hasChildren(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch {
    return false; // go ignores the ReadDir error too: a missing directory is created later
  }
}

async function extractChecked(zip: ZipArchive, opts: SharingOptions, zipName: string): Promise<ExtractResult | ExtractPart> {
  const { targetDir, signal } = opts;
  const work = lastOfEachName(zip);
  await mkdir(targetDir, { recursive: true, mode: 0o777 });
  makeParents(targetDir, work, prefixLength(opts));

  const claims = opts.share !== undefined ? new SharedClaims(opts.share) : undefined;
  claims?.open();
  let extracted;
  try {
    extracted = await extractEntries(zip, work, opts, claims);
  } catch (err) {
    claims?.stop(); // aborted: a helper stops too
    throw err;
  }
  const { results, files, bytes } = extracted;
  // A helper joined: this thread's digests are part of the zip's, joined by the pool (joinParts).
  if (claims !== undefined && !claims.close()) return packPart(results, files, bytes);
  const failure = [...results.values()].find((r): r is Error => r instanceof Error);
  if (failure !== undefined) {
    // go hashes the whole zip (HashZip) before it unzips: a content error there is go's error, in
    // sorted order; a zip that hashes is checked against go.sum and kept even when writing the
    // tree fails (a name too long, a full disk), so the caller gets its h1.
    const h1 = await hashArchive(zip, signal);
    if (failure instanceof ZipError) throw new UnzipError(zipName, failure);
    throw new UnzipError(zipName, asWrittenByGo(failure, opts), h1);
  }
  const h1 = hash1(zip.entries.map((e) => ({ name: e.raw, sha256: results.get(e.key) as Buffer })));
  return { h1, files, bytes };
}

/**
 * A failure to write the tree, as go's Unzip reports it: go writes into the module's directory itself,
 * so a file-system error names that directory, not the staging one gomod-dl wrote into.
 */
function asWrittenByGo(failure: Error, opts: ExtractOptions): Error {
  const g = toGoPathError(failure);
  if (g === undefined) return failure;
  const { targetDir, dirName } = opts;
  if (dirName === undefined || !(g.path === targetDir || g.path.startsWith(targetDir + '/'))) return g;
  return new GoPathError(g.op, dirName + g.path.slice(targetDir.length), g.code, g.cause, g.dest);
}

/** Bytes of `path@version/`, the prefix every entry name carries. */
function prefixLength(opts: ExtractOptions): number {
  return Buffer.byteLength(`${opts.path}@${opts.version}/`, 'utf8');
}

/** The entries to read: duplicate names left after the checks are directories; HashZip reads the last entry of a name. */
function lastOfEachName(zip: ZipArchive): ZipEntry[] {
  const last = new Map<string, ZipEntry>();
  for (const e of zip.entries) last.set(e.key, e);
  return [...last.values()];
}

/** Reads and writes the entries `claims` hands this thread (all by default); counts the files written. */
async function extractEntries(zip: ZipArchive, work: readonly ZipEntry[], opts: ExtractOptions, claims: Claims | undefined) {
  const prefixLen = prefixLength(opts);
  let files = 0;
  let bytes = 0;
  const results = await processEntries(zip, work, {
    stopOnError: true,
    streams: opts.concurrency ?? 4,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(claims ? { claims } : {}),
    sinkFor: (e) => {
      if (e.isDir) return undefined;
      files++;
      bytes += e.uncompressedSize;
      return fileSink(join(opts.targetDir, e.raw.subarray(prefixLen).toString('utf8')));
    },
  });
  return { results, files, bytes };
}

/**
 * What one of the two threads sharing a zip extracted: its entries' keys and their SHA-256 digests,
 * 32 bytes each in one buffer (one copy when posted between threads). `failed`: an entry failed on
 * this thread, and the zip is to be extracted again on one thread, which reports go's error.
 */
export interface ExtractPart {
  readonly keys: string[];
  readonly sha256: Uint8Array;
  readonly files: number;
  readonly bytes: number;
  readonly failed: boolean;
}

function packPart(results: ReadonlyMap<string, Buffer | Error>, files: number, bytes: number): ExtractPart {
  const keys: string[] = [];
  const sha256 = new Uint8Array(results.size * 32);
  let failed = false;
  for (const [key, r] of results) {
    if (r instanceof Error) {
      failed = true;
      continue;
    }
    sha256.set(r, keys.length * 32);
    keys.push(key);
  }
  return { keys, sha256: sha256.subarray(0, keys.length * 32), files, bytes, failed };
}

/** The helper's part of a shared extraction, with the zip's entries (for the `h1` over all of them). */
export interface HelperPart extends ExtractPart {
  readonly entries: readonly ZipEntry[];
}

/**
 * Joins, on this thread, the extraction of `opts.share` that a worker runs ({@link SharedClaims}):
 * reads and writes entries until none is left, with the owner's checks already passed and its
 * directories made. Undefined when that extraction is not open to a helper (not yet, or no longer);
 * settles only once this thread has stopped writing into `targetDir`.
 */
export function helpExtract(opts: ExtractOptions & { readonly share: SharedArrayBuffer }): Promise<HelperPart> | undefined {
  const claims = new SharedClaims(opts.share);
  if (!claims.join()) return undefined;
  return (async () => {
    let zip: ZipArchive;
    try {
      // The owner holds the zip; this thread reads only the entries it takes.
      zip = await openZipArchive(opts.zipFile, { positional: true });
    } catch {
      claims.stop();
      return { keys: [], sha256: new Uint8Array(0), files: 0, bytes: 0, failed: true, entries: [] };
    }
    try {
      // One large entry at a time: when the owner runs out, this thread finishes at most one.
      const { results, files, bytes } = await extractEntries(zip, lastOfEachName(zip), { ...opts, concurrency: 1 }, claims);
      return { ...packPart(results, files, bytes), entries: zip.entries };
    } finally {
      await zip.close();
    }
  })();
}

/**
 * The result of a shared extraction from its two parts, or undefined when a part failed or an entry
 * was read by neither (the caller then extracts the zip again, on one thread).
 */
export function joinParts(owner: ExtractPart, helper: HelperPart): ExtractResult | undefined {
  if (owner.failed || helper.failed) return undefined;
  const digests = new Map<string, Uint8Array>();
  for (const part of [owner, helper]) part.keys.forEach((k, i) => digests.set(k, part.sha256.subarray(i * 32, i * 32 + 32)));
  const files = [];
  for (const e of helper.entries) {
    const sha256 = digests.get(e.key);
    if (sha256 === undefined) return undefined;
    files.push({ name: e.raw, sha256 });
  }
  return { h1: hash1(files), files: owner.files + helper.files, bytes: owner.bytes + helper.bytes };
}

/** Creates every directory that holds a file (go's Unzip creates no others), parents first. */
function makeParents(targetDir: string, entries: readonly ZipEntry[], prefixLen: number): void {
  const dirs = new Set<string>();
  for (const e of entries) {
    if (e.isDir) continue;
    let rel = e.raw.subarray(prefixLen).toString('utf8');
    for (let i = rel.lastIndexOf('/'); i > 0; i = rel.lastIndexOf('/')) {
      rel = rel.slice(0, i);
      if (dirs.has(rel)) break;
      dirs.add(rel);
    }
  }
  // Sorted, a directory comes after its parent (a prefix sorts first). Synchronous, like the
  // small-file writes: cheaper than a thread-pool round trip each.
  for (const d of [...dirs].sort()) {
    const dir = join(targetDir, d);
    try {
      mkdirSync(dir, { mode: 0o777 });
    } catch (err) {
      throw toGoPathError(err, dir) ?? err;
    }
  }
}

/**
 * Creates `dst` exclusively, read-only, as go's Unzip does (O_CREATE|O_EXCL, 0444). Small files are
 * written synchronously: a create-write-close through fs/promises costs about six times the CPU
 * (FileHandle objects, three thread-pool round trips), and small entries are inflated on this thread
 * anyway, between yields to the event loop.
 */
function fileSink(dst: string): EntrySink {
  return {
    writeAll: (data) => {
      try {
        writeFileSync(dst, data, { flag: 'wx', mode: FILE_MODE });
      } catch (err) {
        // A failed write names no file in Node; go says `write <path>: …`.
        throw toGoPathError(err, dst) ?? err;
      }
    },
    open: () => {
      let fd: number;
      try {
        fd = openSync(dst, 'wx', FILE_MODE);
      } catch (err) {
        throw toGoPathError(err, dst) ?? err;
      }
      let closed = false;
      const close = (): void => {
        if (!closed) closeSync(fd);
        closed = true;
      };
      return {
        write: (data) => {
          try {
            for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
          } catch (err) {
            throw toGoPathError(err, dst) ?? err;
          }
        },
        close,
        discard: () => {
          close();
          rmSync(dst, { force: true });
        },
      };
    },
    stream: () => {
      const out = createWriteStream(dst, { flags: 'wx', mode: FILE_MODE });
      // Listening first, the error names the file before the pipeline passes it on.
      out.on('error', (err: NodeJS.ErrnoException) => {
        err.path ??= dst;
      });
      return out;
    },
  };
}

/**
 * Removes write permission from every directory under `dir` (and `dir` itself), children before
 * parents, best effort, as go does after extracting unless -modcacherw is set.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (makeDirsReadOnly)
 */
export async function makeTreeReadOnly(dir: string): Promise<void> {
  const dirs: { path: string; mode: number }[] = [];
  const walk = async (p: string): Promise<void> => {
    try {
      const st = await lstat(p);
      if (st.mode & 0o222) dirs.push({ path: p, mode: st.mode & 0o7777 });
      const children = await readdir(p, { withFileTypes: true });
      children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const c of children) if (c.isDirectory()) await walk(join(p, c.name));
    } catch {
      // Best effort, like go: a directory that cannot be read keeps its mode.
    }
  };
  const top = await lstat(dir).catch(() => undefined);
  if (top?.isDirectory()) await walk(dir);
  for (let i = dirs.length - 1; i >= 0; i--) {
    await chmod(dirs[i]!.path, dirs[i]!.mode & ~0o222).catch(() => undefined);
  }
}
