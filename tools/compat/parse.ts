/**
 * `compat parse <dir>`: parse parity with go. For every go.mod and go.work under `dir` (any depth),
 * runs `go mod edit -json go.mod` / `go work edit -json go.work` on a copy in a temporary directory
 * and compares go's exit code, stdout and stderr byte for byte with what gomod-dl's parser produces
 * for the same bytes (the `-json` object on success; go's `errors parsing` text on failure).
 *
 * The copy makes file names in error texts independent of where the file lives (`go.mod:3: …`) and
 * keeps go from seeing neighbouring files.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { goBytes } from '../../src/internal/gostrconv.js';
import { marshalIndent } from '../../src/internal/gojson.js';
import { formatParseError, ModfileErrorList } from '../../src/modfile/errors.js';
import { toEditJson, toWorkEditJson } from '../../src/modfile/json.js';
import { parseGoMod } from '../../src/modfile/rule.js';
import { parseGoWork } from '../../src/modfile/work.js';
import { runGo } from './gorun.js';
import { firstDifference, formatTable, type Row } from './table.js';

/** Which kind of file: decides the go command and the parser. */
export type FileKind = 'go.mod' | 'go.work';

/** Exit code and output of one side. */
export interface EditOutput {
  code: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
}

/** All files named go.mod or go.work under `dir`, sorted, as paths relative to `dir`. */
export function findGoFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const ent of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (ent.isFile() && (ent.name === 'go.mod' || ent.name === 'go.work')) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** What `go mod edit -json go.mod` / `go work edit -json go.work` prints for `data`. */
export async function goEditOutput(kind: FileKind, data: Uint8Array): Promise<EditOutput> {
  const dir = mkdtempSync(join(tmpdir(), 'gomod-dl-parse-'));
  try {
    writeFileSync(join(dir, kind), data);
    const cmd = kind === 'go.mod' ? 'mod' : 'work';
    const r = await runGo([cmd, 'edit', '-json', kind], { cwd: dir });
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What gomod-dl's parser yields for `data`, printed the way those go commands print it. */
export function ourEditOutput(kind: FileKind, data: Uint8Array): EditOutput {
  try {
    const json = kind === 'go.mod' ? toEditJson(parseGoMod(kind, data, 'strict')) : toWorkEditJson(parseGoWork(kind, data));
    return { code: 0, stdout: goBytes(marshalIndent(json, '', '\t') + '\n'), stderr: new Uint8Array() };
  } catch (e) {
    if (!(e instanceof ModfileErrorList)) throw e;
    // `go work edit` wraps modload.ReadWorkFile's error in a second `errors parsing` header.
    const header = kind === 'go.work' ? 'go: errors parsing go.work:\n' : 'go: ';
    const text = header + formatParseError(e, kind, { work: kind === 'go.work' }) + '\n';
    return { code: 1, stdout: new Uint8Array(), stderr: goBytes(text) };
  }
}

/** "" when both sides agree, else the first difference. */
export function compareOutputs(want: EditOutput, got: EditOutput): string {
  const dec = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
  if (want.code !== got.code) {
    const text = (o: EditOutput): string => Buffer.from(o.code === 0 ? o.stdout : o.stderr).toString('utf8').split('\n').slice(0, 2).join(' | ');
    return `exit ${want.code} vs ${got.code}: go ${JSON.stringify(text(want))} vs gomod-dl ${JSON.stringify(text(got))}`;
  }
  const d = firstDifference(dec(want.stdout), dec(got.stdout));
  if (d !== '') return `stdout ${d}`;
  const e = firstDifference(dec(want.stderr), dec(got.stderr));
  return e === '' ? '' : `stderr ${e}`;
}

/** Compares one file's bytes; the row's entry is `entry`. */
export async function compareFile(entry: string, kind: FileKind, data: Uint8Array): Promise<Row> {
  const [want, got] = [await goEditOutput(kind, data), ourEditOutput(kind, data)];
  const detail = compareOutputs(want, got);
  if (detail !== '') return { entry, verdict: 'DIFF', detail };
  return { entry, verdict: 'ok', detail: want.code === 0 ? 'parsed' : 'same error' };
}

/** Parse parity for every go.mod/go.work under `dir`, a few go processes at a time. */
export async function parseParity(dir: string, concurrency = 8): Promise<Row[]> {
  const files = findGoFiles(dir);
  const rows: Row[] = new Array<Row>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      const rel = files[i]!;
      const kind: FileKind = rel.endsWith('go.work') ? 'go.work' : 'go.mod';
      rows[i] = await compareFile(rel, kind, readFileSync(join(dir, rel)));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return rows;
}

/** `compat parse <dir>`: prints the table; exit 1 on any difference, 2 on usage errors. */
export async function run(args: string[]): Promise<number> {
  if (args.length !== 1) {
    process.stderr.write('usage: compat parse <dir>\n');
    return 2;
  }
  const dir = resolve(args[0]!);
  const rows = await parseParity(dir);
  if (rows.length === 0) {
    process.stderr.write(`compat parse: no go.mod or go.work files under ${dir}\n`);
    return 1;
  }
  process.stdout.write(formatTable(rows));
  return rows.every((r) => r.verdict === 'ok') ? 0 : 1;
}
