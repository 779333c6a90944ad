/**
 * Errors of the vcs layer, with go's texts. `notExist` mirrors `errors.Is(err, fs.ErrNotExist)`,
 * which decides GOPROXY fallback and query behaviour above.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/codehost/codehost.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/vcs/vcs.go
 */
import { GoError } from '../internal/errors.js';
import type { CodeOrigin } from './types.js';

/** `unknown revision REV` (not-exist), with the Origin go keeps for caching the negative answer. */
export class UnknownRevisionError extends GoError {
  readonly notExist = true;
  constructor(readonly rev: string, readonly origin?: CodeOrigin) {
    super('EUNKNOWNREV', `unknown revision ${rev}`);
    this.name = 'UnknownRevisionError';
  }
}

/** `no commits` (not-exist). */
export class NoCommitsError extends GoError {
  readonly notExist = true;
  constructor() {
    super('ENOCOMMITS', 'no commits');
    this.name = 'NoCommitsError';
  }
}

/** `ambiguous revision REV`. */
export class AmbiguousRevisionError extends GoError {
  constructor(rev: string) {
    super('EAMBIGUOUSREV', `ambiguous revision ${rev}`);
    this.name = 'AmbiguousRevisionError';
  }
}

/** Keeps an error's text but makes it not-exist (go's notExistError wrapper). */
export class NotExistWrap extends GoError {
  readonly notExist = true;
  constructor(cause: Error) {
    super('ENOTEXIST', cause.message);
    this.name = 'NotExistWrap';
    this.cause = cause;
  }
}

/** A module that go would fetch with a VCS gomod-dl does not drive (hg, svn, bzr, fossil). */
export class UnsupportedVcsError extends GoError {
  constructor(readonly vcs: string, readonly root: string) {
    super('EVCSUNSUPPORTED', `${root}: fetching from ${vcs} repositories is not supported by gomod-dl (only git is); ` +
      `serve the module from a module proxy listed in GOPROXY`);
    this.name = 'UnsupportedVcsError';
  }
}

/** A plain error with go's text (discovery failures, GOVCS, findDir...). */
export class VcsError extends GoError {
  constructor(code: string, message: string, readonly notExist = false) {
    super(code, message);
    this.name = 'VcsError';
  }
}
