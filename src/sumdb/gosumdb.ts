// The go command's side of the checksum database (cmd/go/internal/modfetch/sumdb.go, key.go and
// fetch.go checkSumDB): GOSUMDB parsing, the files it keeps, and go's verification error texts.
//
// Storage: the latest signed tree head at $GOPATH[0]/pkg/sumdb/<name>/latest; verified lookups and
// tiles at $GOMODCACHE/cache/download/sumdb/<name>/{lookup,tile}/… (an empty file counts as missing).
import { randomInt } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { matchPrefixPatterns, MODULE_VERSION, type ModuleScoped } from '../module/index.js';
import { bytesEqual, utf8Bytes } from './bytes.js';
import { SumdbClient, WriteConflictError, findSecurityReport, type ClientOps } from './client.js';
import { SumdbError } from './errors.js';
import { newVerifier } from './note.js';

/** The public database's name and key (cmd/go modfetch/key.go). */
export const KNOWN_GOSUMDB: Readonly<Record<string, string>> = Object.freeze({
  'sum.golang.org': 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8',
});

/** A parsed GOSUMDB. */
export interface GosumdbConfig {
  /** Database name (`sum.golang.org`), used in proxy URLs and file paths. */
  name: string;
  /** The verifier key. */
  key: string;
  /** Explicit base URL from GOSUMDB's second field; it bypasses GOPROXY. */
  url?: string;
  /** `https://<name>`: the base when no proxy supports the database. */
  direct: string;
}

/** A GOSUMDB problem, with go's text (`missing GOSUMDB`, `invalid GOSUMDB: …`, …). */
export class GosumdbError extends SumdbError {
  constructor(message: string) {
    super('ESUMDB_CONFIG', message);
  }
}

