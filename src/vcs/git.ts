/**
 * One remote git repository behind a bare repository in the module cache, driven exactly as go's
 * codehost gitRepo drives it: the same git commands, in the same situations, with the same effect on
 * `GOMODCACHE/cache/vcs/<hash>`, so go and gomod-dl reuse each other's repositories.
 *
 * Invariants (go 1.26 codehost/git.go):
 * - Refs come from one `git ls-remote -q` per repository per run (annotated tags unwrapped).
 * - A revision is looked up locally first (a hash, a local tag); otherwise it is resolved against the
 *   remote refs and only that ref is fetched (`fetch -f --depth=1 origin ref:ref`), falling back to
 *   fetching all heads and tags (then `--unshallow`) — never an arbitrary commit that no ref reaches.
 * - Tags() lists `refs/tags/<prefix>*` sorted, with go's TagSum (`t1:` + base64 SHA-256).
 * - ReadZip runs `git archive --format=zip` after appending go's `* -export-subst -export-ignore`
 *   line to `info/attributes`, so .gitattributes cannot change the module's content.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/codehost/git.go
 */
import { GoError } from '../internal/errors.js';
import { OnceMap } from '../internal/once.js';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { quote } from '../internal/gostrconv.js';
import { compare, type Origin } from '../module/index.js';
import type { FileLocker } from '../cache/flock.js';
import { RunError, type GitRunner } from './run.js';
import { workDir } from './workdir.js';
import { AmbiguousRevisionError, NoCommitsError, NotExistWrap, UnknownRevisionError } from './errors.js';
import type { CodeOrigin, CodeRevInfo, CodeTags } from './types.js';
import { ensureGitAttributes, exists, FileNotExistError, isOriginTag, supportsSHA256 } from './gitutil.js';

export { FileNotExistError } from './gitutil.js';

/** What a GitRepo needs from the run. */
export interface GitContext {
  readonly runner: GitRunner;
  readonly gomodcache: string;
  /** `mkdir -p` / `# lock` lines of -x. */
  readonly trace?: ((line: string) => void) | undefined;
  /** GETs a URL and reports whether it does not exist (go's web.GetBytes after a failed ls-remote). */
  readonly probeNotExist: (url: string) => Promise<boolean>;
  /** Takes go's flock on a repository's `<dir>.lock` (go's r.mu), so go and gomod-dl take turns. */
  readonly locker?: FileLocker | undefined;
}

const FETCH_NONE = 0;
const FETCH_SOME = 1;
const FETCH_ALL = 2;
const MIN_HASH_DIGITS = 7;
/**
 * gomod-dl's one line after go's help text when git wanted a password: how to give git credentials
 * without a prompt (README, "Direct mode").
 */
export const GIT_CREDENTIALS_HINT = 'gomod-dl: git needs credentials for this repository: configure a credential helper ' +
  '(git config --global credential.helper store), an insteadOf URL with a token ' +
  '(git config --global url."https://oauth2:TOKEN@host/".insteadOf "https://host/"), or ssh (insteadOf "git@host:" and GIT_SSH_COMMAND)';
const HELP_TEXT = 'Confirm the import path was entered correctly.\nIf this is a private repository, see https://golang.org/doc/faq#git_https for additional information.\n' +
  GIT_CREDENTIALS_HINT;

/** A remote git repository and its bare cache repository. */
export class GitRepo {
  readonly dir: string;
  #fetchLevel = FETCH_NONE;
  #refs: Promise<Map<string, string>> | undefined;
  #localTags: Promise<Set<string>> | undefined;
  readonly #statCache = new OnceMap();
  #sha256 = false;
  /** Created by this run: it has no local tags yet. */
  #fresh = false;
  #lock: Promise<unknown> = Promise.resolve();
  /** File contents by `commit:path` (immutable), or the not-exist answer. */
  readonly #files = new OnceMap();

  private constructor(readonly remoteURL: string, dir: string, private readonly ctx: GitContext) {
    this.dir = dir;
  }

