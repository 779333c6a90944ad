/**
 * Wiring of the `direct` source (src/vcs) into the fetcher: discovery requests go through the run's
 * HTTP client (proxies, GOAUTH credentials, -x lines), git commands report their -x lines as trace
 * events.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/web/http.go (get: https, then http for GOINSECURE)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/codehost/git.go (loadRefs: web.GetBytes)
 */
import type { GoEnv } from '../config/index.js';
import { GoError } from '../internal/errors.js';
import { DirectSource, type DiscoveryResponse } from '../vcs/index.js';
import { ERROR_DETAIL_READ_LIMIT, formatErrorDetail, wantsErrorDetail } from './errordetail.js';
import { HttpError } from './errors.js';
import type { Trace } from './events.js';
import type { HttpBody, HttpResponse } from './http.js';
import { transportReason } from './httperrors.js';

/** The HTTP side direct mode needs. */
interface Http {
  open(url: string): Promise<HttpBody>;
  get(url: string): Promise<HttpResponse>;
}

/**
 * The most of a go-import page read (go reads on to `</head>` however far that is): past it, the
 * read fails, which ends the page as a read error would.
 */
const MAX_PAGE = 64 << 20;

/** Builds the run's DirectSource. */
export function directSource(env: GoEnv, processEnv: Readonly<Record<string, string | undefined>>, http: Http, trace: Trace, localGoVersion?: string): DirectSource {
  return new DirectSource({
    localGoVersion,
    env: processEnv,
    GOMODCACHE: env.GOMODCACHE,
    GOINSECURE: env.GOINSECURE,
    GOPRIVATE: env.GOPRIVATE,
    get: (hostPath, insecure) => discoveryGet(http, hostPath, insecure),
    probeNotExist: async (url) => {
      // go's web.GetBytes is secure-only: an http URL is refused before any request.
      if (!url.startsWith('https://')) return false;
      try {
        (await http.open(url)).body.destroy();
        return false;
      } catch (e) {
        return e instanceof HttpError && e.notExist;
      }
    },
    trace: (line) => trace({ kind: 'cmd', line }),
  });
}

/**
 * go's web.Get(security, https://hostPath?go-get=1): the page whatever its status (https, then http
 * when insecure), or go's error when neither answered.
 */
async function discoveryGet(http: Http, hostPath: string, insecure: boolean): Promise<DiscoveryResponse> {
  let r: HttpResponse;
  try {
    r = await http.get(`https://${hostPath}?go-get=1`);
  } catch (e) {
    if (!insecure) throw e;
    r = await http.get(`http://${hostPath}?go-get=1`);
  }
  return new DiscoveryPage(r);
}

/**
 * A discovery answer read as go's web.Response is: the body as it comes (a failed read is go's
 * text of it), and for a non-200 status go's resp.Err(), whose `server response:` detail is the
 * body's first lines when it is text/plain (go's errorDetailBuffer sees what the parser read, and
 * formatErrorDetail reads on to the end).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/web/api.go (Response.Err, formatErrorDetail)
 */
class DiscoveryPage implements DiscoveryResponse {
  readonly #r: HttpResponse;
  readonly #chunks: AsyncIterator<Buffer>;
  /** The body's first bytes, for the status error's detail. */
  readonly #head: Buffer[] = [];
  #headLen = 0;
  #total = 0;
  #done = false;

  constructor(r: HttpResponse) {
    this.#r = r;
    this.#chunks = r.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  get url(): string {
    return this.#r.url;
  }

  async read(): Promise<Uint8Array | undefined> {
    if (this.#done) return undefined;
    let next: IteratorResult<Buffer>;
    try {
      next = await this.#chunks.next();
    } catch (e) {
      this.#done = true;
      throw new GoError('EREAD', transportReason(e, 'body'), { cause: e });
    }
    if (next.done === true) {
      this.#done = true;
      return undefined;
    }
    const chunk = next.value;
    this.#total += chunk.length;
    if (this.#total > MAX_PAGE) {
      this.#done = true;
      this.#r.body.destroy();
      throw new GoError('EREAD', `gomod-dl reads no more than ${MAX_PAGE >> 20} MiB of a go-import page`);
    }
    if (this.#headLen < ERROR_DETAIL_READ_LIMIT) {
      this.#head.push(chunk);
      this.#headLen += chunk.length;
    }
    return chunk;
  }

  async statusError(): Promise<Error | undefined> {
    const r = this.#r;
    if (r.statusCode === 200) return undefined;
    let detail = '';
    if (wantsErrorDetail(r.contentType)) {
      try {
        while (this.#headLen < ERROR_DETAIL_READ_LIMIT && (await this.read()) !== undefined);
      } catch {
        // A broken body still yields the status error, with what arrived before the break.
      }
      detail = formatErrorDetail(Buffer.concat(this.#head).subarray(0, ERROR_DETAIL_READ_LIMIT));
    }
    return new HttpError(r.url, r.status, r.statusCode, detail);
  }

  close(): void {
    this.#done = true;
    this.#r.body.destroy();
  }
}
