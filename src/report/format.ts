/**
 * The texts of the progress line and the summary, from a {@link Counts} snapshot. Plain strings: colour
 * is added by the caller, truncation by the status line.
 */
import type { Counts } from './tally.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `512 B`, `1.5 KiB`, `154 MiB`: binary units, three significant digits at most. */
export function formatBytes(n: number): string {
  let i = 0;
  let v = n;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  // What would print as 1024 of a unit is 1 of the next.
  if (v >= 1023.5 && i > 0 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  if (i === 0) return `${n} B`;
  return `${v >= 100 ? Math.round(v) : v >= 10 ? v.toFixed(1).replace(/\.0$/, '') : v.toFixed(2).replace(/\.?0+$/, '')} ${UNITS[i]}`;
}

/** `0.4 s`, `5.3 s`, `1 min 12 s`. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 59.95) return `${s.toFixed(1)} s`;
  const whole = Math.round(s); // rounded first: 119.6 s is 2 min 0 s, not 1 min 60 s
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The progress line: `downloading 57/169 modules, 12 from cache, 41.2 MiB at 8.31 MiB/s, 2 retries`,
 * or while the graph loads `loading the module graph: 123 go.mod files, 1.2 MiB at 800 KiB/s`.
 */
export function formatStatus(c: Counts, bytesPerSecond: number): string {
  const parts: string[] = [];
  const rate = bytesPerSecond >= 1 ? ` at ${formatBytes(Math.round(bytesPerSecond))}/s` : '';
  const bytes = `${formatBytes(c.received)}${rate}`;
  if (c.phase === 'download') {
    parts.push(`downloading ${c.done}/${plural(c.total, 'module')}`);
    if (c.cached > 0) parts.push(`${c.cached} from cache`);
  } else {
    parts.push(`loading the module graph: ${plural(c.goMods, 'go.mod file')}`);
  }
  parts.push(bytes);
  if (c.retries > 0) parts.push(plural(c.retries, 'retry', 'retries'));
  if (c.failed > 0) parts.push(`${c.failed} failed`);
  return parts.join(', ');
}

/**
 * The summary after a run (without the `gomod-dl: ` prefix):
 * `169 modules (12 from cache, 157 downloaded, 154 MiB fetched, 643 MiB unpacked) in 5.3 s; 3 retries`.
 * "downloaded" counts the modules finished without error that were not complete in the cache.
 */
export function formatSummary(c: Counts, elapsedMs: number): string {
  const downloaded = c.done - c.failed - c.cached;
  const detail = [
    `${c.cached} from cache`,
    `${downloaded} downloaded`,
    ...(c.failed > 0 ? [`${c.failed} failed`] : []),
    // A fatal error (a checksum mismatch) ends the run with modules not yet downloaded.
    ...(c.done < c.total ? [`${c.total - c.done} not downloaded`] : []),
    `${formatBytes(c.received)} fetched`,
    `${formatBytes(c.unpacked)} unpacked`,
  ];
  const tail = c.retries > 0 ? `; ${plural(c.retries, 'retry', 'retries')}` : '';
  return `${plural(c.total, 'module')} (${detail.join(', ')}) in ${formatDuration(elapsedMs)}${tail}`;
}
