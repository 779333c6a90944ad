/**
 * Wiring of the `direct` source (src/vcs) into the fetcher: discovery requests go through the run's
 * HTTP client (proxies, GOAUTH credentials, -x lines), git commands report their -x lines as trace
 * events.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/web/http.go (get: https, then http for GOINSECURE)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/codehost/git.go (loadRefs: web.GetBytes)
 */
import type { GoEnv } from '../config/index.js';
import { DirectSource, type DiscoveryResponse } from '../vcs/index.js';
import { HttpError } from './errors.js';
import type { Trace } from './events.js';
import type { HttpBody } from './http.js';

/** The HTTP side direct mode needs. */
interface Http {
  open(url: string): Promise<HttpBody>;
}

/** Largest discovery page read. */
const MAX_PAGE = 8 << 20;

/** Builds the run's DirectSource. */
export function directSource(env: GoEnv, processEnv: Readonly<Record<string, string | undefined>>, http: Http, trace: Trace): DirectSource {
  return new DirectSource({
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

/** go's web.Get(security, https://hostPath?go-get=1): the page whatever its status, or go's error. */
async function discoveryGet(http: Http, hostPath: string, insecure: boolean): Promise<DiscoveryResponse> {
  const get = async (scheme: string): Promise<DiscoveryResponse> => {
    let b: HttpBody;
    try {
      b = await http.open(`${scheme}://${hostPath}?go-get=1`);
    } catch (e) {
      if (e instanceof HttpError) return { url: e.url, body: '', statusError: e };
      throw e;
    }
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const c of b.body) {
      chunks.push(c as Buffer);
      n += (c as Buffer).length;
      if (n > MAX_PAGE) {
        b.body.destroy();
        break;
      }
    }
    return { url: b.url, body: Buffer.concat(chunks).toString('utf8'), statusError: undefined };
  };
  try {
    return await get('https');
  } catch (e) {
    if (!insecure) throw e;
  }
  return get('http');
}
