// gomod-dl against `go mod download`, side by side, on real workloads served from a local mirror.
//
//   npm run bench -- [--workloads cobra,logrus,x-mod,gin,caddy,rclone] [--latency 0,50] [--rounds 5]
//                    [--quick] [--concurrency-sweep] [--real-proxy]
//
// Per workload: the mirror (built once with the real go and the real proxy, see mirror.ts) is served on
// 127.0.0.1 with a fixed delay per request; go and gomod-dl then run alternately, each round a cold run
// (fresh GOMODCACHE) followed by a warm run (same cache, everything present). Wall time comes from this
// process's clock, CPU time and peak RSS from GNU time (/usr/bin/time). The first round also checks
// that both caches hold the same files. Tables go to stdout, progress to stderr, with each of issue
// #16's targets marked met or missed. Nothing here asserts a speed: the run fails only when a tool
// fails or the two caches differ. --real-proxy runs the same rounds against the real module proxy
// ($GOPROXY or proxy.golang.org) instead of the mirror: it needs the network, and is never a test.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runMeasured, type Measured } from './measure.js';
import { corpusEntry, ensureMirror, UPSTREAM, type CorpusEntry, type Mirror } from './mirror.js';
import { startMirrorServer, type MirrorServer } from './mirror-server.js';
import { checkTargets, comparisonTable, floorTable, machineLine, summarize, sweepTable, targetList, type FloorRow, type Row, type SweepRow } from './report.js';
import { cacheFiles, freshRun, removeRun, runTool, setDifference, zipCount, type RunDirs, type Tool } from './workload.js';
import type { FloorTotals } from './floor.js';

/** Size classes of issue #6, by corpus entry. */
const ALIASES: Record<string, string> = { small: 'gin', medium: 'caddy', large: 'rclone' };
/** Small projects (under 20 modules: most CI runs), then issue #6's small, medium and large. */
const DEFAULT_WORKLOADS = ['cobra', 'logrus', 'x-mod', 'gin', 'caddy', 'rclone'];
/** The quick mode's workload: three modules, seconds even on a slow machine. */
const QUICK_WORKLOAD = 'logrus';
const SWEEP_JOBS = [2, 4, 8, 16, 32];
const SWEEP_LATENCY_MS = 50;
const FLOOR_JS = fileURLToPath(new URL('./floor.js', import.meta.url));

interface Options {
  workloads: string[];
  latencies: number[];
  rounds: number;
  sweep: boolean;
  /** Run against the real module proxy instead of the local mirror (network; no latencies, no floor). */
  realProxy: boolean;
}

type Sample = Measured & { requests: number };

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      workloads: { type: 'string' },
      latency: { type: 'string' },
      rounds: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'concurrency-sweep': { type: 'boolean', default: false },
      'real-proxy': { type: 'boolean', default: false },
    },
  });
  const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter(Boolean);
  const numbers = (s: string, what: string): number[] =>
    list(s).map((x) => {
      const n = Number(x);
      if (!Number.isInteger(n) || n < 0) throw new Error(`bench: bad ${what}: ${x}`);
      return n;
    });
  const rounds = values.rounds !== undefined ? numbers(values.rounds, '--rounds')[0]! : values.quick ? 1 : 5;
  if (rounds < 1) throw new Error('bench: --rounds must be at least 1');
  return {
    workloads: (values.workloads !== undefined ? list(values.workloads) : values.quick ? [QUICK_WORKLOAD] : DEFAULT_WORKLOADS).map((w) => ALIASES[w] ?? w),
    latencies: values.latency !== undefined ? numbers(values.latency, '--latency') : [0, 50],
    rounds,
    sweep: values['concurrency-sweep'],
    realProxy: values['real-proxy'],
  };
}

const log = (s: string): void => void process.stderr.write(s + '\n');

function describe(tool: string, kind: string, r: Sample): string {
  return `  ${tool.padEnd(8)} ${kind.padEnd(4)} wall ${(r.wallMs / 1000).toFixed(2)} s  cpu ${(r.cpuMs / 1000).toFixed(2)} s  rss ${(r.rssKiB / 1024).toFixed(0)} MiB  ${r.requests} requests`;
}

/** Where one configuration's runs fetch from: the local mirror at a latency, or the real proxy. */
interface Endpoint {
  url: string;
  /** The mirror's added latency (ms), or the real proxy's URL. */
  via: number | string;
  /** The mirror server (it counts requests); none for the real proxy. */
  server?: MirrorServer;
}

/** Runs `fn` with the server's request counter reset, and attaches the count to the measurement. */
async function counted(server: MirrorServer | undefined, fn: () => Promise<Measured>): Promise<Sample> {
  server?.resetCount();
  const r = await fn();
  return { ...r, requests: server?.requests ?? 0 };
}

/** Fails the benchmark when gomod-dl's cache does not hold exactly go's files. */
async function compareCaches(workload: string, what: string, goCache: string, ourCache: string): Promise<void> {
  const diff = setDifference(await cacheFiles(goCache), await cacheFiles(ourCache));
  if (diff.length > 0) throw new Error(`${workload}, ${what}: gomod-dl's cache differs from go's:\n${diff.join('\n')}`);
}

