// go-import meta tags read as go's encoding/xml reads them (non-strict RawToken): each row's
// expectation is what go 1.26.8's parseMetaGoImports returns for the same bytes (checked with a
// copy of that function built with go; the served-page comparison with go itself is in
// discovery.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMetaGoImports, readMetaGoImports, type MetaImports } from '../../src/vcs/htmlmeta.js';

const tag = (content: string) => `<meta name="go-import" content="${content}">`;
const A = 'ex.com/a git https://r/a';
const B = 'ex.com/b git https://r/b';
/** Bytes from a string of one character a byte (for pages that are not UTF-8). */
const bytes = (s: string) => Buffer.from(s, 'latin1');

/** A page and what go makes of it: the content of each tag kept, in order, or the error text. */
interface Row {
  readonly name: string;
  readonly page: string | Uint8Array;
  readonly tags?: readonly string[];
  readonly error?: string;
}

const rows: readonly Row[] = [
  // What counts as a tag.
  { name: 'a comment hides a tag', page: `<html><head><!-- ${tag(B)} -->${tag(A)}</head>`, tags: [A] },
  { name: 'a CDATA section hides a tag', page: `<head><![CDATA[${tag(B)}]]>${tag(A)}</head>`, tags: [A] },
  { name: 'markup inside <script> is read as markup', page: `<head><script>x = "<meta name='go-import' content='a b c'>" && 1 < 2;</script>${tag(A)}</head>`, tags: ['a b c'] },
  { name: 'reading stops at <body>', page: `<head></head><BODY>${tag(A)}`, tags: [] },
  { name: 'reading stops at </head>, in any case and name space', page: `<html><head></x:HEAD>${tag(A)}`, tags: [] },
  { name: 'a tag after </head> but before <body> is not read', page: `<html><head></head>${tag(A)}<body>`, tags: [] },
  { name: 'a page with neither is read to its end', page: `<p>${tag(A)}</p>${tag(B)}`, tags: [A, B] },
  { name: 'element and attribute names in any case', page: `<META NAME="go-import" CONTENT="${A}">`, tags: [A] },
  { name: 'the name value is case-sensitive', page: `<meta name="GO-IMPORT" content="${A}">`, tags: [] },
  { name: 'the first name attribute decides', page: `<meta name="other" name="go-import" content="${A}"><meta NaMe="go-import" name="x" content="${B}">`, tags: [B] },
  { name: 'name-space prefixes are dropped', page: `<h:meta h:name="go-import" xml:content="${A}">`, tags: [A] },
  { name: 'unquoted values and valueless attributes (non-strict)', page: `<meta async name=go-import content='${A}' />`, tags: [A] },
  { name: 'an unquoted value stops at a byte outside [A-Za-z0-9_:-]', page: `<meta name=go-import content=ex.com/a>`, error: 'XML syntax error on line 1: invalid XML name: .com' },
  { name: 'an unquoted value stopped by a slash', page: `<link href=a/b>${tag(A)}`, error: 'XML syntax error on line 1: expected /> in element' },
  { name: 'content needs 3 or 4 fields', page: `${tag('a b')}${tag('a b c d e')}${tag('a b c d')}`, tags: ['a b c d'] },
  { name: 'mod entries come first and hide the others of their prefix', page: `${tag(A)}${tag(B)}${tag('ex.com/a mod https://p')}`, tags: ['ex.com/a mod https://p', B] },

  // Entities and white space.
  { name: 'the five XML entities and character references are replaced', page: tag('a&#x20;b&#32;&lt;c&gt;&amp;&quot;&apos;'), tags: ['a b <c>&"\''] },
  { name: '&nbsp; is not an entity go knows: it stays', page: tag('ex.com/a&nbsp;git&nbsp;https://r'), tags: [] },
  { name: 'U+00A0, U+0085 and U+3000 separate fields (unicode.IsSpace); U+200B and U+FEFF do not', page: `${tag('a&#160;b\u0085c')}${tag('d\u3000e\u200bf\ufeffg h')}`, tags: ['a b c', 'd e\u200bf\ufeffg h'] },
  { name: 'an unknown or unterminated entity stays as written', page: tag('a &toString; &amp &#X41; b'), tags: [] },
  { name: '&#0; is an illegal character', page: tag('a&#0;b c d'), error: 'XML syntax error on line 1: illegal character code U+0000' },
  { name: 'a surrogate reference becomes U+FFFD', page: tag('a&#xD800; b c'), tags: ['a\ufffd b c'] },
  { name: 'a BOM is character data', page: `\ufeff<head>${tag(A)}</head>`, tags: [A] },

  // Errors: forgotten after a tag, the result before any.
  { name: 'a bare < before any tag', page: `<head><title>1 < 2</title>${tag(A)}</head>`, error: 'XML syntax error on line 1: expected element name after <' },
  { name: 'a bare < after a tag is forgotten', page: `<head>${tag(A)}<title>1 < 2</title></head>`, tags: [A] },
  { name: 'NUL bytes', page: '\u0000\u0001\u0002<<<>>>&&&', error: 'XML syntax error on line 1: illegal character code U+0000' },
  { name: 'bytes that are not UTF-8 in character data', page: bytes(`<head><title>caf\xe9</title>${tag(A)}</head>`), error: 'XML syntax error on line 1: invalid UTF-8' },
  { name: 'bytes that are not UTF-8 in a comment are not looked at', page: bytes(`<head><!-- caf\xe9 -->${tag(A)}</head>`), tags: [A] },
  { name: 'an encoding other than UTF-8', page: `<?xml version="1.0" encoding="iso-8859-1"?><head>${tag(A)}</head>`, error: 'xml: opening charset "iso-8859-1": can\'t decode XML document using charset "iso-8859-1"' },
  { name: 'ASCII is read as UTF-8, also as strings.ToLower sees it', page: `<?xml version="1.0" encoding="ASC\u0130\u0130"?><head>${tag(A)}</head>`, tags: [A] },
  { name: 'an encoding name that is not UTF-8 is quoted as go quotes it', page: bytes('<?xml encoding="l\xe9\t"?>'), error: 'xml: opening charset "l\\xe9\\t": can\'t decode XML document using charset "l\\xe9\\t"' },
  { name: 'XML 1.1', page: `<?xml version="1.1"?>${tag(A)}`, error: 'xml: unsupported version "1.1"; only version 1.0 is supported' },
  { name: '"--" inside a comment', page: `<!-- a -- b -->${tag(A)}`, error: 'XML syntax error on line 1: invalid sequence "--" not allowed in comments' },
  { name: 'an unterminated comment', page: `<!-- ${tag(A)}`, error: 'XML syntax error on line 1: unexpected EOF' },
  { name: 'an unterminated tag', page: `<head>${tag(A).slice(0, -1)}`, error: 'XML syntax error on line 1: unexpected EOF' },
  { name: '< inside a quoted value', page: tag('a b c<'), error: 'XML syntax error on line 1: unescaped < inside quoted string' },
  { name: ']]> outside CDATA, on a line counted in \\n only', page: '<html>\n<head>\r\n<title>x</title>\r\r<p>]]></p>', error: 'XML syntax error on line 3: unescaped ]]> not in CDATA section' },
  { name: 'a name with two colons', page: `<a:b:meta name="go-import" content="${A}">`, error: 'XML syntax error on line 1: expected element name after <' },
  { name: 'a name go\'s XML tables refuse', page: `<\u00b7x>${tag(A)}`, error: 'XML syntax error on line 1: invalid XML name: \u00b7x' },
  { name: 'a name go\'s XML tables accept', page: `<\u00e9t\u00e9>${tag(A)}`, tags: [A] },
  { name: 'a directive with quotes, nesting and a comment', page: `<!DOCTYPE x [<!ENTITY a "<b>"> <!-- > -->]>\n${tag(A)}`, tags: [A] },
  { name: 'an empty page', page: '', tags: [] },
];

