/**
 * Finding the repository of an import path, as go's vcs.RepoRootForImportPath does in module mode:
 * go's table of known hosting sites first, then the `?go-get=1` protocol (`<meta name="go-import"
 * content="prefix vcs repo [subdir]">`, `mod` entries preferred), https first and http only for
 * GOINSECURE paths, with the second look-up at the prefix for paths below it.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/vcs/vcs.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/vcs/discovery.go
 * @see https://go.dev/ref/mod#vcs-find
 */
import { GoError } from '../internal/errors.js';
import { parseGoUrl } from '../internal/gourl.js';
import { quote } from '../internal/gostrconv.js';
import { VcsError } from './errors.js';
import { checkGOVCS, parseGOVCS } from './govcs.js';
import { readMetaGoImports, type MetaImport, type MetaImports } from './htmlmeta.js';

/** go's RepoRoot. */
export interface RepoRoot {
  /** Repository URL with scheme (for `mod`, the proxy base URL). */
  readonly repo: string;
  /** The import path that corresponds to the repository root (plus subDir). */
  readonly root: string;
  readonly subDir: string;
  readonly vcs: string;
}

/**
 * An answer of the discovery GET, whatever its status (go's web.Response): a go-import tag served
 * with a 404 counts.
 */
export interface DiscoveryResponse {
  /** The redacted URL asked (go's resp.URL). */
  readonly url: string;
  /**
   * The next bytes of the page, undefined at its end.
   * @throws an Error whose message is go's text of the failed read
   */
  read(): Promise<Uint8Array | undefined>;
  /** go's resp.Err(): undefined for a 200, else the status error (its detail from the page's first lines). */
  statusError(): Promise<Error | undefined>;
  /** Discards the rest of the page. */
  close(): void;
}

/** What discovery needs from the network. */
export interface DiscoveryEnv {
  /** go's web.Get(security, https://host/path?go-get=1): https, then http when insecure. @throws go's error text */
  readonly get: (hostPath: string, insecure: boolean) => Promise<DiscoveryResponse>;
  readonly GOVCS: string;
  readonly GOPRIVATE: string;
}

interface KnownHost {
  readonly prefix: string;
  readonly re: RegExp;
  readonly vcs: string;
  readonly noVCSSuffix: boolean;
}

/** go's vcsPaths table (the schemeless `host/path.vcs` form is handled by {@link schemeless}). */
const KNOWN_HOSTS: readonly KnownHost[] = [
  { prefix: 'github.com', re: /^(github\.com\/[\w.-]+\/[\w.-]+)(\/[\w.-]+)*$/, vcs: 'git', noVCSSuffix: true },
  { prefix: 'bitbucket.org', re: /^(bitbucket\.org\/[\w.-]+\/[\w.-]+)(\/[\w.-]+)*$/, vcs: 'git', noVCSSuffix: true },
  { prefix: 'hub.jazz.net/git', re: /^(hub\.jazz\.net\/git\/[a-z0-9]+\/[\w.-]+)(\/[\w.-]+)*$/, vcs: 'git', noVCSSuffix: true },
  { prefix: 'git.apache.org', re: /^(git\.apache\.org\/[a-z0-9_.-]+\.git)(\/[\w.-]+)*$/, vcs: 'git', noVCSSuffix: false },
  { prefix: 'git.openstack.org', re: /^(git\.openstack\.org\/[\w.-]+\/[\w.-]+)(\.git)?(\/[\w.-]+)*$/, vcs: 'git', noVCSSuffix: false },
  { prefix: 'chiselapp.com', re: /^(chiselapp\.com\/user\/[A-Za-z0-9]+\/repository\/[\w.-]+)$/, vcs: 'fossil', noVCSSuffix: false },
];

const SCHEMELESS = /(([a-z0-9.-]+\.)+[a-z0-9.-]+(:[0-9]+)?(\/~?[\w.-]+)+?)\.(bzr|fossil|git|hg|svn)(\/~?[\w.-]+)*$/;
const VCS_CMDS = ['hg', 'git', 'svn', 'bzr', 'fossil'];

function hasPathPrefix(s: string, prefix: string): boolean {
  return s === prefix || (s.startsWith(prefix) && (prefix.endsWith('/') || s[prefix.length] === '/'));
}

/** An import-path error (go's importError): `unrecognized import path "P": …` and friends. */
export class ImportPathError extends VcsError {
  constructor(readonly importPath: string, message: string) {
    super('EIMPORTPATH', message);
  }
}

/** Resolves import paths to repositories, caching prefix look-ups for the run. */
export class Discovery {
  readonly #env: DiscoveryEnv;
  readonly #prefixCache = new Map<string, Promise<{ url: string; imports: MetaImport[] }>>();
  #govcs: ReturnType<typeof parseGOVCS> | Error | undefined;

