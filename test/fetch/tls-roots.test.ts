// SSL_CERT_FILE and SSL_CERT_DIR, as go honours them (a corporate proxy with its own CA): a local
// HTTPS proxy whose certificate a test CA signed (made with openssl at test time) is trusted by go and
// gomod-dl alike with either variable, and refused by both, with the same error, without.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:https';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { freshGoRoot, hermeticGoEnv, requireGo, runGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { assertSameTree } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';

const ARG = 'example.com/tlsmod@v1.0.0';

/** A CA and a certificate for 127.0.0.1 that it signed, made with openssl. */
function makeCerts(dir: string): { ca: string; key: string; cert: string } {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=gomod-dl test CA',
    '-keyout', 'ca.key', '-out', 'ca.pem', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
    '-out', 'server.pem', '-extfile', 'ext.cnf');
  return { ca: join(dir, 'ca.pem'), key: join(dir, 'server.key'), cert: join(dir, 'server.pem') };
}

/** An HTTPS front for the local test proxy: TLS ends here, requests go on to `upstream`. */
async function httpsFront(t: TestContext, upstream: string, key: string, cert: string): Promise<string> {
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const up = request(`${upstream}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(upstream).host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    up.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function setup(t: TestContext) {
  requireGo(t);
  const dir = tempDir(t, 'tls');
  const certs = makeCerts(dir);
  const proxy = await startProxy(new ModuleStore().add(await buildModule({ path: 'example.com/tlsmod', version: 'v1.0.0', files: { 'a.go': 'package a\n' } })));
  t.after(() => proxy.close());
  return { dir, certs, url: await httpsFront(t, proxy.url, certs.key, certs.cert) };
}

/** go and gomod-dl, with `env`, both download through the HTTPS proxy at `url` into the same cache. */
async function bothTrust(t: TestContext, url: string, env: Record<string, string>): Promise<void> {
  const go = await runGo(['mod', 'download', ARG], { t, proxy: url, env });
  const ours = await runGomodDl([ARG], { t, proxy: url, env });
  assert.equal(go.code, 0, go.stderr);
  assert.equal(ours.code, 0, ours.stderr);
  await assertSameTree(ours.gomodcache, go.gomodcache);
}

test('SSL_CERT_FILE adds a CA: go and gomod-dl both trust the proxy and cache the same', async (t) => {
  const { certs, url } = await setup(t);
  const env = { SSL_CERT_FILE: certs.ca };
  await bothTrust(t, url, env);
});

test('a certificate block that does not parse is skipped, as go skips it, and the next one is trusted', async (t) => {
  const { dir, certs, url } = await setup(t);
  // Valid base64 that is no certificate, then the test CA, in one file: go's AppendCertsFromPEM
  // skips the first block and keeps the second.
  const damaged = `-----BEGIN CERTIFICATE-----\n${Buffer.from('not a DER certificate').toString('base64')}\n-----END CERTIFICATE-----\n`;
  const file = join(dir, 'bundle.pem');
  writeFileSync(file, damaged + readFileSync(certs.ca, 'latin1'));
  const env = { SSL_CERT_FILE: file };
  await bothTrust(t, url, env);
});

test('SSL_CERT_DIR (colon-separated) adds the CAs of its files, as go reads them', async (t) => {
  const { dir, certs, url } = await setup(t);
  const cadir = join(dir, 'cadir');
  mkdirSync(cadir);
  writeFileSync(join(cadir, 'corp.crt'), readFileSync(certs.ca));
  writeFileSync(join(cadir, 'README'), 'not a certificate\n');
  const env = { SSL_CERT_DIR: `${join(dir, 'missing')}:${cadir}` };
  await bothTrust(t, url, env);
});

test('without them the proxy is refused by both, with go\'s error', async (t) => {
  const { url } = await setup(t);
  const go = await runGo(['mod', 'download', ARG], { t, proxy: url });
  const ours = await runGomodDl([ARG], { t, proxy: url });
  assert.equal(go.code, 1);
  assert.equal(ours.code, 1);
  assert.match(go.stderr, /x509: certificate signed by unknown authority/);
  assert.equal(ours.stderr.replace(/^gomod-dl: \S+: gave up .*\n/m, '').replaceAll('gomod-dl: ', 'go: '), go.stderr);
});

/**
 * Runs the bundled command in its own process (NODE_EXTRA_CA_CERTS is read when Node starts): as a
 * command, through its #! line, which moves the variable aside for Node's start, or as `node bin`.
 */
async function runBin(t: TestContext, url: string, how: 'command' | 'node', extra: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const bin = fileURLToPath(new URL('../../../bin/gomod-dl.js', import.meta.url));
  const root = freshGoRoot(t);
  const env = { ...hermeticGoEnv(root, { proxy: url }), ...extra };
  try {
    await promisify(execFile)(how === 'command' ? bin : process.execPath, how === 'command' ? [ARG] : [bin, ARG], { cwd: root, env });
    return { code: 0, stderr: '' };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

for (const how of ['command', 'node'] as const) {
  test(`NODE_EXTRA_CA_CERTS is trusted, alone or beside SSL_CERT_FILE (run as ${how === 'command' ? 'a command' : '`node bin`'})`, async (t) => {
    const { dir, certs, url } = await setup(t);
    const otherDir = join(dir, 'other');
    mkdirSync(otherDir);
    const other = makeCerts(otherDir);
    const ok = { code: 0, stderr: '' };
    assert.deepEqual(await runBin(t, url, how, { NODE_EXTRA_CA_CERTS: certs.ca }), ok);
    // go's roots (another CA) do not sign the proxy; Node's extra CA does.
    assert.deepEqual(await runBin(t, url, how, { SSL_CERT_FILE: other.ca, NODE_EXTRA_CA_CERTS: certs.ca }), ok);
    const envs: Record<string, string>[] = [{}, { SSL_CERT_FILE: other.ca }, { NODE_EXTRA_CA_CERTS: other.ca }];
    for (const env of envs) {
      const refused = await runBin(t, url, how, env);
      assert.equal(refused.code, 1, JSON.stringify(env));
      assert.match(refused.stderr, /x509: certificate signed by unknown authority/);
    }
  });
}

test('on Linux go\'s system roots are read without any variable (a CA the system trusts is trusted), elsewhere only with one', async () => {
  const { caFromEnv, goSystemRoots } = await import('../../src/fetch/tlsroots.js');
  const { rootCertificates } = await import('node:tls');
  assert.equal(caFromEnv({}, 'darwin'), undefined);
  const source = caFromEnv({}, 'linux');
  assert.ok(source !== undefined);
  const { extra, all } = await source();
  // Exactly the system's certificates that Node's bundled roots lack, each once.
  const key = (b: string) => b.replace(/\s+/g, '');
  const bundled = new Set(rootCertificates.map(key));
  const want = [...new Set(goSystemRoots({}).map(key))].filter((k) => !bundled.has(k));
  assert.deepEqual(extra.map(key).sort(), want.sort());
  assert.equal(all.length, rootCertificates.length + extra.length);
});
