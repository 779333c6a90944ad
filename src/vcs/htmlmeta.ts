/**
 * go's parseMetaGoImports: the `<meta name="go-import" content="prefix vcs repo [subdir]">` tags of a
 * `?go-get=1` page, read with encoding/xml's non-strict tokenizer ({@link XmlRawDecoder}), not an
 * HTML parser: a tag inside a comment or CDATA section is no tag, one inside `<script>` is.
 *
 * Invariants:
 * - Reading stops at the first `<body>` or `</head>` (any case, any name-space prefix); a page
 *   without either is read to its end.
 * - A tag counts when its `name` attribute (the first attribute called `name` in any case) is
 *   exactly `go-import` and its `content` splits (at Unicode white space) into 3 or 4 fields.
 * - A decoder error after at least one tag ends the reading and is forgotten; before any, it is the
 *   result (go: `parsing <path>: XML syntax error on line N: …`). The end of the page is no error.
 * - Only UTF-8 is read: `<?xml encoding="…"?>` other than utf-8 or ascii (go's strings.ToLower)
 *   fails with go's `can't decode XML document using charset "…"`.
 * - `mod` entries come first; other entries only for prefixes without a `mod` one (PreferMod).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/vcs/discovery.go
 */
import { GoError, InternalError } from '../internal/errors.js';
import { decodeRune, quote } from '../internal/gostrconv.js';
import { NEED_MORE, XmlRawDecoder, type XmlAttr } from './xmltoken.js';

/** One go-import meta tag. */
export interface MetaImport {
  readonly prefix: string;
  readonly vcs: string;
  readonly repoRoot: string;
  readonly subDir: string;
}

/** What go's parseMetaGoImports returns: the tags, or, when there are none, the decoder's error if any. */
export interface MetaImports {
  readonly imports: MetaImport[];
  readonly error?: Error;
}

/** go's unicode.IsSpace, the separator of strings.Fields. */
const FIELD_SEP = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * strings.EqualFold(s, word) for a lower-case ASCII word: of the runes outside ASCII only U+017F
 * (s) and U+212A (k) fold to ASCII letters, and the words here have neither letter.
 */
function isWord(s: string, word: string): boolean {
  if (s.length !== word.length) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a ? c + 0x20 : c) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** go's attrValue: the value of the first attribute named `name` in any case, else "". */
function attrValue(attrs: readonly XmlAttr[], name: string): string {
  return attrs.find((a) => isWord(a.name.local, name))?.value ?? '';
}

/**
 * cmd/go's charsetReader: only "utf-8" and "ascii" after strings.ToLower, which also lowers U+0130
 * to `i` (and U+212A to `k`); anything else is refused.
 */
function charsetCheck(charset: Uint8Array): Error | undefined {
  let lower = '';
  for (let i = 0; i < charset.length;) {
    const [r, n] = decodeRune(charset, i);
    i += n;
    lower += r === 0x130 ? 'i' : r === 0x212a ? 'k' : r < 0x80 ? String.fromCharCode(r).toLowerCase() : '\ufffd';
  }
  if (lower === 'utf-8' || lower === 'ascii') return undefined;
  return new GoError('EXMLCHARSET', `can't decode XML document using charset ${quote(charset)}`);
}

/** Reads tokens into `imports` until the page says stop; NEED_MORE when the input pushed so far ran out. */
function scan(dec: XmlRawDecoder, imports: MetaImport[]): { error?: Error } | typeof NEED_MORE {
  for (;;) {
    let t;
    try {
      t = dec.rawToken();
    } catch (e) {
      if (e === NEED_MORE) return NEED_MORE;
      if (!(e instanceof GoError)) throw e;
      return imports.length === 0 ? { error: e } : {};
    }
    if (t === null) return {};
    if (t.kind === 'start' && isWord(t.name.local, 'body')) return {};
    if (t.kind === 'end' && isWord(t.name.local, 'head')) return {};
    if (t.kind !== 'start' || !isWord(t.name.local, 'meta')) continue;
    if (attrValue(t.attr, 'name') !== 'go-import') continue;
    const f = attrValue(t.attr, 'content').split(FIELD_SEP).filter((s) => s !== '');
    if (f.length === 3 || f.length === 4) imports.push({ prefix: f[0]!, vcs: f[1]!, repoRoot: f[2]!, subDir: f[3] ?? '' });
  }
}

/** `mod` entries first, then the others whose prefix has no `mod` entry. */
function preferMod(imports: readonly MetaImport[]): MetaImport[] {
  const list: MetaImport[] = [];
  const have = new Set<string>();
  for (const m of imports) {
    if (m.vcs === 'mod') {
      have.add(m.prefix);
      list.push(m);
    }
  }
  for (const m of imports) if (m.vcs !== 'mod' && !have.has(m.prefix)) list.push(m);
  return list;
}

/** go's parseMetaGoImports(page, PreferMod) over a whole page (a string is taken as its UTF-8). */
export function parseMetaGoImports(page: Uint8Array | string): MetaImports {
  const dec = new XmlRawDecoder(charsetCheck);
  dec.push(typeof page === 'string' ? Buffer.from(page, 'utf8') : page);
  dec.end();
  const imports: MetaImport[] = [];
  const r = scan(dec, imports);
  if (r === NEED_MORE) throw new InternalError('the whole page was pushed, yet the decoder wants more');
  return { imports: preferMod(imports), ...r };
}

/**
 * go's parseMetaGoImports over a page read piece by piece: it reads no further than go's decoder
 * does (up to `</head>` or `<body>`, or an error).
 * @param read the next bytes, undefined at the end; a rejection is a failed read, whose message
 *   (go's text of it) the decoder reports where it would have read on
 */
export async function readMetaGoImports(read: () => Promise<Uint8Array | undefined>): Promise<MetaImports> {
  const dec = new XmlRawDecoder(charsetCheck);
  const imports: MetaImport[] = [];
  for (;;) {
    const r = scan(dec, imports);
    if (r !== NEED_MORE) return { imports: preferMod(imports), ...r };
    do {
      let chunk: Uint8Array | undefined;
      try {
        chunk = await read();
      } catch (e) {
        dec.end(e as Error);
        break;
      }
      if (chunk === undefined) dec.end();
      else dec.push(chunk);
    } while (dec.hungry());
  }
}
