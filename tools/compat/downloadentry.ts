/**
 * One entry of `compat download`: the entry directory copied twice, `go mod download` in one copy and
 * `gomod-dl` (no arguments) in the other, each with a fresh GOPATH/GOMODCACHE/HOME/GOCACHE against the
 * same GOPROXY and GOSUMDB, then everything compared: exit codes and output, the module caches
 * (names, types, modes, bytes; lock files and the sumdb cache aside), the entry's files afterwards
 * (go.mod, go.sum, go.work.sum), and whether go works offline from gomod-dl's cache.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, lstat, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { goCompare } from '../../src/module/gover.js';
import { cacheIgnore, countZips, diffSnapshots, snapshotTree } from './cachetree.js';
import { hermeticEnv, prepareGoRoot, runCommand, type GoRun } from './gorun.js';
import { firstDifference } from './table.js';

/** How an entry is run. */
export interface EntryOptions {
  /** GOPROXY for both sides. */
  goproxy: string;
  /** GOSUMDB for both sides. */
  gosumdb: string;
  /** The local go's version without the `go` prefix (`1.26.8`). */
  goVersion: string;
  /** `node <gomodDl>` runs gomod-dl. */
  gomodDl: string;
  /** Remove go.sum and go.work.sum from both copies before running. */
  noGosum: boolean;
  /** Timeout of each go / gomod-dl process. */
  timeoutMs: number;
  /** Count an offline check that fails from go's own cache too as a difference. */
  strictOffline?: boolean;
}

/** Test hooks. */
export interface EntryHooks {
  /** Called after gomod-dl ran, with its copy of the entry and its GOMODCACHE. */
  afterGomodDl?: (entryDir: string, gomodcache: string) => void | Promise<void>;
}

/** What comparing one entry found. */
export interface EntryResult {
  entry: string;
  /** Zips in go's cache (gomod-dl's when go's has none). */
  zips: number;
  goSeconds: number;
  oursSeconds: number;
  /** Remarks on how the entry was run (a lowered go line, a workspace). */
  notes: string[];
  /** Every difference found, most telling first; empty when the entry is ok. */
  diffs: string[];
  /** The entry's temporary directory. */
  tmp: string;
}

/** A `go` line that was lowered for the real go, so it can be put back. */
export interface Lowered {
  rel: string;
  original: string;
  lowered: string;
}

const GO_LINE = /^([ \t]*go[ \t]+)([0-9][^\s/]*)([ \t]*(?:\/\/.*)?)$/m;

/** Relative paths of every file named `names` below `dir`. */
function filesNamed(dir: string, names: readonly string[], rel = ''): string[] {
  const out: string[] = [];
  for (const ent of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const r = rel === '' ? ent.name : `${rel}/${ent.name}`;
    if (ent.isDirectory()) out.push(...filesNamed(dir, names, r));
    else if (names.includes(ent.name)) out.push(r);
  }
  return out;
}

/**
 * Lowers every go.mod/go.work `go` line newer than `local` to `local`, since go with
 * GOTOOLCHAIN=local refuses such files while gomod-dl must not.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/gover/toolchain.go (TooNewError)
 */
export function lowerGoLines(dir: string, local: string): Lowered[] {
  const out: Lowered[] = [];
  for (const rel of filesNamed(dir, ['go.mod', 'go.work'])) {
    const text = readFileSync(join(dir, rel), 'latin1');
    const m = GO_LINE.exec(text);
    if (m === null || goCompare(m[2]!, local) <= 0) continue;
    const lowered = `${m[1]}${local}${m[3]}`;
    writeFileSync(join(dir, rel), text.replace(m[0], lowered), 'latin1');
    out.push({ rel, original: m[0], lowered });
  }
  return out;
}

/** Puts back the lines {@link lowerGoLines} lowered, in files go may have rewritten since. */
function undoLowering(dir: string, lowered: readonly Lowered[]): void {
  for (const l of lowered) {
    const p = join(dir, l.rel);
    if (!existsSync(p)) continue;
    const text = readFileSync(p, 'latin1');
    const i = text.split('\n').indexOf(l.lowered);
    if (i < 0) continue;
    const lines = text.split('\n');
    lines[i] = l.original;
    writeFileSync(p, lines.join('\n'), 'latin1');
  }
}

