// path.Match and MatchPrefixPatterns; expected values printed by Go 1.26 (path.Match and x/mod
// module.MatchPrefixPatterns) for the same inputs. Match inputs include those of Go's
// path/match_test.go; "\udcff" stands for the byte 0xff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadPatternError, matchPrefixPatterns, pathMatch } from '../../src/module/index.js';

// [pattern, name, matched, error text].
const MATCHES: Array<[string, string, boolean, string]> = [
  ["abc","abc",true,""],
  ["*","abc",true,""],
  ["*c","abc",true,""],
  ["a*","a",true,""],
  ["a*","abc",true,""],
  ["a*","ab/c",false,""],
  ["a*/b","abc/b",true,""],
  ["a*/b","a/c/b",false,""],
  ["a*b*c*d*e*/f","axbxcxdxe/f",true,""],
  ["a*b*c*d*e*/f","axbxcxdxexxx/f",true,""],
  ["a*b*c*d*e*/f","axbxcxdxe/xxx/f",false,""],
  ["a*b*c*d*e*/f","axbxcxdxexxx/fff",false,""],
  ["a*b?c*x","abxbbxdbxebxczzx",true,""],
  ["a*b?c*x","abxbbxdbxebxczzy",false,""],
  ["ab[c]","abc",true,""],
  ["ab[b-d]","abc",true,""],
  ["ab[e-g]","abc",false,""],
  ["ab[^c]","abc",false,""],
  ["ab[^b-d]","abc",false,""],
  ["ab[^e-g]","abc",true,""],
  ["a\\*b","a*b",true,""],
  ["a\\*b","ab",false,""],
  ["a?b","a☺b",true,""],
  ["a[^a]b","a☺b",true,""],
  ["a???b","a☺b",false,""],
  ["a[^a][^a][^a]b","a☺b",false,""],
  ["[a-ζ]*","α",true,""],
  ["*[a-ζ]","A",false,""],
  ["a?b","a/b",false,""],
  ["a*b","a/b",false,""],
  ["[\\]a]","]",true,""],
  ["[\\-]","-",true,""],
  ["[x\\-]","x",true,""],
  ["[x\\-]","-",true,""],
  ["[x\\-]","z",false,""],
  ["[\\-x]","x",true,""],
  ["[\\-x]","-",true,""],
  ["[\\-x]","a",false,""],
  ["[]a]","]",false,"syntax error in pattern"],
  ["[-]","-",false,"syntax error in pattern"],
  ["[x-]","x",false,"syntax error in pattern"],
  ["[x-]","-",false,"syntax error in pattern"],
  ["[x-]","z",false,"syntax error in pattern"],
  ["[-x]","x",false,"syntax error in pattern"],
  ["[-x]","-",false,"syntax error in pattern"],
  ["[-x]","a",false,"syntax error in pattern"],
  ["\\","a",false,"syntax error in pattern"],
  ["[a-b-c]","a",false,"syntax error in pattern"],
  ["[","a",false,"syntax error in pattern"],
  ["[^","a",false,"syntax error in pattern"],
  ["[^bc","a",false,"syntax error in pattern"],
  ["a[","a",false,"syntax error in pattern"],
  ["a[","ab",false,"syntax error in pattern"],
  ["a[","x",false,"syntax error in pattern"],
  ["a/b[","x",false,"syntax error in pattern"],
  ["*x","xxx",true,""],
  ["","",true,""],
  ["","a",false,""],
  ["a","",false,""],
  ["[a-]","",false,"syntax error in pattern"],
  ["\\x","x",true,""],
  ["[\\x]","x",true,""],
  ["a*b[","axb",false,"syntax error in pattern"],
  ["*[","ab",false,"syntax error in pattern"],
  ["a[é]b","aéb",true,""],
  ["a?b","a\udcffb",true,""],
  ["[\udcff]","\udcff",false,"syntax error in pattern"],
];

test('pathMatch matches, fails and reports malformed patterns as Go path.Match does', () => {
  for (const [pattern, name, matched, errText] of MATCHES) {
    const label = `pathMatch(${JSON.stringify(pattern)}, ${JSON.stringify(name)})`;
    if (errText === '') assert.equal(pathMatch(pattern, name), matched, label);
    else assert.throws(() => pathMatch(pattern, name), (e: unknown) => e instanceof BadPatternError && e.message === errText, label);
  }
});

// [globs, target, MatchPrefixPatterns]; includes x/mod's module_test.go cases and the GONOSUMDB
// `p,*/q` vector of xmod-formats.md.
const PREFIXES: Array<[string, string, boolean]> = [
  ["*/quote","rsc.io/quote",true],
  ["*/quo","rsc.io/quote",false],
  ["*/quo??","rsc.io/quote",true],
  ["*/quo*","rsc.io/quote",true],
  ["*quo*","rsc.io/quote",false],
  ["rsc.io","rsc.io/quote",true],
  ["*.io","rsc.io/quote",true],
  ["rsc.io/","rsc.io/quote",true],
  ["rsc","rsc.io/quote",false],
  ["rsc*","rsc.io/quote",true],
  ["rsc.io","rsc.io/quote/v3",true],
  ["*/quote","rsc.io/quote/v3",true],
  ["*/quote/*","rsc.io/quote/v3",true],
  ["*/v3","rsc.io/quote/v3",false],
  ["*/*/v3","rsc.io/quote/v3",true],
  ["*/*/*","rsc.io/quote/v3",true],
  ["*/*/*","rsc.io/quote",false],
  ["*/*/*,,","rsc.io/quote",false],
  ["*/*/*,,*/quote","rsc.io/quote",true],
  [",,*/quote","rsc.io/quote",true],
  ["p,*/q","p",true],
  ["p,*/q","p/x",true],
  ["p,*/q","x/q",true],
  ["p,*/q","x/q/z",true],
  ["p,*/q","abc",false],
  ["p,*/q","a/p",false],
  ["p,*/q","pq",false],
  ["p,*/q","q",false],
  ["p,*/q","n/o/p/q",false],
  ["[,rsc.io","rsc.io/quote",true],
  ["rsc.io/[","rsc.io/quote",false],
  ["rsc.io//","rsc.io",false],
  ["corp.example.com","corp.example.com.evil/x",false],
  ["*.corp.example.com","git.corp.example.com/x/y",true],
  ["","rsc.io",false],
  ["rsc.io/quote/","rsc.io/quote",true],
  ["RSC.io","rsc.io",false],
  ["r[a-z]c.io","rsc.io/x",true],
  ["r[^s]c.io","rsc.io/x",false],
];

test('matchPrefixPatterns matches whole leading path elements as x/mod does', () => {
  for (const [globs, target, want] of PREFIXES) {
    assert.equal(matchPrefixPatterns(globs, target), want, `${JSON.stringify(globs)} ${JSON.stringify(target)}`);
  }
});
