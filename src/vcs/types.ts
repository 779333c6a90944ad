/**
 * The shapes the vcs layer passes around: go's codehost.Origin, codehost.RevInfo and codehost.Tags.
 * The module-level Repo that CodeRepo implements is src/module/repo.ts.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/codehost/codehost.go
 */
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
