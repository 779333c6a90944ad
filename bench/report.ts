// Medians, the machine line and the Markdown tables the benchmark prints (ready for the README).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release } from 'node:os';
import type { Measured } from './measure.js';

/** The medians of one tool (or the floor) over the rounds of one configuration. */
export interface Summary {
  wallMs: number;
  cpuMs: number;
  rssKiB: number;
  requests: number;
  runs: number;
}

/** One row of the comparison table. */
export interface Row {
  workload: string;
  latencyMs: number;
  cache: 'cold' | 'warm';
  go: Summary;
  ours: Summary;
}

/** One row of the floor table. */
export interface FloorRow {
  workload: string;
  zips: number;
  files: number;
  bytes: number;
  floor: Summary;
  /** gomod-dl, cold cache, 0 ms. */
  ours: Summary | undefined;
}

/** One row of the concurrency sweep. */
export interface SweepRow {
  workload: string;
  latencyMs: number;
  jobs: number;
  ours: Summary;
}

/** The median (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Medians of each measure over a set of runs (each measure on its own). */
export function summarize(runs: readonly (Measured & { requests: number })[]): Summary {
  return {
    wallMs: median(runs.map((r) => r.wallMs)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    rssKiB: median(runs.map((r) => r.rssKiB)),
    requests: median(runs.map((r) => r.requests)),
    runs: runs.length,
  };
}

/** `CPU model, N cores, Linux x.y, node vX, go1.N` */
export function machineLine(): string {
  let model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) model = m[1]!.trim();
  } catch {
    // not Linux: os.cpus() is all there is
  }
  let go = 'go: not found';
  try {
    go = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } }).trim();
  } catch {
    // reported as not found
  }
  return `${model}, ${availableParallelism()} cores, ${process.platform} ${release()}, node ${process.version}, ${go}`;
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;
const ratio = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(2) : '-');

/** The comparison table: medians of go and gomod-dl side by side, and gomod-dl / go. */
export function comparisonTable(rows: readonly Row[]): string {
  const head = [
    '| workload | latency | cache | go wall | gomod-dl wall | **wall ratio** | go CPU | gomod-dl CPU | CPU ratio | go peak RSS | gomod-dl peak RSS | RSS ratio | requests go / gomod-dl |',
    '|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const body = rows.map((r) =>
    [
      r.workload,
      `${r.latencyMs} ms`,
      r.cache,
      secs(r.go.wallMs),
      secs(r.ours.wallMs),
      `**${ratio(r.ours.wallMs, r.go.wallMs)}**`,
      secs(r.go.cpuMs),
      secs(r.ours.cpuMs),
      ratio(r.ours.cpuMs, r.go.cpuMs),
      mib(r.go.rssKiB),
      mib(r.ours.rssKiB),
      ratio(r.ours.rssKiB, r.go.rssKiB),
      `${r.go.requests} / ${r.ours.requests}`,
    ].join(' | '),
  );
  return [...head, ...body.map((b) => `| ${b} |`)].join('\n');
}

/** The floor table: the minimum work on the same zips, and gomod-dl's cold 0 ms run against it. */
export function floorTable(rows: readonly FloorRow[]): string {
  const head = [
    '| workload | zips | files | unzipped | floor wall | floor CPU | floor peak RSS | gomod-dl wall (cold, 0 ms) | gomod-dl / floor |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const body = rows.map((r) =>
    [
      r.workload,
      String(r.zips),
      String(r.files),
      `${(r.bytes / 1048576).toFixed(0)} MiB`,
      secs(r.floor.wallMs),
      secs(r.floor.cpuMs),
      mib(r.floor.rssKiB),
      r.ours ? secs(r.ours.wallMs) : '-',
      r.ours ? ratio(r.ours.wallMs, r.floor.wallMs) : '-',
    ].join(' | '),
  );
  return [...head, ...body.map((b) => `| ${b} |`)].join('\n');
}

/** The concurrency sweep: gomod-dl alone, cold cache, for each -j. */
export function sweepTable(rows: readonly SweepRow[]): string {
  const head = ['| workload | latency | -j | wall | CPU | peak RSS |', '|---|--:|--:|--:|--:|--:|'];
  const body = rows.map((r) => [r.workload, `${r.latencyMs} ms`, String(r.jobs), secs(r.ours.wallMs), secs(r.ours.cpuMs), mib(r.ours.rssKiB)].join(' | '));
  return [...head, ...body.map((b) => `| ${b} |`)].join('\n');
}