  /** Opens (creating if needed) the cache repository for `remote`, as go's newGitRepo. */
  static async open(remote: string, ctx: GitContext): Promise<GitRepo> {
    if (!remote.includes('://')) {
      throw new GoError('ELOCALREMOTE', remote.includes(':')
        ? `git remote (${remote}) must not be local directory (use URL syntax not host:path syntax)`
        : `git remote (${remote}) must not be local directory`);
    }
    const dir = await workDir(ctx.gomodcache, 'git3', remote, ctx.trace, ctx.locker);
    const r = new GitRepo(remote, dir, ctx);
    // go creates the repository holding its lock; so does gomod-dl, and re-checks under it.
    const held = await ctx.locker?.lock(dir + '.lock');
    try {
      await r.#init();
    } finally {
      await held?.release();
    }
    // go asks `git config extensions.objectformat`; reading the config file saves a process.
    const config = await readFile(join(dir, 'config'), 'utf8').catch(() => '');
    r.#sha256 = /^\s*objectformat\s*=\s*sha256\s*$/im.test(config);
    return r;
  }

  /** `git init --bare` and the origin remote, unless the repository exists (go's newGitRepo). */
  async #init(): Promise<void> {
    const { dir, remoteURL: remote, ctx } = this;
    const r = this;
    if (!(await exists(join(dir, 'objects')))) {
      r.#fresh = true;
      let sha256Remote = false;
      try {
        const refs = await r.#loadRefs(remote);
        for (const h of refs.values()) {
          sha256Remote = h.length === 64;
          break;
        }
      } catch {
        // go ignores the error here; the cached failure is reported by the first real use.
      }
      const flag = sha256Remote ? ['--object-format=sha256'] : (await supportsSHA256(ctx.runner)) ? ['--object-format=sha1'] : [];
      await r.#git(['git', 'init', '--bare', ...flag]);
      await r.#git(['git', 'remote', 'add', 'origin', '--', remote]);
    }
  }

  #git(args: string[]): Promise<Buffer> {
    return this.ctx.runner.run(args, { dir: this.dir, env: { GIT_DIR: this.dir } });
  }

  /** Runs f with the repository's fetch lock held (go's r.mu). */
  #locked<T>(f: () => Promise<T>): Promise<T> {
    const p = this.#lock.catch(() => undefined).then(async () => {
      const held = await this.ctx.locker?.lock(this.dir + '.lock');
      try {
        return await f();
      } finally {
        await held?.release();
      }
    });
    this.#lock = p;
    return p;
  }

  #hexLen(): number {
    return this.#sha256 ? 64 : 40;
  }

  /** Refs of the remote (HEAD, refs/heads/*, refs/tags/*), from one ls-remote per run. */
  loadRefs(): Promise<Map<string, string>> {
    return this.#loadRefs('origin');
  }

  #loadRefs(remote: string): Promise<Map<string, string>> {
    this.#refs ??= (async () => {
      let out: Buffer;
      try {
        out = await this.#git(['git', 'ls-remote', '-q', '--end-of-options', remote]);
      } catch (e) {
        if (e instanceof RunError) {
          if (e.stderr.includes('fatal: could not read Username')) e.setHelp(HELP_TEXT);
          if (/^https?:/.test(this.remoteURL) && (await this.ctx.probeNotExist(this.remoteURL).catch(() => false))) {
            throw new NotExistWrap(e);
          }
        }
        throw e;
      }
      const refs = new Map<string, string>();
      for (const line of out.toString('utf8').split('\n')) {
        const f = line.split(/\s+/).filter((s) => s !== '');
        if (f.length !== 2) continue;
        if (f[1] === 'HEAD' || f[1]!.startsWith('refs/heads/') || f[1]!.startsWith('refs/tags/')) refs.set(f[1]!, f[0]!);
      }
      for (const [ref, hash] of [...refs]) {
        if (ref.endsWith('^{}')) {
          refs.set(ref.slice(0, -3), hash);
          refs.delete(ref);
        }
      }
      return refs;
    })();
    return this.#refs;
  }

  /** Tags with the prefix, sorted, and their Origin with go's TagSum. */
  async tags(prefix: string): Promise<CodeTags> {
    const refs = await this.loadRefs();
    const list: { name: string; hash: string }[] = [];
    for (const [ref, hash] of refs) {
      if (!ref.startsWith('refs/tags/')) continue;
      const tag = ref.slice('refs/tags/'.length);
      if (tag.startsWith(prefix)) list.push({ name: tag, hash });
    }
    list.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    const dir = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const h = createHash('sha256');
    for (const t of list) if (isOriginTag(t.name.startsWith(dir) ? t.name.slice(dir.length) : t.name)) h.update(`${quote(t.name)} ${t.hash}\n`);
    return { origin: { VCS: 'git', URL: this.remoteURL, TagPrefix: prefix, TagSum: 't1:' + h.digest('base64') }, list };
  }

  /**
   * Resolves when the repository still matches an earlier answer's Origin (go's gitRepo.CheckReuse):
   * same remote and subdirectory, the Ref still at the Hash, the same tags under TagPrefix, the same
   * refs overall; one `git ls-remote`, shared with the rest of the run.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/codehost/git.go (CheckReuse)
   */
  async checkReuse(old: Readonly<Origin>, subdir: string): Promise<void> {
    const field = (k: keyof Origin): string => old[k] ?? '';
    if (field('VCS') !== 'git' || field('URL') !== this.remoteURL) {
      throw new GoError('ENOREUSE', `origin moved from ${field('VCS')} ${quote(field('URL'))} to git ${quote(this.remoteURL)}`);
    }
    if (field('Subdir') !== subdir) throw new GoError('ENOREUSE', `origin moved from subdirectory ${quote(field('Subdir'))} to ${quote(subdir)}`);
    // A Hash alone only has to stay in the repository, which go takes on trust; with neither a Hash
    // nor sums there is nothing to check.
    if (field('Hash') === '' && field('TagSum') === '' && field('RepoSum') === '') throw new GoError('ENOREUSE', 'non-specific origin');
    const refs = await this.loadRefs();
    const ref = field('Ref');
    if (ref !== '') {
      const hash = refs.get(ref);
      if (hash === undefined) throw new GoError('ENOREUSE', `ref ${quote(ref)} deleted`);
      if (hash !== field('Hash')) throw new GoError('ENOREUSE', `ref ${quote(ref)} moved from ${field('Hash')} to ${hash}`);
    }
    if (field('TagSum') !== '' && (await this.tags(field('TagPrefix'))).origin.TagSum !== field('TagSum')) throw new GoError('ENOREUSE', 'tags changed');
    if (field('RepoSum') !== '' && this.#repoSum(refs) !== field('RepoSum')) throw new GoError('ENOREUSE', 'refs changed');
  }

  /** go's repoSum over all refs (`r1:`), for negative results. */
  #repoSum(refs: Map<string, string>): string {
    const h = createHash('sha256');
    for (const ref of [...refs.keys()].sort()) h.update(`${quote(ref)} ${refs.get(ref)}\n`);
    return 'r1:' + h.digest('base64');
  }

  /** The commit HEAD names, as go's Latest. */
  async latest(): Promise<CodeRevInfo> {
    const refs = await this.loadRefs();
    const head = refs.get('HEAD');
    if (head === undefined || head === '') throw new NoCommitsError();
    const info = await this.stat(head);
    return { ...info, origin: { ...info.origin, Ref: 'HEAD', Hash: head } };
  }

  /** Resolves a revision (hash, tag, branch, HEAD), fetching as little as possible. */
  stat(rev: string): Promise<CodeRevInfo> {
    return this.#statCache.do(rev, () => this.#stat(rev));
  }

  async #stat(rev: string): Promise<CodeRevInfo> {
    const isHash = (s: string) => s.length >= MIN_HASH_DIGITS && s.length <= this.#hexLen() && /^[0-9a-f]+$/.test(s);
    let didStatLocal = false;
    if (isHash(rev)) {
      try {
        return await this.#statLocal(rev, rev);
      } catch {
        didStatLocal = true;
      }
    }
    // A repository this run created has no tags yet; otherwise go lists them (`git tag -l`).
    this.#localTags ??= this.#fresh ? Promise.resolve(new Set<string>()) : this.#git(['git', 'tag', '-l']).then(
      (out) => new Set(out.toString('utf8').split('\n').filter((l) => l !== '')),
      () => new Set<string>(),
    );
    const localTags = await this.#localTags;
    if (localTags.has(rev)) return this.#statLocal(rev, 'refs/tags/' + rev);

    const refs = await this.loadRefs();
    let ref = '';
    let hash = '';
    if ((refs.get('refs/tags/' + rev) ?? '') !== '') {
      ref = 'refs/tags/' + rev;
      hash = refs.get(ref)!;
    } else if ((refs.get('refs/heads/' + rev) ?? '') !== '') {
      ref = 'refs/heads/' + rev;
      hash = refs.get(ref)!;
      rev = hash;
    } else if (rev === 'HEAD' && (refs.get('HEAD') ?? '') !== '') {
      ref = 'HEAD';
      hash = refs.get(ref)!;
      rev = hash;
    } else if (isHash(rev)) {
      const prefix = rev;
      for (const [k, h] of refs) {
        if (h.startsWith(prefix)) {
          if (hash !== '' && hash !== h) throw new AmbiguousRevisionError(rev);
          if (ref === '' || ref > k) ref = k;
          rev = h;
          hash = h;
        }
      }
      if (hash === '' && rev.length === this.#hexLen()) hash = rev;
    } else {
      throw new UnknownRevisionError(rev, { VCS: 'git', URL: this.remoteURL, RepoSum: this.#repoSum(refs) });
    }

    const finish = (info: CodeRevInfo): CodeRevInfo => {
      const origin: CodeOrigin = { ...info.origin, Hash: info.name };
      if (ref !== origin.Hash) origin.Ref = ref;
      else delete origin.Ref;
      if (ref === '') delete origin.Ref;
      return { ...info, origin };
    };

    return this.#locked(async () => {
      if (!didStatLocal) {
        const info = await this.#statLocal(rev, hash).catch(() => undefined);
        if (info !== undefined) {
          const tag = ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
          if (tag !== undefined && !info.tags.includes(tag)) {
            // The commit is here without its tag: add the tag and look again.
            await this.#git(['git', 'tag', '--end-of-options', tag, hash]);
            localTags.add(tag);
            return finish(await this.#statLocal(rev, ref));
          }
          return finish(info);
        }
      }
      if (this.#fetchLevel <= FETCH_SOME && ref !== '' && hash !== '') {
        this.#fetchLevel = FETCH_SOME;
        let refspec: string;
        if (ref === 'HEAD') {
          ref = hash;
          refspec = hash + ':refs/dummy';
        } else {
          refspec = ref + ':' + ref;
        }
        let fetched = false;
        try {
          await this.#git(['git', '-c', 'protocol.version=2', 'fetch', '-f', '--depth=1', '--end-of-options', 'origin', refspec]);
          fetched = true;
        } catch {
          // go falls back to a complete fetch whatever went wrong with the fetch.
        }
        // go returns statLocal's answer after a successful fetch, error included (no further fetch).
        if (fetched) return finish(await this.#statLocal(rev, ref));
      }
      await this.#fetchRefsLocked();
      return finish(await this.#statLocal(rev, rev));
    });
  }

  async #fetchRefsLocked(): Promise<void> {
    if (this.#fetchLevel >= FETCH_ALL) return;
    await this.#git(['git', 'fetch', '-f', '--end-of-options', 'origin', 'refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*']);
    if (await exists(join(this.dir, 'shallow'))) await this.#git(['git', 'fetch', '--unshallow', '-f', '--end-of-options', 'origin']);
    this.#fetchLevel = FETCH_ALL;
  }

  async #statLocal(version: string, rev: string): Promise<CodeRevInfo> {
    let out: string;
    try {
      out = (await this.#git(['git', '-c', 'log.showsignature=false', 'log', '--no-decorate', '-n1', '--format=format:%H %ct %D', '--end-of-options', rev, '--'])).toString('utf8');
    } catch {
      let origin: CodeOrigin | undefined;
      try {
        origin = { VCS: 'git', URL: this.remoteURL, RepoSum: this.#repoSum(await this.loadRefs()) };
      } catch {
        origin = undefined;
      }
      throw new UnknownRevisionError(rev, origin);
    }
    const f = out.split(/\s+/).filter((s) => s !== '');
    if (f.length < 2) throw new GoError('EGITLOG', `unexpected response from git log: ${quote(out)}`);
    const hash = f[0]!;
    if (hash.startsWith(version)) version = hash;
    const t = Number.parseInt(f[1]!, 10);
    if (!Number.isFinite(t)) throw new GoError('EGITLOG', `invalid time from git log: ${quote(out)}`);
    const origin: CodeOrigin = { VCS: 'git', URL: this.remoteURL, Hash: hash };
    if (!hash.startsWith(rev)) origin.Ref = rev;
    let tags: string[] = [];
    for (let i = 2; i < f.length; i++) {
      if (f[i] === 'tag:' && i + 1 < f.length) tags.push(f[++i]!.replace(/,$/, ''));
    }
    try {
      for (const [ref, h] of await this.loadRefs()) if (h === hash && ref.startsWith('refs/tags/')) tags.push(ref.slice('refs/tags/'.length));
    } catch {
      // as go: refs are best effort here
    }
    tags = [...new Set(tags)].sort();
    const info: CodeRevInfo = {
      origin, name: hash, short: this.#short(hash), time: t, version: hash, tags,
    };
    if (tags.includes(version)) info.version = version;
    return info;
  }

  #short(hash: string): string {
    return /^[0-9a-f]+$/.test(hash) && hash.length === this.#hexLen() ? hash.slice(0, 12) : hash;
  }

  /** The bytes of `file` at `rev`, or a NotExist error. */
  async readFile(rev: string, file: string): Promise<Buffer> {
    const info = await this.stat(rev);
    // go runs cat-file on every call; a commit's files never change, so one run asks once.
    const key = `${info.name}:${file}`;
    return this.#files.do(key, () => this.#git(['git', 'cat-file', '--end-of-options', 'blob', key]).catch(() => {
      throw new FileNotExistError(file);
    }));
  }

  /** The highest allowed tag with the prefix merged into rev, as go's RecentTag. */
  async recentTag(rev: string, prefix: string, allowed: (tag: string) => Promise<boolean>): Promise<string> {
    const info = await this.stat(rev);
    rev = info.name;
    const describe = async (): Promise<{ tag: string; definitive: boolean }> => {
      const out = (await this.#git(['git', 'for-each-ref', '--format=%(refname)', `--merged=${rev}`])).toString('utf8');
      let highest = '';
      for (let line of out.split('\n')) {
        line = line.trim();
        if (!line.startsWith('refs/tags/')) continue;
        line = line.slice('refs/tags/'.length);
        if (!line.startsWith(prefix)) continue;
        if (!(await allowed(line))) continue;
        const semtag = line.slice(prefix.length);
        if (compare(semtag, highest) > 0) highest = semtag;
      }
      const tag = highest !== '' ? prefix + highest : '';
      return { tag, definitive: tag !== '' && !/^[0-9a-f]+$/.test(tag) };
    };
    const first = await describe();
    if (first.definitive) return first.tag;
    const tags = await this.tags(prefix + 'v');
    if (tags.list.length === 0) return '';
    await this.#locked(() => this.#fetchRefsLocked());
    return (await describe()).tag;
  }

  /** Whether tag is an ancestor of rev (fetching history if needed), as go's DescendsFrom. */
  async descendsFrom(rev: string, tag: string): Promise<boolean> {
    try {
      await this.#git(['git', 'merge-base', '--is-ancestor', '--', tag, rev]);
      return true;
    } catch {
      // shallow history can give false negatives: look further
    }
    const tags = await this.tags(tag);
    if (tags.list.length === 0) return false;
    await this.#stat(rev);
    await this.#locked(() => this.#fetchRefsLocked());
    try {
      await this.#git(['git', 'merge-base', '--is-ancestor', '--', tag, rev]);
      return true;
    } catch (e) {
      if (e instanceof RunError && e.exitCode === 1) return false;
      throw e;
    }
  }

  /** `git archive --format=zip` of rev (only `subdir` when given), go's attributes override applied. */
  async readZip(rev: string, subdir: string): Promise<Buffer> {
    const info = await this.stat(rev);
    return this.#locked(async () => {
      await ensureGitAttributes(this.dir);
      try {
        return await this.#git(['git', '-c', 'core.autocrlf=input', '-c', 'core.eol=lf', 'archive', '--format=zip', '--prefix=prefix/',
          '--end-of-options', info.name, ...(subdir !== '' ? [subdir] : [])]);
      } catch (e) {
        if (e instanceof RunError && e.stderr.includes('did not match any files')) throw new FileNotExistError(subdir);
        throw e;
      }
    });
  }
}

