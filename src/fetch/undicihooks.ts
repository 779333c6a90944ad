/**
 * Where undici's HTTP/1.1 client reads an answer otherwise than go's net/http, corrected on each
 * connection as undici makes it (its `undici:client:connected` diagnostics channel, which every
 * client, pool and proxy agent of the process publishes to):
 *
 * - An unsolicited `100 Continue` before the final response: net/http skips every 1xx answer but
 *   101 (transport.go readResponse); undici skips the others but destroys the connection on a 100 it
 *   did not ask for (client-h1.js onHeadersComplete: `bad response`, which read as go's `EOF`). The
 *   parser is told it saw another 1xx instead, which it skips.
 * - The addresses of a connection, for go's `read tcp L->R: read: connection reset by peer`: Node
 *   forgets them once the socket is closed, which a reset does before its error is emitted. They are
 *   read when the connection is made (Node keeps them from then on) and put on every error of the
 *   socket as `socket`, the field undici's own socket errors carry them in.
 * - The line a parser error is in (`parserLine`), for go's texts of a malformed status line or
 *   chunk-size line (httperrors.ts): undici's error keeps only the bytes after the error position.
 *
 * The parser is undici's internal class, reached through the connection's socket; if a later undici
 * changes it, the hooks step aside and the answers read as undici reads them (test/fetch/rawanswers.test.ts
 * fails then).
 *
 * @see https://github.com/nodejs/undici/blob/v7.30.2/lib/dispatcher/client-h1.js
 * @see https://github.com/golang/go/blob/go1.26.8/src/net/http/transport.go (readResponse)
 */
import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/** The bytes of the line a parser error happened in (up to and including its `\n`, if this read had it). */
export interface ParserLine {
  readonly parserLine?: Uint8Array;
}

/** Where a connection's addresses are kept on its errors (undici's SocketError shape). */
interface SocketInfo {
  localAddress?: string;
  localPort?: number;
  remoteAddress?: string;
  remotePort?: number;
}

/** The methods of undici's HTTP/1.1 parser the hooks wrap. */
interface ParserProto {
  onHeadersComplete(statusCode: number, upgrade: boolean, shouldKeepAlive: boolean): number;
  execute(chunk: Buffer): void;
  createError(ret: number, data: Buffer): unknown;
}

/** A 1xx status undici skips like any informational answer (it refuses only 100, not being asked for it). */
const SKIPPED_INTERIM = 199;

const chunkOf = Symbol('gomod-dl chunk being parsed');
let installed = false;
const patched = new WeakSet<object>();

/** Installs the hooks, once per process; called when undici is loaded. */
export function installUndiciHooks(): void {
  if (installed) return;
  installed = true;
  subscribe('undici:client:connected', (message) => {
    const socket = (message as { socket?: Socket }).socket;
    if (socket === undefined) return;
    keepAddresses(socket);
    const parserKey = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'parser');
    const parser = parserKey === undefined ? undefined : (socket as unknown as Record<symbol, unknown>)[parserKey];
    if (parser !== null && typeof parser === 'object') patchParser(Object.getPrototypeOf(parser) as object);
  });
}

function keepAddresses(socket: Socket): void {
  const info: SocketInfo = {
    localAddress: socket.localAddress, localPort: socket.localPort,
    remoteAddress: socket.remoteAddress, remotePort: socket.remotePort,
  };
  if (info.remoteAddress === undefined) return;
  // Before undici's own listener, which hands the error on to the request.
  socket.prependListener('error', (err: unknown) => {
    if (err !== null && typeof err === 'object' && !('socket' in err)) Object.assign(err, { socket: info });
  });
}

function patchParser(proto: object): void {
  if (patched.has(proto)) return;
  patched.add(proto);
  const p = proto as Partial<ParserProto> & Record<symbol, unknown>;
  const { onHeadersComplete, execute, createError } = p;
  if (typeof onHeadersComplete !== 'function' || typeof execute !== 'function' || typeof createError !== 'function') return;
  p.onHeadersComplete = function (this: ParserProto, statusCode, upgrade, shouldKeepAlive) {
    return onHeadersComplete.call(this, statusCode === 100 ? SKIPPED_INTERIM : statusCode, upgrade, shouldKeepAlive);
  };
  p.execute = function (this: ParserProto & Record<symbol, unknown>, chunk) {
    this[chunkOf] = chunk;
    try {
      execute.call(this, chunk);
    } finally {
      this[chunkOf] = undefined;
    }
  };
  p.createError = function (this: ParserProto & Record<symbol, unknown>, ret, data) {
    const err = createError.call(this, ret, data);
    const chunk = this[chunkOf];
    // `data` is the chunk from the error position on (client-h1.js execute).
    if (chunk instanceof Buffer && err !== null && typeof err === 'object' && data.length <= chunk.length) {
      Object.assign(err, { parserLine: lineAt(chunk, chunk.length - data.length) });
    }
    return err;
  };
}

/** The line of `chunk` that byte `pos` is in, with its `\n` when the chunk has it. */
function lineAt(chunk: Buffer, pos: number): Uint8Array {
  const start = pos === 0 ? 0 : chunk.lastIndexOf(0x0a, pos - 1) + 1;
  const nl = chunk.indexOf(0x0a, pos);
  return Buffer.from(chunk.subarray(start, nl < 0 ? chunk.length : nl + 1)); // a copy, not a view that keeps the read's buffer alive
}
