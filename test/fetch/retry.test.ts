import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, classify, parseRetryAfter, withRetry, type Verdict } from '../../src/fetch/retry.js';
import { BadResponseError, HttpError, TransportError, ZipTooLargeError, proxyOffError } from '../../src/fetch/errors.js';
import { RedirectError } from '../../src/fetch/httperrors.js';
import { ModuleError } from '../../src/module/index.js';

const coded = (code: string) => Object.assign(new Error(code), { code });
const http = (status: number, retryAfter?: string) =>
  new HttpError('https://p.example/m/@v/list', `${status} X`, status, '', '', retryAfter);

const TABLE: [string, unknown, Verdict][] = [
  ['404', 404, 'not-found'], ['410', 410, 'not-found'], ['408', 408, 'retry'], ['425', 425, 'retry'],
  ['429', 429, 'retry'], ['500', 500, 'retry'], ['502', 502, 'retry'], ['503', 503, 'retry'], ['504', 504, 'retry'],
  ['501', 501, 'fatal'], ['505', 505, 'fatal'], ['400', 400, 'fatal'], ['401', 401, 'fatal'], ['403', 403, 'fatal'],
  ['HttpError 503', http(503), 'retry'], ['HttpError 404', http(404), 'not-found'], ['HttpError 403', http(403), 'fatal'],
  ['ECONNRESET', coded('ECONNRESET'), 'retry'], ['ECONNREFUSED', coded('ECONNREFUSED'), 'retry'],
  ['ETIMEDOUT', coded('ETIMEDOUT'), 'retry'], ['EAI_AGAIN', coded('EAI_AGAIN'), 'retry'],
  ['ENOTFOUND', coded('ENOTFOUND'), 'fatal'], ['UND_ERR_SOCKET', coded('UND_ERR_SOCKET'), 'retry'],
  ['UND_ERR_INFO (h2 stream reset)', coded('UND_ERR_INFO'), 'retry'],
  ['UND_ERR_HEADERS_TIMEOUT', coded('UND_ERR_HEADERS_TIMEOUT'), 'retry'],
  ['UND_ERR_BODY_TIMEOUT', coded('UND_ERR_BODY_TIMEOUT'), 'retry'],
  ['ERR_HTTP2_STREAM_ERROR', coded('ERR_HTTP2_STREAM_ERROR'), 'retry'],
  ['body ended early', new TransportError('read', 'u', 'unexpected EOF', coded('UND_ERR_RES_CONTENT_LENGTH_MISMATCH')), 'retry'],
  ['reset wrapped twice', new ModuleError('m', 'v1.0.0', new TransportError('Get', 'u', 'x', coded('ECONNRESET'))), 'retry'],
  ['404 wrapped in ModuleError', new ModuleError('m', 'v1.0.0', http(404)), 'not-found'],
  ['GOPROXY=off', proxyOffError(), 'not-found'],
  ['certificate', coded('SELF_SIGNED_CERT_IN_CHAIN'), 'fatal'],
  ['redirect loop', new RedirectError('/x', 'stopped after 10 redirects'), 'fatal'],
  ['bad JSON', new BadResponseError('invalid response from proxy'), 'fatal'],
  ['zip too large', new ZipTooLargeError(), 'fatal'],
  ['checksum mismatch', Object.assign(new Error('verifying module: checksum mismatch'), { code: 'ECHECKSUM' }), 'fatal'],
  ['abort', Object.assign(new Error('aborted'), { name: 'AbortError', code: 'ABORT_ERR' }), 'fatal'],
  ['plain error', new Error('?'), 'fatal'],
];

for (const [name, failure, want] of TABLE) {
  test(`classify: ${name} → ${want}`, () => assert.equal(classify(failure), want));
}

test('Retry-After: seconds, HTTP dates, garbage', () => {
  const now = Date.parse('2024-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('7', now), 7000);
  assert.equal(parseRetryAfter(' 0 ', now), 0);
  assert.equal(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Sun, 31 Dec 2023 23:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('backoff is full jitter under an exponential ceiling; Retry-After wins', () => {
  const policy = { baseMs: 100, maxMs: 1000 };
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, http(503), policy, () => 0.999999, 0)),
    [99, 199, 399, 799, 999, 999]);
  assert.equal(backoffDelay(3, http(503), policy, () => 0, 0), 0);
  assert.equal(backoffDelay(1, http(429, '3'), policy, () => 0.5, 0), 3000);
  assert.equal(backoffDelay(1, http(429, '3600'), policy, () => 0.5, 0), 3_600_000);
});

test('withRetry: a Retry-After longer than the wait budget left gives up at once, saying so', async () => {
  const delays: number[] = [];
  const giveUps: unknown[] = [];
  let calls = 0;
  let clock = 0;
  await assert.rejects(withRetry(async () => {
    calls++;
    clock += 100;
    throw http(429, calls === 1 ? '30' : '45');
  }, {
    policy: { waitBudgetMs: 60_000 }, sleep: async (ms) => { delays.push(ms); }, random: () => 0, now: () => 0,
    monotonic: () => clock, onGiveUp: (g) => giveUps.push({ ...g, failure: undefined }),
  }));
  // 30 s fit in the 60 s budget; 45 s do not fit in the 30 s left.
  assert.deepEqual(delays, [30_000]);
  assert.equal(calls, 2);
  assert.deepEqual(giveUps, [{ attempts: 2, elapsedMs: 200, failure: undefined, retryAfterMs: 45_000, budgetLeftMs: 30_000 }]);
});

test('withRetry: exhausting the attempts reports the attempts and the time spent', async () => {
  const giveUps: Array<{ attempts: number; elapsedMs: number }> = [];
  let clock = 0;
  await assert.rejects(withRetry(async () => {
    clock += 1000;
    throw http(503);
  }, { sleep: async () => {}, random: () => 0, now: () => 0, monotonic: () => clock, onGiveUp: (g) => giveUps.push(g) }));
  assert.deepEqual(giveUps.map((g) => [g.attempts, g.elapsedMs]), [[4, 4000]]);
});

test('withRetry: a policy of one try reports no give-up (there were no retries to give up)', async () => {
  const giveUps: unknown[] = [];
  let calls = 0;
  await assert.rejects(withRetry(async () => { calls++; throw http(503); },
    { policy: { attempts: 1 }, sleep: async () => {}, random: () => 0, now: () => 0, onGiveUp: (g) => giveUps.push(g) }));
  assert.equal(calls, 1);
  assert.deepEqual(giveUps, []);
});

test('withRetry: transient failures take exactly attempts tries; the last error is thrown unchanged', async () => {
  const delays: number[] = [];
  let calls = 0;
  const last = http(503);
  await assert.rejects(withRetry(async () => {
    calls++;
    throw calls === 4 ? last : http(502);
  }, { policy: { attempts: 4, baseMs: 10 }, sleep: async (ms) => { delays.push(ms); }, random: () => 0.5, now: () => 0 }),
  (e) => e === last);
  assert.equal(calls, 4);
  assert.deepEqual(delays, [5, 10, 20]);
});

test('withRetry: not-found and fatal failures are not retried', async () => {
  for (const err of [http(404), http(403), new BadResponseError('x')]) {
    let calls = 0;
    await assert.rejects(withRetry(async () => { calls++; throw err; },
      { sleep: async () => {}, random: () => 0, now: () => 0 }));
    assert.equal(calls, 1);
  }
});
