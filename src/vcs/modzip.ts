/**
 * The module zip made from a `git archive --format=zip` of a revision, by go's rules: codeRepo.Zip
 * picks the module's subdirectory and adds the repository's LICENSE, then x/mod zip.Create checks
 * and writes the files.
 *
 * Invariants (go 1.26 modfetch/coderepo.go Zip, x/mod zip checkFiles/Create):
 * - Entries keep the archive's order; directories are skipped; LICENSE from the repository root is
 *   appended last for a subdirectory module that has none.
 * - Omitted silently: files below a directory with its own go.mod (nested modules, testdata ones
 *   included), vendored packages (and `vendor/modules.txt` from go 1.24 on, where also nested
 *   `x/vendor/` directories count), `.hg_archival.txt`, symlinks and other irregular files.
 * - Invalid names (module.CheckFilePath), case-folding collisions, a mis-cased go.mod and oversized
 *   go.mod/LICENSE fail with `create zip: NAME: reason` lines; a tree over 500 MiB fails with
 *   `create zip: module source tree too large (max size is 524288000 bytes)`.
 * - Entries are named `path@version/NAME` and deflated, in archive/zip's layout (see writeZip): only
 *   the deflate streams differ from go's zip; names, order, sizes, CRC-32 and so the h1: hash are the same.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/coderepo.go (Zip)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/zip/zip.go (checkFiles, Create)
 */
import type { FileHandle } from 'node:fs/promises';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { canonicalVersion, check, checkFilePath, goCompare, goLang } from '../module/index.js';
import { parseGoMod } from '../modfile/index.js';
import { checkCollision, MAX_LICENSE, MAX_ZIP_FILE, type PathInfo } from '../verify/zipcheck.js';
import { VcsError } from './errors.js';

/** One file of the module: its name below the module root (bytes as a latin1 string) and content. */
interface ModFile {
  /** The name as a Go string (UTF-8 decoded when valid, else the raw bytes as latin1). */
  readonly name: string;
  readonly raw: Buffer;
  readonly mode: number;
  readonly data: () => Buffer;
  readonly size: number;
}

