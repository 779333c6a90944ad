/**
 * Module-path helpers of the code repository: go.mod's module path, path prefixes, major versions,
 * the legacy go.mod, Origin field order.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/coderepo.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/read.go (ModulePath)
 */
import type { RevInfo } from '../cache/index.js';
import { unquote } from '../internal/gostrconv.js';
import { ORIGIN_FIELDS, pathMajorPrefix, splitPathVersion } from '../module/index.js';

/** x/mod modfile.ModulePath: the module path of a go.mod, or "" (cheap, lax). */
export function goModModulePath(mod: Uint8Array | undefined): string {
  if (mod === undefined) return '';
  for (let line of Buffer.from(mod).toString('latin1').split('\n')) {
    const c = line.indexOf('//');
    if (c >= 0) line = line.slice(0, c);
    line = line.trim();
    if (!line.startsWith('module')) continue;
    const rest = line.slice('module'.length);
    const trimmed = rest.trim();
    if (trimmed.length === rest.length || trimmed === '') continue;
    if (trimmed[0] === '"' || trimmed[0] === '`') {
      try {
        return unquote(Buffer.from(trimmed, 'latin1').toString('utf8'));
      } catch {
        return '';
      }
    }
    return Buffer.from(trimmed, 'latin1').toString('utf8');
  }
  return '';
}

export function hasPathPrefix(s: string, prefix: string): boolean {
  if (s.length === prefix.length) return s === prefix;
  if (s.length < prefix.length) return false;
  if (prefix !== '' && prefix.endsWith('/')) return s.startsWith(prefix);
  return s[prefix.length] === '/' && s.startsWith(prefix);
}

export function isMajor(mpath: string, pathMajor: string): boolean {
  if (mpath === '') return false;
  const { pathMajor: mpathMajor, ok } = splitPathVersion(mpath);
  if (!ok) return false;
  if (pathMajor === '') {
    const p = pathMajorPrefix(mpathMajor);
    return p === '' || p === 'v0' || p === 'v1';
  }
  if (mpathMajor === '') return false;
  return pathMajor.slice(1) === mpathMajor.slice(1);
}

export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

/** x/mod modfile.AutoQuote for the legacy go.mod. */
export function legacyQuote(p: string): string {
  return /^[^\s"'`()[\]{},]+$/.test(p) && !p.includes('//') && !p.includes('/*') ? p : JSON.stringify(p);
}

export function orderOrigin(o: Record<string, string | undefined>): RevInfo['Origin'] {
  const out: Record<string, string> = {};
  for (const k of ORIGIN_FIELDS) {
    const v = o[k];
    if (v !== undefined && v !== '') out[k] = v;
  }
  return out;
}

