import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Explainer } from '../../src/report/explain.js';
import { tempDir } from '../support/tmp.js';

const MISMATCH =
  'verifying example.com/A@v1.0.0: checksum mismatch\n\tdownloaded: h1:NEW=\n\tgo.sum:     h1:OLD=\n\n' +
  "SECURITY ERROR\nThis download does NOT match an earlier download recorded in go.sum.\n" +
  "The bits may have been replaced on the origin server, or an attacker may\nhave intercepted the download attempt.\n\n" +
  "For more information, see 'go help module-auth'.\n";

test('a go.sum mismatch names the go.sum line and the URL that served the bytes, after go\'s text', (t) => {
  const dir = tempDir(t, 'explain');
  const sum = join(dir, 'go.sum');
  writeFileSync(sum, 'example.com/A v1.0.0/go.mod h1:MOD=\nexample.com/A v1.0.0 h1:OLD=\n');
  const e = new Explainer();
  e.add({ kind: 'sum-files', files: [sum] });
  e.add({ kind: 'got', url: 'http://proxy/example.com/!a/@v/v1.0.0.zip', status: '200 OK', seconds: 0.1 });
  const out = e.explain(MISMATCH);
  // go's text stays, but for the pointer to 'go help', which a machine without Go cannot follow.
  assert.ok(out.startsWith(MISMATCH.replace("'go help module-auth'", 'https://go.dev/ref/mod#authenticating')), out);
  assert.match(out, new RegExp(`gomod-dl: note: line 2 of ${sum.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} records h1:OLD= for example.com/A v1.0.0,\n`));
  assert.match(out, /but the bytes served by http:\/\/proxy\/example.com\/!a\/@v\/v1.0.0.zip hash to h1:NEW=\./);
  assert.match(out, /Do not delete the go.sum line/);
});

test('a checksum database mismatch names the database; nothing fetched means the module cache', () => {
  const e = new Explainer();
  const text =
    'gomod-dl: example.com/b@v1.0.0: verifying go.mod: checksum mismatch\n' +
    '\tdownloaded: h1:X=\n\tsum.golang.org: h1:Y=\n\nSECURITY ERROR\n';
  const out = e.explain(text);
  assert.match(out, /note: the checksum database sum.golang.org vouches for h1:Y= for example.com\/b v1.0.0\/go.mod,\n/);
  assert.match(out, /but the copy in the module cache \(nothing was fetched\) hash to h1:X=/);
});

test('a GOPROXY walk that stopped at an error explains , and |, once per pair of entries', () => {
  const e = new Explainer();
  e.add({ kind: 'no-fallback', from: 'http://a', to: 'http://b', reason: '503' });
  const err = 'gomod-dl: example.com/c@v1.0.0: reading http://a/example.com/c/@v/v1.0.0.info: 503 Service Unavailable\n';
  const out = e.explain(err);
  assert.ok(out.startsWith(err));
  assert.match(out, /GOPROXY did not fall back from http:\/\/a to http:\/\/b/);
  assert.match(out, /\(http:\/\/a\|http:\/\/b\) any error falls back/);
  assert.equal(e.explain(err), err);
  assert.equal(e.explain('gomod-dl: unrelated\n'), 'gomod-dl: unrelated\n');
});

test("pointers to 'go help' lead to go.dev or gomod-dl's help", () => {
  const e = new Explainer();
  assert.equal(
    e.explain("gomod-dl: go.mod file not found in current directory or any parent directory; see 'go help modules'\n"),
    'gomod-dl: go.mod file not found in current directory or any parent directory; see https://go.dev/ref/mod\n',
  );
});
