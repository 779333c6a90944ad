/**
 * go's package/module patterns with `...` wildcards (`example.com/...`), as `go list -m` and
 * `go mod download` match them against build-list paths. A `vendor` element is never matched by a
 * wildcard, except that `x/vendor/...`-style patterns match `x/vendor` itself.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/internal/pkgpattern/pkgpattern.go (MatchPattern)
 */

const VENDOR_CHAR = '\x00';

function replaceVendor(x: string, repl: string): string {
  if (!x.includes('vendor')) return x;
  const elem = x.split('/');
  for (let i = 0; i < elem.length - 1; i++) if (elem[i] === 'vendor') elem[i] = repl;
  return elem.join('/');
}

function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

function isWellFormedUTF16(s: string): boolean {
  return !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
}

/** A matcher for `pattern` (go's pkgpattern.MatchPattern, vendor-excluding). */
export function matchPattern(pattern: string): (name: string) => boolean {
  // Go strings that are not valid UTF-8 reach us as lone surrogates (src/internal/gostrconv.ts).
  if (pattern.includes(VENDOR_CHAR) || !isWellFormedUTF16(pattern)) return () => false;
  let re = quoteMeta(pattern);
  const wild = `[^${VENDOR_CHAR}]*`;
  re = replaceVendor(re, VENDOR_CHAR);
  const vendorDots = `/${VENDOR_CHAR}/\\.\\.\\.`;
  if (re.endsWith(vendorDots)) {
    re = re.slice(0, -vendorDots.length) + `(/vendor|/${VENDOR_CHAR}/\\.\\.\\.)`;
  } else if (re === `${VENDOR_CHAR}/\\.\\.\\.`) {
    re = `(/vendor|/${VENDOR_CHAR}/\\.\\.\\.)`;
  }
  if (re.endsWith('/\\.\\.\\.')) re = re.slice(0, -'/\\.\\.\\.'.length) + '(/\\.\\.\\.)?';
  re = re.split('\\.\\.\\.').join(wild);
  const reg = new RegExp(`^${re}$`);
  return (name) => {
    if (name.includes(VENDOR_CHAR)) return false;
    return reg.test(replaceVendor(name, VENDOR_CHAR));
  };
}
