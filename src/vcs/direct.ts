/**
 * The `direct` source of one run: module path → repository (discovery, GOVCS) → CodeRepo, as go's
 * lookupDirect. One Discovery, one GitRunner and one GitRepo per remote URL for the whole run, so a
 * repository holding many modules is listed and fetched once.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/repo.go (lookupDirect, lookupCodeRepo)
 */
import { OnceMap } from '../internal/once.js';
import { matchPrefixPatterns } from '../module/index.js';
import { CodeRepo } from './coderepo.js';
import { Discovery, type DiscoveryResponse } from './discovery.js';
import { NotExistWrap, UnsupportedVcsError, VcsError } from './errors.js';
import { GitRepo } from './git.js';
import { findLocker, type FileLocker } from '../cache/flock.js';
import { GitRunner } from './run.js';
import type { Repo } from '../module/repo.js';

/** Options of {@link DirectSource}. */
export interface DirectOptions {
  /** The run's environment (git runs with it; GOVCS is read from it). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly GOMODCACHE: string;
  readonly GOINSECURE: string;
  readonly GOPRIVATE: string;
  /** go's web.Get for discovery: `host/path?go-get=1`, https then http when insecure. */
  readonly get: (hostPath: string, insecure: boolean) => Promise<DiscoveryResponse>;
  /** Whether GET url answers not-found (go's check after a failed ls-remote). */
  readonly probeNotExist: (url: string) => Promise<boolean>;
  /** Receives -x lines for git commands and the repository cache. */
  readonly trace?: ((line: string) => void) | undefined;
  /**
   * Under GOTOOLCHAIN=local, the go version a module's go.mod may ask for at most: a newer one fails
   * the zip (go's codeRepo.Zip TooNewError, before anything is written). Unset: no check.
   */
  readonly localGoVersion?: string | undefined;
}

/** What a module path resolves to: a repository, or a module proxy named by a `mod` go-import entry. */
export type DirectLookup = { readonly kind: 'code'; readonly repo: Repo } | { readonly kind: 'mod'; readonly proxyURL: string };

/** Module lookups in version control for one run. */
export class DirectSource {
  readonly #o: DirectOptions;
  readonly #runner: GitRunner;
  readonly #discovery: Discovery;
  readonly #repos = new OnceMap();
  readonly #lookups = new OnceMap();
  /** go's flock on each repository of cache/vcs (flock(1) or perl; none where neither exists). */
  readonly #locker: FileLocker;

  constructor(o: DirectOptions) {
    this.#o = o;
    this.#locker = findLocker(o.env);
    this.#runner = new GitRunner(o.env, o.trace);
    this.#discovery = new Discovery({ get: o.get, GOVCS: o.env['GOVCS'] ?? '', GOPRIVATE: o.GOPRIVATE });
  }

  /** The repository of module `path` (cached for the run, failures included). */
  lookup(path: string): Promise<DirectLookup> {
    return this.#lookups.do(path, () => this.#lookup(path));
  }

  async #lookup(path: string): Promise<DirectLookup> {
    const insecure = matchPrefixPatterns(this.#o.GOINSECURE, path);
    let rr;
    try {
      rr = await this.#discovery.repoRoot(path, insecure, (url) => this.#ping(url));
    } catch (e) {
      throw new NotExistWrap(e as Error);
    }
    if (rr.vcs === 'mod') return { kind: 'mod', proxyURL: rr.repo };
    if (rr.vcs !== 'git') throw new UnsupportedVcsError(rr.vcs, rr.root);
    let code: GitRepo;
    try {
      code = await this.#gitRepo(rr.repo);
    } catch (e) {
      // go's codehost.NewRepo wraps every failure in a VCSError, which lookupCodeRepo returns as is:
      // the `lookup <root>: ` prefix is never printed.
      throw new VcsError('ELOOKUP', (e as Error).message);
    }
    return { kind: 'code', repo: new CodeRepo(code, rr.root, rr.subDir, path, this.#o.localGoVersion) };
  }

  #gitRepo(url: string): Promise<GitRepo> {
    return this.#repos.do(url, () => GitRepo.open(url, {
      runner: this.#runner, gomodcache: this.#o.GOMODCACHE, trace: this.#o.trace, probeNotExist: this.#o.probeNotExist, locker: this.#locker,
    }));
  }

  /** go's vcsGit.Ping: `git ls-remote URL` succeeds. */
  async #ping(url: string): Promise<boolean> {
    try {
      await this.#runner.run(['git', 'ls-remote', url], { dir: '' });
      return true;
    } catch {
      return false;
    }
  }
}
