// Answers on the wire that go's net/http reads otherwise than undici's parser (llhttp): an unsolicited
// 100 Continue, malformed status lines and chunk-size lines, each against go. The texts come from the
// line the parser stopped in (src/fetch/undicihooks.ts, httperrors.ts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadGoEnv } from '../../src/config/index.js';
import { Fetcher } from '../../src/fetch/fetcher.js';
import { goChunkLineError, goStatusLineError } from '../../src/fetch/httperrors.js';
import { parseJsonStream, requireGo, runGo } from '../support/gorun.js';
import { rmrf } from '../support/tree.js';

const M = 'example.com/m';
const INFO = '{"Version":"v1.0.0","Time":"2023-01-02T03:04:05Z"}';
let server: Server;
let base = '';
/** What the server answers to every request, written raw; then it closes the connection. */
let answer = '';
const goRoots: string[] = [];

before(async () => {
  server = createServer((sock: Socket) => {
    sock.on('error', () => {});
    sock.once('data', () => sock.end(answer));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.close();
  for (const r of goRoots) await rmrf(r);
});

/** go's -json Error for the .info of M@v1.0.0 (undefined when it downloads). */
async function goError(): Promise<string | undefined> {
  requireGo();
  const r = await runGo(['mod', 'download', '-json', `${M}@v1.0.0`], { proxy: base });
  goRoots.push(r.root);
  return parseJsonStream<{ Error?: string }>(r.stdout)[0]?.Error;
}

/** Our error for the same .info, one try. */
async function ourError(): Promise<string | undefined> {
  const env = await loadGoEnv({ env: { HOME: '/nonexistent', GOPROXY: base }, cwd: '/' });
  const f = new Fetcher({ env, retry: { attempts: 1 } });
  try {
    await f.lookup(M).stat('v1.0.0');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await f.close();
  }
}

const chunked = (sizeLine: string) => `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${sizeLine}${INFO}\r\n0\r\n\r\n`;

const REFUSED: [string, string][] = [
  ['a status line that is no HTTP', 'THIS IS NOT HTTP\r\n\r\n'],
  ['a status line without a space', 'SSH-2.0-OpenSSH_9.6\r\n'],
  ['a misspelt protocol', 'HTXP/1.1 200 OK\r\n\r\n'],
  ['a two-digit status', 'HTTP/1.1 20 OK\r\n\r\n'],
  ['a status with a letter', 'HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n'],
  ['no space after the version', 'HTTP/1.1200 OK\r\n\r\n'],
  ['a chunk size that is no hex', chunked('ZZ\r\n')],
  ['an empty chunk-size line', chunked('\r\n')],
  ['a negative chunk size', chunked('-5\r\n')],
  ['a 0x chunk size', chunked('0x33\r\n')],
  ['a chunk size of 17 digits', chunked('11111111111111111\r\n')],
  ['a chunk-size line ending in a bare LF', chunked('33\n')],
  ['chunk data not followed by CRLF', `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n`],
];

for (const [name, raw] of REFUSED) {
  test(`${name}: go's error text`, async () => {
    answer = raw;
    const go = await goError();
    const ours = await ourError();
    assert.notEqual(go, undefined, 'go refuses this answer');
    assert.equal(ours, go);
  });
}

test('an unsolicited 100 Continue before the answer is skipped, as go skips every 1xx but 101', async () => {
  answer = `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: ${INFO.length}\r\n\r\n${INFO}`;
  assert.equal(await ourError(), undefined);
});

test('goStatusLineError: go\'s ReadResponse checks, in its order', () => {
  const b = (s: string) => Buffer.from(s, 'latin1');
  assert.equal(goStatusLineError(b('THIS IS NOT HTTP\r\n')), 'malformed HTTP status code "IS"');
  assert.equal(goStatusLineError(b('\r\n')), 'malformed HTTP response ""');
  assert.equal(goStatusLineError(b('HTTP/1.1 -12 x\n')), 'malformed HTTP status code "-12"');
  assert.equal(goStatusLineError(b('HTTP/1.1 \xff00 x\n')), 'malformed HTTP status code "\\xff00"');
  assert.equal(goStatusLineError(b('HTTP/12.0 200 OK\r\n')), 'malformed HTTP version "HTTP/12.0"');
  // Lines go reads (llhttp refuses some of them).
  for (const ok of ['HTTP/1.1  200 OK\r\n', 'HTTP/2.0 200 OK\r\n', 'HTTP/1.1 +20 x\r\n', 'HTTP/1.1 -00\r\n', 'HTTP/1.0 200']) {
    assert.equal(goStatusLineError(b(ok)), undefined, ok);
  }
});

test('goChunkLineError: go\'s chunkedReader checks, in its order', () => {
  const b = (s: string) => Buffer.from(s, 'latin1');
  assert.equal(goChunkLineError(b('ZZ\n')), 'chunked line ends with bare LF');
  assert.equal(goChunkLineError(b('5\r5\r\n')), 'invalid CR in chunked line');
  assert.equal(goChunkLineError(b(' ;x\r\n')), 'invalid byte in chunk length');
  assert.equal(goChunkLineError(b('\t\r\n')), 'empty hex number for chunk length');
  assert.equal(goChunkLineError(b('10000000000000000\r\n')), 'http chunk length too large');
  assert.equal(goChunkLineError(b(`${'0'.repeat(4096)}\r\n`)), 'header line too long');
  for (const ok of ['5 \r\n', '5;name="v"\r\n', 'fFfF\t\r\n', '0000000000000001\r\n']) {
    assert.equal(goChunkLineError(b(ok)), undefined, ok);
  }
});
