// A proxy host that does not exist: go's resolver names the nameserver that said so. Needs this
// machine's resolver (not the network beyond it); skipped when go itself gets no NXDOMAIN answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireGo, runGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';

test('an unknown proxy host: go\'s "lookup <host> on <nameserver>:53: no such host"', async (t) => {
  requireGo(t);
  const proxy = 'http://gomod-dl-test.invalid';
  // Past the tests' network guard (an HTTP proxy that refuses) for this one host, which never resolves.
  const env = { NO_PROXY: 'gomod-dl-test.invalid' };
  const go = await runGo(['mod', 'download', 'example.com/m@v1.0.0'], { t, proxy, env });
  if (!go.stderr.includes('no such host')) {
    t.skip(`no NXDOMAIN answer here: ${go.stderr.trim()}`);
    return;
  }
  const ours = await runGomodDl(['example.com/m@v1.0.0'], { t, proxy, env });
  assert.equal(ours.stderr.replaceAll('gomod-dl: ', 'go: '), go.stderr);
  assert.equal(ours.code, go.code);
});
