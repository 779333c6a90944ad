// Synthesizes Go modules (the .info, .mod and .zip a GOPROXY serves) at test time.
//
// Zips are written with yazl, entries named `<path>@<version>/<file>` (unescaped, as go's modzip writes
// them), with one fixed DOS timestamp so that the same spec always yields the same bytes.
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

/** File content: a string is written as UTF-8. */
export type FileContent = string | Uint8Array;

/**
 * A zip entry written verbatim, for hostile zips: the name is NOT prefixed with `<path>@<version>/`
 * and bypasses yazl's name checks, so `../x`, `/abs`, `a\\b`, duplicates and invalid UTF-8 are possible.
 */
export interface RawZipEntry {
  /** Entry name exactly as stored; a Uint8Array allows invalid UTF-8. */
  name: string | Uint8Array;
  /** Content (default empty); ignored for directories. */
  data?: FileContent;
  /** A directory entry (no data; name should end in `/`). */
  directory?: boolean;
  /** Unix mode including type bits, e.g. `0o120777` for a symlink; default 0o100644 / 0o40755. */
  mode?: number;
  /** Deflate this entry (default: the zip's `compress`). */
  compress?: boolean;
  /** Store this CRC-32 instead of the real one (a corrupt entry). */
  crc32?: number;
}

/** How the zip is written. */
export interface ZipOptions {
  /** Also write a directory entry (`prefix/dir/`) for every directory holding a file. Default false. */
  dirEntries?: boolean;
  /** Deflate entries (default true); false stores them. */
  compress?: boolean;
  /** Entries appended after the module's files, written verbatim. */
  extraEntries?: RawZipEntry[];
}

/** What a synthesized module contains. */
export interface ModuleSpec {
  path: string;
  version: string;
  /** Files by slash-separated path relative to the module root. A `go.mod` key is the module's go.mod. */
  files?: Record<string, FileContent>;
  /** go.mod content; `null` = no go.mod in the zip; default `module <path>\n` (unless files has one). */
  goMod?: string | null;
  /** The .info Time (RFC 3339); default: the pseudo-version's time, else {@link DEFAULT_TIME}. */
  time?: string;
  /** The .info Origin object, served verbatim. */
  origin?: Record<string, unknown>;
  zipOptions?: ZipOptions;
}

/** A module as a proxy serves it, with the zip in memory. */
export interface BuiltModule {
  path: string;
  version: string;
  /** The .info body: compact JSON `{"Version","Time"[,"Origin"]}`, no trailing newline. */
  info: Buffer;
  /** The .mod body: the go.mod, or `module <path>\n` for a module without one. */
  mod: Buffer;
  zip: Buffer;
}

/** A module whose zip lives in a file (see {@link bigModule}). */
export interface FileModule {
  path: string;
  version: string;
  info: Buffer;
  mod: Buffer;
  zipFile: string;
  zipSize: number;
}

/** Anything a {@link ModuleStore} can serve. */
export type StoredModule = BuiltModule | FileModule;

/** The .info Time used when a spec gives none and the version is not a pseudo-version. */
export const DEFAULT_TIME = '2023-01-02T03:04:05Z';

/** Every entry gets this mtime (forced DOS format) so zips are byte-for-byte reproducible. */
const ZIP_MTIME = new Date(2019, 0, 2, 3, 4, 6);

/** The `yyyymmddhhmmss` of a pseudo-version, if the version looks like one. */
const PSEUDO_TIME = /-(?:0\.)?(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})-[0-9a-f]{12}(?:\+incompatible)?$/;

/**
 * The .info body of a module, as a proxy serves it.
 * @see https://go.dev/ref/mod#goproxy-protocol ($base/$module/@v/$version.info)
 */
export function infoJson(version: string, time?: string, origin?: Record<string, unknown>): Buffer {
  let t = time;
  if (t === undefined) {
    const m = PSEUDO_TIME.exec(version);
    t = m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : DEFAULT_TIME;
  }
  const info: Record<string, unknown> = { Version: version, Time: t };
  if (origin !== undefined) info['Origin'] = origin;
  return Buffer.from(JSON.stringify(info));
}

/**
 * The go.mod cmd/go synthesizes for a module without one (paths valid as module paths need no quoting).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/coderepo.go (LegacyGoMod)
 */
export function legacyGoMod(path: string): string {
  return `module ${path}\n`;
}

function bytes(c: FileContent): Buffer {
  return typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
}

/** yazl's Entry fields we patch for raw entries (not in its public types). */
interface YazlEntryInternals {
  utf8FileName: Buffer;
  crc32: number;
}

