// Throughput of extractZip on a large synthetic module zip, against go mod download of the same zip
// from a file:// proxy (which copies the zip, hashes it and unzips it: two inflations).
//
//   npx tsc -p . && node dist/bench/verify-extract.js [files=6000] [bigMiB=24]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ZipFile } from 'yazl';
import { extractZip } from '../src/verify/extract.js';
import { hashZip } from '../src/verify/dirhash.js';

const PATH = 'example.com/bench/big';
const VERSION = 'v1.0.0';

/** Source-like text with some variety, so that deflate compresses it about as much as real Go code. */
function sourceText(seed: number, size: number): Buffer {
  const words = ['func', 'return', 'err', 'nil', 'if', 'for', 'range', 'struct', 'type', 'string', 'int', 'ctx', 'value', 'map', ':=', '{', '}', '(', ')'];
  let x = seed | 1;
  const parts: string[] = [];
  let n = 0;
  while (n < size) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const w = (x >>> 0) % 7 === 0 ? `id${(x >>> 8) % 5000}` : words[(x >>> 0) % words.length]!;
    parts.push(w);
    n += w.length + 1;
    if ((x >>> 3) % 9 === 0) {
      parts.push('\n\t');
      n += 2;
    }
  }
  return Buffer.from(parts.join(' ').slice(0, size));
}

/** Writes the benchmark's module zip: `files` source files and one file of `bigMiB` MiB. */
export async function buildZip(file: string, files: number, bigMiB: number): Promise<void> {
  const zf = new ZipFile();
  const prefix = `${PATH}@${VERSION}/`;
  const o = { mtime: new Date(2020, 0, 1), forceDosTimestamp: true };
  zf.addBuffer(Buffer.from(`module ${PATH}\n`), prefix + 'go.mod', o);
  for (let i = 0; i < files; i++) {
    zf.addBuffer(sourceText(i + 1, 2000 + ((i * 7919) % 12000)), `${prefix}pkg${i % 97}/sub${i % 13}/f${i}.go`, o);
  }
  zf.addBuffer(sourceText(424242, bigMiB << 20), prefix + 'testdata/big.txt', o);
  zf.end();
  const chunks: Buffer[] = [];
  for await (const c of zf.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  await writeFile(file, Buffer.concat(chunks));
}

async function time<T>(label: string, bytes: number, fn: () => Promise<T>): Promise<T> {
  const t0 = process.hrtime.bigint();
  const r = await fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${((bytes / 1048576) / (ms / 1000)).toFixed(0).padStart(5)} MiB/s (uncompressed)`);
  return r;
}

async function main(): Promise<void> {
  const files = Number(process.argv[2] ?? 6000);
  const bigMiB = Number(process.argv[3] ?? 24);
  const root = mkdtempSync(join(tmpdir(), 'gomod-dl-bench-'));
  try {
    const zipFile = join(root, 'm.zip');
    await buildZip(zipFile, files, bigMiB);
    const zipSize = (await stat(zipFile)).size;
    const probe = await extractZip({ zipFile, path: PATH, version: VERSION, targetDir: join(root, 'probe') });
    rmSync(join(root, 'probe'), { recursive: true, force: true });
    console.log(`zip ${(zipSize / 1048576).toFixed(1)} MiB, ${probe.files} files, ${(probe.bytes / 1048576).toFixed(1)} MiB uncompressed, rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);

    await time('hashZip (hash only)', probe.bytes, () => hashZip(zipFile));
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    for (const c of [1, 4, 8, 16, 32]) {
      const targetDir = join(root, `x${c}`);
      await time(`extractZip concurrency ${c}`, probe.bytes, () => extractZip({ zipFile, path: PATH, version: VERSION, targetDir, concurrency: c }));
      rmSync(targetDir, { recursive: true, force: true });
    }
    clearInterval(timer);
    console.log(`peak rss during extraction: ${(peak / 1048576).toFixed(0)} MiB`);

    // go: the same zip from a file:// proxy into a fresh cache.
    const proxy = join(root, 'proxy', ...PATH.split('/'), '@v');
    await mkdir(proxy, { recursive: true });
    await writeFile(join(proxy, 'list'), `${VERSION}\n`);
    await writeFile(join(proxy, `${VERSION}.info`), `{"Version":"${VERSION}","Time":"2020-01-01T00:00:00Z"}`);
    await writeFile(join(proxy, `${VERSION}.mod`), `module ${PATH}\n`);
    execFileSync('cp', [zipFile, join(proxy, `${VERSION}.zip`)]);
    const env = {
      PATH: process.env['PATH'] ?? '',
      HOME: join(root, 'home'),
      GOPATH: join(root, 'gopath'),
      GOMODCACHE: join(root, 'gomodcache'),
      GOCACHE: join(root, 'gocache'),
      GOTOOLCHAIN: 'local',
      GOFLAGS: '-modcacherw',
      GOSUMDB: 'off',
      GOENV: 'off',
      GOPROXY: pathToFileURL(join(root, 'proxy')).href,
    };
    await time('go mod download (file:// proxy)', probe.bytes, async () => {
      execFileSync('go', ['mod', 'download', `${PATH}@${VERSION}`], { env, cwd: root, stdio: 'inherit' });
    });
  } finally {
    execFileSync('chmod', ['-R', 'u+w', root]);
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