/** Removes a tree even where a module cache left read-only directories. */
export async function removeTree(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
    return;
  } catch {
    // Read-only directories (go's cache without -modcacherw): make them writable first.
  }
  const unlock = async (d: string): Promise<void> => {
    await chmod(d, 0o755).catch(() => undefined);
    for (const n of await readdir(d).catch(() => [] as string[])) {
      const st = await lstat(join(d, n)).catch(() => undefined);
      if (st?.isDirectory()) await unlock(join(d, n));
    }
  };
  await unlock(dir);
  await rm(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
}

/** One side's directories: its entry copy and the root of its HOME, GOPATH, GOCACHE. */
interface Side {
  work: string;
  root: string;
  gomodcache: string;
}

function side(tmp: string, name: string, entry: string, src: string, noGosum: boolean): Side {
  const work = join(tmp, name, entry);
  mkdirSync(join(tmp, name), { recursive: true });
  cpSync(src, work, { recursive: true });
  if (noGosum) for (const rel of filesNamed(work, ['go.sum', 'go.work.sum'])) rmSync(join(work, rel));
  const root = prepareGoRoot(join(tmp, `${name}-env`));
  return { work, root, gomodcache: join(root, 'gopath', 'pkg', 'mod') };
}

/** First line of a process's complaint, for a table cell. */
function firstLine(r: GoRun): string {
  const text = r.stderr.toString('utf8').trim() || r.stdout.toString('utf8').trim();
  return text.split('\n')[0] ?? '';
}

async function timed(f: () => Promise<GoRun>): Promise<[GoRun, number]> {
  const t0 = performance.now();
  const r = await f();
  return [r, (performance.now() - t0) / 1000];
}

/**
 * Runs go's offline checks on a copy of `work` (lowered as for go) with GOMODCACHE = `gomodcache`,
 * GOPROXY=off and no network; returns the failures. `go list -m all` (the check) also wants
 * `.info` files that `go mod download` never fetches for a pruned graph, so it fails from go's own
 * cache too for most modules; `go mod graph` loads the same graph from the `.mod` files alone and must
 * pass, and `go mod verify` re-hashes every extracted tree against go.sum.
 */
async function offlineChecks(tmp: string, label: string, work: string, gomodcache: string, opts: EntryOptions): Promise<string[]> {
  const copy = join(tmp, label, 'entry');
  mkdirSync(join(tmp, label), { recursive: true });
  cpSync(work, copy, { recursive: true });
  lowerGoLines(copy, opts.goVersion);
  const workspace = existsSync(join(copy, 'go.work'));
  const root = prepareGoRoot(join(tmp, label, 'env'));
  // go rejects -mod=mod in workspace mode ("-mod may only be set to readonly or vendor").
  const env = hermeticEnv(root, {
    proxy: 'off',
    env: { GOMODCACHE: gomodcache, GOSUMDB: opts.gosumdb, GOWORK: undefined, GOFLAGS: workspace ? '-modcacherw' : '-mod=mod' },
  });
  const fails: string[] = [];
  for (const args of [['list', '-m', 'all'], ['mod', 'graph'], ['mod', 'verify']]) {
    const r = await runCommand('go', args, { cwd: copy, env, timeoutMs: opts.timeoutMs });
    const line = firstLine(r).split(copy).join('$WORK').split(gomodcache).join('$GOMODCACHE');
    if (r.code !== 0) fails.push(`go ${args.join(' ')} exit ${r.code}: ${line}`);
  }
  return fails;
}

