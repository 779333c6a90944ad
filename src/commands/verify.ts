/**
 * `gomod-dl verify`: what `go mod verify` does, without Go. For every module of the build list that
 * is in the cache, the zip is hashed and compared with its `.ziphash`, and so is the extracted tree;
 * the lines and the exit status are go's. `--repair` re-extracts or re-downloads exactly the damaged
 * modules through the download pipeline (checked against go.sum and the checksum database, published
 * by the cache's protocol); `--cache` checks every module in GOMODCACHE (no go.mod needed) and reports
 * leftovers of interrupted writers too (cachescan.ts).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/verify.go
 */
import { lstat, rm, stat } from 'node:fs/promises';
import pLimit from 'p-limit';
import { readIfExists, removeTree, trimSpace, type ModCache } from '../cache/index.js';
import { parseGoSum, type GoSum } from '../modfile/gosum.js';
import { isToolchainPath, ModLoader, sumFileOf, type MainModuleSet } from '../resolve/index.js';
import { EMULATED_GO_VERSION } from '../run.js';
import { ensureNewline, errorLine, fatalText } from '../report/lines.js';
import { ALL_VERIFIED, leftAloneLine, removedLine, repairedModuleLine, repairFailedLine } from '../report/commandlines.js';
import { hashZip } from '../verify/dirhash.js';
import { goPathError, hashDir } from '../verify/hashdir.js';
import { FatalError } from '../internal/errors.js';
import { scanCache, type Leftover } from './cachescan.js';
import type { Interrupt } from '../session.js';
import { CommandSession, type CommandIO } from './session.js';

/** Modules hashed at once (each reads its zip and tree from disk). */
const VERIFY_CONCURRENCY = 4;

export interface VerifyOptions extends CommandIO {
  repair: boolean;
  /** Check the whole GOMODCACHE instead of the current module's build list. */
  cache: boolean;
  x: boolean;
  modcacherw: boolean;
  /** -modfile (else GOFLAGS's): the main module's go.mod and go.sum are read from it (see workspace.ts). */
  modfile?: string | undefined;
  /** SIGINT/SIGTERM/SIGHUP: stop, remove this run's work directory (as a download run does). */
  interrupt?: Interrupt | undefined;
}

/** A module version to check. */
interface Mod {
  path: string;
  version: string;
}

/** What is wrong with one module version; empty when it verified (or is not in the cache). */
interface Damage {
  lines: string[];
  /** The zip (or its hash) cannot be trusted: download it again. Else only the tree is bad. */
  zipBad: boolean;
}

/** Runs `gomod-dl verify` and returns the exit status (go's: 0 when all verified, else 1). */
export async function verifyCommand(o: VerifyOptions): Promise<number> {
  let s: CommandSession | undefined;
  try {
    s = await CommandSession.open(o, { x: o.x, modcacherw: o.modcacherw, modfile: o.modfile, interrupt: o.interrupt });
    return await (o.cache ? verifyCache(s, o) : verifyModule(s, o));
  } catch (err) {
    if (err instanceof FatalError) {
      o.stderr(fatalText(err));
      return 1;
    }
    if (err instanceof Error && 'exitCode' in err) {
      o.stderr(errorLine(err.message));
      return (err as { exitCode: number }).exitCode;
    }
    throw err;
  } finally {
    await s?.close();
  }
}

/** go mod verify: the build list of the main module(s). */
async function verifyModule(s: CommandSession, o: VerifyOptions): Promise<number> {
  const mm = await s.mainModules();
  let mods: Mod[];
  try {
    const loader = await ModLoader.create({ source: s.source, goVersion: EMULATED_GO_VERSION, checkGoVersion: false, concurrency: 32 }, mm);
    const { mg, err } = await loader.requirements.graph(loader);
    if (err !== undefined) throw err;
    mods = mg.buildList().filter((m) => !isToolchainPath(m.path) && !mm.contains(m.path));
  } catch (err) {
    s.source.fatal.check();
    if (err instanceof FatalError || !(err instanceof Error)) throw err;
    throw new FatalError('EFATAL', err.message, { cause: err });
  }
  return check(s, o, mods, [], await readSums(mm));
}

