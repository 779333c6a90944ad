/**
 * The CA certificates to trust besides Node's bundled roots: those of NODE_EXTRA_CA_CERTS, as Node
 * would (bin/gomod-dl.js keeps Node from reading the file at start, so the HTTP client adds them), and
 * go's system roots, chosen as go's crypto/x509 chooses them on Linux (on other systems only when
 * SSL_CERT_FILE or SSL_CERT_DIR is set):
 * - the certificate file: SSL_CERT_FILE if set, else the first of the distributions' bundle files that
 *   can be read;
 * - plus every file of the certificate directories: SSL_CERT_DIR (colon-separated) if set, else
 *   /etc/ssl/certs and /etc/pki/tls/certs (symlinks to a name in the same directory skipped);
 * - only the PEM `CERTIFICATE` blocks that parse, as AppendCertsFromPEM keeps: each block is handed to
 *   OpenSSL as its own list entry, and OpenSSL skips an entry it cannot parse (checked by
 *   test/fetch/tls-roots.test.ts with a damaged block ahead of the real one).
 *
 * go's roots add to Node's, never take any away. A CA that the system trusts (a company's, installed
 * with update-ca-certificates) is so trusted by gomod-dl as by go, without NODE_EXTRA_CA_CERTS: with
 * Node's bundled roots alone, go downloaded through such a proxy and gomod-dl failed with `x509:
 * certificate signed by unknown authority`.
 *
 * Cost: a distribution's bundle and /etc/ssl/certs hold some 300 certificates, mostly Node's own, and
 * OpenSSL parses each it is handed. So the files are read only when the first https connection is
 * made (a run served from the cache, or from an http or file:// proxy, never reads them), only the
 * certificates Node does not already trust are handed on, and the HTTP client builds one TLS context
 * for all its connections (src/fetch/http.ts): Node's root store plus those.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/crypto/x509/root_unix.go (loadSystemRoots)
 * @see https://github.com/golang/go/blob/go1.26.8/src/crypto/x509/root_linux.go (certFiles, certDirectories)
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
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

/**
 * The reads here are synchronous: some 300 small files, which one after another through the thread
 * pool took about 100 ms, mostly waiting (a cold cobra download from proxy.golang.org, inspector
 * profile), and the first connection waits for them either way.
 */
function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
}

/** go's readUniqueDirectoryEntries: the names in `dir`, without symlinks to a name in the same directory. */
function uniqueEntries(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.isSymbolicLink()) {
      let target: string | undefined;
      try {
        target = readlinkSync(`${dir}/${e.name}`);
      } catch {
        target = undefined;
      }
      if (target !== undefined && !target.includes('/')) continue;
    }
    out.push(e.name);
  }
  return out;
}

/** go's system roots on Linux (loadSystemRoots), as PEM blocks. */
export function goSystemRoots(env: NodeJS.ProcessEnv): string[] {
  const certs: string[] = [];
  const file = env['SSL_CERT_FILE'];
  for (const f of file ? [file] : CERT_FILES) {
    const text = readText(f);
    if (text !== undefined) {
      certs.push(...certificates(text));
      break;
    }
  }
  const dirVar = env['SSL_CERT_DIR'];
  for (const dir of dirVar ? dirVar.split(':') : CERT_DIRECTORIES) {
    for (const name of uniqueEntries(dir)) {
      const text = readText(`${dir}/${name}`);
      if (text !== undefined) certs.push(...certificates(text));
    }
  }
  return certs;
}

/**
 * Certificates to trust besides Node's bundled roots (go's roots and the NODE_EXTRA_CA_CERTS file),
 * and the whole list (the bundled roots included) for a Node that cannot add to its root store; the
 * HTTP client calls it once, for its first https connection.
 */
export type CaSource = () => Promise<{ readonly extra: readonly string[]; readonly all: readonly string[] }>;

/**
 * The NODE_EXTRA_CA_CERTS file's certificates and go's roots (see the file comment) that Node's
 * bundled roots lack, read when the HTTP client asks; undefined (Node's defaults) off Linux when
 * none of the three variables is set.
 */
export function caFromEnv(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): CaSource | undefined {
  const goRoots = platform === 'linux' || Boolean(env['SSL_CERT_FILE'] || env['SSL_CERT_DIR']);
  const extraFile = env['NODE_EXTRA_CA_CERTS'];
  if (!goRoots && !extraFile) return undefined;
  return () => {
    // The file is read here even when Node read it at start: a context that adds to Node's root
    // store starts from its bundled roots only (test/fetch/tls-roots.test.ts failed without this).
    const bundled = new Set(rootCertificates.map(pemKey));
    const extra = new Map<string, string>();
    for (const b of [...(extraFile ? certificates(readText(extraFile) ?? '') : []), ...(goRoots ? goSystemRoots(env) : [])]) {
      const key = pemKey(b);
      if (!bundled.has(key) && !extra.has(key)) extra.set(key, b);
    }
    return Promise.resolve({ extra: [...extra.values()], all: [...rootCertificates, ...extra.values()] });
  };
}

/** A certificate block without its white space: the same certificate however the file wraps it. */
function pemKey(block: string): string {
  return block.replace(/\s+/g, '');
}
