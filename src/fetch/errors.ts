/**
 * Errors of the fetch layer, with the go command's texts as `message`.
 *
 * `notExist` mirrors Go's `errors.Is(err, fs.ErrNotExist)`: it is what lets a `,`-separated GOPROXY
 * list fall through to the next entry (404, 410, a missing file:// file, GOPROXY=off, GOPRIVATE
 * routing).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/web/api.go (HTTPError)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/repo.go (notExistError)
 */
import { GoError } from '../internal/errors.js';
import { quote } from '../internal/gostrconv.js';

/** Go's syscall error strings for the errno codes node reports. */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'broken pipe',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  EMFILE: 'too many open files',
};

/** Go's text for an errno code (`ENOENT` → `no such file or directory`), or undefined. */
export function errnoText(code: string | undefined): string | undefined {
  return code === undefined ? undefined : ERRNO_TEXT[code];
}

/** Anything that knows whether it means "does not exist" (drives `,` fallback). */
export interface NotExistAware {
  readonly notExist: boolean;
}

/** True if err is a not-exist error in Go's sense (checks the `cause` chain). */
export function isNotExist(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if ((e as Partial<NotExistAware>).notExist === true) return true;
  }
  return false;
}

/**
 * A non-200 response (Go's web.HTTPError): `reading <url>: 404 Not Found`, with a
 * `\n\tserver response:` detail for short text/plain bodies, or the file error for file:// URLs.
 */
export class HttpError extends GoError implements NotExistAware {
  readonly notExist: boolean;
  constructor(
    /** The redacted URL. */
    readonly url: string,
    /** The status line text, e.g. `404 Not Found`. */
    readonly status: string,
    readonly statusCode: number,
    /** Formatted server response (see errordetail.ts), or "". */
    readonly detail = '',
    /** For file:// URLs, the error text that replaces the status (`no such file or directory`). */
    readonly fileErr = '',
    /** The Retry-After header, kept for the retry policy. */
    readonly retryAfter?: string,
  ) {
    super('EHTTP', httpErrorText(url, status, detail, fileErr));
    this.name = 'HttpError';
    this.notExist = statusCode === 404 || statusCode === 410;
  }
}

function httpErrorText(url: string, status: string, detail: string, fileErr: string): string {
  if (detail !== '') {
    return `reading ${url}: ${status}\n\tserver response:${detail.includes('\n') ? '\n\t' : ' '}${detail}`;
  }
  return `reading ${url}: ${fileErr !== '' ? fileErr : status}`;
}

/**
 * A transport failure, worded like Go's `*url.Error`: `Get "<url>": <reason>` for the request or
 * `read "<url>": <reason>` for the body. `cause` is the node/undici error.
 */
export class TransportError extends GoError {
  constructor(
    readonly op: 'Get' | 'read',
    /** URL as go shows it here: passwords as `***` for Get, redacted (`xxxxx`) for read. */
    readonly url: string,
    readonly reason: string,
    cause?: unknown,
    /** True when the failure happened in the body (the response had started). */
    readonly inBody = op === 'read',
  ) {
    super('ETRANSPORT', `${op} ${quote(url)}: ${reason}`);
    this.name = 'TransportError';
    if (cause !== undefined) this.cause = cause;
  }
}

/** A plain error with go's text that counts as not-exist (Go's `notExistError`). */
export class NotExistError extends GoError implements NotExistAware {
  readonly notExist = true;
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'NotExistError';
  }
}

/** `module lookup disabled by GOPROXY=off`. */
export const proxyOffError = (): NotExistError =>
  new NotExistError('EPROXYOFF', 'module lookup disabled by GOPROXY=off');
/** A GONOPROXY path met a proxy entry: `disabled by GOPRIVATE/GONOPROXY`. */
export const noProxyError = (): NotExistError =>
  new NotExistError('ENOPROXY', 'disabled by GOPRIVATE/GONOPROXY');
/** The implicit `noproxy` entry met a path that is not private. */
export const useProxyError = (): NotExistError =>
  new NotExistError('EUSEPROXY', 'path does not match GOPRIVATE/GONOPROXY');

/** A GOPROXY list that cannot be used (bad URL, no entries). Same text as go. */
export class ProxyListError extends GoError {
  constructor(message: string) {
    super('EPROXYLIST', message);
    this.name = 'ProxyListError';
  }
}

/** Go's `downloaded zip file too large` (the body passed 500 MiB). */
export class ZipTooLargeError extends GoError {
  constructor() {
    super('EZIPTOOLARGE', 'downloaded zip file too large');
    this.name = 'ZipTooLargeError';
  }
}

/** The proxy sent something unusable (bad JSON, wrong version). Never retried. */
/**
 * Writing a zip body to its temp file failed (a full disk, a read-only directory): go's text,
 * `read "<url>": write <temp>: no space left on device`. Never retried: a second try would fail the
 * same way. The caller that owns the file names it (the cause has no path of its own).
 */
export class ZipWriteError extends GoError {
  constructor(url: string, cause: Error) {
    super('EZIPWRITE', `read ${quote(url)}: ${cause.message}`, { cause });
    this.name = 'ZipWriteError';
  }
}

export class BadResponseError extends GoError {
  constructor(message: string, cause?: unknown) {
    super('EBADRESPONSE', message);
    this.name = 'BadResponseError';
    if (cause !== undefined) this.cause = cause;
  }
}
