/**
 * The CA certificates to trust when SSL_CERT_FILE or SSL_CERT_DIR is set, chosen as go's crypto/x509
 * chooses its system roots on Linux:
 * - the certificate file: SSL_CERT_FILE if set, else the first of the distributions' bundle files that
 *   can be read;
 * - plus every file of the certificate directories: SSL_CERT_DIR (colon-separated) if set, else
 *   /etc/ssl/certs and /etc/pki/tls/certs (symlinks to a name in the same directory skipped);
 * - only the PEM `CERTIFICATE` blocks that parse, as AppendCertsFromPEM keeps: each block is handed to
 *   OpenSSL as its own list entry, and OpenSSL skips an entry it cannot parse (checked by
 *   test/fetch/tls-roots.test.ts with a damaged block ahead of the real one).
 *
 * Node trusts its own bundled roots and NODE_EXTRA_CA_CERTS unless given a `ca` list, which replaces
 * both; so the list handed to the HTTP client is Node's bundled roots, go's roots as above, and the
 * NODE_EXTRA_CA_CERTS file: the variables add to the roots gomod-dl trusts without either, never take
 * any away. Without either variable nothing is read and Node's defaults apply.
 *
 * Cost: a distribution's bundle and /etc/ssl/certs hold some 300 certificates, and OpenSSL takes about
 * 1 ms to load each (230 ms for Node's roots plus Debian's, measured with tls.createSecureContext). So
 * the list is read only when the first https connection is made (a run served from the cache, or from
 * an http or file:// proxy, never reads it) and the HTTP client builds one TLS context from it for all
 * its connections (src/fetch/http.ts), instead of one per connection.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/crypto/x509/root_unix.go (loadSystemRoots)
 * @see https://github.com/golang/go/blob/go1.26.8/src/crypto/x509/root_linux.go (certFiles, certDirectories)
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';

const CERT_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];
const CERT_DIRECTORIES = ['/etc/ssl/certs', '/etc/pki/tls/certs'];

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The certificate blocks of a PEM text (OpenSSL skips those that do not parse, as go does). */
function certificates(pem: string): string[] {
  return pem.match(PEM_CERT) ?? [];
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'latin1');
  } catch {
    return undefined;
  }
}

/** go's readUniqueDirectoryEntries: the names in `dir`, without symlinks to a name in the same directory. */
async function uniqueEntries(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.isSymbolicLink()) {
      const target = await readlink(`${dir}/${e.name}`).catch(() => undefined);
      if (target !== undefined && !target.includes('/')) continue;
    }
    out.push(e.name);
  }
  return out;
}

/** go's system roots on Linux (loadSystemRoots), as PEM blocks. */
export async function goSystemRoots(env: NodeJS.ProcessEnv): Promise<string[]> {
  const certs: string[] = [];
  const file = env['SSL_CERT_FILE'];
  for (const f of file ? [file] : CERT_FILES) {
    const text = await readText(f);
    if (text !== undefined) {
      certs.push(...certificates(text));
      break;
    }
  }
  const dirVar = env['SSL_CERT_DIR'];
  for (const dir of dirVar ? dirVar.split(':') : CERT_DIRECTORIES) {
    for (const name of await uniqueEntries(dir)) {
      const text = await readText(`${dir}/${name}`);
      if (text !== undefined) certs.push(...certificates(text));
    }
  }
  return certs;
}

/** Reads the trusted CA list (the HTTP client calls it once, for its first https connection). */
export type CaSource = () => Promise<readonly string[]>;

/**
 * The `ca` list for the HTTP client when SSL_CERT_FILE or SSL_CERT_DIR is set (see the file comment),
 * read when the client asks, or undefined to keep Node's defaults.
 */
export function caFromEnv(env: NodeJS.ProcessEnv): CaSource | undefined {
  if (!env['SSL_CERT_FILE'] && !env['SSL_CERT_DIR']) return undefined;
  return async () => {
    const extraFile = env['NODE_EXTRA_CA_CERTS'];
    const extra = extraFile ? certificates((await readText(extraFile)) ?? '') : [];
    return unique([...rootCertificates, ...(await goSystemRoots(env)), ...extra]);
  };
}

/** The blocks without repeats (the bundle file and the directory hold the same certificates). */
function unique(blocks: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const b of blocks) {
    const key = b.replace(/\s+/g, '');
    if (!seen.has(key)) seen.set(key, b);
  }
  return [...seen.values()];
}
