/**
 * `compat download <dir> [--entries a,b] [--no-gosum] [--keep] [--goproxy URL] [--gosumdb V] [--jobs N]`:
 * download parity with go on real projects. Every subdirectory of `dir` holding a go.mod or go.work
 * (laid out like ../shared/corpus) is run through `go mod download` and `gomod-dl`, both without
 * arguments, against the machine's GOPROXY and GOSUMDB (or the ones given), and compared
 * (see ./downloadentry.ts). Prints one row per entry with the first difference; exit 1 on any
 * difference, 2 on usage errors.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pLimit from 'p-limit';
import { compareEntry, removeTree, type EntryHooks, type EntryOptions, type EntryResult } from './downloadentry.js';

export const summary = 'module cache parity with go mod download (no arguments) on every entry of a corpus directory';

const USAGE =
  'usage: compat download <dir> [--entries a,b] [--no-gosum] [--keep] [--goproxy URL] [--gosumdb VALUE] [--strict-offline] [--jobs 1|2]\n' +
  '  --entries a,b   only these entries (subdirectories of <dir>)\n' +
  '  --no-gosum      remove go.sum and go.work.sum from both copies first (sums come from GOSUMDB)\n' +
  '  --keep          keep the temporary directories and print where they are\n' +
  '  --goproxy URL   GOPROXY for both sides (default: $GOPROXY or `go env GOPROXY`)\n' +
  '  --gosumdb VALUE GOSUMDB for both sides (default: $GOSUMDB or `go env GOSUMDB`)\n' +
  '  --strict-offline  an offline check failing from go\'s own cache too is a difference (default: a note)\n' +
  '  --jobs N        entries compared at once, 1 or 2 (default 2; the network is shared)\n';

/** Parsed command line of `compat download`. */
export interface DownloadArgs {
  dir: string;
  entries?: string[];
  noGosum: boolean;
  keep: boolean;
  strictOffline: boolean;
  goproxy?: string;
  gosumdb?: string;
  jobs: number;
}

/** Where output goes (tests collect it). */
export interface DownloadIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

class UsageError extends Error {
  readonly code = 'EUSAGE';
}

