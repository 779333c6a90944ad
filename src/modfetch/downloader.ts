/**
 * The per-module download pipeline: the only place that knows the order of the steps.
 *
 * For one module version, as go's `DownloadModule` (modcmd/download.go) and modfetch/fetch.go:
 * 1. `.info`: from the cache, else fetched (Stat) and written in go's encoding.
 * 2. `.mod`: from the cache, else fetched; checked against go.sum / the checksum database before it is
 *    written, then `list` is rewritten. Its `h1:` is the GoModSum.
 * 3. zip and tree: unless both are complete in the cache, the zip is downloaded to a temp file and
 *    inflated ONCE into a staging directory while its `h1:` is computed (go inflates twice: once to hash,
 *    once to extract). The hash is checked against go.sum / the checksum database; only then are
 *    `.ziphash`, the zip and the tree published (ARCHITECTURE.md, "Publish protocol").
 *
 * Every step is de-duplicated per module version, so the resolver and the downloads share one fetch.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/download.go (DownloadModule)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (Download, DownloadZip, checkMod)
 */
import { FatalError, GoError } from '../internal/errors.js';
import { quote } from '../internal/gostrconv.js';
import { GoPathError } from '../internal/goerrno.js';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import nodePath from 'node:path';
import { setMaxListeners } from 'node:events';
import pLimit, { type LimitFunction } from 'p-limit';
import type { RevInfo } from '../cache/index.js';
import { exists, InfoEncodeError, removeTree, statExists } from '../cache/index.js';
import { OnceMap } from '../internal/once.js';
import { goModTooNew } from '../module/index.js';
import { hashGoMod, hashZip } from '../verify/dirhash.js';
import { extractZip, type ExtractResult } from '../verify/extract.js';
import { UnzipError, ZipAlgorithmError, ZipChecksumError, ZipCorruptInputError, ZipFormatError, ZipUnexpectedEofError } from '../verify/ziperrors.js';

import type { DownloaderOptions, ModuleJSON } from './types.js';

/** An AbortController whose signal takes any number of listeners (one per prefetched zip). */
function abortController(): AbortController {
  const c = new AbortController();
  setMaxListeners(Infinity, c.signal);
  return c;
}

/** The options without a default. */
type OptionalOption = 'onEvent' | 'extractConcurrency' | 'repairs' | 'signal' | 'onUnzipError' | 'onStatCacheError' | 'onGoModCacheError' | 'localGoVersion';

/** Downloads module versions into one cache; one instance per run. */
export class Downloader {
  readonly #o: Required<Omit<DownloaderOptions, OptionalOption | 'prefetchConcurrency'>> & Pick<DownloaderOptions, OptionalOption>;
  readonly #prefetchLimit: LimitFunction;
  readonly #info = new OnceMap();
  readonly #mod = new OnceMap();
  readonly #zip = new OnceMap();
  /** Modules whose .ziphash was mended after go would have read it for -json's Sum. */
  readonly #sumUnread = new Set<string>();
  /** Zips fetched ahead of need: path@version → the temp file, the fetch's error, or nothing to do. */
  readonly #prefetched = new Map<string, Promise<Prefetched>>();
  #prefetchStopped = false;
  /** Aborted by {@link discardPrefetched}: prefetched zips still waiting for an extraction thread drop out. */
  readonly #prefetchAbort = abortController();
  /** Aborted by {@link halt}, with the fatal error as its reason. */
  readonly #haltAbort = abortController();

  constructor(opts: DownloaderOptions) {
    this.#o = { modcacherw: false, extract: extractZip, ...opts };
    this.#prefetchLimit = pLimit(opts.prefetchConcurrency ?? 8);
  }