/** Options of {@link createModuleZip}. */
export interface ModuleZipOptions {
  readonly path: string;
  readonly version: string;
  /** The bytes of `git archive --format=zip --prefix=prefix/`. */
  readonly archive: Buffer;
  /** The module's directory in the repository, or "". */
  readonly subdir: string;
  /** The repository root's LICENSE at the revision, if any. */
  readonly license: () => Promise<Buffer | undefined>;
  readonly dest: FileHandle;
  readonly maxGoMod: number;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/** Writes the module zip to dest (from offset 0). @returns its size */
export async function createModuleZip(o: ModuleZipOptions): Promise<number> {
  const files: ModFile[] = [];
  const subdir = o.subdir.replace(/^\/+|\/+$/g, '');
  const prefix = subdir !== '' ? Buffer.from(subdir + '/', 'utf8') : Buffer.alloc(0);
  let haveLICENSE = false;
  let top: Buffer | undefined;
  for (const e of readZipDirectory(o.archive)) {
    if (top === undefined) {
      const i = e.raw.indexOf(0x2f);
      if (i < 0) throw new VcsError('EZIP', 'missing top-level directory prefix');
      top = e.raw.subarray(0, i + 1);
    }
    if (!e.raw.subarray(0, top.length).equals(top)) throw new VcsError('EZIP', 'zip file contains more than one top-level directory');
    let raw = e.raw.subarray(top.length);
    if (!raw.subarray(0, prefix.length).equals(prefix)) continue;
    raw = raw.subarray(prefix.length);
    if (raw.length === 0 || raw[raw.length - 1] === 0x2f) continue;
    const name = goName(raw);
    files.push({ name, raw, mode: e.mode, size: e.size, data: () => e.data() });
    if (name === 'LICENSE') haveLICENSE = true;
  }
  if (!haveLICENSE && subdir !== '') {
    const lic = await o.license();
    if (lic !== undefined) files.push({ name: 'LICENSE', raw: Buffer.from('LICENSE'), mode: S_IFREG | 0o644, size: lic.length, data: () => lic });
  }
  return writeZip(o, checkFiles(o, files));
}

/** A byte string as Go sees it: UTF-8 text when valid, else one char per byte. */
function goName(raw: Buffer): string {
  const s = raw.toString('utf8');
  return Buffer.from(s, 'utf8').equals(raw) ? s : raw.toString('latin1');
}

/** x/mod zip checkFiles: the valid files, or the error Create returns. */
function checkFiles(o: ModuleZipOptions, files: ModFile[]): ModFile[] {
  if (canonicalVersion(o.version) !== o.version) {
    throw new VcsError('EZIP', `create zip: version "${o.version}" is not canonical (should be "${canonicalVersion(o.version)}")`);
  }
  try {
    check(o.path, o.version);
  } catch (e) {
    throw new VcsError('EZIP', `create zip: ${(e as Error).message}`);
  }
  const haveGoMod = new Set<string>();
  let vers = '';
  for (const f of files) {
    const slash = f.name.lastIndexOf('/');
    const dir = f.name.slice(0, slash + 1);
    const base = f.name.slice(slash + 1);
    if (base.toLowerCase() !== 'go.mod' || !isRegular(f.mode)) continue;
    haveGoMod.add(dir);
    if (base === 'go.mod' && dir === '') {
      try {
        const v = parseGoMod('go.mod', f.data(), 'lax').go?.version;
        vers = v !== undefined ? goLang(v) : '';
      } catch {
        vers = '';
      }
    }
  }
  const from124 = vers !== '' && goCompare(vers, '1.24') >= 0;
  const inSubmodule = (p: string): boolean => {
    for (;;) {
      const slash = p.lastIndexOf('/');
      if (slash < 0) return false;
      const dir = p.slice(0, slash + 1);
      if (haveGoMod.has(dir)) return true;
      p = p.slice(0, slash);
    }
  };
  const invalid: string[] = [];
  const seenErr = new Set<string>();
  const addError = (p: string, omitted: boolean, why: string) => {
    if (seenErr.has(p)) return;
    seenErr.add(p);
    if (!omitted) invalid.push(`${p}: ${why}`);
  };
  const collisions = new Map<string, PathInfo>();
  let maxSize = MAX_ZIP_FILE;
  let sizeError = false;
  const valid: ModFile[] = [];
  for (const f of files) {
    const p = f.name;
    if (p !== cleanPath(p)) { addError(p, false, 'file path is not clean'); continue; }
    if (p.startsWith('/')) { addError(p, false, 'file path is not relative'); continue; }
    if (isVendoredPackage(p, from124)) { addError(p, true, 'file is in vendor directory'); continue; }
    if (inSubmodule(p)) { addError(p, true, 'file is in another module'); continue; }
    if (p === '.hg_archival.txt') { addError(p, true, "file is inserted by 'hg archive' and is always omitted"); continue; }
    try {
      checkFilePath(f.raw);
    } catch (e) {
      addError(p, false, (e as Error).message);
      continue;
    }
    if (p.toLowerCase() === 'go.mod' && p !== 'go.mod') { addError(p, false, 'go.mod files must have lowercase names'); continue; }
    const collision = checkCollision(collisions, p, false);
    if (collision !== undefined) { addError(p, false, collision); continue; }
    if ((f.mode & S_IFMT) === S_IFLNK) { addError(p, true, 'file is a symbolic link'); continue; }
    if (!isRegular(f.mode)) { addError(p, true, 'not a regular file'); continue; }
    if (f.size <= maxSize) maxSize -= f.size;
    else sizeError = true;
    if (p === 'go.mod' && f.size > o.maxGoMod) { addError(p, false, `go.mod file too large (max size is ${o.maxGoMod} bytes)`); continue; }
    if (p === 'LICENSE' && f.size > MAX_LICENSE) { addError(p, false, `LICENSE file too large (max size is ${MAX_LICENSE} bytes)`); continue; }
    valid.push(f);
  }
  if (sizeError) throw new VcsError('EZIP', `create zip: module source tree too large (max size is ${MAX_ZIP_FILE} bytes)`);
  if (invalid.length > 0) throw new VcsError('EZIP', `create zip: ${invalid.join('\n')}`);
  return valid;
}

function isRegular(mode: number): boolean {
  return (mode & S_IFMT) === S_IFREG;
}

/** Go's path.Clean for the names of a zip (no `..` above the root matters here: such names fail). */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const e of p.split('/')) {
    if (e === '' || e === '.') continue;
    if (e === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(e);
  }
  const s = (p.startsWith('/') ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

/** x/mod zip isVendoredPackage. */
function isVendoredPackage(name: string, from124: boolean): boolean {
  if (from124 && name === 'vendor/modules.txt') return true;
  let i: number;
  if (name.startsWith('vendor/')) i = 'vendor/'.length;
  else {
    const j = name.indexOf('/vendor/');
    if (j < 0) return false;
    i = from124 ? j + '/vendor/'.length : '/vendor/'.length;
  }
  return name.slice(i).includes('/');
}

interface ArchiveEntry {
  raw: Buffer;
  mode: number;
  size: number;
  data: () => Buffer;
}

/** The entries of an in-memory zip (git archive's output), in central-directory order. */
function readZipDirectory(zip: Buffer): ArchiveEntry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new VcsError('EZIP', 'zip: not a valid zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let off = zip.readUInt32LE(eocd + 16);
  const out: ArchiveEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(off) !== 0x02014b50) throw new VcsError('EZIP', 'zip: not a valid zip file');
    const madeBy = zip.readUInt16LE(off + 4) >> 8;
    const method = zip.readUInt16LE(off + 10);
    const csize = zip.readUInt32LE(off + 20);
    const usize = zip.readUInt32LE(off + 24);
    const nameLen = zip.readUInt16LE(off + 28);
    const extraLen = zip.readUInt16LE(off + 30);
    const commentLen = zip.readUInt16LE(off + 32);
    const attrs = zip.readUInt32LE(off + 38);
    const local = zip.readUInt32LE(off + 42);
    const raw = zip.subarray(off + 46, off + 46 + nameLen);
    off += 46 + nameLen + extraLen + commentLen;
    // archive/zip's FileInfo().Mode(): Unix creators carry the mode in the high half.
    const isDir = raw[raw.length - 1] === 0x2f;
    const mode = madeBy === 3 ? attrs >>> 16 : isDir ? 0o040755 : S_IFREG | 0o644;
    const data = (): Buffer => {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const body = zip.subarray(start, start + csize);
      return method === 0 ? body : inflateRawSync(body);
    };
    out.push({ raw, mode, size: usize, data });
  }
  return out;
}