  constructor(env: DiscoveryEnv) {
    this.#env = env;
  }

  #checkGOVCS(vcs: string, root: string): void {
    if (vcs === 'mod') return; // before GOVCS is even parsed, as in go
    if (this.#govcs === undefined) {
      try {
        this.#govcs = parseGOVCS(this.#env.GOVCS);
      } catch (e) {
        this.#govcs = e as Error;
      }
    }
    if (this.#govcs instanceof Error) throw this.#govcs;
    checkGOVCS(this.#govcs, this.#env.GOPRIVATE, vcs, root);
  }

  /**
   * go's RepoRootForImportPath(importPath, PreferMod, security).
   * @param ping for a schemeless `host/repo.git` path: whether `scheme://repo` answers (git ls-remote)
   */
  async repoRoot(importPath: string, insecure: boolean, ping: (url: string) => Promise<boolean>): Promise<RepoRoot> {
    const known = await this.#fromKnownHosts(importPath, insecure, ping);
    if (known !== undefined) return known;
    try {
      return await this.#dynamic(importPath, insecure);
    } catch (e) {
      throw new ImportPathError(importPath, `unrecognized import path ${quote(importPath)}: ${(e as Error).message}`);
    }
  }

  /** go's repoRootFromVCSPaths; undefined for "dynamic lookup required". */
  async #fromKnownHosts(importPath: string, insecure: boolean, ping: (url: string) => Promise<boolean>): Promise<RepoRoot | undefined> {
    if (hasPathPrefix(importPath, 'example.net')) throw new VcsError('EEXAMPLE', 'no modules on example.net');
    if (importPath === 'rsc.io') throw new VcsError('ERSCIO', 'rsc.io is not a module');
    for (const p of ['http:', 'https:']) if (importPath.startsWith(p)) throw new VcsError('EHTTPPATH', `"${p}//" not allowed in import path`);
    for (const h of KNOWN_HOSTS) {
      if (!hasPathPrefix(importPath, h.prefix)) continue;
      const m = h.re.exec(importPath);
      if (m === null) throw new ImportPathError(importPath, `invalid ${h.prefix} import path ${quote(importPath)}`);
      const root = m[1]!;
      if (h.noVCSSuffix && VCS_CMDS.some((c) => root.endsWith('.' + c))) {
        throw new VcsError('EVCSSUFFIX', `invalid version control suffix in ${h.prefix}/ path`);
      }
      this.#checkGOVCS(h.vcs, root);
      return { repo: `https://${root}`, root, subDir: '', vcs: h.vcs };
    }
    const m = SCHEMELESS.exec(importPath);
    if (m === null) return undefined;
    const repo = m[1]!;
    const vcs = m[5]!;
    const root = `${repo}.${vcs}`;
    this.#checkGOVCS(vcs, root);
    const schemes = vcs === 'git' ? ['git', 'https', 'http', 'git+ssh', 'ssh'] : ['https', 'http'];
    const secure = new Set(['https', 'git+ssh', 'ssh']);
    for (const s of schemes) {
      if (!insecure && !secure.has(s)) continue;
      if (vcs !== 'git' || (await ping(`${s}://${repo}`))) return { repo: `${s}://${repo}`, root, subDir: '', vcs };
    }
    throw new VcsError('ENOPROTOCOL', `no ${insecure ? '' : 'secure '}protocol found for repository`);
  }