/**
 * The zip hashes the main modules' sum files list (go.sum; in a workspace go.work.sum and each
 * module's go.sum), keyed `path version`.
 */
async function readSums(mm: MainModuleSet): Promise<GoSum> {
  const files = mm.work !== undefined ? [mm.work.path + '.sum', ...mm.modules.map((m) => sumFileOf(m.gomod))] : [sumFileOf(mm.modules[0]!.gomod)];
  const sums: GoSum = new Map();
  for (const file of files) {
    const data = await readIfExists(file);
    if (data !== undefined) parseGoSum(file, data, sums);
  }
  return sums;
}

/** `--cache`: every module version in GOMODCACHE that has a zip, a `.ziphash` or a tree. */
async function verifyCache(s: CommandSession, o: VerifyOptions): Promise<number> {
  const scan = await scanCache(s.cache.layout);
  return check(s, o, scan.modules, scan.leftovers);
}

async function check(s: CommandSession, o: VerifyOptions, mods: readonly Mod[], leftovers: readonly Leftover[], sums: GoSum = new Map()): Promise<number> {
  // go verifies GOMAXPROCS modules at once; results keep the build list's order.
  const limit = pLimit(VERIFY_CONCURRENCY);
  const damage = await Promise.all(mods.map((m) => limit(async () => withGoSum(await verifyMod(s.cache, m), s.cache, m, sums))));
  let ok = true;
  for (const d of damage) {
    for (const line of d.lines) o.stderr(ensureNewline(line));
    if (d.lines.length > 0) ok = false;
  }
  for (const l of leftovers) {
    o.stderr(ensureNewline(l.message));
    ok = false;
  }
  if (!ok && o.repair) ok = await repair(s, o, mods, damage, leftovers);
  if (ok) o.stdout(ALL_VERIFIED);
  return ok ? 0 : 1;
}

/**
 * Repairs what {@link check} found: a bad tree is removed and re-extracted from the cached zip; a bad
 * zip (or `.ziphash`) is removed with its tree and downloaded again. Both go through the download
 * pipeline, so the result is checked against go.sum and the checksum database before it is published.
 * Leftovers of interrupted writers are removed. Returns whether everything verifies afterwards.
 */
/** An unlocked temp (`.info`, `.mod`, `list`) this old cannot still be in use: those writes take milliseconds. */
const UNLOCKED_TEMP_AGE_MS = 10 * 60_000;

async function olderThan(file: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await lstat(file)).mtimeMs >= ms;
  } catch {
    return true;
  }
}

async function repair(s: CommandSession, o: VerifyOptions, mods: readonly Mod[], damage: readonly Damage[], leftovers: readonly Leftover[]): Promise<boolean> {
  const layout = s.cache.layout;
  let ok = true;
  for (const l of leftovers) {
    if (l.partialOf === undefined) {
      if (l.lockOf !== undefined) {
        // go removes these under the version lock, where no live writer can own them.
        await s.cache.withVersionLock(l.lockOf.path, l.lockOf.version, () => removeTree(l.file));
      } else if (!(await olderThan(l.file, UNLOCKED_TEMP_AGE_MS))) {
        // Written without a lock (by go or by a gomod-dl whose work directory this is not): a young
        // one may be in use right now.
        o.stderr(leftAloneLine(l.file));
        ok = false;
        continue;
      } else {
        await removeTree(l.file);
      }
      o.stderr(removedLine(l.file));
      continue;
    }
    // A tree go did not finish extracting: removed with its marker, then extracted again.
    const { path, version } = l.partialOf;
    await s.cache.withVersionLock(path, version, () => s.cache.removePartialDir(path, version));
    try {
      await s.dl.zipAndDir(path, version);
      o.stderr(repairedModuleLine(path, version, 'extracted again'));
    } catch (err) {
      o.stderr(repairFailedLine(path, version, err));
      ok = false;
    }
  }
  for (let i = 0; i < mods.length; i++) {
    const m = mods[i]!;
    const d = damage[i]!;
    if (d.lines.length === 0) continue;
    // Under go's version lock, as go's own writers of these files work.
    await s.cache.withVersionLock(m.path, m.version, async () => {
      await removeTree(layout.moduleDir(m.path, m.version));
      if (d.zipBad) {
        await rm(layout.zipFile(m.path, m.version), { force: true });
        await rm(layout.ziphashFile(m.path, m.version), { force: true });
      }
    });
    try {
      await s.dl.zipAndDir(m.path, m.version);
    } catch (err) {
      o.stderr(repairFailedLine(m.path, m.version, err));
      ok = false;
      continue;
    }
    const after = await verifyMod(s.cache, m);
    if (after.lines.length > 0) {
      for (const line of after.lines) o.stderr(ensureNewline(line));
      ok = false;
      continue;
    }
    o.stderr(repairedModuleLine(m.path, m.version, d.zipBad ? 're-downloaded' : 're-extracted from the cached zip'));
  }
  return ok;
}