  /** go's InfoFile: the `.info` of `path@version`, written to the cache when fetched. */
  infoFile(path: string, version: string): Promise<{ info: RevInfo; file: string }> {
    return this.#info.do(`${path}@${version}`, async () => {
      const { cache, fetcher } = this.#o;
      const cached = await cache.readInfo(path, version);
      if (cached !== undefined) return { info: cached, file: cache.layout.infoFile(path, version) };
      // An undecodable .info counts as missing (go's readDiskStat): fetched again and replaced.
      if (await exists(cache.layout.infoFile(path, version))) this.#repaired(`${cache.layout.infoFile(path, version)}: unreadable; fetching it again`);
      const info = await fetcher.lookup(path).stat(version);
      this.#throwIfStopped();
      return { info, file: await this.writeInfo(path, info) };
    });
  }

  /**
   * Writes the `.info` of `info.Version` and returns its path. A RevInfo go cannot encode is go's
   * `writing stat cache` warning and no file: the path is returned all the same, as go's InfoFile
   * returns it (its -json names the missing file).
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (cachingRepo.Stat, InfoFile)
   */
  async writeInfo(path: string, info: RevInfo): Promise<string> {
    const { cache } = this.#o;
    try {
      return await cache.writeInfo(path, info);
    } catch (err) {
      // go's writeDiskStat failing (a RevInfo it cannot encode, an @v that is a file, a full disk)
      // is a warning: the answer is used all the same.
      if (!(err instanceof InfoEncodeError) && !isFileSystemError(err)) throw err;
      this.#o.onStatCacheError?.(err as Error);
      return cache.layout.infoFile(path, info.Version);
    }
  }

  /**
   * go's GoModFile: the go.mod of `path@version`, checked against go.sum (and the checksum database)
   * before it is cached. A cached go.mod is checked too, as go does.
   */
  goModFile(path: string, version: string): Promise<{ data: Uint8Array; file: string }> {
    return this.#mod.do(`${path}@${version}`, async () => {
      const { cache, fetcher, sums } = this.#o;
      const cached = await cache.readMod(path, version);
      if (cached !== undefined) {
        await sums.check(path, `${version}/go.mod`, hashGoMod(cached));
        return { data: cached, file: cache.layout.modFile(path, version) };
      }
      const data = await fetcher.lookup(path).goMod(version);
      await sums.check(path, `${version}/go.mod`, hashGoMod(data));
      this.#throwIfStopped();
      try {
        return { data, file: await cache.writeMod(path, version, data) };
      } catch (err) {
        // go's writeDiskGoMod failing is a warning too (cachingRepo.GoMod): the checked bytes serve.
        if (!isFileSystemError(err)) throw err;
        this.#o.onGoModCacheError?.(err);
        return { data, file: cache.layout.modFile(path, version) };
      }
    });
  }

  /** The go.mod bytes of `path@version` (for graph loading). */
  async goMod(path: string, version: string): Promise<Uint8Array> {
    return (await this.goModFile(path, version)).data;
  }

  /**
   * Starts fetching the `.info` of `path@version` before it is known to be needed (while the module
   * graph still loads), when the cache lacks it. Nothing becomes visible to go: the answer (or the
   * failure) waits in the module's repo (fetch/repowrap.ts's CachingRepo) until {@link infoFile}
   * asks for it and writes it in go's order.
   */
  prefetchInfo(path: string, version: string): void {
    const { cache, fetcher } = this.#o;
    void this.#prefetchLimit(async () => {
      if (this.#stopped() || (await cache.readInfo(path, version)) !== undefined) return;
      await fetcher.lookup(path).stat(version).catch(() => undefined); // infoFile reports it
    });
  }

  #stopped(): boolean {
    return this.#prefetchStopped || this.#o.signal?.aborted === true;
  }

  /** Throws when the run was interrupted or halted: no request, extraction or publish starts then. */
  #throwIfStopped(): void {
    this.#o.signal?.throwIfAborted();
    this.#haltAbort.signal.throwIfAborted();
  }

  /**
   * Ends the run's remaining work after a fatal error (a checksum mismatch), as go's base.Fatalf ends
   * the process: no download, extraction or publish starts any more (each throws `reason`), queued
   * and running extractions stop at their next entry and their staging trees go, and prefetches are
   * dropped. What is published stays published; nothing half-written is left where go would read it.
   */
  halt(reason: Error): void {
    this.#prefetchStopped = true;
    this.#haltAbort.abort(reason);
    this.#prefetchAbort.abort(reason);
  }

  /**
   * Starts fetching the zip of `path@version` before it is known to be needed (while the module graph
   * still loads), into a temp file beside where it would go. Nothing becomes visible to go: the zip
   * is verified and published only if {@link zipAndDir} later asks for it; {@link discardPrefetched}
   * removes the rest. A failed prefetch is forgotten and the real download tries again.
   */
  prefetchZip(path: string, version: string): void {
    const key = `${path}@${version}`;
    if (this.#prefetched.has(key)) return;
    const { cache } = this.#o;
    const fetchIt = async (): Promise<Prefetched> => {
      // A zip without its .ziphash needs a re-hash, not a download (see #cachedZipSum).
      if (this.#stopped() || (await exists(cache.layout.zipFile(path, version)))) return {};
      try {
        return { file: await this.#fetchZip(path, version) };
      } catch (error) {
        return { error };
      }
    };
    // Extracting and hashing too (the CPU half) keeps the cores busy while the graph still loads;
    // the tree stays in its staging directory until the plan confirms the module. Only the transfer
    // holds a prefetch slot: the extraction waits in the pool's own queue while the next one starts.
    const unpack = async (fetched: Prefetched): Promise<Prefetched> => {
      const { file } = fetched;
      if (file === undefined || this.#prefetchStopped || (await cache.dirComplete(path, version))) return fetched;
      return { file, unpacked: await this.#unpack(path, version, file, this.#prefetchAbort.signal) };
    };
    this.#prefetched.set(key, this.#prefetchLimit(fetchIt).then(unpack).catch((error: unknown) => ({ error })));
  }

  /**
   * Removes the temp files and staging trees of prefetched zips nobody asked for. Prefetches still
   * queued never start, those in flight are not extracted, extractions still waiting for a thread
   * are dropped and running ones stop at their next entry: a run that failed while the graph
   * loaded ends without extracting the zips it had fetched (a transfer already running is waited
   * for).
   */
  async discardPrefetched(): Promise<void> {
    this.#prefetchStopped = true;
    this.#prefetchAbort.abort(new GoError('EPREFETCHDISCARDED', 'prefetch discarded'));
    const left = [...this.#prefetched.values()];
    this.#prefetched.clear();
    for (const { file, unpacked } of await Promise.all(left)) {
      if (file !== undefined) rmSync(file, { force: true });
      if (unpacked !== undefined) await this.#discardStaging(unpacked.staging);
    }
  }

  /**
   * The prefetched temp zip of `path@version`, now owned by the caller, if there is one. A prefetch
   * that failed is this download's failure: go would have made that one request, and no second.
   */
  async #takePrefetched(path: string, version: string): Promise<Prefetched> {
    const key = `${path}@${version}`;
    const p = this.#prefetched.get(key);
    if (p === undefined) return {};
    // Left in the map as taken, so that a later prefetchZip of the same module fetches nothing.
    this.#prefetched.set(key, Promise.resolve({}));
    const got = await p;
    if (got.error !== undefined) throw got.error;
    return got;
  }

  /**
   * go's DownloadZip + Download: the zip, its `h1:` and the extracted tree of `path@version`, each
   * reused from the cache when complete.
   */
  zipAndDir(path: string, version: string): Promise<{ zip: string; dir: string; sum: string }> {
    return this.#zip.do(`${path}@${version}`, () => this.#zipAndDir(path, version));
  }

  async #zipAndDir(path: string, version: string): Promise<{ zip: string; dir: string; sum: string }> {
    const { cache, sums } = this.#o;
    const layout = cache.layout;
    const zip = layout.zipFile(path, version);
    const dir = layout.moduleDir(path, version);
    this.#throwIfStopped();

    // go's os.Stat: a link to nothing is no zip (it is downloaded again, and replaces the link).
    let sum = statExists(zip) ? await this.#cachedZipSum(path, version) : undefined;
    if (sum !== undefined) {
      const state = await cache.dirState(path, version);
      if (state === 'complete') {
        // go checks the cached hash against go.sum (checkMod) even when nothing is downloaded.
        checkZiphash(path, version, sum);
        await sums.check(path, version, sum);
        this.#o.onEvent?.({ kind: 'cached', path, version });
        return { zip, dir, sum };
      }
      // go's DownloadZip runs checkMod at once for a module go.sum lacks: a .ziphash that is no h1:
      // hash stops the run before anything is unzipped (with a go.sum line, only after).
      if (!sums.haveSum(path, version)) checkZiphash(path, version, sum);
      // The tree is missing or incomplete: extract the cached zip (no network), as go does.
      await this.#ensureListed(path, version);
      this.#repaired(`${dir}: ${state === 'partial' ? 'incomplete (.partial)' : 'missing'}; extracting ${zip}`);
      sum = await this.#extract(path, version, zip, sum);
      return { zip, dir, sum };
    }

    // The zip (or its .ziphash) is missing: download it (unless prefetched). A complete tree stays.
    await this.#ensureListed(path, version);
    await cache.touchVersionLock(path, version);
    const treeComplete = await cache.dirComplete(path, version);
    const pre = await this.#takePrefetched(path, version);
    let tmp = pre.file;
    try {
      tmp ??= await this.#fetchZip(path, version);
      if (treeComplete) {
        if (pre.unpacked !== undefined) await this.#discardStaging(pre.unpacked.staging);
        sum = await hashZip(tmp);
        await sums.check(path, version, sum);
        await cache.publishZip(tmp, path, version, sum);
      } else if (pre.unpacked !== undefined) {
        sum = await this.#finish(path, version, pre.unpacked, undefined, tmp);
      } else {
        sum = await this.#extract(path, version, tmp, undefined, tmp);
      }
      return { zip, dir, sum };
    } finally {
      if (tmp !== undefined) rmSync(tmp, { force: true }); // usually renamed away already
    }
  }

  /**
   * The `h1:` of a cached zip. A missing or unreadable `.ziphash` beside it costs a re-hash of the
   * zip (checked against go.sum and the checksum database), not a download, as in go's downloadZip;
   * done under go's version lock after re-checking, so that go and gomod-dl repair it once.
   * Undefined when the zip vanished meanwhile.
   *
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (downloadZip: zipExists)
   */
  async #cachedZipSum(path: string, version: string): Promise<string | undefined> {
    const { cache, sums } = this.#o;
    const sum = await cache.readZiphash(path, version);
    if (sum !== undefined) return sum;
    // There, but not a hash (empty, garbage): go's DownloadZip counts it as present.
    const invalid = statExists(cache.layout.ziphashFile(path, version));
    return cache.withVersionLock(
      path,
      version,
      async () => {
        const now = await cache.readZiphash(path, version);
        if (now !== undefined) return now;
        const zip = cache.layout.zipFile(path, version);
        if (!(await exists(zip))) return undefined;
        const h1 = await hashZip(zip);
        await sums.check(path, version, h1);
        await cache.writeZiphash(path, version, h1);
        // go's DownloadModule read the .ziphash for -json's Sum before its Download mended it, when
        // go.sum had the module (DownloadZip then returns early): the record has no Sum.
        if (invalid && sums.haveSum(path, version)) this.#sumUnread.add(`${path}@${version}`);
        this.#repaired(`${cache.layout.ziphashFile(path, version)}: missing or unreadable; re-hashed ${zip}`);
        return h1;
      },
      this.#o.signal,
    );
  }

  /** A run killed between a `.mod` and its `list` rewrite left the list without this version. */
  async #ensureListed(path: string, version: string): Promise<void> {
    if (await this.#o.cache.ensureListed(path, version)) this.#repaired(`${this.#o.cache.layout.listFile(path)}: ${version} was missing`);
  }

  /** Reports a repair of the cache (report/lines.ts prints it under -x as a `#` line, as go's -x comments). */
  #repaired(what: string): void {
    this.#o.repairs?.(what);
  }

  /** Downloads the zip of `path@version` into a fresh temp file in the run's work directory. */
  async #fetchZip(path: string, version: string): Promise<string> {
    const { cache } = this.#o;
    this.#throwIfStopped();
    const created = await cache.createZipTemp(path, version);
    this.#o.onEvent?.({ kind: 'zip-start', path, version });
    try {
      await this.#o.fetcher.lookup(path).zip(version, created.handle);
      return created.path;
    } catch (err) {
      // A failed write through the handle has no path: it is the temp file's (go names it).
      for (let e: unknown = err; e instanceof Error; e = e.cause) {
        const sys = e as NodeJS.ErrnoException;
        if (sys.syscall === 'write' && sys.path === undefined) sys.path = created.path;
      }
      rmSync(created.path, { force: true });
      throw err;
    } finally {
      await created.handle.close();
    }
  }

  /**
   * Extracts `zipFile` into a staging directory while hashing it, checks the hash (against `known`, the
   * cached `.ziphash`, when the zip came from the cache; else against go.sum and the checksum database),
   * and publishes the downloaded zip `tmpZip` (if any) and the tree.
   */
  async #extract(path: string, version: string, zipFile: string, known: string | undefined, tmpZip?: string): Promise<string> {
    return this.#finish(path, version, await this.#unpack(path, version, zipFile, this.#haltAbort.signal), known, tmpZip);
  }

  /**
   * Extracts and hashes `zipFile` into a fresh staging directory; nothing is checked or published.
   * `cancel`: aborted, the extraction is dropped if it has not started (the error is its reason).
   */
  async #unpack(path: string, version: string, zipFile: string, cancel?: AbortSignal): Promise<Unpacked> {
    const { cache } = this.#o;
    this.#throwIfStopped();
    if (cache.locker.kind === 'none') {
      // No lock tool: go's leftovers go only when old enough that no live writer can own them
      // (with one, publishDir removes them under go's lock).
      await cache.removeStaleStaging(path, version, { minAgeMs: STALE_STAGING_MS });
      await cache.removePartialDir(path, version, { minAgeMs: STALE_STAGING_MS });
    }
    const staging = await cache.stagingDir(path, version);
    try {
      const result = await this.#o.extract({
        zipFile,
        path,
        version,
        targetDir: staging,
        zipName: cache.layout.zipFile(path, version),
        dirName: cache.layout.moduleDir(path, version),
        ...(this.#o.extractConcurrency !== undefined ? { concurrency: this.#o.extractConcurrency } : {}),
      }, cancel);
      return { staging, result };
    } catch (error) {
      return { staging, error };
    }
  }

  /** Checks an unpacked tree as {@link #extract} describes and publishes it; always clears the staging. */
  async #finish(
    path: string,
    version: string,
    u: Unpacked,
    known: string | undefined,
    tmpZip?: string,
  ): Promise<string> {
    const { cache, sums } = this.#o;
    // A zip from the cache is unzipped as go's download unzips it: never hashed against its
    // .ziphash (go's checkMod compares that text with go.sum, after the tree is in place), and a
    // zip that cannot be read is x/mod's `unzip <zip>: …` error, printed as it happens.
    const cached = tmpZip === undefined && known !== undefined;
    let published = false;
    try {
      this.#throwIfStopped();
      if (u.result === undefined && cached && isZipReadError(u.error)) {
        const zip = cache.layout.zipFile(path, version);
        const err = new UnzipError(zip, u.error);
        err.kept = { zip, sum: known };
        this.#o.onUnzipError?.(err);
        // go's download had removed an incomplete tree before unzipping, and after the failure
        // removes what it wrote and the .partial marker.
        await cache.withVersionLock(path, version, () => cache.removePartialDir(path, version), this.#o.signal).catch(() => false);
        throw err;
      }
      if (u.result === undefined) {
        if (u.error instanceof UnzipError) {
          // go hashes the zip and checks the sum before it unzips: a go.sum mismatch wins over a
          // zip rule. A zip that passed stays, as go's does (its DownloadZip had published the zip
          // and .ziphash, its Download made the tree's parent directory, before the unzip failed).
          const h1 = known ?? u.error.h1;
          if (h1 !== undefined) {
            await sums.check(path, version, h1);
            if (tmpZip !== undefined) await cache.publishZip(tmpZip, path, version, h1);
            await cache.makeModuleParent(path, version);
            u.error.kept = { zip: cache.layout.zipFile(path, version), sum: h1 };
          }
          this.#o.onUnzipError?.(u.error);
        }
        throw u.error;
      }
      const { h1, files, bytes } = u.result;
      if (!cached) await sums.check(path, version, h1);
      const modcacherw = this.#o.modcacherw;
      published = true; // both calls below consume the staging tree, whatever happens
      if (tmpZip !== undefined) await cache.publishZipAndDir(tmpZip, h1, u.staging, path, version, { modcacherw });
      else await cache.publishDir(u.staging, path, version, { modcacherw });
      this.#o.onEvent?.({ kind: 'zip-done', path, version, files, bytes });
      if (cached) {
        checkZiphash(path, version, known);
        await sums.check(path, version, known);
        return known;
      }
      return h1;
    } finally {
      if (!published) await this.#discardStaging(u.staging);
    }
  }

  /** Removes a staging tree that was not published (it lives in the run's work directory). */
  async #discardStaging(staging: string): Promise<void> {
    await removeTree(staging).catch(() => {});
  }

  /**
   * go's DownloadModule: fills `m` (Info, GoMod, GoModSum, Zip, Sum, Dir) step by step; on failure the
   * fields filled so far stay set and the error is thrown (the caller records it in `m.Error`).
   */
  async download(m: ModuleJSON & { Path: string; Version: string }): Promise<void> {
    // The zip's transfer overlaps the .info and .mod steps; it is still checked and published after
    // them, in go's order, so a failing .info leaves no zip behind.
    this.prefetchZip(m.Path, m.Version);
    const { file } = await this.infoFile(m.Path, m.Version);
    m.Info = file;
    const mod = await this.goModFile(m.Path, m.Version);
    m.GoMod = mod.file;
    m.GoModSum = hashGoMod(mod.data);
    let got: { zip: string; dir: string; sum: string };
    try {
      got = await this.zipAndDir(m.Path, m.Version);
    } catch (err) {
      // go's DownloadModule sets Zip and Sum once DownloadZip succeeded, before Download's unzip.
      if (err instanceof UnzipError && err.kept !== undefined) {
        m.Zip = err.kept.zip;
        m.Sum = err.kept.sum;
      }
      throw err;
    }
    const { zip, dir, sum } = got;
    m.Zip = zip;
    if (!this.#sumUnread.has(`${m.Path}@${m.Version}`)) m.Sum = sum;
    await this.#checkGoVersion(m.Path, m.Version, dir);
    m.Dir = dir;
  }

  /**
   * go's Download, last step: a tree whose go.mod asks for a newer go than {@link localGoVersion}
   * allows is go's TooNewError (the tree stays). A tree without go.mod passes.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (Download)
   */
  async #checkGoVersion(path: string, version: string, dir: string): Promise<void> {
    const local = this.#o.localGoVersion;
    if (local === undefined) return;
    let data: Buffer | undefined;
    try {
      data = await readFile(nodePath.join(dir, 'go.mod'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const tooNew = goModTooNew(`${path}@${version}`, data, local, 'local');
    if (tooNew !== undefined) throw tooNew;
  }
}

/** The outcome of a prefetch: a temp zip (maybe unpacked), the fetch's error, or neither (the zip was cached). */
interface Prefetched {
  file?: string;
  /** The zip extracted into staging (when the tree was not in the cache yet). */
  unpacked?: Unpacked;
  error?: unknown;
}

/** A zip extracted into a staging directory, or the extraction's error. */
interface Unpacked {
  staging: string;
  result?: ExtractResult;
  error?: unknown;
}

/**
 * Without a lock tool: `<dir>.tmp-*` trees and `.partial` directories younger than this may belong
 * to a live writer (go under its flock, or gomod-dl < 0.2), so they are left alone.
 */
const STALE_STAGING_MS = 10 * 60 * 1000;

/** An error of the file system: go's os.PathError (ENOTDIR, EACCES, ENOSPC…), as the cache words it. */
function isFileSystemError(e: unknown): e is Error {
  return e instanceof GoPathError || (e instanceof Error && typeof (e as { syscall?: unknown }).syscall === 'string');
}

/** Errors of reading a zip (x/mod's Unzip reports them as `unzip <zip>: …`), not of the file system. */
function isZipReadError(e: unknown): e is Error {
  return e instanceof ZipFormatError || e instanceof ZipChecksumError || e instanceof ZipAlgorithmError ||
    e instanceof ZipUnexpectedEofError || e instanceof ZipCorruptInputError;
}

/**
 * go's checkMod: a `.ziphash` of the right length that is not an `h1:` hash stops the run.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (checkMod)
 */
function checkZiphash(path: string, version: string, sum: string): void {
  // base.Fatalf with no `go: ` in its format: the line has no program name.
  if (!sum.startsWith('h1:')) throw new FatalError('EZIPHASH', `verifying ${path}@${version}: unexpected ziphash: ${quote(sum)}`, { verbatim: true });
}
