/**
 * The parts of Go's net/url that show in go's messages: Parse (with its error texts), String,
 * Redacted, and the escaping of paths. WHATWG URL (node's `URL`) differs in ways users would see
 * (it lower-cases hosts, drops default ports, rewrites `\`), so proxy URLs are kept in Go's model and
 * only turned into a WHATWG URL at the moment of the request.
 *
 * Bytes ≥ 0x80 are escaped per UTF-8 byte, as Go does; decoded escapes that are not UTF-8 become
 * U+FFFD (Go would keep the raw bytes; such proxy URLs do not occur in practice).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/net/url/url.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/net/url/gen_encoding_table.go
 */
import { GoError } from './errors.js';
import { quote } from './gostrconv.js';
import { cleanPath } from './gopath.js';

type Mode = 'path' | 'pathSegment' | 'host' | 'zone' | 'userPassword' | 'fragment';

/** A URL as Go's url.URL holds it (Path decoded, RawPath only when it differs from the default). */
export interface GoUrl {
  scheme: string;
  opaque: string;
  user: { username: string; password: string | undefined } | undefined;
  host: string;
  path: string;
  rawPath: string;
  rawQuery: string;
  forceQuery: boolean;
  fragment: string;
  omitHost: boolean;
}

/** A Go `*url.Error` from Parse: `parse "<url>": <reason>`. */
export class UrlParseError extends GoError {
  constructor(readonly url: string, readonly reason: string) {
    super('EURLPARSE', `parse ${quote(url)}: ${reason}`);
    this.name = 'UrlParseError';
  }
}

const isAlnum = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** Go's shouldEscape for one byte in one part of a URL (the tables below are made from it). */
function shouldEscapeByRule(c: number, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  const ch = String.fromCharCode(c);
  if ((mode === 'host' || mode === 'zone') && `!$&'()*+,;=:[]<>"`.includes(ch)) return false;
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    switch (mode) {
      case 'path': return ch === '?';
      case 'pathSegment': return '/;,?'.includes(ch);
      case 'userPassword': return '@/?:'.includes(ch);
      case 'fragment': return false;
      default: break;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(ch)) return false;
  return true;
}

/** {@link shouldEscapeByRule} of every ASCII byte, one table per mode. */
const ESCAPE_TABLES = new Map<Mode, Uint8Array>(
  (['path', 'pathSegment', 'host', 'zone', 'userPassword', 'fragment'] as const).map((mode) => [
    mode,
    Uint8Array.from({ length: 0x80 }, (_, c) => (shouldEscapeByRule(c, mode) ? 1 : 0)),
  ]),
);

/** Go's shouldEscape: every byte from 0x80 up is escaped. */
function shouldEscape(c: number, mode: Mode): boolean {
  return c >= 0x80 || ESCAPE_TABLES.get(mode)![c] === 1;
}

/**
 * Go's url.escape: percent-encodes (upper-case hex) the UTF-8 bytes that need it. Like Go's first
 * pass, a string with nothing to escape comes back as it is (every request's URL goes through here).
 */
function escape(s: string, mode: Mode): string {
  const table = ESCAPE_TABLES.get(mode)!;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || table[c] === 1) break;
    i++;
  }
  if (i === s.length) return s;
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    out += shouldEscape(b, mode) ? '%' + b.toString(16).toUpperCase().padStart(2, '0') : String.fromCharCode(b);
  }
  return out;
}

/** Go's url.PathEscape (a single path segment: `/`, `;`, `,`, `?` and `!` are escaped). */
export function pathEscape(s: string): string {
  return escape(s, 'pathSegment');
}

