/**
 * The shapes the vcs layer passes around: go's codehost.Origin, codehost.RevInfo and codehost.Tags,
 * and the Repo interface every module source implements (proxy, direct; see src/fetch).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/codehost/codehost.go
 */
import type { FileHandle } from 'node:fs/promises';
import type { RevInfo } from '../cache/index.js';
import type { Origin } from '../module/revinfo.js';

/** codehost.Origin (all fields omitempty, in go's field order): the one Origin type of src/module. */
export type CodeOrigin = Origin;

/** codehost.RevInfo: a commit as the code host sees it. */
export interface CodeRevInfo {
  origin: CodeOrigin;
  /** Full commit hash. */
  name: string;
  /** 12-digit hash for pseudo-versions. */
  short: string;
  /** The version asked for if a tag names it, else the hash. */
  version: string;
  /** Commit time, Unix seconds (UTC). */
  time: number;
  tags: string[];
}

/** codehost.Tags. */
export interface CodeTags {
  origin: CodeOrigin;
  list: { name: string; hash: string }[];
}

/** A `.info` answer: go's RevInfo and its bytes as a proxy would serve them. */
export interface InfoResult {
  readonly info: RevInfo;
  readonly raw: Uint8Array;
}

/**
 * One module path on one source: go's modfetch.Repo. ProxyRepo (src/fetch) and CodeRepo (src/vcs)
 * implement it, so the fetcher walks GOPROXY without knowing which kind it talks to.
 */
export interface Repo {
  versions(prefix: string): Promise<string[]>;
  latest(): Promise<InfoResult>;
  stat(rev: string): Promise<InfoResult>;
  goMod(version: string): Promise<Uint8Array>;
  /** Writes the module zip into dest from offset 0. @returns bytes written */
  zip(version: string, dest: FileHandle): Promise<number>;
}
