// Go strconv quoting; every expected value was printed by Go 1.26 (strconv.Quote, fmt %q of a rune,
// strconv.Unquote) for the same input, through a throwaway Go program. Strings whose bytes are not
// UTF-8 are written here with U+DC80–U+DCFF standing for the raw bytes 0x80–0xFF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  UnquoteError,
  goBytes,
  goString,
  isPrint,
  isValidUtf8,
  quote,
  quoteRune,
  unquote,
  unquoteBytes,
} from '../../src/internal/gostrconv.js';

const fromHex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

// [input bytes in hex, strconv.Quote]: fixed edge cases, then pseudo-random byte strings.
const QUOTES: Array<[string, string]> = [
  ["","\"\""],
  ["61","\"a\""],
  ["00","\"\\x00\""],
  ["07080c0a0d090b","\"\\a\\b\\f\\n\\r\\t\\v\""],
  ["1f7f","\"\\x1f\\x7f\""],
  ["22275c","\"\\\"'\\\\\""],
  ["20","\" \""],
  ["c2a0","\"\\u00a0\""],
  ["c2ad","\"\\u00ad\""],
  ["c2a1","\"¡\""],
  ["e280a8","\"\\u2028\""],
  ["efbbbf","\"\\ufeff\""],
  ["efbfbd","\"�\""],
  ["ff","\"\\xff\""],
  ["c0af","\"\\xc0\\xaf\""],
  ["e08080","\"\\xe0\\x80\\x80\""],
  ["eda080","\"\\xed\\xa0\\x80\""],
  ["f4908080","\"\\xf4\\x90\\x80\\x80\""],
  ["f09f9880","\"😀\""],
  ["e29880","\"☀\""],
  ["cc81","\"́\""],
  ["f3a08081","\"\\U000e0001\""],
  ["f0908080","\"𐀀\""],
  ["c3","\"\\xc3\""],
  ["e282","\"\\xe2\\x82\""],
  ["f09f98","\"\\xf0\\x9f\\x98\""],
  ["80","\"\\x80\""],
  ["fe","\"\\xfe\""],
  ["e1b48e","\"ᴎ\""],
  ["e0a4a4e0a58d","\"त्\""],
  ["f0af8080","\"\\U0002f000\""],
  ["ef8080","\"\\uf000\""],
  ["efbfbf","\"\\uffff\""],
  ["f48fbfbf","\"\\U0010ffff\""],
  ["e0b8b8","\"ุ\""],
  ["d8b3","\"س\""],
  ["e2808b","\"\\u200b\""],
  ["e2808e","\"\\u200e\""],
  ["e38080","\"\\u3000\""],
  ["e1a08e","\"\\u180e\""],
  ["f09d9b81","\"𝛁\""],
  ["f0aa9b96","\"𪛖\""],
  ["f0b38c80","\"\\U00033300\""],
  ["e0a28f","\"\\u088f\""],
  ["ea9f8b","\"\\ua7cb\""],
  ["61ff62c3a9e282ac","\"a\\xffbé€\""],
  ["f289b6addf","\"\\U00089dad\\xdf\""],
  ["2cf48bb9ace2b291e2bf9a36f480b3abe2ab9e","\",\\U0010be6cⲑ\\u2fda6\\U00100ceb⫞\""],
  ["d1bfc3","\"ѿ\\xc3\""],
  ["f18c9fae1ce29f8d","\"\\U0004c7ee\\x1c⟍\""],
  ["b2e2bba0","\"\\xb2⻠\""],
  ["e2ada0db9752ebbd97","\"⭠ۗR뽗\""],
  ["e2ba881a76edf0adbbaf17","\"⺈\\x1av\\xed𭻯\\x17\""],
  ["2ddba03bbf52","\"-۠;\\xbfR\""],
  ["f28690ade184b95ce280981543e294bf","\"\\U0008642dᄹ\\\\‘\\x15C┿\""],
  ["0cd0f1978482f0b982b778","\"\\f\\xd0\\U00057102\\U000390b7x\""],
  ["6c68","\"lh\""],
  ["76cff39ba4af","\"v\\xcf\\U000db92f\""],
  ["23f09ba1a8","\"#\\U0001b868\""],
  ["0a","\"\\n\""],
  ["e0b9b266211154","\"\\u0e72f!\\x11T\""],
  ["f29e8cb8f4869ebfe18f9df38597b9","\"\\U0009e338\\U001067bfᏝ\\U000c55f9\""],
  ["f18596bdf38a89957ef2ad8c8d4c","\"\\U000455bd\\U000ca255~\\U000ad30dL\""],
  ["6ae2908ff187b9b5e2b28e","\"j␏\\U00047e75Ⲏ\""],
  ["f29c888ee29c91","\"\\U0009c20e✑\""],
  ["e5b684cd88f2ab8e9ae6ecb6be","\"嶄͈\\U000ab39a\\xe6춾\""],
  ["f4808da0","\"\\U00100360\""],
  ["2d551e70e2aca7","\"-U\\x1ep⬧\""],
  ["7ef195b7834a","\"~\\U00055dc3J\""],
  ["41","\"A\""],
  ["e0ba800c14","\"\\u0e80\\f\\x14\""],
  ["f3aa99b8e1be82","\"\\U000ea678ᾂ\""],
  ["28e0aba401f486a888eaf29083a618","\"(\\u0ae4\\x01\\U00106a08\\xea\\U000900e6\\x18\""],
  ["a043f095b78fe0a99bf056","\"\\xa0C\\U00015dcfਜ਼\\xf0V\""],
  ["2d141a","\"-\\x14\\x1a\""],
  ["281ed493b34074","\"(\\x1eԓ\\xb3@t\""],
  ["e1a399e1abb97af2b1bfb0e195b1c39b28","\"ᣙ\\u1af9z\\U000b1ff0ᕱÛ(\""],
  ["f3b7a783","\"\\U000f79c3\""],
  ["f093a48b02c3d7ad07","\"\\U0001390b\\x02\\xc3\\u05ed\\a\""],
  ["f18d9797e29ca6f18fb183e2a49a15dde18db9","\"\\U0004d5d7✦\\U0004fc43⤚\\x15\\xdd፹\""],
  ["cda728","\"ͧ(\""],
  ["75f48e9189f28cb6b4f0b0ab9f4fa7","\"u\\U0010e449\\U0008cdb4𰫟O\\xa7\""],
  ["74a8f3acac98c788eba3be6c33","\"t\\xa8\\U000ecb18ǈ룾l3\""],
  ["f2988f80e0a283e29c847ce0bf90f7e28584","\"\\U000983c0ࢃ✄|࿐\\xf7⅄\""],
  ["f399b1bd","\"\\U000d9c7d\""],
  ["f18690a6e2a0a5e2aaa6e0b5a0","\"\\U00046426⠥⪦ൠ\""],
  ["51","\"Q\""],
  ["f1bdb7a5e1a29e","\"\\U0007dde5ᢞ\""],
  ["12dd911d3179f28195baf38cb890","\"\\x12ݑ\\x1d1y\\U0008157a\\U000cce10\""],
  ["c9abe0a2b379","\"ɫࢳy\""],
  ["45","\"E\""],
  ["8e7b5e","\"\\x8e{^\""],
  ["361affe2818e4348","\"6\\x1a\\xff⁎CH\""],
  ["56e1939e","\"Vᓞ\""],
  ["2c7d","\",}\""],
  ["fb","\"\\xfb\""],
  ["80e9aeae12115ff293a49bf1bfa8bf","\"\\x80鮮\\x12\\x11_\\U0009391b\\U0007fa3f\""],
  ["e28ab10f","\"⊱\\x0f\""],
  ["1bf3a293b36be2bc8bf0be929ce0a68b","\"\\x1b\\U000e24f3k⼋\\U0003e49cঋ\""],
  ["e19b8c","\"ᛌ\""],
  ["32","\"2\""],
  ["e0bfbf","\"\\u0fff\""],
  ["c68a39f8f3b3a994e2beaef191b49ef29d8eb8","\"Ɗ9\\xf8\\U000f3a54⾮\\U00051d1e\\U0009d3b8\""],
  ["78e2af96f2f1b89582","\"x⯖\\xf2\\U00078542\""],
  ["f095b0a9","\"\\U00015c29\""],
  ["79f943","\"y\\xf9C\""],
  ["e18d9058","\"ፐX\""],
  ["3b","\";\""],
  ["e2e0bf93e0a4a5","\"\\xe2࿓थ\""],
  ["e0a4afc691f0b78a85cc","\"यƑ\\U00037285\\xcc\""],
  ["49a1e184aa4c485320","\"I\\xa1ᄪLHS \""],
  ["8ad38bf485b8af","\"\\x8aӋ\\U00105e2f\""],
  ["ee8ca4e198b1f2aa8b90899a","\"\\ue324ᘱ\\U000aa2d0\\x89\\x9a\""],
  ["91f0b5b391e1bbb5e285a99735","\"\\x91\\U00035cd1ỵⅩ\\x975\""],
  ["0be04e","\"\\v\\xe0N\""],
  ["2d","\"-\""],
  ["e1a582f388b98c","\"\\u1942\\U000c8e4c\""],
  ["e2b7a75af48ea1b9f195a2abf0bab3b61222","\"ⷧZ\\U0010e879\\U000558ab\\U0003acf6\\x12\\\"\""],
  ["f1b2938e76e29181e194ad","\"\\U000724cev⑁ᔭ\""],
  ["23f29cb3b94ef485888232d0c8b1","\"#\\U0009ccf9N\\U001052022\\xd0ȱ\""],
  ["f241e28f98e1bca7","\"\\xf2A⏘ἧ\""],
  ["e0afba","\"௺\""],
  ["3ff099bf99f0b49185e18c9d6d","\"?\\U00019fd9\\U00034445ጝm\""],
  ["28e1a4aa7c5de2afbc05","\"(ᤪ|]⯼\\x05\""],
  ["c33bf0b5b4ace0beb7f1b6aab01e","\"\\xc3;\\U00035d2cྷ\\U00076ab0\\x1e\""],
  ["f1a68abe","\"\\U000662be\""],
  ["e19584e199af6c193f37c796","\"ᕄᙯl\\x19?7ǖ\""],
  ["8e0de2b5a2f099bd99e0a9a92b","\"\\x8e\\rⵢ\\U00019f59੩+\""],
  ["9d","\"\\x9d\""],
  ["f188a9b9e1b18b","\"\\U00048a79\\u1c4b\""],
  ["69","\"i\""],
  ["f1a78898f18bbfb8e2b78c","\"\\U00067218\\U0004bff8ⷌ\""],
  ["58e286aa","\"X↪\""],
  ["f38b97bbf48889947555","\"\\U000cb5fb\\U00108254uU\""],
  ["27e1afbad1f2a1aeae4d","\"'\\u1bfa\\xd1\\U000a1baeM\""],
  ["53f0ad80a7f3af999a02e1b9a7f3b9a980","\"S𭀧\\U000ef65a\\x02ṧ\\U000f9a40\""],
  ["e1948021f19d87a50772","\"ᔀ!\\U0005d1e5\\ar\""],
  ["e0b1a1f380aea3249fd6","\"ౡ\\U000c0ba3$\\x9f\\xd6\""],
  ["07cebfe183aae1868010","\"\\aοცᆀ\\x10\""],
  ["f0bab9ba34f1b8a89c6e5cfe","\"\\U0003ae7a4\\U00078a1cn\\\\\\xfe\""],
  ["f1849fbae2af80e0af8e54","\"\\U000447fa⯀\\u0bceT\""],
  ["e19aba","\"ᚺ\""],
  ["e2a082f094ba93","\"⠂\\U00014e93\""],
  ["f386949f","\"\\U000c651f\""],
  ["f0bdb38e72e0a7b9f0cb","\"\\U0003dccer৹\\xf0\\xcb\""],
  ["e9e29c8c38f29f95a8f0a29e99f283ba9941","\"\\xe9✌8\\U0009f568𢞙\\U00083e99A\""],
  ["18f3b78b9a","\"\\x18\\U000f72da\""],
  ["e1baadf095b2a36ce2a3a303","\"ậ\\U00015ca3l⣣\\x03\""],
  ["74665fe0a3a4","\"tf_ࣤ\""],
  ["f3b7a982c6a11b4b","\"\\U000f7a42ơ\\x1bK\""],
  ["f189b99b9f","\"\\U00049e5b\\x9f\""],
];

