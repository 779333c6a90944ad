/**
 * Transport errors from undici and node, reworded the way Go's net/http reports the same failure
 * (`Get "<url>": dial tcp 127.0.0.1:1: connect: connection refused`). The original error stays in
 * `cause`, so the retry classifier can look at its code.
 *
 * Addresses are printed as go's net.JoinHostPort does (`[::1]:443`); a connection's own addresses
 * (`read tcp L->R: …`) come from the connection (undicihooks.ts keeps them); a failure to reach the
 * HTTP(S)_PROXY itself is `proxyconnect tcp: …` (the proxy agent marks it, see http.ts).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/net/http/client.go (url.Error wrapping)
 * @see https://github.com/golang/go/blob/go1.26.8/src/net/http/transport.go (dialConn, mapRoundTripError)
 */
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { GoError } from '../internal/errors.js';
import { quote } from '../internal/gostrconv.js';
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
  /** Set on the failures of a connection to HTTP(S)_PROXY (http.ts). */
  proxyConnect?: boolean;
  /** The line an HTTP parser error is in (undicihooks.ts). */
  parserLine?: Uint8Array;
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

/** Go's net.JoinHostPort: `host:port`, an IPv6 address in brackets (the host alone without a port). */
function hostPort(host: string | undefined, port: number | string | undefined): string {
  const h = host ?? '';
  const shown = h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
  return port === undefined ? shown : `${shown}:${port}`;
}

/** `host:port` as Node writes it in messages (an IPv6 address without brackets), as go writes it. */
function splitHostPort(s: string): string {
  const colon = s.lastIndexOf(':');
  return colon < 0 ? hostPort(s, undefined) : hostPort(s.slice(0, colon), s.slice(colon + 1));
}

/** Go's wording of a transport failure (the part after `Get "<url>": `). */
export function transportReason(e: unknown, during: 'request' | 'body'): string {
  // A failure to reach the proxy: go's dialConn wraps it as net.OpError{Op: "proxyconnect", Net: "tcp"}.
  for (let c: unknown = e; c !== null && typeof c === 'object'; c = (c as NodeishError).cause) {
    if ((c as NodeishError).proxyConnect === true) return `proxyconnect tcp: ${reason(e, during)}`;
  }
  return reason(e, during);
}