/**
 * Beyond go: a `.ziphash` that go.sum contradicts. go mod verify compares the zip and the tree with the
 * `.ziphash` only, so a cache whose three were replaced together passes there; gomod-dl reports it
 * (the only line go would not print) and --repair downloads the module again.
 */
async function withGoSum(d: Damage, cache: ModCache, m: Mod, sums: GoSum): Promise<Damage> {
  const listed = sums.get(`${m.path} ${m.version}`);
  if (listed === undefined || listed.length === 0) return d;
  const h = await cache.readZiphash(m.path, m.version);
  if (h === undefined || listed.includes(h)) return d;
  return { lines: [...d.lines, `${m.path} ${m.version}: .ziphash does not match go.sum (${cache.layout.ziphashFile(m.path, m.version)})`], zipBad: true };
}

/**
 * go's verifyMod: the zip and the tree of `m` against its `.ziphash`; nothing when neither is cached.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/verify.go (verifyMod)
 */
async function verifyMod(cache: ModCache, m: Mod): Promise<Damage> {
  const { path, version } = m;
  const layout = cache.layout;
  let zip: string;
  let dir: string;
  try {
    zip = layout.zipFile(path, version);
    dir = layout.moduleDir(path, version);
  } catch (err) {
    return { lines: [`${path} ${version}: ${(err as Error).message}`], zipBad: true };
  }
  const zipMissing = await missing(zip);
  // go's DownloadDir: a partial tree (a .partial marker, no .ziphash) counts as not there.
  const dirMissing = (await cache.dirState(path, version)) !== 'complete';
  const data = await readIfExists(zip + 'hash');
  if (data === undefined) {
    if (zipMissing && dirMissing) return { lines: [], zipBad: false };
    return { lines: [`${path} ${version}: missing ziphash: ${goPathError('open', zip + 'hash', { code: 'ENOENT' }).message}`], zipBad: true };
  }
  const h = Buffer.from(trimSpace(data)).toString('latin1');
  const lines: string[] = [];
  let zipBad = false;
  if (!zipMissing) {
    let hZ: string;
    try {
      hZ = await hashZip(zip);
    } catch (err) {
      return { lines: [`${path} ${version}: ${(err as Error).message}`], zipBad: true };
    }
    if (hZ !== h) {
      lines.push(`${path} ${version}: zip has been modified (${zip})`);
      zipBad = true;
    }
  }
  if (!dirMissing) {
    let hD: string;
    try {
      hD = await hashDir(dir, `${path}@${version}`);
    } catch (err) {
      lines.push(`${path} ${version}: ${(err as Error).message}`);
      return { lines, zipBad };
    }
    if (hD !== h) lines.push(`${path} ${version}: dir has been modified (${dir})`);
  }
  // Both disagree with the .ziphash: the hash itself is the suspect.
  if (!zipMissing && lines.length === 2) zipBad = true;
  return { lines, zipBad };
}

async function missing(p: string): Promise<boolean> {
  try {
    await stat(p);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