test('quote matches strconv.Quote on bytes, including invalid UTF-8 and unprintable runes', () => {
  for (const [hex, want] of QUOTES) assert.equal(quote(fromHex(hex)), want, hex);
});

test('quote of a JS string quotes its Go bytes', () => {
  for (const [hex, want] of QUOTES) assert.equal(quote(goString(fromHex(hex))), want, hex);
});

// Table entries that cannot merge with a neighbour into a different rune: they do not start with a
// UTF-8 continuation byte, and neither do their successors.
const TOKENS = QUOTES.filter(([hex]) => hex !== '' && !/^[89ab]/.test(hex));

test('quote of a concatenation of table entries is the concatenation of their quotes', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 8 }), (parts) => {
      const bytes = fromHex(parts.map(([h]) => h).join(''));
      // A truncated sequence followed by a token starting with a continuation byte could merge; the
      // filter above excludes such tokens, so every entry quotes independently.
      assert.equal(quote(bytes), '"' + parts.map(([, q]) => q.slice(1, -1)).join('') + '"');
    }),
  );
});

test('unquote(quote(b)) gives back every byte string', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 24 }), (b) => {
      assert.deepEqual(unquoteBytes(quote(b)), b);
    }),
    { numRuns: 2000 },
  );
});

test('quote output holds only printable runes', () => {
  fc.assert(
    // Any code points, lone surrogates included (fast-check's 'binary' unit takes seconds to warm up).
    fc.property(fc.array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength: 12 }), (cps) => {
      const s = String.fromCodePoint(...cps);
      for (const ch of quote(s)) if (!isPrint(ch.codePointAt(0)!)) assert.fail(`unprintable ${JSON.stringify(ch)}`);
    }),
    { numRuns: 1000 },
  );
});

