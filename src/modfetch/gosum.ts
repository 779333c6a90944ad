/**
 * go.sum bookkeeping during a run: cmd/go's checkModSum, HaveSum and the used/dirty status of each sum.
 *
 * A hash for `path version` (a zip) or `path version/go.mod` (a go.mod) is accepted when go.sum (or, in a
 * workspace, a module's go.sum) lists exactly that hash. A different `h1:` hash recorded there is a
 * SECURITY ERROR that stops the whole run (go calls base.Fatalf). A hash not listed at all is looked up in
 * the checksum database when one is configured, then added to go.sum as a new ("dirty") sum.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (checkModSum, haveModSumLocked, HaveSum)
 * @see https://go.dev/ref/mod#authenticating
 */

import { FatalError } from '../internal/errors.js';
import { sumKey, type GoSum } from '../modfile/gosum.js';

/** Sums keyed `path version` or `path version/go.mod`, each with its hashes in file order. */
export type SumMap = GoSum;

/** go's checksum-mismatch verdict against go.sum: fatal (printed as it is, go's base.Fatalf), never retried. */
export class GoSumMismatchError extends FatalError {
  constructor(
    readonly path: string,
    readonly version: string,
    readonly downloaded: string,
    readonly file: string,
    readonly recorded: string,
  ) {
    super(
      'ECHECKSUM',
      `verifying ${path}@${version}: checksum mismatch\n\tdownloaded: ${downloaded}\n\t${file}:     ${recorded}` +
        GO_SUM_MISMATCH,
      { verbatim: true },
    );
  }
}

const GO_SUM_MISMATCH = `

SECURITY ERROR
This download does NOT match an earlier download recorded in go.sum.
The bits may have been replaced on the origin server, or an attacker may
have intercepted the download attempt.

For more information, see 'go help module-auth'.
`;

/** Checks a hash the checksum database must vouch for; throws the per-module error go reports. */
export type SumdbCheck = (path: string, version: string, hash: string) => Promise<void>;

/** Decides whether the checksum database is consulted for a module path (GOSUMDB, GONOSUMDB). */
export type UseSumdb = (path: string) => boolean;

export interface ModSumsOptions {
  /**
   * The sums of the file gomod-dl maintains (go.sum, or go.work.sum in a workspace), or null outside a
   * module, where go keeps no sums at all (cmd/go: go.sum not "inited").
   */
  main: SumMap | null;
  /** go.work.sum mode changes the label of a mismatch, as in go. */
  mainIsWorkSum?: boolean;
  /** In a workspace: each module's go.sum, read but never written, labelled with its path. */
  workspace?: ReadonlyArray<{ file: string; sums: SumMap }>;
  sumdb?: SumdbCheck;
  useSumdb?: UseSumdb;
  /**
   * Told of a go.sum line with hashes of an unknown algorithm only (go warns on stderr as it meets
   * one; report/lines.ts has go's text).
   */
  onUnknownHashes?: (w: UnknownHashes) => void;
}

/** A module version whose go.sum hashes are all of an unknown algorithm; `hash` is being added. */
export interface UnknownHashes {
  readonly path: string;
  readonly version: string;
  readonly existing: readonly string[];
  readonly hash: string;
}

interface Status {
  used: boolean;
  dirty: boolean;
}

/** The run's view of go.sum. One instance per run; safe for concurrent use from many downloads. */
export class ModSums {
  #main: SumMap | null;
  #label: string;
  #workspace: ReadonlyArray<{ file: string; sums: SumMap }>;
  readonly #sumdb: SumdbCheck | undefined;
  readonly #useSumdb: UseSumdb;
  readonly #onUnknownHashes: (w: UnknownHashes) => void;
  readonly #status = new Map<string, Status>();

  constructor(opts: ModSumsOptions) {
    this.#main = opts.main;
    this.#label = opts.mainIsWorkSum ? 'go.work.sum' : 'go.sum';
    this.#workspace = opts.workspace ?? [];
    this.#sumdb = opts.sumdb;
    this.#useSumdb = opts.useSumdb ?? (() => opts.sumdb !== undefined);
    this.#onUnknownHashes = opts.onUnknownHashes ?? (() => {});
  }

  /**
   * Opens the sum files once the main modules are known (go's initGoSum): before, no hash is checked
   * against a file. Replaces what the constructor was given.
   */
  open(files: Pick<ModSumsOptions, 'main' | 'mainIsWorkSum' | 'workspace'>): void {
    this.#main = files.main;
    this.#label = files.mainIsWorkSum ? 'go.work.sum' : 'go.sum';
    this.#workspace = files.workspace ?? [];
  }

  /** Whether go would keep sums at all (inside a module or workspace). */
  get inited(): boolean {
    return this.#main !== null;
  }

