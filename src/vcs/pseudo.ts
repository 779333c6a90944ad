/**
 * go's checks of a pseudo-version asked for by name against the repository: the revision, the
 * timestamp, and that the base tag exists and is an ancestor, with go's texts.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/coderepo.go (validatePseudoVersion)
 */
import { compare, InvalidVersionError, major, ModuleError, pseudoVersionBase, pseudoVersionRev, pseudoVersionTime } from '../module/index.js';
import type { GitRepo } from './git.js';
import type { CodeRevInfo } from './types.js';

/** What the check needs from the code repository. */
export interface PseudoContext {
  readonly code: GitRepo;
  readonly path: string;
  readonly codeDir: string;
  readonly pseudoMajor: string;
  readonly invalid: (path: string, version: string, err: Error, pseudo?: boolean) => ModuleError;
}

/** Throws go's InvalidVersionError (wrapped in a ModuleError) when `version` does not name `info`. */
export async function validatePseudoVersion(r: PseudoContext, info: CodeRevInfo, version: string): Promise<void> {
  const fail = (msg: string): never => {
    throw r.invalid(r.path, version, new Error(msg), true);
  };
  const rev = pseudoVersionRev(version);
  if (rev !== info.short) {
    if (rev.startsWith(info.short)) fail(`revision is longer than canonical (expected ${info.short})`);
    if (info.short.startsWith(rev)) fail(`revision is shorter than canonical (expected ${info.short})`);
    fail(`does not match short name of revision (expected ${info.short})`);
  }
  const t = pseudoVersionTime(version);
  if (t.getTime() !== info.time * 1000) {
    const d = new Date(info.time * 1000).toISOString();
    fail(`does not match version-control timestamp (expected ${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}${d.slice(11, 13)}${d.slice(14, 16)}${d.slice(17, 19)})`);
  }
  const tagPrefix = r.codeDir !== '' ? r.codeDir + '/' : '';
  let base: string;
  try {
    base = pseudoVersionBase(version.replace(/\+incompatible$/, ''));
  } catch (e) {
    // go's deferred wrap: an InvalidVersionError becomes a ModuleError for the module, so that
    // Stat's caller (convert) can attach the commit's Origin to it.
    if (e instanceof InvalidVersionError) throw new ModuleError(r.path, '', e);
    throw e;
  }
  if (base === '') {
    if (r.pseudoMajor === '' && major(version) === 'v1') fail('major version without preceding tag must be v0, not v1');
    return;
  }
  for (const tag of info.tags) {
    if ((tag.startsWith(tagPrefix) ? tag.slice(tagPrefix.length) : tag) === base) {
      fail(`tag (${tag}) found on revision ${rev} is already canonical, so should not be replaced with a pseudo-version derived from that tag`);
    }
  }
  const tags = await r.code.tags(tagPrefix + base);
  let lastTag = '';
  let ancestorFound = false;
  for (const tag of tags.list) {
    const versionOnly = tag.name.startsWith(tagPrefix) ? tag.name.slice(tagPrefix.length) : tag.name;
    if (compare(versionOnly, base) === 0) {
      lastTag = tag.name;
      ancestorFound = await r.code.descendsFrom(info.name, tag.name);
      if (ancestorFound) break;
    }
  }
  if (lastTag === '') fail(`preceding tag (${base}) not found`);
  if (!ancestorFound) fail(`revision ${rev} is not a descendent of preceding tag (${lastTag})`);
}