/**
 * Writes a deflated zip of the files, named `path@version/NAME`, laid out as Go's archive/zip Writer
 * lays out what x/mod's zip.Create gives it (Writer.Create: Deflate, no modification time): version 20,
 * a zero MS-DOS date and time, the UTF-8 flag where detectUTF8 requires it, and the CRC-32 and sizes
 * in a data descriptor after each entry's data (zeros in the local header). Only the deflate streams
 * differ from go's zip.
 * @see https://github.com/golang/go/blob/go1.26.8/src/archive/zip/writer.go (CreateHeader, writeDataDescriptor, Close)
 */
async function writeZip(o: ModuleZipOptions, files: ModFile[]): Promise<number> {
  await o.dest.truncate(0);
  const central: Buffer[] = [];
  let pos = 0;
  const write = async (b: Buffer) => {
    await o.dest.write(b, 0, b.length, pos);
    pos += b.length;
  };
  const prefix = Buffer.from(`${o.path}@${o.version}/`, 'utf8');
  for (const f of files) {
    const name = Buffer.concat([prefix, f.raw]);
    const data = f.data();
    const comp = deflateRawSync(data);
    const crc = crc32(data);
    const flags = 0x8 | (requiresUtf8Flag(name) ? 0x800 : 0);
    const lh = Buffer.alloc(30); // CRC-32 and sizes stay 0: they follow the data
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(flags, 6);
    lh.writeUInt16LE(8, 8);
    lh.writeUInt16LE(name.length, 26);
    const dd = Buffer.alloc(16);
    dd.writeUInt32LE(0x08074b50, 0);
    dd.writeUInt32LE(crc, 4);
    dd.writeUInt32LE(comp.length, 8);
    dd.writeUInt32LE(data.length, 12);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(flags, 8);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(comp.length, 20);
    ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(pos, 42);
    central.push(ch, name);
    await write(Buffer.concat([lh, name, comp, dd]));
  }
  const cdStart = pos;
  const cd = Buffer.concat(central);
  await write(cd);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(cdStart, 16);
  await write(end);
  return pos;
}

/**
 * archive/zip's detectUTF8 on a name: valid UTF-8 with a rune outside 0x20-0x7d or a backslash needs
 * the UTF-8 flag (0x7e and 0x5c are forbidden in the legacy encodings many readers assume).
 * @see https://github.com/golang/go/blob/go1.26.8/src/archive/zip/writer.go (detectUTF8)
 */
function requiresUtf8Flag(name: Buffer): boolean {
  const text = name.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(name)) return false; // not valid UTF-8
  for (const ch of text) {
    const r = ch.codePointAt(0)!;
    if (r < 0x20 || r > 0x7d || r === 0x5c) return true;
  }
  return false;
}