/** Compares go and gomod-dl on the entry directory `src`, in a fresh directory under `tmp`. */
export async function compareEntry(entry: string, src: string, tmp: string, opts: EntryOptions, hooks: EntryHooks = {}): Promise<EntryResult> {
  const notes: string[] = [];
  const diffs: string[] = [];
  const goSide = side(tmp, 'go', entry, src, opts.noGosum);
  const ours = side(tmp, 'gomod-dl', entry, src, opts.noGosum);
  const lowered = lowerGoLines(goSide.work, opts.goVersion);
  for (const l of lowered) notes.push(`${l.rel}: go ${GO_LINE.exec(l.original)?.[2]} lowered to ${opts.goVersion} for go`);
  if (existsSync(join(src, 'go.work'))) notes.push('workspace');
  const envFor = (s: Side): Record<string, string> =>
    hermeticEnv(s.root, { proxy: opts.goproxy, allowNetwork: true, env: { GOSUMDB: opts.gosumdb, GOWORK: undefined } });

  const [goRun, goSeconds] = await timed(() => runCommand('go', ['mod', 'download'], { cwd: goSide.work, env: envFor(goSide), timeoutMs: opts.timeoutMs }));
  // gomod-dl reads the lines go could not: as the newer go that GOTOOLCHAIN=auto would switch to
  // (under the harness's GOTOOLCHAIN=local it would refuse them, as go does).
  const ourEnv = lowered.length > 0 ? { ...envFor(ours), GOTOOLCHAIN: 'auto' } : envFor(ours);
  const [ourRun, oursSeconds] = await timed(() =>
    runCommand(process.execPath, [opts.gomodDl], { cwd: ours.work, env: ourEnv, timeoutMs: opts.timeoutMs }),
  );
  await hooks.afterGomodDl?.(ours.work, ours.gomodcache);
  undoLowering(goSide.work, lowered);

  // Exit status and output, with each side's own directories named alike.
  // gomod-dl starts its lines with `gomod-dl: ` where go writes `go: ` (README, Differences).
  const norm = (s: Side, b: Buffer): string => {
    // `../x` replacements name paths beside the entry copy, under each side's own directory.
    const text = b.toString('latin1').split(s.work).join('$WORK').split(s.root).join('$ROOT').split(dirname(s.work)).join('$SIDE');
    return s === ours ? text.replace(/^gomod-dl: /gm, 'go: ') : text;
  };
  if (goRun.code !== ourRun.code) {
    diffs.push(`exit code: go ${goRun.code}, gomod-dl ${ourRun.code}: ${firstLine(goRun.code !== 0 ? goRun : ourRun)}`);
  } else if (goRun.code !== 0) {
    diffs.push(`both failed (exit ${goRun.code}): ${firstLine(goRun)}`);
  }
  for (const stream of ['stderr', 'stdout'] as const) {
    const d = firstDifference(norm(goSide, goRun[stream]), norm(ours, ourRun[stream]));
    if (d !== '') diffs.push(`${stream} differs at ${d}`);
  }

  // The module caches.
  const [goCache, ourCache] = await Promise.all([snapshotTree(goSide.gomodcache, cacheIgnore), snapshotTree(ours.gomodcache, cacheIgnore)]);
  diffs.push(...diffSnapshots(goCache, ourCache));
  const zips = countZips(goCache) || countZips(ourCache);

  // The entry's own files: go.mod, go.sum, go.work.sum (and anything else either side created).
  const [goFiles, ourFiles] = await Promise.all([snapshotTree(goSide.work), snapshotTree(ours.work)]);
  for (const d of diffSnapshots(goFiles, ourFiles)) {
    const m = /^content differs: (\S+)/.exec(d);
    if (m === null) {
      diffs.push(`entry file ${d}`);
      continue;
    }
    const text = (s: Side): string => readFileSync(join(s.work, m[1]!), 'latin1');
    diffs.push(`${m[1]} differs at ${firstDifference(text(goSide), text(ours))}`);
  }

  // go works offline from gomod-dl's cache. A check that fails just the same from go's own cache
  // (`go list -m all` wants the .info of pruned-graph modules, which go mod download never fetches)
  // is go's limit, not a difference, unless strictOffline says otherwise.
  if (ourRun.code === 0) {
    const fails = await offlineChecks(tmp, 'offline-gomod-dl', ours.work, ours.gomodcache, opts);
    if (fails.length > 0) {
      const goFails = goRun.code === 0 ? await offlineChecks(tmp, 'offline-go', goSide.work, goSide.gomodcache, opts) : [];
      for (const f of fails) {
        if (goFails.includes(f)) (opts.strictOffline ? diffs : notes).push(`offline: ${f} (from go's own cache too)`);
        else diffs.push(`offline: ${f}`);
      }
    }
  }
  return { entry, zips, goSeconds, oursSeconds, notes, diffs, tmp };
}
