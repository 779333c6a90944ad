/**
 * go.sum and go.work.sum files: `<path> <version>[/go.mod] <hash>` lines.
 *
 * Reading (cmd/go `readGoSum`): lines split on `\n`, fields on Unicode white space; blank lines are
 * skipped; a line without exactly three fields is fatal; lines carrying the hash of an empty go.mod
 * (written by an old go bug for non-modules) are dropped; a key may have several hashes.
 * Writing (cmd/go `tidyGoSum`): keys in x/mod `module.Sort` order, each key's hashes sorted bytewise
 * and deduplicated, one line each, no header.
 *
 * @see https://go.dev/ref/mod#go-sum-files
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (readGoSum, tidyGoSum)
 */
import { GoError } from '../internal/errors.js';
import { goBytes, goString } from '../internal/gostrconv.js';
import { compareModules } from '../module/index.js';
import { fields } from './text.js';

/**
 * Hashes by key `"<path> <version>"` (the version of a go.mod hash ends in `/go.mod`), in file order.
 * Use {@link sumKey} to build keys.
 */
export type GoSum = Map<string, string[]>;

/** The hash of a one-file tree holding an empty go.mod: go drops lines that carry it. */
export const EMPTY_GO_MOD_HASH = 'h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=';

/**
 * A go.sum line without three fields. go prints the message as is (no `go: ` prefix) followed by a
 * newline, and exits 1.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (readGoSum)
 */
export class GoSumError extends GoError {
  constructor(readonly file: string, readonly line: number, readonly fieldCount: number) {
    super('EGOSUM', `malformed go.sum:\n${file}:${line}: wrong number of fields ${fieldCount}`);
    this.name = 'GoSumError';
  }
}

/** The go.sum key of a module version (`version` may end in `/go.mod`). */
export function sumKey(path: string, version: string): string {
  return `${path} ${version}`;
}

/** The path and version of a go.sum key. */
export function splitSumKey(key: string): { path: string; version: string } {
  const i = key.indexOf(' ');
  return { path: key.slice(0, i), version: key.slice(i + 1) };
}

/**
 * Parses go.sum bytes. `file` names the file in the error (go uses the absolute path).
 *
 * @throws GoSumError on a line without exactly three fields.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (readGoSum)
 */
export function parseGoSum(file: string, data: Uint8Array | string, into: GoSum = new Map()): GoSum {
  const text = typeof data === 'string' ? data : goString(data);
  const lines = text.split('\n');
  // A trailing "\n" does not start another line (go stops when no data is left).
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    const f = fields(line);
    if (f.length === 0) return;
    if (f.length !== 3) throw new GoSumError(file, i + 1, f.length);
    if (f[2] === EMPTY_GO_MOD_HASH) return;
    const k = sumKey(f[0]!, f[1]!);
    const list = into.get(k);
    if (list) list.push(f[2]!);
    else into.set(k, [f[2]!]);
  });
  return into;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(goBytes(a), goBytes(b));
}

/**
 * The go.sum text for `sums`: keys in `module.Sort` order, hashes sorted and deduplicated.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (tidyGoSum)
 */
export function formatGoSum(sums: GoSum): string {
  const keys = [...sums.keys()].map(splitSumKey).sort(compareModules);
  let out = '';
  for (const m of keys) {
    const hashes = [...new Set(sums.get(sumKey(m.path, m.version)))].sort(compareBytes);
    for (const h of hashes) out += `${m.path} ${m.version} ${h}\n`;
  }
  return out;
}

/** A new go.sum holding the hashes of all `sums`, in order (duplicates are removed when formatting). */
export function mergeGoSum(...sums: GoSum[]): GoSum {
  const out: GoSum = new Map();
  for (const s of sums) {
    for (const [k, hs] of s) out.set(k, [...(out.get(k) ?? []), ...hs]);
  }
  return out;
}