  /**
   * cmd/go checkModSum: accept `hash` for `path version` (version may end in `/go.mod`), consulting the
   * checksum database when go.sum does not list it, and record it as used (and new, if it was).
   * @throws GoSumMismatchError when go.sum records a different h1: hash (fatal for the run)
   */
  async check(path: string, version: string, hash: string): Promise<void> {
    const key = sumKey(path, version);
    const listed = this.#main !== null && this.#have(path, version, key, hash);
    if (this.#main !== null) this.#mark(key, hash, { used: true });
    if (listed) return;
    if (this.#sumdb !== undefined && this.#useSumdb(path)) {
      await this.#sumdb(path, version, hash);
    }
    if (this.#main !== null) {
      // Re-check after the await: another download may have added it meanwhile.
      if (!this.#have(path, version, key, hash)) {
        const existing = this.#main.get(key) ?? [];
        if (existing.length > 0) this.#onUnknownHashes({ path, version, existing, hash });
        this.#main.set(key, [...existing, hash]);
      }
      this.#mark(key, hash, { dirty: true });
    }
  }

  /** cmd/go HaveSum: go.sum already vouches for the key with an h1: hash this run did not add. */
  haveSum(path: string, version: string): boolean {
    if (this.#main === null) return false;
    const key = sumKey(path, version);
    const vouched = (hashes: string[] | undefined) =>
      (hashes ?? []).some((h) => h.startsWith('h1:') && !this.#status.get(`${key} ${h}`)?.dirty);
    return this.#workspace.some((w) => vouched(w.sums.get(key))) || vouched(this.#main.get(key));
  }

  /** The sums this run added (dirty) or confirmed (used), for go.sum writing. */
  statusOf(key: string, hash: string): Status {
    return this.#status.get(`${key} ${hash}`) ?? { used: false, dirty: false };
  }

  /** The file gomod-dl maintains, as it stands now (existing lines plus new sums). */
  get main(): SumMap | null {
    return this.#main;
  }

  /** Sums already recorded in a workspace module's go.sum (go does not copy those into go.work.sum). */
  inWorkspaceModule(key: string, hash: string): boolean {
    return this.#workspace.some((w) => (w.sums.get(key) ?? []).includes(hash));
  }

  /**
   * go's WriteGoSum and tidyGoSum: the sum file's new contents, or undefined when go would leave it
   * alone (no sum this run added is in `keep`). `onDisk` is the file as it is now (re-read just before
   * writing, so lines other processes added survive), or null when it does not exist. Every sum this
   * run used is merged in; a new sum is written only when its key is in `keep`; in a workspace, keys
   * a module's go.sum already lists are left out of go.work.sum.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (WriteGoSum, tidyGoSum)
   */
  tidy(onDisk: SumMap | null, keep: ReadonlySet<string>): SumMap | undefined {
    if (this.#main === null) return undefined;
    const statuses = [...this.#status].map(([k, st]) => ({ key: k.slice(0, k.lastIndexOf(' ')), hash: k.slice(k.lastIndexOf(' ') + 1), st }));
    if (!statuses.some(({ key, st }) => st.dirty && (!st.used || keep.has(key)))) return undefined;
    const inWorkspace = (key: string): boolean => this.#workspace.some((w) => w.sums.has(key));
    const merged: SumMap = new Map([...(onDisk ?? new Map<string, string[]>())].map(([k, hs]) => [k, [...hs]]));
    for (const { key, hash, st } of statuses) {
      if (!st.used || inWorkspace(key)) continue;
      const hs = merged.get(key) ?? [];
      if (!hs.includes(hash)) merged.set(key, [...hs, hash]);
    }
    const out: SumMap = new Map();
    for (const [key, hs] of merged) {
      if (inWorkspace(key)) continue;
      const kept = hs.filter((h) => {
        const st = this.statusOf(key, h);
        return !st.dirty || (st.used && keep.has(key));
      });
      if (kept.length > 0) out.set(key, kept);
    }
    return out;
  }

  #have(path: string, version: string, key: string, hash: string): boolean {
    for (const vh of this.#main!.get(key) ?? []) {
      if (vh === hash) return true;
      if (vh.startsWith('h1:')) throw new GoSumMismatchError(path, version, hash, this.#label, vh);
    }
    let found = false;
    for (const { file, sums } of this.#workspace) {
      for (const vh of sums.get(key) ?? []) {
        if (vh === hash) found = true;
        else if (vh.startsWith('h1:')) throw new GoSumMismatchError(path, version, hash, file, vh);
      }
    }
    return found;
  }

  #mark(key: string, hash: string, set: Partial<Status>): void {
    const k = `${key} ${hash}`;
    const st = this.#status.get(k) ?? { used: false, dirty: false };
    this.#status.set(k, { ...st, ...set });
  }
}
