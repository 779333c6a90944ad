/**
 * Transport errors from undici and node, reworded the way Go's net/http reports the same failure
 * (`Get "<url>": dial tcp 127.0.0.1:1: connect: connection refused`). The original error stays in
 * `cause`, so the retry classifier can look at its code.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/net/http/client.go (url.Error wrapping)
 */
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { GoError } from '../internal/errors.js';
import { errnoText, TransportError } from './errors.js';

/** The response header limit of go's Transport (MaxResponseHeaderBytes' default), which the HTTP client applies. */
export const GO_MAX_RESPONSE_HEADER_BYTES = 10 << 20;

/** A redirect go refuses to follow: `Get "<Location>": stopped after 10 redirects`. */
export class RedirectError extends TransportError {
  constructor(location: string, reason: string) {
    super('Get', location, reason);
    this.name = 'RedirectError';
  }
}

/** An http:// URL with userinfo: `refusing to pass credentials to insecure URL: <url>`. */
export class InsecureCredentialsError extends GoError {
  constructor(url: string) {
    super('EINSECURECREDS', `refusing to pass credentials to insecure URL: ${url}`);
    this.name = 'InsecureCredentialsError';
  }
}

interface NodeishError {
  code?: string;
  message?: string;
  address?: string;
  port?: number;
  hostname?: string;
  cause?: unknown;
  socket?: { localAddress?: string; localPort?: number; remoteAddress?: string; remotePort?: number };
  goUrl?: string;
  /** The stall bound in ms, set by the HTTP client on the errors it sees (for timeout texts). */
  stallMs?: number;
}

const TLS_UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT',
]);

let dnsServer: string | undefined;

/**
 * ` on <nameserver>:53`, as go's resolver names the server that said a name does not exist: the
 * first `nameserver` of /etc/resolv.conf (go's pure-Go resolver, its default on Linux); "" where
 * there is none to name.
 * @see https://github.com/golang/go/blob/go1.26.8/src/net/dnsconfig_unix.go (dnsReadConfig)
 */
function dnsServerSuffix(): string {
  if (dnsServer === undefined) {
    dnsServer = '';
    if (process.platform !== 'win32') {
      try {
        // (An address is told from a name by its characters: node:net, which could parse it, costs
        // every run its start-up for an error few runs have.)
        const m = /^[ \t]*nameserver[ \t]+([0-9A-Fa-f.:]+)(?:%\S+)?[ \t]*(?:[#;].*)?$/m.exec(readFileSync('/etc/resolv.conf', 'utf8'));
        if (m !== null) dnsServer = m[1]!.includes(':') ? `[${m[1]!}]:53` : `${m[1]!}:53`;
      } catch {
        // No resolv.conf: nothing to name.
      }
    }
  }
  return dnsServer === '' ? '' : ` on ${dnsServer}`;
}

/** Go's wording of a transport failure (the part after `Get "<url>": `). */
export function transportReason(e: unknown, during: 'request' | 'body'): string {
  // undici wraps some errors (e.g. fetch-style TypeError with a cause); look at the innermost code.
  let err = e as NodeishError;
  const stalled = err.stallMs !== undefined ? ` (nothing received for ${err.stallMs / 1000}s)` : '';
  while (err.code === undefined && err.cause !== undefined && typeof err.cause === 'object') err = err.cause as NodeishError;
  const code = err.code;
  // A proxy that refuses CONNECT: go's Transport returns the status text after the code
  // (net/http transport.go dialConn: errors.New(text) of `403 Forbidden`); undici keeps only the code.
  const tunnel = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/.exec(err.message ?? '');
  if (tunnel !== null) return STATUS_CODES[Number(tunnel[1])] ?? 'unknown status code';
  const sock = err.socket;
  const tcp = sock?.remoteAddress !== undefined
    ? `tcp ${sock.localAddress}:${sock.localPort}->${sock.remoteAddress}:${sock.remotePort}` : 'tcp';
  switch (code) {
    case 'ECONNREFUSED':
      return `dial tcp ${err.address ?? ''}:${err.port ?? ''}: connect: connection refused`;
    case 'ENOTFOUND':
      return `dial tcp: lookup ${err.hostname ?? ''}${dnsServerSuffix()}: no such host`;
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${err.hostname ?? ''}: temporary failure in name resolution`;
    case 'ECONNRESET':
      return `read ${tcp}: read: connection reset by peer`;
    case 'EPIPE':
      return `write ${tcp}: write: broken pipe`;
    case 'ETIMEDOUT':
      return `dial tcp ${err.address ?? ''}: i/o timeout`;
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `dial tcp ${err.address ?? ''}: i/o timeout${stalled}`;
    case 'UND_ERR_HEADERS_TIMEOUT':
      return `net/http: timeout awaiting response headers${stalled}`;
    case 'UND_ERR_BODY_TIMEOUT':
      return `${sock?.remoteAddress !== undefined ? `read ${tcp}: ` : ''}i/o timeout${stalled}`;
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      // The server hung up: before the response Go says EOF, in the middle of a body unexpected EOF.
      return during === 'request' ? 'EOF' : 'unexpected EOF';
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return 'unexpected EOF';
    case 'UND_ERR_HEADERS_OVERFLOW':
      return `net/http: server response headers exceeded ${GO_MAX_RESPONSE_HEADER_BYTES} bytes; aborted`;
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return 'gzip: invalid header';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: ${err.message ?? 'certificate is not valid for this host'}`;
    case 'CERT_HAS_EXPIRED':
      return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    default:
      if (code !== undefined && TLS_UNKNOWN_AUTHORITY.has(code)) {
        return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
      }
      return errnoText(code) ?? err.message ?? String(e);
  }
}

/** Wraps a failure before the response as `Get "<url>": <reason>`. */
export function getError(e: unknown): TransportError {
  if (e instanceof TransportError) return e;
  const url = (e as NodeishError).goUrl ?? '';
  return new TransportError('Get', url, transportReason(e, 'request'), e, false);
}

/** Wraps a failure while reading a body as `read "<url>": <reason>` (golang.org/issue/52727). */
export function bodyError(url: string, e: unknown): TransportError {
  if (e instanceof TransportError) return e;
  return new TransportError('read', url, transportReason(e, 'body'), e, true);
}
