/**
 * go's check of `godebug` lines in the main go.mod (outside a workspace) and in go.work.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (CheckGodebug)
 * @see https://github.com/golang/go/blob/go1.26.8/src/internal/godebugs/table.go (All, Removed)
 */
import { goCompare, goIsValid } from '../module/gover.js';

/** internal/godebugs.All of go 1.26.8. */
const KNOWN = new Set([
  'allowmultiplevcs', 'asynctimerchan', 'containermaxprocs', 'cryptocustomrand', 'dataindependenttiming',
  'decoratemappings', 'embedfollowsymlinks', 'execerrdot', 'fips140', 'fips140ems', 'gocachehash', 'gocachetest',
  'gocacheverify', 'gotestjsonbuildtext', 'gotypesalias', 'htmlmetacontenturlescape', 'http2client', 'http2debug',
  'http2server', 'httpcookiemaxnum', 'httplaxcontentlength', 'httpmuxgo121', 'httpservecontentkeepheaders',
  'installgoroot', 'jstmpllitinterp', 'multipartfiles', 'multipartmaxheaders', 'multipartmaxparts', 'multipathtcp',
  'netdns', 'netedns0', 'panicnil', 'randautoseed', 'randseednop', 'rsa1024min', 'tarinsecurepath', 'tls10server',
  'tls3des', 'tlsmaxrsasize', 'tlsmlkem', 'tlsrsakex', 'tlssecpmlkem', 'tlssha1', 'tlsunsafeekm', 'updatemaxprocs',
  'urlmaxqueryparams', 'urlstrictcolons', 'winreadlinkvolume', 'winsymlink', 'x509keypairleaf', 'x509negativeserial',
  'x509rsacrt', 'x509sha256skid', 'x509usefallbackroots', 'x509usepolicies', 'zipinsecurepath',
]);

/** internal/godebugs.Removed of go 1.26.8: name → minor version of its removal. */
const REMOVED = new Map([['x509sha1', 24]]);

/**
 * go's CheckGodebug: an error message, or undefined when the setting is accepted. `local` is the
 * emulated go version; undefined skips the `default=` too-new check (gomod-dl's no-toolchain policy).
 */
export function checkGodebug(verb: string, k: string, v: string, local: string | undefined): string | undefined {
  if (/[ \t]/.test(k)) return 'key contains space';
  if (/[ \t]/.test(v)) return 'value contains space';
  if (k.includes(',')) return 'key contains comma';
  if (v.includes(',')) return 'value contains comma';
  if (k === 'default') {
    if (!v.startsWith('go') || !goIsValid(v.slice(2))) return 'value for default= must be goVERSION';
    if (local !== undefined && goCompare(v.slice(2), local) > 0) return `default=${v} too new (toolchain is go${local})`;
    return undefined;
  }
  if (KNOWN.has(k)) return undefined;
  const removed = REMOVED.get(k);
  if (removed !== undefined) return `use of removed ${verb} "${k}", see https://go.dev/doc/godebug#go-1${removed}`;
  return `unknown ${verb} "${k}"`;
}