// [rune, fmt.Sprintf("%q", rune)], including surrogates and values beyond U+10FFFF.
const RUNES: Array<[number, string]> = [
  [0,"'\\x00'"],
  [7,"'\\a'"],
  [10,"'\\n'"],
  [39,"'\\''"],
  [34,"'\"'"],
  [92,"'\\\\'"],
  [65,"'A'"],
  [127,"'\\x7f'"],
  [160,"'\\u00a0'"],
  [173,"'\\u00ad'"],
  [233,"'é'"],
  [8232,"'\\u2028'"],
  [55296,"'�'"],
  [57343,"'�'"],
  [65533,"'�'"],
  [65535,"'\\uffff'"],
  [65536,"'𐀀'"],
  [128512,"'😀'"],
  [1114111,"'\\U0010ffff'"],
  [1114112,"'�'"],
  [-1,"'�'"],
  [57344,"'\\ue000'"],
  [769,"'́'"],
  [2191,"'\\u088f'"],
  [917505,"'\\U000e0001'"],
];

test('quoteRune matches %q of a rune', () => {
  for (const [r, want] of RUNES) assert.equal(quoteRune(r), want, String(r));
});

// [literal, strconv.Unquote result, or null for ErrSyntax].
const UNQUOTES: Array<[string, string | null]> = [
  ["\"\"",""],
  ["\"a\"","a"],
  ["''",""],
  ["'a'","a"],
  ["'ab'",null],
  ["'\\''","'"],
  ["'\\\"'",null],
  ["\"\\'\"",null],
  ["\"\\\"\"","\""],
  ["\"\\\"",null],
  ["\"",null],
  ["`",null],
  ["``",""],
  ["`a\\nb`","a\\nb"],
  ["`a\r\nb\r`","a\nb"],
  ["`a`b`",null],
  ["\"a\nb\"",null],
  ["`a\nb`","a\nb"],
  ["\"\\a\\b\\f\\n\\r\\t\\v\\\\\"","\u0007\b\f\n\r\t\u000b\\"],
  ["\"\\x41\\xff\\x00\"","A\udcff\u0000"],
  ["\"\\x4\"",null],
  ["\"\\xg0\"",null],
  ["\"\\u00e9\\U0001F600\"","é😀"],
  ["\"\\ud800\"",null],
  ["\"\\U00110000\"",null],
  ["\"\\UFFFFFFFF\"",null],
  ["\"\\101\\377\\000\"","A\udcff\u0000"],
  ["\"\\400\"",null],
  ["\"\\18\"",null],
  ["\"\\1\"",null],
  ["\"\\q\"",null],
  ["\"\\ \"",null],
  ["'\\x80'","\udc80"],
  ["'é'","é"],
  ["'\\u00e9'","é"],
  ["'\\U0001F600'","😀"],
  ["\"é\"","é"],
  ["\"\udcff\"","�"],
  ["\"a\udcffb\"","a�b"],
  ["'\udcff'","�"],
  ["`\udcff`","\udcff"],
  ["\"abc",null],
  ["abc\"",null],
  ["\"a\"b\"",null],
  ["'",null],
  ["'a",null],
  ["x",null],
  ["\"\\\n\"",null],
  ["\"\t\"","\t"],
  ["\" \""," "],
  ["'\n'",null],
  ["\"\\'\"",null],
  ["\"\\\"",null],
  ["'\"'","\""],
  ["\"'\"","'"],
  ["\"\\z\"",null],
  ["\"\\e\"",null],
  ["\"\\0\"",null],
  ["\"\\07\"",null],
  ["\"\\007\"","\u0007"],
  ["\"\\x\"",null],
  ["\"\\u12\"",null],
  ["\"\\u123g\"",null],
  ["`\\x41`","\\x41"],
  ["\"\\N\"",null],
  ["\"\\U0010ffff\"","􏿿"],
  ["\"\\uDFFF\"",null],
  ["'\\a'","\u0007"],
  ["'ab\\'",null],
];

test('unquote accepts and rejects what strconv.Unquote does', () => {
  for (const [lit, want] of UNQUOTES) {
    if (want === null) {
      assert.throws(() => unquote(lit), (e: unknown) => e instanceof UnquoteError && e.message === 'invalid syntax', lit);
    } else assert.equal(unquote(lit), want, JSON.stringify(lit));
  }
});

test('goString and goBytes round-trip any bytes, and mark invalid UTF-8', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 32 }), (b) => {
      const s = goString(b);
      assert.deepEqual(goBytes(s), b);
      assert.equal(isValidUtf8(s), Buffer.from(b).toString('utf8') === s);
    }),
    { numRuns: 2000 },
  );
});
