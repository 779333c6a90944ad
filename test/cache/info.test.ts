import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeInfo, encodeInfo, type RevInfo } from '../../src/cache/info.js';
import { InfoDecodeError, InfoEncodeError } from '../../src/cache/errors.js';
import { INFO_VECTORS } from './info-vectors.js';

function body(s: string): Buffer {
  return s.startsWith('b64:') ? Buffer.from(s.slice(4), 'base64') : Buffer.from(s, 'utf8');
}

function roundTrip(data: Buffer): string {
  let info: RevInfo;
  try {
    info = decodeInfo(data);
  } catch (err) {
    assert.ok(err instanceof InfoDecodeError, `decode threw ${String(err)}`);
    return 'ERR ' + err.message;
  }
  try {
    return 'OK ' + encodeInfo(info);
  } catch (err) {
    assert.ok(err instanceof InfoEncodeError, `encode threw ${String(err)}`);
    return 'MERR ' + err.message;
  }
}

test('decodeInfo + encodeInfo reproduce go 1.26 byte for byte on every pinned vector', () => {
  for (const [input, want] of INFO_VECTORS) {
    assert.equal(roundTrip(body(input)), want, `input ${JSON.stringify(input)}`);
  }
});

test('encodeInfo writes no trailing newline and keeps Version, Time, Origin order', () => {
  const info = decodeInfo(Buffer.from('{"Origin":{"Ref":"r","VCS":"git"},"Time":"2020-01-01T00:00:00Z","Version":"v1.0.0"}\n'));
  assert.equal(encodeInfo(info), '{"Version":"v1.0.0","Time":"2020-01-01T00:00:00Z","Origin":{"VCS":"git","Ref":"r"}}');
});

test('encodeInfo does not modify the Origin it cleans', () => {
  const info = decodeInfo(Buffer.from('{"Version":"v1.0.0","Origin":{"TagSum":"t1:x","Ref":"r"}}'));
  encodeInfo(info);
  assert.deepEqual(info.Origin, { TagSum: 't1:x', Ref: 'r' });
});

test('decodeInfo keeps nanosecond precision and the written offset', () => {
  const info = decodeInfo(Buffer.from('{"Version":"v1.0.0","Time":"2018-02-14T15:44:20.000000001-07:30"}'));
  assert.deepEqual(info.Time, { year: 2018, month: 2, day: 14, hour: 15, minute: 44, second: 20, nanosecond: 1, offset: -(7 * 3600 + 30 * 60) });
  assert.equal(encodeInfo(info), '{"Version":"v1.0.0","Time":"2018-02-14T15:44:20.000000001-07:30"}');
});

test('nesting up to 10000 levels parses and deeper fails with go\'s max-depth error (checked against go 1.26)', () => {
  assert.equal(roundTrip(Buffer.from('['.repeat(10000) + ']'.repeat(10000))), 'ERR json: cannot unmarshal array into Go value of type modfetch.RevInfo');
  assert.equal(roundTrip(Buffer.from('['.repeat(10001) + ']'.repeat(10001))), "ERR invalid character '[' exceeded max depth");
  assert.equal(roundTrip(Buffer.from('{"a":'.repeat(10001) + '1' + '}'.repeat(10001))), "ERR invalid character '{' exceeded max depth");
  assert.equal(roundTrip(Buffer.from('{"Extra":' + '{"a":'.repeat(9998) + '1' + '}'.repeat(9998) + ',"Version":"v1.0.0"}')),
    'OK {"Version":"v1.0.0","Time":"0001-01-01T00:00:00Z"}');
});

test('the plain form proxies write decodes as the general decoder does (same fields, other key order)', () => {
  const versions = ['v1.0.0', 'v0.0.0-20200101000000-abcdefabcdef', '', 'v1.2.3+incompatible', 'not a version', '~!@#$%^&*()'];
  const times = ['2020-01-01T00:00:00Z', '2023-06-30T23:59:59.123456789+05:30', '2020-13-01T00:00:00Z', '2020-01-01T24:00:00Z',
    'yesterday', '', '2020-01-01T00:00:00Zjunk', '2020-02-30T00:00:00Z', '0001-01-01T00:00:00Z'];
  const decode = (s: string): string => {
    try {
      return JSON.stringify(decodeInfo(Buffer.from(s)), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    } catch (err) {
      assert.ok(err instanceof InfoDecodeError, `decode threw ${String(err)}`);
      return 'ERR ' + err.message;
    }
  };
  for (const v of versions) {
    for (const t of times) {
      const plain = `{"Version":"${v}","Time":"${t}"}`;
      const general = `{"Time":"${t}","Version":"${v}"}`; // not the plain form: the general decoder
      assert.equal(decode(` ${plain}\n`), decode(general), plain);
    }
  }
});
