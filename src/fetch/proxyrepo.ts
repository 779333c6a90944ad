/**
 * One module path on one GOPROXY URL: the requests of the GOPROXY protocol and go's checks of the
 * answers, each request retried as a unit (request, body, checks) by the retry policy. This is the
 * one place retries happen: the list walker and the wrappers above (listrepo.ts, repowrap.ts) never
 * repeat a request; they only move to the next GOPROXY entry as go's TryProxies does.
 *
 * Invariants (go 1.26 modfetch/proxy.go):
 * - URLs: `<base>/<EscapePath(path)>/@v/list`, `/@latest`, `/@v/<EscapeVersion(v)>.{info,mod,zip}`;
 *   the escaped path is PathEscape'd with `/` kept, so `!` is sent as `%21`.
 * - list: lines split into fields; field 1 kept if valid semver, with the prefix, not a pseudo-version;
 *   result semver-sorted.
 * - latest from list (when `@latest` is missing): the newest by the RFC 3339 time in field 2, or by the
 *   pseudo-version's time when there is no field 2; tagged versions without time are skipped; none
 *   gives `no commits`.
 * - stat: bad JSON gives `invalid response from proxy "<redacted base>": <json error>`; a canonical,
 *   valid request answered with another version gives
 *   `proxy returned info for version X instead of requested version`.
 * - Errors are wrapped `path@version: …` (`path@rev: invalid version: …` when rev is not canonical),
 *   `module path: …` without a version.
 *
 * @see https://go.dev/ref/mod#goproxy-protocol
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/proxy.go
 */
import type { FileHandle } from 'node:fs/promises';
import { writeSync } from 'node:fs';
import { decodeInfo, InfoDecodeError, type RevInfo } from '../cache/index.js';
import { quote } from '../internal/gostrconv.js';
import { parseRFC3339, unixNano } from '../internal/gotime.js';
import {
  canonicalVersion, check, escapePath, escapeVersion, InvalidVersionError, isPseudoVersion, isValid, ModuleError,
  pseudoVersionTime, sortVersions,
} from '../module/index.js';
import { BadResponseError, isNotExist, NotExistError, ZipTooLargeError, ZipWriteError } from './errors.js';
import type { Trace } from './events.js';
import { joinPath, pathEscape, redacted, type GoUrl } from '../internal/gourl.js';
import { bodyError, eachChunk, type HttpBody } from './http.js';
import { giveUpEvent, withRetry, type RetryPolicy } from './retry.js';
import { MAX_ZIP_FILE } from '../verify/zipcheck.js';
import type { Repo } from '../module/repo.js';
import { collectIfHeavy } from '../verify/gcpressure.js';

/** Largest metadata body read into memory (go.mod files are capped at 16 MiB by x/mod). */
const MAX_METADATA = 64 << 20;

/** What a proxy repo needs from the outside world. */
export interface RepoContext {
  readonly open: (url: GoUrl) => Promise<HttpBody>;
  readonly trace: Trace;
  readonly retry: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
}

/** go's proxyRepo.versionError. */
export function versionError(path: string, version: string, err: Error): Error {
  if (version !== '' && version !== canonicalVersion(version)) {
    const inv = new InvalidVersionError(version, err.message, isPseudoVersion(version));
    inv.cause = err; // keeps not-exist visible, as Go's InvalidVersionError.Unwrap does
    return new ModuleError(path, '', inv);
  }
  return new ModuleError(path, version, err);
}

function isWrapped(e: unknown): boolean {
  return e instanceof ModuleError;
}

/** The GOPROXY protocol for one module path on one proxy (go's proxyRepo). */
export class ProxyRepo implements Repo {
  readonly #url: GoUrl;
  readonly #redactedBase: string;
  #listLines: Promise<string[]> | undefined;

