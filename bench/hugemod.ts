// Peak RSS against module size (issue #16: "flat in module size"): gin's cold download, alone and
// with one synthetic module of about 200 MB added to its requirements, for go and gomod-dl, each in
// its own process under GNU time, from a local mirror at 0 ms. The module holds many incompressible
// files (300 of 256 KiB and 50 of 600 KiB, deflated: streamed entries), 2000 small ones and two of
// 45 MiB stored; its zip is 212 MB. Speed and memory are measured, never asserted.
//
//   npm run build && node dist/bench/hugemod.js [--rounds N]
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { ZipFile } from 'yazl';
import { hashGoMod, hashZip } from '../src/verify/dirhash.js';
import { startMirrorServer } from './mirror-server.js';
import { ensureMirror, type CorpusEntry } from './mirror.js';
import { freshRun, runTool, type Tool } from './workload.js';

const PATH = 'example.com/huge';
const VERSION = 'v1.0.0';

/** Deterministic incompressible bytes (xorshift32). */
function noise(state: { x: number }, n: number): Buffer {
  const words = new Uint32Array(Math.ceil(n / 4));
  let x = state.x;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  state.x = x;
  return Buffer.from(words.buffer, 0, n);
}

/** Writes the huge module into the proxy tree `proxyDir`; returns its go.sum lines. */
async function writeHugeModule(proxyDir: string): Promise<string> {
  const prefix = `${PATH}@${VERSION}/`;
  const goMod = `module ${PATH}\n\ngo 1.21\n`;
  const zf = new ZipFile();
  const o = { mtime: new Date(Date.UTC(2023, 0, 1)), forceDosTimestamp: true, mode: 0o100644 };
  const state = { x: 0x12345678 };
  zf.addBuffer(Buffer.from(goMod), `${prefix}go.mod`, o);
  zf.addBuffer(Buffer.from('package huge\n'), `${prefix}huge.go`, o);
  for (let i = 0; i < 300; i++) zf.addBuffer(noise(state, 256 << 10), `${prefix}data/a/f${i}.bin`, o);
  for (let i = 0; i < 50; i++) zf.addBuffer(noise(state, 600 << 10), `${prefix}data/b/f${i}.bin`, o);
  for (let i = 0; i < 2000; i++) zf.addBuffer(noise(state, 4 << 10), `${prefix}data/c/f${i}.bin`, o);
  for (let i = 0; i < 2; i++) zf.addBuffer(noise(state, 45 << 20), `${prefix}data/big${i}.bin`, { ...o, compress: false });
  zf.end();
  const dir = join(proxyDir, PATH, '@v');
  await mkdir(dir, { recursive: true });
  const zip = join(dir, `${VERSION}.zip`);
  await pipeline(zf.outputStream as NodeJS.ReadableStream, createWriteStream(zip));
  await writeFile(join(dir, `${VERSION}.mod`), goMod);
  await writeFile(join(dir, `${VERSION}.info`), JSON.stringify({ Version: VERSION, Time: '2023-01-01T00:00:00Z' }));
  await writeFile(join(dir, 'list'), `${VERSION}\n`);
  return `${PATH} ${VERSION} ${await hashZip(zip)}\n${PATH} ${VERSION}/go.mod ${hashGoMod(goMod)}\n`;
}

const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
  const rounds = Number(values.rounds);
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  const gin = await ensureMirror('gin', log);
  const tmp = await mkdtemp(join(tmpdir(), 'gomod-dl-bench-huge-'));
  try {
    const proxyDir = join(tmp, 'proxy');
    await cp(gin.proxyDir, proxyDir, { recursive: true });
    log('writing the 200 MB module ...');
    const sums = await writeHugeModule(proxyDir);
    const hugeEntry: CorpusEntry = { entry: 'gin', entryDir: join(tmp, 'entry', 'gin') };
    await cp(gin.entryDir, hugeEntry.entryDir, { recursive: true });
    await appendFile(join(hugeEntry.entryDir, 'go.mod'), `\nrequire ${PATH} ${VERSION}\n`);
    await writeFile(join(hugeEntry.entryDir, 'go.sum'), (await readFile(join(gin.entryDir, 'go.sum'), 'utf8')) + sums);
    const server = await startMirrorServer(proxyDir, 0);
    const rows: string[] = [];
    try {
      for (const [name, entry] of [['gin', gin], ['gin + 200 MB module', hugeEntry]] as const) {
        for (const tool of ['go', 'gomod-dl'] as Tool[]) {
          const rss: number[] = [];
          const cpu: number[] = [];
          for (let r = 0; r < rounds; r++) {
            const dirs = await freshRun(server.url);
            try {
              const m = await runTool(tool, entry, dirs);
              rss.push(m.rssKiB);
              cpu.push(m.cpuMs);
              log(`${name} ${tool}: ${mib(m.rssKiB)}, CPU ${(m.cpuMs / 1000).toFixed(2)} s`);
            } finally {
              await rm(dirs.root, { recursive: true, force: true });
            }
          }
          const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
          rows.push(`| ${name} | ${tool} | ${mib(median(rss))} | ${rss.map(mib).join(', ')} | ${(median(cpu) / 1000).toFixed(2)} s |`);
        }
      }
    } finally {
      await server.close();
    }
    process.stdout.write(`| workload | tool | peak RSS (median) | each round | CPU (median) |\n|---|---|--:|---|--:|\n${rows.join('\n')}\n`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
