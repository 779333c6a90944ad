/**
 * gomod-dl's explanations under go's error texts, for a person reading a terminal or a CI log: go's text
 * stays as it is, notes follow it. Shown only where gomod-dl may add to go's output (a terminal, or
 * `--summary`); elsewhere stderr stays byte-identical to go's.
 *
 * - A checksum mismatch names both sides: the go.sum line (file and line number) or the checksum
 *   database that vouches for one hash, and the proxy URL that served the bytes with the other (or the
 *   module cache, when nothing was fetched), then what to do.
 * - A GOPROXY walk that stopped after an error although more entries follow (`,` falls back on 404 and
 *   410 only) says so, and how `|` would change it.
 * - Pointers to `go help …`, which a machine without Go cannot run, point to the go.dev reference or
 *   gomod-dl's own help instead.
 *
 * @see https://go.dev/ref/mod#authenticating
 * @see https://go.dev/ref/mod#goproxy-protocol
 */
import { readFileSync } from 'node:fs';
import { escapePath, escapeVersion } from '../module/index.js';
import type { ProgressEvent } from './events.js';

/** Where go's `see 'go help TOPIC'` pointers lead instead. */
const HELP_POINTERS: ReadonlyArray<readonly [string, string]> = [
  ["'go help module-auth'", 'https://go.dev/ref/mod#authenticating'],
  ["'go help modules'", 'https://go.dev/ref/mod'],
  ["'go help work'", 'https://go.dev/ref/mod#workspaces'],
  ["'go help gopath'", 'https://go.dev/wiki/GOPATH'],
  ["'go help mod download'", "'gomod-dl --help'"],
];

const NOTE = 'gomod-dl: note: ';

/**
 * A checksum mismatch in go's words: against go.sum `verifying P@V[/go.mod]: checksum mismatch`
 * (fetch.go checkModSum), against the database `P@V: verifying module|go.mod: checksum mismatch`
 * (checkSumDB); then the downloaded hash and the other side's label and hash.
 */
const SUM_MISMATCH = /verifying (\S+?)@(\S+?)(\/go\.mod)?: checksum mismatch\n\tdownloaded: (\S+)\n\t(.+?):\s+(\S+)\n/;
const DB_MISMATCH = /(\S+?)@(\S+?): verifying (module|go\.mod): checksum mismatch\n\tdownloaded: (\S+)\n\t(.+?):\s+(\S+)\n/;

/** The parts of a checksum mismatch message, if `text` holds one. */
function parseMismatch(text: string): { path: string; version: string; goMod: string; downloaded: string; label: string; recorded: string } | undefined {
  const a = SUM_MISMATCH.exec(text);
  if (a !== null) return { path: a[1]!, version: a[2]!, goMod: a[3] ?? '', downloaded: a[4]!, label: a[5]!, recorded: a[6]! };
  const b = DB_MISMATCH.exec(text);
  if (b !== null) return { path: b[1]!, version: b[2]!, goMod: b[3] === 'go.mod' ? '/go.mod' : '', downloaded: b[4]!, label: b[5]!, recorded: b[6]! };
  return undefined;
}

/** Collects what the explanations need from the run's events, and explains error texts. */
export class Explainer {
  /** URLs that answered 200, in order (the last one for a file served it). */
  readonly #served: string[] = [];
  #sumFiles: readonly string[] = [];
  readonly #noFallback = new Map<string, { from: string; to: string }>();
  readonly #explained = new Set<string>();

  /** Accounts for one event. */
  add(e: ProgressEvent): void {
    if (e.kind === 'got' && e.status.startsWith('200') && /\.(zip|mod)$/.test(e.url)) this.#served.push(e.url);
    else if (e.kind === 'sum-files') this.#sumFiles = e.files;
    else if (e.kind === 'no-fallback') this.#noFallback.set(`${e.from} ${e.to}`, { from: e.from, to: e.to });
  }

  /** `text` (one message as the run wrote it) with go.dev pointers and gomod-dl's notes. */
  explain(text: string): string {
    let out = text;
    for (const [from, to] of HELP_POINTERS) out = out.replaceAll(from, to);
    const notes = [...this.#mismatchNotes(text), ...this.#fallbackNotes(text)];
    if (notes.length === 0) return out;
    if (!out.endsWith('\n')) out += '\n';
    // A note's first line carries the prefix; its continuation lines are indented.
    return out + notes.map((n) => (n.startsWith(' ') ? n : NOTE + n) + '\n').join('');
  }

  #mismatchNotes(text: string): string[] {
    const m = parseMismatch(text);
    if (m === undefined) return [];
    const { path, version, goMod, downloaded, label, recorded } = m;
    const file = goMod === '' ? 'zip' : 'mod';
    const suffix = `/${escapePath(path)}/@v/${escapeVersion(version)}.${file}`;
    const url = this.#served.findLast((u) => u.endsWith(suffix));
    const source = url !== undefined ? `the bytes served by ${url}` : 'the copy in the module cache (nothing was fetched)';
    const key = `${path} ${version}${goMod}`;
    const sumFile = this.#sumFileFor(label);
    if (sumFile !== undefined) {
      const line = findLine(sumFile, `${key} ${recorded}`);
      const where = line !== undefined ? `line ${line} of ${sumFile}` : sumFile;
      return [
        `${where} records ${recorded} for ${key},`,
        `  but ${source} hash to ${downloaded}.`,
        'Do not delete the go.sum line to make this pass. If go.sum was edited or merged by hand,',
        '  restore it from version control; otherwise the bytes changed since go.sum was written:',
        '  compare with another proxy (GOPROXY=https://proxy.golang.org) before trusting either.',
      ];
    }
    return [
      `the checksum database ${label} vouches for ${recorded} for ${key},`,
      `  but ${source} hash to ${downloaded}.`,
      'The proxy (or something between it and you) serves bytes that differ from what everyone else',
      '  sees: do not use them; try another GOPROXY and tell the proxy\'s operator.',
    ];
  }

  /** The sum file a mismatch label names (`go.sum`, `go.work.sum` or a workspace module's path), if any. */
  #sumFileFor(label: string): string | undefined {
    if (label === 'go.sum' || label === 'go.work.sum') return this.#sumFiles[0] ?? label;
    if (this.#sumFiles.includes(label) || label.endsWith('go.sum')) return label;
    return undefined;
  }

  #fallbackNotes(text: string): string[] {
    const notes: string[] = [];
    for (const [key, { from, to }] of this.#noFallback) {
      if (this.#explained.has(key) || !text.includes(from)) continue;
      this.#explained.add(key);
      notes.push(
        `GOPROXY did not fall back from ${from} to ${to}: an entry followed by ','`,
        '  falls back only when the module is not found there (404 or 410), and this was another',
        `  error. With '|' after it (${from}|${to}) any error falls back.`,
      );
    }
    return notes;
  }
}

/** The 1-based number of the first line of `file` that reads `content` (fields split on blanks). */
function findLine(file: string, content: string): number | undefined {
  let data: string;
  try {
    data = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const i = data.split('\n').findIndex((l) => l.trim().split(/\s+/).join(' ') === content);
  return i < 0 ? undefined : i + 1;
}