/** Adds a raw entry: yazl validates names, so add a placeholder and swap in the raw bytes. */
function addRawEntry(zf: ZipFile, e: RawZipEntry, compress: boolean): void {
  const placeholder = `raw-entry-${(zf as unknown as { entries: unknown[] }).entries.length}`;
  const opts = { mtime: ZIP_MTIME, forceDosTimestamp: true };
  if (e.directory) {
    zf.addEmptyDirectory(placeholder, { ...opts, mode: e.mode ?? 0o40755 });
  } else {
    zf.addBuffer(bytes(e.data ?? ''), placeholder, { ...opts, mode: e.mode ?? 0o100644, compress: e.compress ?? compress });
  }
  const entries = (zf as unknown as { entries: YazlEntryInternals[] }).entries;
  const entry = entries[entries.length - 1]!;
  entry.utf8FileName = typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : Buffer.from(e.name);
  if (e.crc32 !== undefined) entry.crc32 = e.crc32 >>> 0;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/**
 * Builds a module: its .info, .mod and .zip exactly as a GOPROXY would serve them.
 * @see https://go.dev/ref/mod#zip-files
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/zip/zip.go (entry naming)
 */
export async function buildModule(spec: ModuleSpec): Promise<BuiltModule> {
  const { path, version, files = {}, time, origin, zipOptions = {} } = spec;
  const { dirEntries = false, compress = true, extraEntries = [] } = zipOptions;
  const hasGoModFile = Object.hasOwn(files, 'go.mod');
  if (hasGoModFile && spec.goMod !== undefined) throw new Error('buildModule: give go.mod in files or goMod, not both');
  const goMod: string | Uint8Array | null = hasGoModFile ? files['go.mod']! : spec.goMod === undefined ? legacyGoMod(path) : spec.goMod;

  const all: Array<[string, FileContent]> = Object.entries(files).filter(([n]) => n !== 'go.mod');
  if (goMod !== null) all.unshift(['go.mod', goMod]);

  const prefix = `${path}@${version}/`;
  const zf = new ZipFile();
  const opts = { mtime: ZIP_MTIME, forceDosTimestamp: true };
  if (dirEntries) {
    const dirs = new Set<string>();
    for (const [name] of all) {
      const parts = name.split('/');
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    }
    for (const d of [...dirs].sort()) zf.addEmptyDirectory(prefix + d, { ...opts, mode: 0o40755 });
  }
  for (const [name, content] of all) zf.addBuffer(bytes(content), prefix + name, { ...opts, mode: 0o100644, compress });
  for (const e of extraEntries) addRawEntry(zf, e, compress);
  zf.end();
  const zip = await collect(zf.outputStream);

  return {
    path,
    version,
    info: infoJson(version, time, origin),
    mod: bytes(goMod ?? legacyGoMod(path)),
    zip,
  };
}

/** Options of {@link bigModule}. */
export interface BigModuleOptions {
  /** Directory the zip file is written to (the caller owns and removes it). */
  dir: string;
  /** Seed for the pseudo-random content (default derived from path@version). */
  seed?: number;
}

/** Deterministic xorshift32 stream of `size` bytes, generated chunk by chunk. */
function noise(size: number, seed: number): Readable {
  let x = seed >>> 0 || 0x9e3779b9;
  let left = size;
  return Readable.from(
    (function* () {
      while (left > 0) {
        const n = Math.min(left, 1 << 16);
        const words = new Uint32Array(Math.ceil(n / 4));
        for (let i = 0; i < words.length; i++) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          words[i] = x >>> 0;
        }
        left -= n;
        yield Buffer.from(words.buffer, 0, n);
      }
    })(),
  );
}

/** `size` bytes of highly compressible Go-ish text. */
function text(size: number): Readable {
  const line = Buffer.from('// The quick brown fox jumps over the lazy dog; gomod-dl big module filler.\n');
  let left = size;
  return Readable.from(
    (function* () {
      const block = Buffer.alloc(1 << 16);
      for (let o = 0; o < block.length; o += line.length) line.copy(block, o);
      while (left > 0) {
        const n = Math.min(left, block.length);
        left -= n;
        yield block.subarray(0, n);
      }
    })(),
  );
}

function hashSeed(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Builds a module of about `size` bytes of file content without holding it in memory: 64 small
 * files, one compressible text file (~30%, deflated) and one incompressible file (the rest, stored).
 * The zip is streamed to `<dir>/<n>.zip`; the zip itself is roughly 70% of `size` plus small overhead.
 * @see https://go.dev/ref/mod#zip-files (size limits a real module must respect: 500 MiB)
 */
export async function bigModule(path: string, version: string, size: number, opts: BigModuleOptions): Promise<FileModule> {
  const seed = opts.seed ?? hashSeed(`${path}@${version}`);
  const prefix = `${path}@${version}/`;
  const goMod = legacyGoMod(path);
  const zf = new ZipFile();
  const o = { mtime: ZIP_MTIME, forceDosTimestamp: true, mode: 0o100644 };
  zf.addBuffer(Buffer.from(goMod), prefix + 'go.mod', o);
  const small = 64;
  const smallSize = Math.max(0, Math.min(1024, Math.floor(size / 100 / small)));
  for (let i = 0; i < small; i++) {
    zf.addBuffer(Buffer.from(`package p${i}\n// ${'x'.repeat(Math.max(0, smallSize - 20))}\n`), `${prefix}pkg/p${i}/p.go`, o);
  }
  const rest = Math.max(0, size - small * smallSize);
  const textSize = Math.floor(rest * 0.3);
  zf.addReadStream(text(textSize), prefix + 'data/text.txt', { ...o, size: textSize, compress: true });
  zf.addReadStream(noise(rest - textSize, seed), prefix + 'data/random.bin', { ...o, size: rest - textSize, compress: false });
  zf.end();
  const zipFile = join(opts.dir, `big-${seed.toString(16)}-${Date.now().toString(36)}.zip`);
  await pipeline(zf.outputStream as NodeJS.ReadableStream, createWriteStream(zipFile, { flags: 'wx' }));
  return { path, version, info: infoJson(version), mod: Buffer.from(goMod), zipFile, zipSize: (await stat(zipFile)).size };
}
