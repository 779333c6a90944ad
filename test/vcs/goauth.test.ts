// GOAUTH's `command` and `git DIR` forms, against go: credentials for an https module proxy and for
// an https discovery page that answer 401 without them. The servers use a certificate made at test
// time and trusted through SSL_CERT_FILE (which go and gomod-dl both read).
import { after, before, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireGo } from '../support/gorun.js';
import { GIT_HOST, goImport, startGitServer, type GitServer } from '../support/git-server.js';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { rmrf } from '../support/tree.js';
import { compareDownload } from './harness.js';

const SECURE = 'secure.example.test';
const AUTH = 'Basic ' + Buffer.from('gopher:s3cret').toString('base64');
let host: GitServer;
let tls: Server;
let root: string;
let proxyURL: string;
let certFile: string;
let authCommand: string;
let gitDir: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gomod-dl-goauth-'));
  certFile = join(root, 'cert.pem');
  const keyFile = join(root, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile,
    '-out', certFile, '-days', '1', '-subj', `/CN=${SECURE}`, '-addext', `subjectAltName=DNS:${SECURE},IP:127.0.0.1`], { stdio: 'ignore' });
  host = await startGitServer(root);
  host.createRepo('pub', [{ files: { 'go.mod': `module ${SECURE}/viaauth\n`, 'p.go': 'package p\n' }, tags: ['v1.0.0'] }]);
  const store = new ModuleStore().add(await buildModule({ path: 'example.test/authed', version: 'v1.0.0', files: { 'a.go': 'package a\n' } }));
  tls = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
    if (req.headers.authorization !== AUTH) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Basic realm="test"' }).end('credentials required\n');
      return;
    }
    const u = new URL(req.url ?? '/', 'https://x');
    if (u.searchParams.get('go-get') === '1') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<meta name="go-import" content="${goImport(`${SECURE}/viaauth`, 'pub')}">`);
      return;
    }
    const f = store.resolve(decodeURIComponent(u.pathname.replace(/^\/proxy\//, '')));
    if (f === undefined || f.kind !== 'bytes') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': f.contentType }).end(f.body);
  });
  await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
  const port = (tls.address() as AddressInfo).port;
  proxyURL = `https://127.0.0.1:${port}/proxy`;
  host.tunnel(`${SECURE}:443`, port);

  // A GOAUTH command: credentials for both servers, printed in go's format.
  authCommand = join(root, 'auth.sh');
  writeFileSync(authCommand, `#!/bin/sh\nprintf 'https://127.0.0.1:${port}\\nhttps://${SECURE}\\n\\nAuthorization: ${AUTH}\\n\\n'\n`);
  chmodSync(authCommand, 0o755);
  // GOAUTH=git DIR: a directory whose git config has a credential helper.
  gitDir = join(root, 'gitauth');
  mkdirSync(gitDir);
  execFileSync('git', ['init', '-q', gitDir]);
  execFileSync('git', ['-C', gitDir, 'config', 'credential.helper', '!f() { test "$1" = get && echo username=gopher && echo password=s3cret; }; f']);
});
after(async () => {
  await host.close();
  await new Promise<void>((r) => tls.close(() => r()));
  await rmrf(root);
});

for (const [form, goauth] of [['command', () => authCommand], ['git', () => `git ${gitDir}`]] as const) {
  test(`GOAUTH ${form} gives credentials to an https proxy and an https discovery page that need them, as in go`, async (t) => {
    requireGo(t);
    const env = { SSL_CERT_FILE: certFile, GOAUTH: goauth(), GOPRIVATE: `${GIT_HOST},${SECURE}`, GONOSUMDB: 'example.test' };
    await compareDownload(t, host, ['-json', 'example.test/authed@v1.0.0'], { env: { ...env, GOPROXY: proxyURL } });
    await compareDownload(t, host, ['-json', `${SECURE}/viaauth@v1.0.0`], { env });
  });
}

test('without GOAUTH credentials both fail with go\'s 401 texts', async (t) => {
  requireGo(t);
  const env = { SSL_CERT_FILE: certFile, GOAUTH: 'off', GOPRIVATE: `${GIT_HOST},${SECURE}` };
  await compareDownload(t, host, ['-json', 'example.test/authed@v1.0.0'], { env: { ...env, GOPROXY: proxyURL, GONOSUMDB: 'example.test' } });
  await compareDownload(t, host, ['-json', `${SECURE}/viaauth@v1.0.0`], { env });
});