  async #dynamic(importPath: string, insecure: boolean): Promise<RepoRoot> {
    const hostPath = urlForImportPath(importPath);
    let resp: DiscoveryResponse;
    try {
      resp = await this.#env.get(hostPath, insecure);
    } catch (e) {
      throw new GoError('EDISCOVERY', `${insecure ? 'http/' : ''}https fetch: ${(e as Error).message}`);
    }
    const { imports, error } = await readPage(resp);
    if (error !== undefined) throw new GoError('EDISCOVERY', `parsing ${importPath}: ${error.message}`);
    const mmi = matchGoImport(imports, importPath, `//${hostPath}?go-get=1`, resp.url);
    if (mmi.prefix !== importPath) {
      const { url, imports: imports2 } = await this.#metaImportsForPrefix(mmi.prefix, insecure);
      let again: MetaImport | undefined;
      try {
        again = matchGoImport(imports2, importPath, url, url);
      } catch {
        again = undefined;
      }
      if (again === undefined || again.prefix !== mmi.prefix || again.vcs !== mmi.vcs || again.repoRoot !== mmi.repoRoot || again.subDir !== mmi.subDir) {
        throw new GoError('EDISCOVERY', `${resp.url} and ${url} disagree about go-import for ${mmi.prefix}`);
      }
    }
    if (mmi.subDir !== '' && (mmi.subDir[0] === '/' || mmi.subDir[0] === '-')) {
      throw new GoError('EDISCOVERY', `${resp.url}: invalid subdirectory ${quote(mmi.subDir)}: ${mmi.subDir[0] === '/' ? 'leading slash' : 'leading hyphen'}`);
    }
    const rootError = validateRepoRoot(mmi.repoRoot);
    if (rootError !== undefined) throw new GoError('EDISCOVERY', `${resp.url}: invalid repo root ${quote(mmi.repoRoot)}: ${rootError}`);
    if (mmi.vcs !== 'mod' && !VCS_CMDS.includes(mmi.vcs)) throw new GoError('EDISCOVERY', `${resp.url}: unknown vcs ${quote(mmi.vcs)}`);
    this.#checkGOVCS(mmi.vcs, mmi.prefix);
    return { repo: mmi.repoRoot, root: mmi.prefix, subDir: mmi.subDir, vcs: mmi.vcs };
  }

  /** go's metaImportsForPrefix (cached per prefix for the run). */
  #metaImportsForPrefix(prefix: string, insecure: boolean): Promise<{ url: string; imports: MetaImport[] }> {
    let p = this.#prefixCache.get(prefix);
    if (p === undefined) {
      p = (async () => {
        const hostPath = urlForImportPath(prefix);
        const url = `//${hostPath}?go-get=1`;
        let resp: DiscoveryResponse;
        try {
          resp = await this.#env.get(hostPath, insecure);
        } catch (e) {
          throw new GoError('EDISCOVERY', `fetching ${prefix}: ${(e as Error).message}`);
        }
        const { imports, error } = await readPage(resp);
        if (error !== undefined) throw new GoError('EDISCOVERY', `parsing ${resp.url}: ${error.message}`);
        if (imports.length === 0) throw new GoError('EDISCOVERY', `fetching ${prefix}: no go-import meta tag found in ${resp.url}`);
        return { url, imports };
      })();
      this.#prefixCache.set(prefix, p);
    }
    return p;
  }
}

/**
 * The go-import tags of a discovery answer, as both of go's callers of parseMetaGoImports read it:
 * with no tag found, a non-200 status is the error (rather than the page's XML error).
 * @throws the status error
 */
async function readPage(resp: DiscoveryResponse): Promise<MetaImports> {
  try {
    const parsed = await readMetaGoImports(() => resp.read());
    if (parsed.imports.length === 0) {
      const statusError = await resp.statusError();
      if (statusError !== undefined) throw statusError;
    }
    return parsed;
  } finally {
    resp.close();
  }
}

/** `host/path?go-get=1` without the scheme; go's urlForImportPath. */
function urlForImportPath(importPath: string): string {
  const slash = importPath.indexOf('/');
  const host = slash < 0 ? importPath : importPath.slice(0, slash);
  const path = slash < 0 ? '/' : importPath.slice(slash);
  if (!host.includes('.')) throw new GoError('EIMPORTPATH', 'import path does not begin with hostname');
  return host + path;
}

/** go's matchGoImport, with its two error forms. */
function matchGoImport(imports: readonly MetaImport[], importPath: string, url: string, respURL: string): MetaImport {
  let match = -1;
  const mismatches: string[] = [];
  for (let i = 0; i < imports.length; i++) {
    const im = imports[i]!;
    if (!hasPathPrefix(importPath, im.prefix)) {
      mismatches.push(im.prefix);
      continue;
    }
    if (match >= 0) {
      if (imports[match]!.vcs === 'mod' && im.vcs !== 'mod') break;
      throw new GoError('EDISCOVERY', `parse ${url}: multiple meta tags match import path ${quote(importPath)}`);
    }
    match = i;
  }
  if (match === -1) {
    const text = mismatches.map((p) => `meta tag ${p} did not match import path ${importPath}`).join(', ');
    throw new GoError('EDISCOVERY', `parse ${respURL}: no go-import meta tags (${text})`);
  }
  return imports[match]!;
}

/**
 * go's validateRepoRoot: the go-import repo root must parse as a URL (go's url.Parse, whose error
 * is the reason), with a scheme other than file.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/vcs/vcs.go (validateRepoRoot)
 */
function validateRepoRoot(repoRoot: string): string | undefined {
  let scheme: string;
  try {
    scheme = parseGoUrl(repoRoot).scheme;
  } catch (e) {
    return (e as Error).message;
  }
  if (scheme === '') return 'no scheme';
  if (scheme === 'file') return 'file scheme disallowed';
  return undefined;
}
