// Expected instants were printed by go 1.26 (time.Parse(time.RFC3339, s): t.Unix(), t.Nanosecond());
// the parse/format edge cases are also covered through decodeInfo by test/cache/info-vectors.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRFC3339Nano, marshalTimeText, parseRFC3339, TimeParseError, unixNano, ZERO_TIME } from '../../src/internal/gotime.js';

test('unixNano gives go\'s instant (Unix seconds and nanoseconds) across the whole year range', () => {
  const cases: Array<[string, bigint, bigint]> = [
    ['0000-01-01T00:00:00Z', -62167219200n, 0n],
    ['1970-01-01T00:00:00Z', 0n, 0n],
    ['2018-02-14T15:44:20.120000000+01:00', 1518619460n, 120000000n],
    ['9999-12-31T23:59:59.999999999-05:30', 253402320599n, 999999999n],
    ['1969-12-31T23:59:59.5Z', -1n, 500000000n],
    ['2000-03-01T00:00:00+24:00', 951782400n, 0n],
  ];
  for (const [s, sec, ns] of cases) assert.equal(unixNano(parseRFC3339(s)), sec * 1_000_000_000n + ns, s);
});

test('formatRFC3339Nano trims the fraction and writes Z only for a zero offset', () => {
  assert.equal(formatRFC3339Nano(parseRFC3339('2018-02-14T15:44:20.100+00:00')), '2018-02-14T15:44:20.1Z');
  assert.equal(formatRFC3339Nano(parseRFC3339('2018-02-14T15:44:20-00:30')), '2018-02-14T15:44:20-00:30');
  assert.equal(marshalTimeText(ZERO_TIME), '0001-01-01T00:00:00Z');
});

test('parseRFC3339 errors carry go\'s ParseError text', () => {
  assert.throws(() => parseRFC3339('2018-02-14T15:44:20z'), (e: unknown) => e instanceof TimeParseError &&
    e.message === 'parsing time "2018-02-14T15:44:20z" as "2006-01-02T15:04:05Z07:00": cannot parse "z" as "Z07:00"');
});