function reason(e: unknown, during: 'request' | 'body'): string {
  // undici wraps some errors (e.g. fetch-style TypeError with a cause); look at the innermost code.
  let err = e as NodeishError;
  const stalled = err.stallMs !== undefined ? ` (nothing received for ${err.stallMs / 1000}s)` : '';
  while (err.code === undefined && err.cause !== undefined && typeof err.cause === 'object') err = err.cause as NodeishError;
  const code = err.code;
  const parser = parserErrorText(err);
  if (parser !== undefined) return parser;
  // A proxy that refuses CONNECT: go's Transport returns the status text after the code
  // (net/http transport.go dialConn: errors.New(text) of `403 Forbidden`); undici keeps only the code.
  const tunnel = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/.exec(err.message ?? '');
  if (tunnel !== null) return STATUS_CODES[Number(tunnel[1])] ?? 'unknown status code';
  const sock = err.socket;
  const tcp = sock?.remoteAddress !== undefined
    ? `tcp ${hostPort(sock.localAddress, sock.localPort)}->${hostPort(sock.remoteAddress, sock.remotePort)}` : 'tcp';
  switch (code) {
    case 'ECONNREFUSED':
      return `dial tcp ${hostPort(err.address, err.port)}: connect: connection refused`;
    case 'ENOTFOUND':
      return `dial tcp: lookup ${err.hostname ?? ''}${dnsServerSuffix()}: no such host`;
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${err.hostname ?? ''}: temporary failure in name resolution`;
    case 'ECONNRESET':
      return `read ${tcp}: read: connection reset by peer`;
    case 'EPIPE':
      return `write ${tcp}: write: broken pipe`;
    case 'ETIMEDOUT':
      return `dial tcp ${hostPort(err.address, err.port)}: i/o timeout`;
    case 'UND_ERR_CONNECT_TIMEOUT': {
      // undici names the address only in its message: `Connect Timeout Error (attempted address: h:p, …)`.
      const attempted = /attempted address(?:es)?: ([^,)]+)/.exec(err.message ?? '')?.[1];
      return `dial tcp${attempted !== undefined ? ` ${splitHostPort(attempted)}` : ''}: i/o timeout${stalled}`;
    }
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      // The first bytes back were no TLS record: go's text for an answer that starts `HTTP/` (transport.go
      // addTLS), the usual cause (an http server on the port). OpenSSL does not show the bytes; for others
      // go says `tls: first record does not look like a TLS handshake`.
      return 'http: server gave HTTP response to HTTPS client';
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

/** What net/http's transport adds to an error reading the response head. */
const BROKEN = 'net/http: HTTP/1.x transport connection broken: ';

/** llhttp's reasons for a status line it refuses (go's ReadResponse judges the line itself). */
const STATUS_LINE_REASONS = new Set([
  'Expected HTTP/, RTSP/ or ICE/', 'Expected dot', 'Invalid major version', 'Invalid minor version',
  'Invalid HTTP version', 'Expected space after version', 'Expected CRLF after version', 'Invalid status code',
  'Invalid response status', 'Unexpected space after start line',
]);

/** llhttp's reasons for a chunk-size line it refuses (go's chunkedReader judges the line itself). */
const CHUNK_LINE_REASONS = new Set([
  'Invalid character in chunk size', 'Chunk size overflow', 'Expected LF after chunk size',
  'Invalid character in chunk extensions', 'Invalid character in chunk extensions name',
  'Invalid character in chunk extensions value', 'Invalid character in chunk extensions quote value',
  'Invalid character in chunk extensions quoted value', 'Invalid quoted-pair in chunk extensions quoted value',
  'Missing expected CR after chunk extension name', 'Missing expected CR after chunk extension value',
]);

/**
 * go's text for an HTTP parser (llhttp) error where go refuses the same bytes, from the line the error
 * is in; undefined for other errors. Where go would read the line, llhttp's reason stays (README,
 * "Malformed HTTP/1.1 framing").
 */
function parserErrorText(err: NodeishError): string | undefined {
  const m = /^Response does not match the HTTP\/1\.1 protocol \((.*)\)$/s.exec(err.message ?? '');
  if (m === null) return undefined;
  const why = m[1]!;
  const line = err.parserLine;
  let text: string | undefined;
  if (why === 'Missing expected CR after chunk size') text = 'chunked line ends with bare LF';
  else if (why === 'Missing expected CR after chunk data' || why === 'Expected LF after chunk data') text = 'malformed chunked encoding';
  else if (line !== undefined && CHUNK_LINE_REASONS.has(why)) text = goChunkLineError(line);
  else if (line !== undefined && STATUS_LINE_REASONS.has(why)) {
    const bad = goStatusLineError(line);
    if (bad !== undefined) text = BROKEN + bad;
  }
  return text ?? err.message;
}

/**
 * go's verdict on the first line of a response (net/http ReadResponse): its error text, or
 * undefined when go reads the line. `line` may end with its `\r\n` or `\n`.
 * @see https://github.com/golang/go/blob/go1.26.8/src/net/http/response.go (ReadResponse)
 */
export function goStatusLineError(line: Uint8Array): string | undefined {
  let end = line.length;
  if (end > 0 && line[end - 1] === 0x0a) end--;
  if (end > 0 && line[end - 1] === 0x0d && end < line.length) end--; // bufio's ReadLine drops \r\n, \n
  const l = line.subarray(0, end);
  const sp = l.indexOf(0x20);
  if (sp < 0) return `malformed HTTP response ${quote(l)}`;
  const proto = l.subarray(0, sp);
  let rest = l.subarray(sp + 1);
  let i = 0;
  while (i < rest.length && rest[i] === 0x20) i++;
  rest = rest.subarray(i);
  const sp2 = rest.indexOf(0x20);
  const code = sp2 < 0 ? rest : rest.subarray(0, sp2);
  // strconv.Atoi of three bytes: a sign is allowed, a negative code is not (`-00` is 0).
  const digits = Buffer.from(code).toString('latin1');
  if (code.length !== 3 || !/^[+-]?[0-9]+$/.test(digits) || Number(digits) < 0) {
    return `malformed HTTP status code ${quote(code)}`;
  }
  if (!goHttpVersionOk(Buffer.from(proto).toString('latin1'))) return `malformed HTTP version ${quote(proto)}`;
  return undefined;
}

/** net/http's ParseHTTPVersion: `HTTP/` and one digit, a dot, one digit. */
function goHttpVersionOk(v: string): boolean {
  return /^HTTP\/[0-9]\.[0-9]$/.test(v);
}

/**
 * go's verdict on a chunk-size line (net/http/internal chunkedReader.beginChunk): its error text,
 * or undefined when go reads the line. `line` ends with its `\n` when it has one.
 * @see https://github.com/golang/go/blob/go1.26.8/src/net/http/internal/chunked.go
 */
export function goChunkLineError(line: Uint8Array): string | undefined {
  let p = line;
  if (p.length > 0 && p[p.length - 1] === 0x0a) {
    const cr = p.indexOf(0x0d);
    if (cr < 0) return 'chunked line ends with bare LF';
    if (cr !== p.length - 2) return 'invalid CR in chunked line';
    p = p.subarray(0, p.length - 2);
  }
  if (p.length >= 4096) return 'header line too long';
  let end = p.length;
  while (end > 0 && (p[end - 1] === 0x20 || p[end - 1] === 0x09)) end--;
  p = p.subarray(0, end);
  const semi = p.indexOf(0x3b);
  if (semi >= 0) p = p.subarray(0, semi);
  if (p.length === 0) return 'empty hex number for chunk length';
  for (let i = 0; i < p.length; i++) {
    const b = p[i]!;
    const hex = (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46);
    if (!hex) return 'invalid byte in chunk length';
    if (i === 16) return 'http chunk length too large';
  }
  return undefined;
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
