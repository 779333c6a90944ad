/**
 * The download loop of one run (go's runDownload): the planned modules as go's -json records, each
 * downloaded by the {@link Downloader} under a concurrency bound, a per-module failure recorded in the
 * record's `Error` and a fatal one (a checksum mismatch) ending the loop; and the extra `.info`/go.mod
 * fetches of --offline-complete. Results are data: the caller prints them.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/download.go (runDownload)
 */
import pLimit from 'p-limit';
import { moduleErrorText } from '../internal/goerrno.js';
import { FatalLatch } from '../internal/errors.js';
import type { ModuleVersion } from '../module/index.js';
import type { PlannedModule } from '../resolve/index.js';
import type { Downloader } from './downloader.js';
import type { ModuleJSON } from './types.js';

/** One module of the plan is finished, downloaded or not (for the progress line and summary). */
export interface ModuleDoneEvent {
  readonly kind: 'module-done';
  readonly path: string;
  readonly version: string;
  readonly failed: boolean;
}

/** The -json record go starts from for a planned module: Path, Version, and Query, Error, Origin when set. */
export function moduleJson(m: PlannedModule): ModuleJSON {
  return {
    Path: m.path,
    Version: m.version,
    ...(m.query !== undefined ? { Query: m.query } : {}),
    ...(m.error !== undefined ? { Error: m.error } : {}),
    ...(m.origin !== undefined ? { Origin: m.origin as ModuleJSON['Origin'] } : {}),
    ...(m.reuse === true ? { Reuse: true } : {}),
  };
}

/**
 * Downloads every record without an `Error`, at most `concurrency` at once, filling each record as go's
 * DownloadModule does; a failure becomes the record's `Error` (go's text, the module named in front).
 * The first fatal error stops the queue (no further module starts) and halts the downloader (the
 * modules under way stop at their next step); it is thrown once they have settled.
 */
export async function downloadModules(
  dl: Pick<Downloader, 'download' | 'halt'>,
  mods: readonly ModuleJSON[],
  o: { concurrency: number; onEvent?: ((e: ModuleDoneEvent) => void) | undefined },
): Promise<void> {
  const limit = pLimit(o.concurrency);
  // go has exited at its base.Fatalf: the modules under way stop where they are.
  const fatal = new FatalLatch((err) => dl.halt(err));
  const done = (m: ModuleJSON, failed: boolean): void => o.onEvent?.({ kind: 'module-done', path: m.Path!, version: m.Version!, failed });
  await Promise.all(
    mods.map((m) =>
      m.Error !== undefined || m.Reuse === true // a reused module is not downloaded (go's runDownload)
        ? undefined
        : limit(async () => {
            // After a fatal verdict the queued modules return at once (go has exited); clearing
            // p-limit's queue instead would leave their promises pending and this loop unsettled.
            if (fatal.first !== undefined) return;
            try {
              await dl.download(m as ModuleJSON & { Path: string; Version: string });
              done(m, false);
            } catch (err) {
              done(m, true);
              if (!fatal.note(err)) m.Error = moduleErrorText(err, `${m.Path}@${m.Version}`);
            }
          }),
    ),
  );
  fatal.check();
}

/**
 * --offline-complete: fetches the `.info` and go.mod of each target (resolve/targets.ts
 * offlineTargets), at most `concurrency` at once. Each failure is handed to `onError` as go's text
 * (the module named in front) when it happens; returns whether all were fetched.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/build.go (moduleInfo)
 */
export async function fetchInfoAndGoMods(
  dl: Pick<Downloader, 'infoFile' | 'goModFile'>,
  targets: readonly ModuleVersion[],
  o: { concurrency: number; onError: (message: string) => void },
): Promise<boolean> {
  const limit = pLimit(o.concurrency);
  let ok = true;
  await Promise.all(
    targets.map((m) =>
      limit(async () => {
        await dl.infoFile(m.path, m.version);
        await dl.goModFile(m.path, m.version);
      }).catch((err: unknown) => {
        o.onError(moduleErrorText(err, `${m.path}@${m.version}`));
        ok = false;
      }),
    ),
  );
  return ok;
}
