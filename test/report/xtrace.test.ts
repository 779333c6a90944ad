import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTraceEvent } from '../../src/report/xtrace.js';

test('-x: go\'s get lines; retries and fallbacks on one line each, without repeating the URL', () => {
  const url = 'http://proxy/example.com/m/@v/v1.0.0.zip';
  assert.equal(formatTraceEvent({ kind: 'get', url }), `# get ${url}\n`);
  assert.equal(formatTraceEvent({ kind: 'got', url, status: '200 OK', seconds: 0.0431 }), `# get ${url}: 200 OK (0.043s)\n`);
  assert.equal(
    formatTraceEvent({ kind: 'retry', url, attempt: 1, delayMs: 512, reason: `reading ${url}: 503 Service Unavailable\n\tserver response: busy` }),
    `# retry ${url}: 503 Service Unavailable; attempt 2 in 0.512s\n`,
  );
  assert.equal(
    formatTraceEvent({ kind: 'fallback', from: 'http://a', to: 'http://b', reason: 'not found: x\n\tmore (not found)' }),
    '# fallback http://a -> http://b: not found: x (not found)\n',
  );
  assert.equal(formatTraceEvent({ kind: 'bytes', n: 5 }), '');
  assert.equal(formatTraceEvent({ kind: 'no-fallback', from: 'a', to: 'b', reason: 'r' }), '');
});