/** Go's url.unescape; throws the bare reason (`invalid URL escape "%zz"`). */
function unescape(s: string, mode: Mode): string {
  // Nothing to decode or to refuse: the string itself (a lone surrogate would become U+FFFD below).
  if (mode !== 'host' && mode !== 'zone' && !s.includes('%') && !/[\ud800-\udfff]/.test(s)) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 >= s.length || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) {
        throw new GoError('EURLPARSE', `invalid URL escape ${quote(s.slice(i, i + 3))}`);
      }
      const v = parseInt(s.slice(i + 1, i + 3), 16);
      if (mode === 'host' && v < 0x80 && s.slice(i, i + 3) !== '%25') {
        throw new GoError('EURLPARSE', `invalid URL escape ${quote(s.slice(i, i + 3))}`);
      }
      bytes.push(v);
      i += 2;
    } else {
      if ((mode === 'host' || mode === 'zone') && c < 0x80 && shouldEscape(c, mode)) {
        throw new GoError('EURLPARSE', `invalid character ${quote(s[i]!)} in host name`);
      }
      for (const b of Buffer.from(s[i]!, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

function parseHost(scheme: string, host: string): string {
  const open = host.lastIndexOf('[');
  if (open > 0) throw new GoError('EURLPARSE', 'invalid IP-literal');
  if (open === 0) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new GoError('EURLPARSE', "missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new GoError('EURLPARSE', `invalid port ${quote(colonPort)} after host`);
    return '[' + unescape(host.slice(1, close), 'zone') + ']' + colonPort;
  }
  // http and https hosts may hold one colon only (go.dev/issue/75223): the first one starts the port.
  const i = scheme === 'http' || scheme === 'https' ? host.indexOf(':') : host.lastIndexOf(':');
  if (i >= 0) {
    const colonPort = host.slice(i);
    if (!validOptionalPort(colonPort)) throw new GoError('EURLPARSE', `invalid port ${quote(colonPort)} after host`);
  }
  return unescape(host, 'host');
}

const USERINFO_OK = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

function parseInner(raw: string): GoUrl {
  const u: GoUrl = {
    scheme: '', opaque: '', user: undefined, host: '', path: '', rawPath: '', rawQuery: '', forceQuery: false,
    fragment: '', omitHost: false,
  };
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new GoError('EURLPARSE', 'net/url: invalid control character in URL');
  let rest = raw;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(raw);
  if (m) {
    u.scheme = m[1]!.toLowerCase();
    rest = raw.slice(m[0].length);
  } else if (raw.startsWith(':')) {
    throw new GoError('EURLPARSE', 'missing protocol scheme');
  }
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    u.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) [rest, u.rawQuery] = [rest.slice(0, q), rest.slice(q + 1)];
  }
  if (!rest.startsWith('/')) {
    if (u.scheme !== '') {
      u.opaque = rest;
      return u;
    }
    if ((rest.split('/')[0] ?? '').includes(':')) throw new GoError('EURLPARSE', 'first path segment in URL cannot contain colon');
  }
  if ((u.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) [authority, rest] = [authority.slice(0, slash), authority.slice(slash)];
    const at = authority.lastIndexOf('@');
    u.host = parseHost(u.scheme, at < 0 ? authority : authority.slice(at + 1));
    if (at >= 0) {
      const info = authority.slice(0, at);
      if (!USERINFO_OK.test(info)) throw new GoError('EURLPARSE', 'net/url: invalid userinfo');
      const colon = info.indexOf(':');
      u.user = colon < 0
        ? { username: unescape(info, 'userPassword'), password: undefined }
        : { username: unescape(info.slice(0, colon), 'userPassword'),
          password: unescape(info.slice(colon + 1), 'userPassword') };
    }
  } else if (u.scheme !== '' && rest.startsWith('/')) {
    u.omitHost = true;
  }
  setPath(u, rest);
  return u;
}

function setPath(u: GoUrl, p: string): void {
  u.path = unescape(p, 'path');
  u.rawPath = escape(u.path, 'path') === p ? '' : p;
}

/**
 * Go's url.Parse.
 * @throws UrlParseError with go's text, e.g. `parse "https://a:b": invalid port ":b" after host`
 * @see https://github.com/golang/go/blob/go1.26.8/src/net/url/url.go (Parse)
 */
export function parseGoUrl(raw: string): GoUrl {
  const hash = raw.indexOf('#');
  const main = hash < 0 ? raw : raw.slice(0, hash);
  let u: GoUrl;
  try {
    u = parseInner(main);
  } catch (e) {
    throw new UrlParseError(main, (e as Error).message);
  }
  if (hash >= 0) {
    try {
      u.fragment = unescape(raw.slice(hash + 1), 'fragment');
    } catch (e) {
      throw new UrlParseError(raw, (e as Error).message);
    }
  }
  return u;
}

const VALID_ENCODED_EXTRA = Uint8Array.from({ length: 0x80 }, (_, c) => (`!$&'()*+,;=:@[]%`.includes(String.fromCharCode(c)) ? 1 : 0));

function validEncoded(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (VALID_ENCODED_EXTRA[c] === 1) continue;
    if (shouldEscape(c, 'path')) return false;
  }
  return true;
}

/** Go's URL.EscapedPath: RawPath when it is a valid encoding of Path, else the default escaping. */
export function escapedPath(u: GoUrl): string {
  if (u.rawPath !== '' && validEncoded(u.rawPath)) {
    try {
      if (unescape(u.rawPath, 'path') === u.path) return u.rawPath;
    } catch {
      // fall through to the default encoding
    }
  }
  if (u.path === '*') return '*';
  return escape(u.path, 'path');
}

/** Go's URL.String. */
export function goUrlString(u: GoUrl): string {
  let s = u.scheme !== '' ? u.scheme + ':' : '';
  if (u.opaque !== '') {
    s += u.opaque;
  } else {
    if (u.scheme !== '' || u.host !== '' || u.user !== undefined) {
      if (!(u.omitHost && u.host === '' && u.user === undefined)) {
        if (u.host !== '' || u.path !== '' || u.user !== undefined) s += '//';
        if (u.user !== undefined) {
          s += escape(u.user.username, 'userPassword');
          if (u.user.password !== undefined) s += ':' + escape(u.user.password, 'userPassword');
          s += '@';
        }
        if (u.host !== '') s += escape(u.host, 'host');
      }
    }
    const p = escapedPath(u);
    if (p !== '' && p[0] !== '/' && u.host !== '') s += '/';
    if (s === '' && (p.split('/')[0] ?? '').includes(':')) s += './';
    s += p;
  }
  if (u.forceQuery || u.rawQuery !== '') s += '?' + u.rawQuery;
  if (u.fragment !== '') s += '#' + escape(u.fragment, 'fragment');
  return s;
}

/** Go's URL.Redacted: the password (if any) becomes `xxxxx`. */
export function redacted(u: GoUrl): string {
  if (u.user?.password === undefined) return goUrlString(u);
  return goUrlString({ ...u, user: { username: u.user.username, password: 'xxxxx' } });
}

/** Go's path.Join: non-empty elements joined with `/`, cleaned; "" if all are empty. */
export function joinPath(...elems: string[]): string {
  const nonEmpty = elems.filter((e) => e !== '');
  return nonEmpty.length === 0 ? '' : cleanPath(nonEmpty.join('/'));
}
