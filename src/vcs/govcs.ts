/**
 * GOVCS: which version control systems go may use for which module paths (default
 * `public:git|hg,private:all`), with go's parse errors and refusal text.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/vcs/vcs.go (parseGOVCS, checkGOVCS)
 * @see https://go.dev/ref/mod#vcs-govcs
 */
import { quote } from '../internal/gostrconv.js';
import { matchPrefixPatterns } from '../module/index.js';
import { VcsError } from './errors.js';

interface Rule {
  readonly pattern: string;
  readonly allowed: readonly string[];
}

const DEFAULT_RULES: readonly Rule[] = [
  { pattern: 'private', allowed: ['all'] },
  { pattern: 'public', allowed: ['git', 'hg'] },
];

/** go's search.IsRelativePath. */
function isRelativePath(p: string): boolean {
  return p === '.' || p === '..' || p.startsWith('./') || p.startsWith('../');
}

/** Parses GOVCS; the default rules are appended. @throws VcsError with go's text */
export function parseGOVCS(s: string): Rule[] {
  s = s.trim();
  const rules: Rule[] = [];
  if (s !== '') {
    const have = new Map<string, string>();
    for (let item of s.split(',')) {
      item = item.trim();
      if (item === '') throw new VcsError('EGOVCS', 'empty entry in GOVCS');
      const colon = item.indexOf(':');
      if (colon < 0) throw new VcsError('EGOVCS', `malformed entry in GOVCS (missing colon): ${quote(item)}`);
      const pattern = item.slice(0, colon).trim();
      const list = item.slice(colon + 1).trim();
      if (pattern === '') throw new VcsError('EGOVCS', `empty pattern in GOVCS: ${quote(item)}`);
      if (list === '') throw new VcsError('EGOVCS', `empty VCS list in GOVCS: ${quote(item)}`);
      if (isRelativePath(pattern)) throw new VcsError('EGOVCS', `relative pattern not allowed in GOVCS: ${quote(pattern)}`);
      const old = have.get(pattern);
      if (old !== undefined) throw new VcsError('EGOVCS', `unreachable pattern in GOVCS: ${quote(item)} after ${quote(old)}`);
      have.set(pattern, item);
      const allowed = list.split('|').map((a) => a.trim());
      if (allowed.includes('')) throw new VcsError('EGOVCS', `empty VCS name in GOVCS: ${quote(item)}`);
      rules.push({ pattern, allowed });
    }
  }
  return [...rules, ...DEFAULT_RULES];
}

/**
 * Throws go's refusal when GOVCS does not allow `vcs` for the repository root `root`.
 * @param goprivate the GOPRIVATE patterns (which decide `private`)
 */
export function checkGOVCS(rules: readonly Rule[], goprivate: string, vcs: string, root: string): void {
  if (vcs === 'mod') return;
  const isPrivate = matchPrefixPatterns(goprivate, root);
  for (const rule of rules) {
    const match = rule.pattern === 'private' ? isPrivate : rule.pattern === 'public' ? !isPrivate : matchPrefixPatterns(rule.pattern, root);
    if (!match) continue;
    if (rule.allowed.some((a) => a === vcs || a === 'all')) return;
    break;
  }
  throw new VcsError('EGOVCS', `GOVCS disallows using ${vcs} for ${isPrivate ? 'private' : 'public'} ${root}; see 'go help vcs'`);
}
