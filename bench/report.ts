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
  /** Modules (zips) go downloaded: the size class of the targets. */
  modules: number;
  /** The local mirror's added latency (ms), or the real proxy's URL. */
  via: number | string;
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
const via = (v: number | string): string => (typeof v === 'number' ? `${v} ms` : v);

/** The comparison table: medians of go and gomod-dl side by side, and gomod-dl / go. */
export function comparisonTable(rows: readonly Row[]): string {
  const head = [
    '| workload | modules | latency | cache | go wall | gomod-dl wall | **wall ratio** | go CPU | gomod-dl CPU | CPU ratio | go peak RSS | gomod-dl peak RSS | RSS ratio | requests go / gomod-dl |',
    '|---|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const body = rows.map((r) =>
    [
      r.workload,
      String(r.modules),
      via(r.via),
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
      typeof r.via === 'number' ? `${r.go.requests} / ${r.ours.requests}` : '-',
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

/** Projects under this many modules are "small" (issue #16's size classes). */
export const SMALL_MODULES = 20;

/** One target of issue #16, checked against one row. */
export interface TargetResult {
  met: boolean;
  text: string;
}

/**
 * Issue #16's targets, each checked against the rows it applies to (medians, gomod-dl / go):
 * - small projects (under {@link SMALL_MODULES} modules), cold, at 0 ms or through the real proxy:
 *   wall at most 1.0 of go's, peak RSS at most 64 MiB;
 * - medium and large, cold: at 0 ms wall at most 0.67 and CPU at most 0.8 of go's; at 50 ms wall at
 *   most 0.2; peak RSS at most 150 MiB;
 * - every workload, warm cache: wall at most 1.5 of go's.
 */
export function checkTargets(rows: readonly Row[]): TargetResult[] {
  const out: TargetResult[] = [];
  const check = (r: Row, what: string, value: number, limit: number, unit: string): void => {
    const shown = unit === 'MiB' ? `${value.toFixed(0)} MiB` : `${value.toFixed(2)}${unit}`;
    const want = unit === 'MiB' ? `${limit} MiB` : `${limit.toFixed(2)}${unit}`;
    out.push({ met: value <= limit, text: `${r.workload} (${r.modules} modules), ${via(r.via)}, ${r.cache}: ${what} ${shown} (target at most ${want})` });
  };
  for (const r of rows) {
    const wall = r.ours.wallMs / r.go.wallMs;
    const small = r.modules < SMALL_MODULES;
    if (r.cache === 'warm') {
      check(r, 'wall', wall, 1.5, "x go's");
      continue;
    }
    const lowLatency = r.via === 0 || typeof r.via === 'string';
    if (small) {
      if (lowLatency) check(r, 'wall', wall, 1.0, "x go's");
      check(r, 'peak RSS', r.ours.rssKiB / 1024, 64, 'MiB');
      continue;
    }
    if (r.via === 0) {
      check(r, 'wall', wall, 0.67, "x go's");
      check(r, 'CPU', r.ours.cpuMs / r.go.cpuMs, 0.8, "x go's");
    } else if (r.via === 50) {
      check(r, 'wall', wall, 0.2, "x go's");
    }
    check(r, 'peak RSS', r.ours.rssKiB / 1024, 150, 'MiB');
  }
  return out;
}

/** The targets as a Markdown list: `- **met** …` / `- **missed** …`, and a count. */
export function targetList(results: readonly TargetResult[]): string {
  const met = results.filter((t) => t.met).length;
  return [`Targets (issue #16): ${met} of ${results.length} met.`, '', ...results.map((t) => `- ${t.met ? 'met' : '**missed**'}: ${t.text}`)].join('\n');
}
