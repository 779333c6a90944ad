// The floor: the least work that turns a workload's zips into a module cache, on this machine. Each zip
// is read once, copied to cache/download, every entry inflated once (node:zlib), hashed (SHA-256 per
// file, then the h1: summary, src/verify/dirhash.ts), and written out. No network, no go.mod, no
// checks, no temp-and-rename: everything gomod-dl does beyond this is overhead to be explained.
//
// One worker thread per core, all synchronous: the simplest way to keep every core busy with the work
// itself. Run as its own process (so it is measured like the two tools, Node startup included):
//
//   node dist/bench/floor.js <proxy dir> <out dir>     prints {"zips":…,"files":…,"bytes":…}
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { hash1, type HashedFile } from '../src/verify/dirhash.js';

/** What the floor did. */
export interface FloorTotals {
  zips: number;
  files: number;
  /** Uncompressed bytes written. */
  bytes: number;
}

interface Job {
  proxyDir: string;
  outDir: string;
  zips: string[];
  next: SharedArrayBuffer;
}

/** Every `.zip` under a proxy tree, outside the checksum database's cache. */
export function listZips(proxyDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!(dir === proxyDir && e.name === 'sumdb')) walk(p);
      } else if (e.name.endsWith('.zip')) out.push(p);
    }
  };
  walk(proxyDir);
  return out.sort();
}

/** The end-of-central-directory record: found by scanning back over a possible archive comment. */
function findEnd(buf: Buffer): number {
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) return i;
  }
  throw new Error('floor: no end of central directory');
}

/**
 * Extracts one zip into `outDir` (its entries' names are `path@version/…`) and writes its h1: hash
 * next to the copy, as `.ziphash`.
 * @see https://github.com/golang/go/blob/go1.26.8/src/archive/zip/struct.go (record layouts)
 */
function floorZip(zipFile: string, proxyDir: string, outDir: string, made: Set<string>): FloorTotals {
  const buf = readFileSync(zipFile);
  const copy = join(outDir, 'cache', 'download', relative(proxyDir, zipFile));
  mkdirSync(dirname(copy), { recursive: true });
  writeFileSync(copy, buf);

  const end = findEnd(buf);
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  if (count === 0xffff || p === 0xffffffff) throw new Error(`floor: zip64 not handled: ${zipFile}`);
  const hashed: HashedFile[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`floor: bad central directory in ${zipFile}`);
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen);
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    if (name[name.length - 1] === 0x2f) continue; // a directory entry
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + compressed);
    const data = method === 0 ? raw : inflateRawSync(raw);
    hashed.push({ name, sha256: createHash('sha256').update(data).digest() });
    const target = join(outDir, name.toString('utf8'));
    const parent = dirname(target);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(target, data);
    bytes += data.length;
  }
  writeFileSync(copy.slice(0, -'.zip'.length) + '.ziphash', hash1(hashed));
  return { zips: 1, files: hashed.length, bytes };
}

/** Worker: takes zips off the shared counter until none are left. */
function work(job: Job): FloorTotals {
  const next = new Int32Array(job.next);
  const made = new Set<string>();
  const totals: FloorTotals = { zips: 0, files: 0, bytes: 0 };
  for (let i = Atomics.add(next, 0, 1); i < job.zips.length; i = Atomics.add(next, 0, 1)) {
    const t = floorZip(job.zips[i]!, job.proxyDir, job.outDir, made);
    totals.zips += t.zips;
    totals.files += t.files;
    totals.bytes += t.bytes;
  }
  return totals;
}

/** Runs the floor over every zip of `proxyDir` with one worker per core. */
export async function runFloor(proxyDir: string, outDir: string): Promise<FloorTotals> {
  const job: Job = { proxyDir, outDir, zips: listZips(proxyDir), next: new SharedArrayBuffer(4) };
  const threads = Math.min(availableParallelism(), Math.max(1, job.zips.length));
  const results = await Promise.all(
    Array.from({ length: threads }, () => {
      const w = new Worker(fileURLToPath(import.meta.url), { workerData: job });
      return new Promise<FloorTotals>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      });
    }),
  );
  return results.reduce((a, b) => ({ zips: a.zips + b.zips, files: a.files + b.files, bytes: a.bytes + b.bytes }));
}

if (!isMainThread) parentPort!.postMessage(work(workerData as Job));
else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [proxyDir, outDir] = process.argv.slice(2);
  if (!proxyDir || !outDir) throw new Error('usage: node dist/bench/floor.js <proxy dir> <out dir>');
  process.stdout.write(JSON.stringify(await runFloor(proxyDir, outDir)) + '\n');
}
