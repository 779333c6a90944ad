/**
 * The run's sum files: go.sum (or go.work.sum and the workspace's go.sum files) read into ModSums
 * before the first fetch, the checksum database check behind them, and go.mod / go.sum written back
 * as go writes them at the end of a run.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (initGoSum, checkSumDB)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (commitRequirements)
 */
import { chmod, readFile, stat } from 'node:fs/promises';
import { readIfExists, writeFileAtomic } from '../cache/index.js';
import type { GoEnv } from '../config/index.js';
import type { Fetcher } from '../fetch/fetcher.js';
import { FatalError } from '../internal/errors.js';
import { formatGoSum, parseGoSum } from '../modfile/gosum.js';
import { updateGoModFromReqs } from '../modfile/index.js';
import { sumFileOf, type MainModuleSet } from '../resolve/mainmodules.js';
import type { DownloadPlan } from '../resolve/plan.js';
import { GoSumdb, SumdbVerifyError } from '../sumdb/gosumdb.js';
import type { ModSums, SumdbCheck, SumMap } from './gosum.js';

/**
 * Reads the sum files the main modules imply (go's initGoSum): go.sum beside go.mod, or in a
 * workspace go.work.sum plus each module's go.sum (read-only). Outside a module there is none.
 */
export async function openSumFiles(mm: MainModuleSet | undefined, sums: ModSums): Promise<string[]> {
  if (mm === undefined) return [];
  const read = async (file: string): Promise<SumMap> => {
    const data = await readIfExists(file);
    return data === undefined ? new Map() : parseGoSum(file, data);
  };
  if (mm.work !== undefined) {
    const workspace = await Promise.all(
      mm.modules.map(async (m) => {
        const file = sumFileOf(m.gomod);
        return { file, sums: await read(file) };
      }),
    );
    sums.open({ main: await read(mm.work.path + '.sum'), mainIsWorkSum: true, workspace });
    return [mm.work.path + '.sum', ...workspace.map((w) => w.file)];
  }
  const file = sumFileOf(mm.modules[0]!.gomod);
  sums.open({ main: await read(file) });
  return [file];
}

/**
 * go's WriteGoMod: go.mod gets go's own fix-ups when its requirements changed (a missing go line),
 * then go.sum (or go.work.sum) is rewritten when this run added a sum go keeps. `sideLock` runs before
 * each write (go's SideLock: the cache's `cache/lock` file).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (commitRequirements)
 */
export async function writeGoModAndSum(plan: DownloadPlan, sums: ModSums, sideLock?: () => Promise<void>): Promise<void> {
  const file = plan.goSum.file;
  if (file === undefined) return;
  const gomod = plan.mainModules?.inWorkspace === false ? plan.mainModules.modules[0]!.gomod : undefined;
  if (gomod !== undefined && plan.requirements !== undefined) {
    const before = await readFile(gomod);
    // No goVersion: gomod-dl needs no toolchain, so a newer go line is never "too new" to update.
    const fix = plan.mainModules?.modules[0]?.file.fix;
    const after = updateGoModFromReqs(gomod, before, plan.requirements, fix !== undefined ? { fix } : {});
    if (after !== undefined) {
      await sideLock?.();
      await replaceFile(gomod, after);
    }
  }
  const data = await readIfExists(file);
  const onDisk = data === undefined ? null : parseGoSum(file, data);
  const tidy = sums.tidy(onDisk, plan.keep);
  if (tidy !== undefined) {
    await sideLock?.();
    await replaceFile(file, Buffer.from(formatGoSum(tidy)));
  }
}

/**
 * Replaces a file's contents atomically (temp file and rename beside it), keeping its mode; a new
 * file gets 0666 minus the umask, as go creates it. A killed run leaves the old contents.
 */
async function replaceFile(file: string, data: Uint8Array): Promise<void> {
  const mode = await stat(file).then(
    (st) => st.mode & 0o7777,
    () => undefined,
  );
  await writeFileAtomic(file, data, mode === undefined ? {} : { mode });
  // The temp file was created through the umask: restore the exact bits the file had.
  if (mode !== undefined) await chmod(file, mode);
}

/**
 * The checksum database check of a hash go.sum does not list: the database is reached as go reaches it
 * (GOSUMDB's own URL, else the first GOPROXY entry that answers `/sumdb/<name>/supported`, else
 * directly). A forked log is fatal, as in go.
 */
export function sumdbCheck(env: GoEnv, fetcher: Fetcher): SumdbCheck {
  const db = new GoSumdb({
    gosumdb: env.GOSUMDB,
    gopath: env.GOPATH,
    gopathError: env.goPathError,
    gomodcache: env.GOMODCACHE,
    read: async (path, cfg) => {
      let base = cfg.url;
      if (base === undefined) {
        const found = await fetcher.sumdbBase(cfg.name);
        base = found.kind === 'proxy' ? found.url : cfg.direct;
      }
      return fetcher.get(base.replace(/\/$/, '') + path);
    },
  });
  return async (path, version, hash) => {
    try {
      await db.checkSumDB({ path, version }, hash);
    } catch (err) {
      if (err instanceof SumdbVerifyError && err.securityReport !== undefined) throw new FatalError('ESUMDBFORK', err.securityReport, { verbatim: true, cause: err });
      throw err;
    }
  };
}