  constructor(base: GoUrl, readonly path: string, readonly ctx: RepoContext) {
    this.#redactedBase = redacted(base);
    const enc = escapePath(path);
    this.#url = {
      ...base,
      path: base.path.replace(/\/$/, '') + '/' + enc,
      rawPath: base.rawPath.replace(/\/$/, '') + '/' + pathEscape(enc).replaceAll('%2F', '/'),
    };
  }

  /** The URL of a file under the module (go's getBody joining rules). */
  urlOf(rel: string): GoUrl {
    return {
      ...this.#url,
      path: joinPath(this.#url.path, rel),
      rawPath: joinPath(this.#url.rawPath, pathEscape(rel).replaceAll('%2F', '/')),
    };
  }

  /** GETs `rel` and hands the body to `consume`, retrying the pair as one unit. */
  async #get<T>(rel: string, consume: (b: HttpBody) => Promise<T>): Promise<T> {
    const url = this.urlOf(rel);
    return withRetry(async () => consume(await this.ctx.open(url)), {
      policy: this.ctx.retry, sleep: this.ctx.sleep, random: this.ctx.random, now: this.ctx.now,
      onRetry: (attempt, delayMs, failure) => this.ctx.trace({
        kind: 'retry', url: redacted(url), attempt, delayMs, reason: (failure as Error).message,
      }),
      onGiveUp: (g) => this.ctx.trace(giveUpEvent(redacted(url), g)),
    });
  }

  async #bytes(rel: string): Promise<Uint8Array> {
    const data = await this.#get(rel, (b) => readAll(b, MAX_METADATA));
    this.#received(data.length);
    return data;
  }

  /** Reports body bytes received over the network (file:// reads report nothing, as for -x). */
  #received(n: number): void {
    if (this.#url.scheme !== 'file') this.ctx.trace({ kind: 'bytes', n });
  }

  #lines(): Promise<string[]> {
    this.#listLines ??= this.#bytes('@v/list').then((d) => Buffer.from(d).toString('utf8').split('\n'));
    return this.#listLines;
  }

  /** `@v/list`, filtered like go's proxyRepo.Versions. */
  async versions(prefix: string): Promise<string[]> {
    let lines: string[];
    try {
      lines = await this.#lines();
    } catch (e) {
      throw versionError(this.path, '', e as Error);
    }
    const list = lines.map(fields).filter((f) => f.length >= 1 && isValid(f[0]!) && f[0]!.startsWith(prefix) &&
      !isPseudoVersion(f[0]!)).map((f) => f[0]!);
    return sortVersions(list);
  }

  /** `@latest`, falling back to the newest list entry with a time on not-exist. */
  async latest(): Promise<RevInfo> {
    let raw: Uint8Array;
    try {
      raw = await this.#bytes('@latest');
    } catch (e) {
      if (!isNotExist(e)) throw versionError(this.path, '', e as Error);
      return this.#latestFromList();
    }
    return this.#decode('', raw);
  }

  async #latestFromList(): Promise<RevInfo> {
    let lines: string[];
    try {
      lines = await this.#lines();
    } catch (e) {
      throw versionError(this.path, '', e as Error);
    }
    let bestTime = ZERO_NANOS;
    let bestVersion = '';
    for (const f of lines.map(fields)) {
      if (f.length < 1 || !isValid(f[0]!)) continue;
      let t = ZERO_NANOS;
      if (f.length >= 2) {
        try {
          t = unixNano(parseRFC3339(f[1]!));
        } catch {
          t = ZERO_NANOS; // go ignores the parse error: a zero time never wins
        }
      } else if (isPseudoVersion(f[0]!)) {
        try {
          t = BigInt(pseudoVersionTime(f[0]!).getTime()) * 1_000_000n;
        } catch {
          t = ZERO_NANOS;
        }
      } else {
        continue;
      }
      if (t > bestTime) {
        bestTime = t;
        bestVersion = f[0]!;
      }
    }
    if (bestVersion === '') throw versionError(this.path, '', new NotExistError('ENOCOMMITS', 'no commits'));
    return this.stat(bestVersion);
  }

  #decode(rev: string, raw: Uint8Array): RevInfo {
    try {
      return decodeInfo(raw);
    } catch (e) {
      if (!(e instanceof InfoDecodeError)) throw e;
      throw versionError(this.path, rev,
        new BadResponseError(`invalid response from proxy ${quote(this.#redactedBase)}: ${e.message}`, e));
    }
  }

  /** `@v/<rev>.info`, with go's checks. */
  async stat(rev: string): Promise<RevInfo> {
    let enc: string;
    try {
      enc = escapeVersion(rev);
    } catch (e) {
      throw versionError(this.path, rev, e as Error);
    }
    let raw: Uint8Array;
    try {
      raw = await this.#bytes(`@v/${enc}.info`);
    } catch (e) {
      throw versionError(this.path, rev, e as Error);
    }
    const info = this.#decode(rev, raw);
    if (info.Version !== rev && rev === canonicalVersion(rev) && checks(this.path, rev)) {
      throw versionError(this.path, rev, new BadResponseError(
        `proxy returned info for version ${info.Version} instead of requested version`));
    }
    return info;
  }

  /** `@v/<v>.mod`; v must be canonical. */
  async goMod(version: string): Promise<Uint8Array> {
    if (version !== canonicalVersion(version)) {
      throw versionError(this.path, version, new Error('internal error: version passed to GoMod is not canonical'));
    }
    try {
      return await this.#bytes(`@v/${escapeVersion(version)}.mod`);
    } catch (e) {
      throw isWrapped(e) ? e : versionError(this.path, version, e as Error);
    }
  }

  /**
   * `@v/<v>.zip` streamed into `dest` from offset 0 (truncated first on every try), at most 500 MiB.
   * @returns the number of bytes written
   */
  async zip(version: string, dest: FileHandle): Promise<number> {
    if (version !== canonicalVersion(version)) {
      throw versionError(this.path, version, new Error('internal error: version passed to Zip is not canonical'));
    }
    try {
      return await this.#get(`@v/${escapeVersion(version)}.zip`, async (b) => {
        await dest.truncate(0);
        let n = 0;
        try {
          await eachChunk(b.body, (buf) => {
            const room = MAX_ZIP_FILE + 1 - n;
            const part = buf.length > room ? buf.subarray(0, room) : buf;
            // Written at once, not through the thread pool: a chunk awaiting an asynchronous write
            // outlived young collections, and only full ones freed it (gcpressure.ts forced about 40
            // on a cold caddy run's main thread, 0.4 s; 9 this way, and 10-15 MiB less peak RSS).
            writeSync(dest.fd, part, 0, part.length, n);
            n += part.length;
            this.#received(part.length);
            if (n > MAX_ZIP_FILE) return false;
            collectIfHeavy(); // the chunks just written are garbage (see gcpressure.ts)
            return true;
          });
        } catch (e) {
          b.body.destroy();
          if (e instanceof Error && 'syscall' in e && (e as NodeJS.ErrnoException).syscall === 'write') throw new ZipWriteError(b.url, e);
          throw bodyError(b.url, e);
        }
        if (n > MAX_ZIP_FILE) {
          b.body.destroy();
          throw new ZipTooLargeError();
        }
        return n;
      });
    } catch (e) {
      throw versionError(this.path, version, e as Error);
    }
  }
}

const ZERO_NANOS = -62135596800000000000n; // go's zero time; never "after" anything

function fields(line: string): string[] {
  return line.split(/[\t\n\v\f\r \u0085\u00a0]+/).filter((s) => s !== '');
}

function checks(path: string, version: string): boolean {
  try {
    check(path, version);
    return true;
  } catch {
    return false;
  }
}

async function readAll(b: HttpBody, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of b.body) {
      const buf = chunk as Buffer;
      n += buf.length;
      if (n > limit) throw new BadResponseError(`response body larger than ${limit} bytes`);
      chunks.push(buf);
    }
  } catch (e) {
    b.body.destroy();
    if (e instanceof BadResponseError) throw e;
    throw bodyError(b.url, e);
  }
  return Buffer.concat(chunks);
}