/** Parses `compat download`'s arguments; throws a usage error (exit 2) for anything else. */
export function parseDownloadArgs(args: readonly string[]): DownloadArgs {
  const out: DownloadArgs = { dir: '', noGosum: false, keep: false, strictOffline: false, jobs: 2 };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`flag needs an argument: ${flag}`);
      return v;
    };
    switch (flag) {
      case '--entries':
        out.entries = value().split(',').filter((s) => s !== '');
        break;
      case '--no-gosum':
        out.noGosum = true;
        break;
      case '--keep':
        out.keep = true;
        break;
      case '--strict-offline':
        out.strictOffline = true;
        break;
      case '--goproxy':
        out.goproxy = value();
        break;
      case '--gosumdb':
        out.gosumdb = value();
        break;
      case '--jobs': {
        const v = value();
        if (v !== '1' && v !== '2') throw new UsageError(`--jobs must be 1 or 2, not ${JSON.stringify(v)}`);
        out.jobs = Number(v);
        break;
      }
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown flag ${a}`);
        positional.push(a);
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'missing <dir>' : `one <dir> only, got ${positional.length}`);
  out.dir = resolve(positional[0]!);
  return out;
}

/** The subdirectories of `dir` that hold a go.mod or go.work, sorted. */
export function listEntries(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && (existsSync(join(dir, e.name, 'go.mod')) || existsSync(join(dir, e.name, 'go.work'))))
    .map((e) => e.name)
    .sort();
}

/** `go env` of the machine (its own environment, no toolchain switch) for the named variables. */
async function machineGoEnv(names: readonly string[]): Promise<string[]> {
  const { stdout } = await promisify(execFile)('go', ['env', ...names], { env: { ...process.env, GOTOOLCHAIN: 'local' } });
  return stdout.split('\n').slice(0, names.length);
}

/** The result table: entry, zips, seconds of each side, notes, first difference. */
export function formatResults(results: readonly EntryResult[]): string {
  const rows = [
    ['ENTRY', 'MODULES (ZIPS)', 'GO S', 'GOMOD-DL S', 'NOTE', 'RESULT'],
    ...results.map((r) => [
      r.entry,
      String(r.zips),
      r.goSeconds.toFixed(1),
      r.oursSeconds.toFixed(1),
      r.notes.join('; ') || '-',
      r.diffs.length === 0 ? 'ok' : r.diffs[0]! + (r.diffs.length > 1 ? ` (+${r.diffs.length - 1} more)` : ''),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const right = new Set([1, 2, 3]);
  const lines = rows.map((row) =>
    row
      .map((cell, c) => (c === row.length - 1 ? cell : right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
  const bad = results.filter((r) => r.diffs.length > 0).length;
  lines.push('', `${results.length} entries, ${results.length - bad} ok, ${bad} different`);
  return lines.join('\n') + '\n';
}

/** Up to `max` differences of each entry that has any, for reading after the table. */
export function formatDetails(results: readonly EntryResult[], max = 10): string {
  let s = '';
  for (const r of results) {
    if (r.diffs.length === 0) continue;
    s += `\n${r.entry}:\n`;
    for (const d of r.diffs.slice(0, max)) s += `  ${d}\n`;
    if (r.diffs.length > max) s += `  … and ${r.diffs.length - max} more\n`;
  }
  return s;
}

const defaultIO: DownloadIO = { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) };

/**
 * `compat download`: compares every entry (two at a time at most) and prints the table. Exit 0 when
 * all entries agree, 1 on any difference, 2 on usage errors.
 * @see ../shared/reference/go-mod-download.md §7–§11 (what go does without arguments)
 */
export async function run(args: string[], io: DownloadIO = defaultIO, hooks: EntryHooks = {}): Promise<number> {
  let a: DownloadArgs;
  let entries: string[];
  if (args.includes('-h') || args.includes('--help')) {
    io.out(USAGE);
    return 0;
  }
  try {
    a = parseDownloadArgs(args);
    if (!existsSync(a.dir)) throw new UsageError(`no such directory: ${a.dir}`);
    const all = listEntries(a.dir);
    const unknown = (a.entries ?? []).filter((e) => !all.includes(e));
    if (unknown.length > 0) throw new UsageError(`not an entry of ${a.dir}: ${unknown.join(', ')}`);
    entries = a.entries ?? all;
    if (entries.length === 0) throw new UsageError(`no entries (subdirectories with go.mod or go.work) in ${a.dir}`);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`compat download: ${e.message}\n${USAGE}`);
    return 2;
  }
  const [goversion, goproxy, gosumdb] = await machineGoEnv(['GOVERSION', 'GOPROXY', 'GOSUMDB']);
  const opts: EntryOptions = {
    goproxy: a.goproxy ?? (process.env['GOPROXY'] || goproxy || 'https://proxy.golang.org,direct'),
    gosumdb: a.gosumdb ?? (process.env['GOSUMDB'] || gosumdb || 'sum.golang.org'),
    goVersion: (goversion ?? '').replace(/^go/, '').replace(/[ -].*$/, ''),
    gomodDl: fileURLToPath(new URL('../../../bin/gomod-dl.js', import.meta.url)),
    noGosum: a.noGosum,
    strictOffline: a.strictOffline,
    timeoutMs: 30 * 60_000,
  };
  io.err(`compat download: ${entries.length} entries, GOPROXY=${opts.goproxy} GOSUMDB=${opts.gosumdb} go ${opts.goVersion}${a.noGosum ? ', go.sum removed' : ''}\n`);
  const limit = pLimit(a.jobs);
  const results = await Promise.all(
    entries.map((entry) =>
      limit(async () => {
        const tmp = mkdtempSync(join(tmpdir(), `gomod-dl-download-${entry}-`));
        try {
          const r = await compareEntry(entry, join(a.dir, entry), tmp, opts, hooks);
          io.err(`  ${entry}: go ${r.goSeconds.toFixed(1)}s, gomod-dl ${r.oursSeconds.toFixed(1)}s, ${r.diffs.length === 0 ? 'ok' : `${r.diffs.length} differences`}\n`);
          return r;
        } finally {
          if (!a.keep) await removeTree(tmp);
        }
      }),
    ),
  );
  io.out(formatResults(results));
  io.out(formatDetails(results));
  if (a.keep) io.out(`\nkept:\n${results.map((r) => `  ${r.entry}: ${r.tmp}`).join('\n')}\n`);
  return results.every((r) => r.diffs.length === 0) ? 0 : 1;
}