/** Rounds of go and gomod-dl, alternating which goes first, each a cold then a warm run. */
async function compareTools(entry: CorpusEntry, at: Endpoint, rounds: number, rows: Row[]): Promise<void> {
  const samples = new Map<string, Sample[]>();
  const add = (key: string, s: Sample): void => void samples.set(key, [...(samples.get(key) ?? []), s]);
  let modules = 0;
  for (let round = 1; round <= rounds; round++) {
    log(`${entry.entry}, ${typeof at.via === 'number' ? `${at.via} ms` : at.via}, round ${round}/${rounds}`);
    const order: Tool[] = round % 2 ? ['go', 'gomod-dl'] : ['gomod-dl', 'go'];
    const kept = new Map<Tool, RunDirs>();
    try {
      for (const tool of order) {
        const dirs = await freshRun(at.url, at.server === undefined);
        kept.set(tool, dirs);
        const cold = await counted(at.server, () => runTool(tool, entry, dirs));
        log(describe(tool, 'cold', cold));
        add(`${tool} cold`, cold);
        // Round 1 runs go first: its cache is there to count and compare with.
        if (round === 1 && tool === 'go') modules = zipCount(await cacheFiles(dirs.gomodcache));
        if (round === 1 && tool === 'gomod-dl') await compareCaches(entry.entry, 'after the cold run', kept.get('go')!.gomodcache, dirs.gomodcache);
        const warm = await counted(at.server, () => runTool(tool, entry, dirs));
        log(describe(tool, 'warm', warm));
        add(`${tool} warm`, warm);
        // Keep round 1's caches for the comparison; later rounds free the disk at once.
        if (round > 1) await removeRun(dirs);
      }
      if (round === 1) await compareCaches(entry.entry, 'after cold and warm runs', kept.get('go')!.gomodcache, kept.get('gomod-dl')!.gomodcache);
    } finally {
      for (const dirs of kept.values()) await removeRun(dirs);
    }
  }
  for (const cache of ['cold', 'warm'] as const) {
    rows.push({ workload: entry.entry, modules, via: at.via, cache, go: summarize(samples.get(`go ${cache}`)!), ours: summarize(samples.get(`gomod-dl ${cache}`)!) });
  }
}

/** The floor, as its own process on the mirror's zips, `rounds` times. */
async function measureFloor(mirror: Mirror, rounds: number): Promise<{ totals: FloorTotals; runs: Sample[] }> {
  const runs: Sample[] = [];
  let totals: FloorTotals = { zips: 0, files: 0, bytes: 0 };
  for (let i = 0; i < rounds; i++) {
    const dirs = await freshRun('off');
    try {
      const out = join(dirs.root, 'floor');
      const r = await runMeasured(process.execPath, [FLOOR_JS, mirror.proxyDir, out], { cwd: dirs.root, env: dirs.env });
      if (r.code !== 0) throw new Error(`floor exited ${r.code}:\n${r.stderr}`);
      totals = JSON.parse(r.stdout) as FloorTotals;
      runs.push({ ...r, requests: 0 });
      log(describe('floor', '', runs.at(-1)!));
    } finally {
      await removeRun(dirs);
    }
  }
  return { totals, runs };
}

/** gomod-dl alone, cold cache, at each -j of {@link SWEEP_JOBS}. */
async function sweep(mirror: Mirror, server: MirrorServer, rounds: number, rows: SweepRow[]): Promise<void> {
  server.latencyMs = SWEEP_LATENCY_MS;
  for (const jobs of SWEEP_JOBS) {
    const runs: Sample[] = [];
    for (let i = 0; i < rounds; i++) {
      const dirs = await freshRun(server.url);
      try {
        runs.push(await counted(server, () => runTool('gomod-dl', mirror, dirs, ['-j', String(jobs)])));
        log(describe(`-j ${jobs}`, 'cold', runs.at(-1)!));
      } finally {
        await removeRun(dirs);
      }
    }
    rows.push({ workload: mirror.entry, latencyMs: SWEEP_LATENCY_MS, jobs, ours: summarize(runs) });
  }
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const machine = machineLine();
  const loadBefore = loadavg();
  log(`machine: ${machine}`);
  const rows: Row[] = [];
  const floors: FloorRow[] = [];
  const sweeps: SweepRow[] = [];
  for (const workload of opts.workloads) {
    if (opts.realProxy) {
      await compareTools(await corpusEntry(workload), { url: UPSTREAM, via: UPSTREAM }, opts.rounds, rows);
      continue;
    }
    const mirror = await ensureMirror(workload, log);
    const server = await startMirrorServer(mirror.proxyDir);
    try {
      for (const latencyMs of opts.latencies) {
        server.latencyMs = latencyMs;
        await compareTools(mirror, { url: server.url, via: latencyMs, server }, opts.rounds, rows);
      }
      const floor = await measureFloor(mirror, opts.rounds);
      const ours = rows.find((r) => r.workload === workload && r.via === 0 && r.cache === 'cold')?.ours;
      floors.push({ workload, ...floor.totals, floor: summarize(floor.runs), ours });
      if (opts.sweep) await sweep(mirror, server, opts.rounds, sweeps);
    } finally {
      await server.close();
    }
  }
  const load = (l: number[]): string => l.map((x) => x.toFixed(1)).join(' ');
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  const out = [
    `Machine: ${machine}`,
    `Load average (1, 5, 15 min) before: ${load(loadBefore)}, after: ${load(loadavg())} (other work on the machine adds noise)`,
    `Command: \`${command}\` (medians of ${opts.rounds} round${opts.rounds > 1 ? 's' : ''}; ratios are gomod-dl / go, lower is better)`,
    '',
    comparisonTable(rows),
    '',
    targetList(checkTargets(rows)),
  ];
  if (floors.length > 0) {
    out.push('', 'Floor: the same zips read once, inflated once, hashed and written, in-process on all cores (bench/floor.ts).', '', floorTable(floors));
  }
  if (sweeps.length > 0) out.push('', `Concurrency sweep: gomod-dl -j N, cold cache, ${SWEEP_LATENCY_MS} ms per request.`, '', sweepTable(sweeps));
  process.stdout.write(out.join('\n') + '\n');
}

await main().catch((err: unknown) => {
  log(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