// Does https://<name> parse back to exactly {Scheme, Host, Path} with no RawPath, as cmd/go requires?
function nameURL(name: string): { host: string; path: string; ok: boolean } {
  const slash = name.indexOf('/');
  const host = slash < 0 ? name : name.slice(0, slash);
  const path = slash < 0 ? '' : name.slice(slash);
  const ok =
    host !== '' &&
    !name.endsWith('/') &&
    !/[?#%@]/.test(name) &&
    /^[A-Za-z0-9\-._~!$&'()*,;=]+(:[0-9]*)?$/.test(host) &&
    /^[A-Za-z0-9\-._~$&,/:;=@]*$/.test(path); // any other byte would set url.URL.RawPath
  return { host, path, ok };
}

/**
 * Parses GOSUMDB as cmd/go's dbDial does: `off`, a known name, a verifier key, either followed by
 * a URL; `sum.golang.google.cn` is an alias. Throws GosumdbError with go's texts.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/sumdb.go dbDial
 */
export function parseGosumdb(gosumdb: string): GosumdbConfig {
  if (gosumdb === 'sum.golang.google.cn') gosumdb = 'sum.golang.org https://sum.golang.google.cn';
  if (gosumdb === 'off') throw new GosumdbError('checksum database disabled by GOSUMDB=off');
  const key = gosumdb.split(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/).filter((f) => f !== '');
  if (key.length >= 1) key[0] = KNOWN_GOSUMDB[key[0]!] ?? key[0]!;
  if (key.length === 0) throw new GosumdbError('missing GOSUMDB');
  if (key.length > 2) throw new GosumdbError('invalid GOSUMDB: too many fields');
  let name: string;
  try {
    name = newVerifier(key[0]!).name;
  } catch (err) {
    throw new GosumdbError(`invalid GOSUMDB: ${(err as Error).message}`);
  }
  const u = nameURL(name);
  if (!u.ok) {
    throw new GosumdbError(
      `invalid sumdb name (must be host[/path]): ${name} {Scheme:https Opaque: User:<nil> Host:${u.host} Path:${u.path} ` +
        'RawPath: OmitHost:false ForceQuery:false RawQuery: Fragment: RawFragment:}',
    );
  }
  const cfg: GosumdbConfig = { name, key: key[0]!, direct: `https://${name}` };
  if (key.length >= 2) {
    const bad = /%(?![0-9A-Fa-f]{2})/.exec(key[1]!);
    if (bad !== null || /[\x00-\x1f\x7f]/.test(key[1]!)) {
      const esc = bad !== null ? key[1]!.slice(bad.index, bad.index + 3) : '';
      throw new GosumdbError(
        bad !== null ? `invalid GOSUMDB URL: parse "${key[1]}": invalid URL escape "${esc}"` : `invalid GOSUMDB URL: parse "${key[1]}": net/url: invalid control character in URL`,
      );
    }
    cfg.url = key[1]!;
  }
  return cfg;
}

/**
 * Whether go consults the checksum database for a module path: GOSUMDB is not `off` and the path
 * is not in GONOSUMDB (whose default, GOPRIVATE, the caller resolves); `golang.org/toolchain`
 * always, except with a lone file:// GOPROXY or proxy.golang.org's own user agent.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/sumdb.go useSumDB
 */
export function useSumDB(
  env: { GOSUMDB: string; GONOSUMDB: string; GOPROXY: string; GIT_HTTP_USER_AGENT?: string },
  path: string,
): boolean {
  if (path === 'golang.org/toolchain') {
    const fileProxy = env.GOPROXY.startsWith('file://') && !/[,|]/.test(env.GOPROXY);
    const proxyItself = (env.GIT_HTTP_USER_AGENT ?? '').includes('proxy.golang.org');
    if (!fileProxy && !proxyItself) return true;
  }
  return env.GOSUMDB !== 'off' && !matchPrefixPatterns(env.GONOSUMDB, path);
}

/** Where the files live and how to reach the database. */
export interface SumdbOptions {
  /** GOSUMDB as go sees it (after defaults). */
  gosumdb: string;
  /** GOPATH (a list; the first entry holds pkg/sumdb). */
  gopath: string;
  /** Why GOPATH is unusable, for go's `missing $GOPATH` error (cfg.GoPathError). */
  gopathError?: string;
  /** GOMODCACHE. */
  gomodcache: string;
  /**
   * GET a database path (`/lookup/…`, `/tile/…`) relative to the database's base URL, which the
   * transport chooses (GOSUMDB's URL, a GOPROXY that answers /sumdb/<name>/supported, or direct).
   */
  read: (path: string, db: GosumdbConfig) => Promise<Uint8Array>;
  /** Tile height (8; tests may change it). */
  tileHeight?: number;
}

// Temp file + rename, so a reader (go's lockedfile.Read included) sees the old or the new content.
async function writeAtomic(file: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}${randomInt(1e9)}.tmp`;
  try {
    await writeFile(tmp, data, { flag: 'wx', mode: 0o666 });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * The ClientOps of cmd/go's dbClient, on the real file system.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/sumdb.go dbClient
 */
export function fileClientOps(db: GosumdbConfig, opts: SumdbOptions, onSecurityError: (msg: string) => void): ClientOps {
  const first = opts.gopath.split(delimiter)[0] ?? '';
  const sumdbDir = first === '' ? '' : join(first, 'pkg/sumdb');
  const cacheDir = join(opts.gomodcache, 'cache/download/sumdb');
  const noGopath = (): GosumdbError =>
    new GosumdbError(`could not locate sumdb file: missing $GOPATH: ${opts.gopathError ?? ''}`);
  return {
    readRemote: (path) => opts.read(path, db),
    async readConfig(file) {
      if (file === 'key') return utf8Bytes(db.key);
      if (sumdbDir === '') throw noGopath();
      try {
        return new Uint8Array(await readFile(join(sumdbDir, file)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Uint8Array(0);
        throw err;
      }
    },
    async writeConfig(file, old, data) {
      if (file === 'key') throw new GosumdbError('cannot write key');
      if (sumdbDir === '') throw noGopath();
      const target = join(sumdbDir, file);
      let cur = new Uint8Array(0);
      try {
        cur = new Uint8Array(await readFile(target));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      if (cur.length > 0 && !bytesEqual(cur, old)) throw new WriteConflictError();
      await writeAtomic(target, data);
    },
    async readCache(file) {
      const data = new Uint8Array(await readFile(join(cacheDir, file)));
      if (data.length === 0) throw Object.assign(new Error(`read ${join(cacheDir, file)}: file does not exist`), { code: 'ENOENT' });
      return data;
    },
    async writeCache(file, data) {
      await writeAtomic(join(cacheDir, file), data);
    },
    securityError: onSecurityError,
  };
}

/** A module version as checkSumDB sees it (Version may end in `/go.mod`). */
export interface ModVersion {
  path: string;
  version: string;
}

/** A failed checkSumDB: `PATH@VER: verifying NOUN: …`; `securityReport` is set for a forked log. */
export class SumdbVerifyError extends SumdbError implements ModuleScoped {
  readonly path: string;
  readonly version: string;
  readonly securityReport: string | undefined;
  /** go's checkSumDB returns module.VersionError(…): a ModuleError of the module without `/go.mod`. */
  readonly [MODULE_VERSION]: { readonly path: string; readonly version: string };
  constructor(code: string, mod: ModVersion, detail: string, cause?: unknown) {
    const version = mod.version.endsWith('/go.mod') ? mod.version.slice(0, -'/go.mod'.length) : mod.version;
    super(code, `${mod.path}@${version}: ${detail}`, { cause });
    this.path = mod.path;
    this.version = version;
    this[MODULE_VERSION] = { path: mod.path, version };
    this.securityReport = findSecurityReport(cause);
  }
}

const SUMDB_MISMATCH =
  '\n\nSECURITY ERROR\nThis download does NOT match the one reported by the checksum server.\n' +
  'The bits may have been replaced on the origin server, or an attacker may\n' +
  'have intercepted the download attempt.\n\n' +
  "For more information, see 'go help module-auth'.\n";

const SUMDB_ABSENT =
  '\n\nSECURITY ERROR\nThis download does NOT match one reported by the checksum server.\n' +
  'The checksum server has provided checksums, but the checksums do\n' +
  'not contain an entry for the download.\n' +
  'The checksum server may be malfunctioning, or an attacker may have\n' +
  'intercepted the checksum request.\n' +
  'The download cannot be verified.\n\n' +
  "For more information, see 'go help module-auth'.\n";

/**
 * The go command's checksum database: one client per run, dialled lazily so that a bad GOSUMDB
 * only fails the modules that need it, with go's texts.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/sumdb.go
 */
export class GoSumdb {
  private dialed: { db: GosumdbConfig; client: SumdbClient } | GosumdbError | undefined;
  /** SECURITY ERROR texts reported so far (go prints the first and exits 1). */
  readonly securityReports: string[] = [];

  constructor(private readonly opts: SumdbOptions) {}

  private dial(): { db: GosumdbConfig; client: SumdbClient } {
    if (this.dialed === undefined) {
      try {
        const db = parseGosumdb(this.opts.gosumdb);
        const ops = fileClientOps(db, this.opts, (msg) => this.securityReports.push(msg));
        this.dialed = { db, client: new SumdbClient(ops, { tileHeight: this.opts.tileHeight ?? 8 }) };
      } catch (err) {
        this.dialed = err instanceof GosumdbError ? err : new GosumdbError((err as Error).message);
      }
    }
    if (this.dialed instanceof GosumdbError) throw this.dialed;
    return this.dialed;
  }

  /**
   * The database's lines for a module version, and the database name.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/sumdb.go lookupSumDB
   */
  async lookup(mod: ModVersion): Promise<{ dbname: string; lines: string[] }> {
    const { db, client } = this.dial();
    return { dbname: db.name, lines: await client.lookup(mod.path, mod.version) };
  }

  /**
   * Checks a downloaded hash against the database. Rejects with SumdbVerifyError carrying go's
   * text: the lookup failure, `checksum mismatch` + SECURITY ERROR, or `checksum missing from
   * sumdb response` + SECURITY ERROR.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go checkSumDB
   */
  async checkSumDB(mod: ModVersion, h: string): Promise<void> {
    const noun = mod.version.endsWith('/go.mod') ? 'go.mod' : 'module';
    let result: { dbname: string; lines: string[] };
    try {
      result = await this.lookup(mod);
    } catch (err) {
      const code = err instanceof SumdbError ? err.code : 'ESUMDB_LOOKUP';
      throw new SumdbVerifyError(code, mod, `verifying ${noun}: ${(err as Error).message}`, err);
    }
    const have = `${mod.path} ${mod.version} ${h}`;
    const prefix = `${mod.path} ${mod.version} h1:`;
    for (const line of result.lines) {
      if (line === have) return;
      if (line.startsWith(prefix)) {
        throw new SumdbVerifyError(
          'ESUMDB_MISMATCH',
          mod,
          `verifying ${noun}: checksum mismatch\n\tdownloaded: ${h}\n\t${result.dbname}: ${line.slice(prefix.length - 3)}${SUMDB_MISMATCH}`,
        );
      }
    }
    throw new SumdbVerifyError('ESUMDB_ABSENT', mod, `verifying ${noun}: checksum missing from sumdb response${SUMDB_ABSENT}`);
  }
}