function summary(r: MetaImports): { tags: string[] } | { error: string } {
  if (r.error !== undefined) return { error: r.error.message };
  return { tags: r.imports.map((m) => [m.prefix, m.vcs, m.repoRoot, m.subDir].filter((f) => f !== '').join(' ')) };
}

for (const row of rows) {
  test(`go-import tags: ${row.name}`, () => {
    const want = row.error !== undefined ? { error: row.error } : { tags: [...row.tags!] };
    assert.deepEqual(summary(parseMetaGoImports(row.page)), want);
  });
}

test('go-import tags read a byte at a time come out as from the whole page', async () => {
  for (const row of rows) {
    const page = typeof row.page === 'string' ? Buffer.from(row.page) : row.page;
    let at = 0;
    const r = await readMetaGoImports(async () => (at < page.length ? page.subarray(at, ++at) : undefined));
    assert.deepEqual(summary(r), summary(parseMetaGoImports(page)), row.name);
  }
});

test('a page is read no further than </head>, however much follows', async () => {
  const head = Buffer.from(`<html><head>${tag(A)}</head>`);
  let reads = 0;
  const r = await readMetaGoImports(async () => (reads++ === 0 ? head : Buffer.alloc(1 << 16, 0x78)));
  assert.deepEqual(summary(r), { tags: [A] });
  assert.equal(reads, 1);
});

test('a failed read is the error where go would have read on, and forgotten after a tag', async () => {
  const failAfter = (first: string) => {
    let n = 0;
    return async () => {
      if (n++ === 0) return Buffer.from(first);
      throw new Error('unexpected EOF');
    };
  };
  assert.deepEqual(summary(await readMetaGoImports(failAfter('<html><head><title>x'))), { error: 'unexpected EOF' });
  assert.deepEqual(summary(await readMetaGoImports(failAfter(`<head>${tag(A)}<title>`))), { tags: [A] });
});

test('a long token split over many reads is read in linear time', async () => {
  const page = Buffer.from(`<head><title>${'x'.repeat(4 << 20)}</title>${tag(A)}</head>`);
  let at = 0;
  const t0 = performance.now();
  const r = await readMetaGoImports(async () => (at < page.length ? page.subarray(at, (at += 1024)) : undefined));
  assert.deepEqual(summary(r), { tags: [A] });
  // Re-reading the token from its start after every 1 KiB would take minutes.
  assert.ok(performance.now() - t0 < 5000, `${performance.now() - t0} ms`);
});
