// Expected outputs below were produced by go 1.26's encoding/json (a throwaway program, not committed)
// and pinned here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonString, marshal, marshalIndent, JsonUnsupportedValueError } from '../../src/internal/gojson.js';

test('jsonString escapes control characters as go 1.26 does, with \\b and \\f short forms', () => {
  let s = '';
  for (let i = 0; i < 0x20; i++) s += String.fromCharCode(i);
  s += '\x7f"\\<>&\u2028\u2029é😀/';
  assert.equal(
    jsonString(s),
    '"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f' +
      '\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c' +
      '\\u001d\\u001e\\u001f\x7f\\"\\\\\\u003c\\u003e\\u0026\\u2028\\u2029é😀/"',
  );
});

test('jsonString writes one \\ufffd per invalid UTF-8 byte, like utf8.DecodeRune', () => {
  const cases: Array<[number[], string]> = [
    [[0x61, 0xff, 0x62, 0xc3], '"a\\ufffdb\\ufffd"'],
    [[0xe2, 0x82], '"\\ufffd\\ufffd"'],
    [[0xed, 0xa0, 0x80], '"\\ufffd\\ufffd\\ufffd"'],
    [[0xf4, 0x90, 0x80, 0x80], '"\\ufffd\\ufffd\\ufffd\\ufffd"'],
    [[0xc0, 0x80], '"\\ufffd\\ufffd"'],
    [[0x78, 0xe2, 0x82, 0xac, 0x79], '"x€y"'],
    [[0xf0, 0x9f, 0x98, 0x80], '"😀"'],
    [[0xf0, 0x9f, 0x98], '"\\ufffd\\ufffd\\ufffd"'],
  ];
  for (const [bytes, want] of cases) assert.equal(jsonString(Uint8Array.from(bytes)), want, `bytes ${bytes}`);
});

test('jsonString replaces lone UTF-16 surrogates with \\ufffd', () => {
  assert.equal(jsonString('a\ud800b\udc00'), '"a\\ufffdb\\ufffd"');
  assert.equal(jsonString('\ud83d\ude00'), '"😀"');
});

test('marshal writes numbers like Go float64 encoding', () => {
  assert.equal(
    marshal([0, 1, -1, 1.5, 1e20, 1e21, 1e-6, 1e-7, 123456789012, 0.1, 1e300, -0]),
    '[0,1,-1,1.5,100000000000000000000,1e+21,0.000001,1e-7,123456789012,0.1,1e+300,-0]',
  );
  assert.equal(marshal([5e-324, 1.7976931348623157e308, 123e-20, 0.000001234]),
    '[5e-324,1.7976931348623157e+308,1.23e-18,0.000001234]');
});

test('marshal refuses NaN and infinities with go\'s message', () => {
  assert.throws(() => marshal(NaN), (e: unknown) => e instanceof JsonUnsupportedValueError && e.message === 'json: unsupported value: NaN');
  assert.throws(() => marshal(-Infinity), { message: 'json: unsupported value: -Inf' });
});

test('marshal keeps insertion order, skips undefined members and HTML-escapes keys', () => {
  assert.equal(marshal({ b: 1, a: undefined, 'a<b': true, n: null, e: {}, l: [] }), '{"b":1,"a\\u003cb":true,"n":null,"e":{},"l":[]}');
});

test('marshalIndent matches json.MarshalIndent with a prefix', () => {
  const v = { X: [], Y: {}, Z: [1, 2], W: false, N: 1.5, S: { Q: ['a', 'b'] }, E: {} };
  assert.equal(
    marshalIndent(v, '>', '\t'),
    '{\n>\t"X": [],\n>\t"Y": {},\n>\t"Z": [\n>\t\t1,\n>\t\t2\n>\t],\n>\t"W": false,\n>\t"N": 1.5,\n' +
      '>\t"S": {\n>\t\t"Q": [\n>\t\t\t"a",\n>\t\t\t"b"\n>\t\t]\n>\t},\n>\t"E": {}\n>}',
  );
  assert.equal(marshalIndent([], '', '  '), '[]');
  assert.equal(marshalIndent({}, '', '  '), '{}');
  assert.equal(marshalIndent([null, [], {}], 'p', '  '), '[\np  null,\np  [],\np  {}\np]');
});

test('marshalIndent treats an object whose members are all undefined as empty', () => {
  assert.equal(marshalIndent({ a: undefined }, '', '\t'), '{}');
});
