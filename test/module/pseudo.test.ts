// Pseudo-versions; every expected value and error text was printed by x/mod (Go 1.26's vendored
// copy) for the same inputs, through a throwaway Go program. Inputs include the vectors of
// xmod-formats.md and the cases of x/mod's pseudo_test.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  InvalidVersionError,
  isPseudoVersion,
  isValid,
  isZeroPseudoVersion,
  pseudoVersion,
  pseudoVersionBase,
  pseudoVersionRev,
  pseudoVersionTime,
  zeroPseudoVersion,
} from '../../src/module/index.js';

function run<T>(fn: () => T): [T | '', string] {
  try {
    return [fn(), ''];
  } catch (err) {
    return ['', (err as Error).message];
  }
}

/** RFC 3339 without milliseconds, as Go's time.RFC3339 prints a UTC time. */
const rfc3339 = (t: Date): string => {
  const y = String(t.getUTCFullYear()).padStart(4, '0');
  return y + t.toISOString().slice(t.toISOString().indexOf('-'), 19) + 'Z';
};

// [v, IsPseudoVersion, IsZeroPseudoVersion, PseudoVersionBase, err, PseudoVersionTime (RFC 3339),
//  err, PseudoVersionRev, err].
const PARSED: Array<[string, boolean, boolean, string, string, string, string, string, string]> = [
  ["v0.0.0-20060102150405-hash",true,false,"","","2006-01-02T15:04:05Z","","hash",""],
  ["v1.0.0-20060102150405-hash",true,false,"","","2006-01-02T15:04:05Z","","hash",""],
  ["v1.2.4-0.20060102150405-hash",true,false,"v1.2.3","","2006-01-02T15:04:05Z","","hash",""],
  ["v1.2.3-pre.0.20060102150405-hash",true,false,"v1.2.3-pre","","2006-01-02T15:04:05Z","","hash",""],
  ["v1.0.1-0.20060102150405-hash+metadata",true,false,"v1.0.0+metadata","","2006-01-02T15:04:05Z","","hash",""],
  ["v2.0.1-0.20060102150405-hash+incompatible",true,false,"v2.0.0+incompatible","","2006-01-02T15:04:05Z","","hash",""],
  ["v0.0.0--.0.20060102150405-hash",true,false,"v0.0.0--","","2006-01-02T15:04:05Z","","hash",""],
  ["v1.2.100000000000000000-0.20060102150405-hash",true,false,"v1.2.99999999999999999","","2006-01-02T15:04:05Z","","hash",""],
  ["v0.0.0-0.20060102150405-hash",true,false,"","pseudo-version \"v0.0.0-0.20060102150405-hash\" invalid: version before v0.0.0 would have negative patch number","2006-01-02T15:04:05Z","","hash",""],
  ["v1.0.0-0.20060102150405-hash",true,false,"","pseudo-version \"v1.0.0-0.20060102150405-hash\" invalid: version before v1.0.0 would have negative patch number","2006-01-02T15:04:05Z","","hash",""],
  ["v0.0.0-20060102150405-hash+incompatible",true,false,"","pseudo-version \"v0.0.0-20060102150405-hash+incompatible\" invalid: lacks base version, but has build metadata \"+incompatible\"","2006-01-02T15:04:05Z","","hash",""],
  ["v1.0.0",false,false,"","pseudo-version \"v1.0.0\" invalid: syntax error","","pseudo-version \"v1.0.0\" invalid: syntax error","","pseudo-version \"v1.0.0\" invalid: syntax error"],
  ["v1.0.0-pre",false,false,"","pseudo-version \"v1.0.0-pre\" invalid: syntax error","","pseudo-version \"v1.0.0-pre\" invalid: syntax error","","pseudo-version \"v1.0.0-pre\" invalid: syntax error"],
  ["v1.0.0-0.2006010215040-hash",false,false,"","pseudo-version \"v1.0.0-0.2006010215040-hash\" invalid: syntax error","","pseudo-version \"v1.0.0-0.2006010215040-hash\" invalid: syntax error","","pseudo-version \"v1.0.0-0.2006010215040-hash\" invalid: syntax error"],
  ["v1.0.0-20061302150405-hash",true,false,"","","","pseudo-version \"v1.0.0-20061302150405-hash\" invalid: malformed time \"20061302150405\"","hash",""],
  ["v1.0.0-20060230150405-hash",true,false,"","","","pseudo-version \"v1.0.0-20060230150405-hash\" invalid: malformed time \"20060230150405\"","hash",""],
  ["v1.0.0-20040229150405-hash",true,false,"","","2004-02-29T15:04:05Z","","hash",""],
  ["v1.0.0-19000229150405-hash",true,false,"","","","pseudo-version \"v1.0.0-19000229150405-hash\" invalid: malformed time \"19000229150405\"","hash",""],
  ["v1.0.0-20000229235959-hash",true,false,"","","2000-02-29T23:59:59Z","","hash",""],
  ["v1.0.0-20060102240000-hash",true,false,"","","","pseudo-version \"v1.0.0-20060102240000-hash\" invalid: malformed time \"20060102240000\"","hash",""],
  ["v1.0.0-20060102156000-hash",true,false,"","","","pseudo-version \"v1.0.0-20060102156000-hash\" invalid: malformed time \"20060102156000\"","hash",""],
  ["v1.0.0-20060102150460-hash",true,false,"","","","pseudo-version \"v1.0.0-20060102150460-hash\" invalid: malformed time \"20060102150460\"","hash",""],
  ["v1.0.0-00000101000000-hash",true,false,"","","0000-01-01T00:00:00Z","","hash",""],
  ["v0.0.0-00010101000000-000000000000",true,true,"","","0001-01-01T00:00:00Z","","000000000000",""],
  ["v2.0.0-00010101000000-000000000000",true,true,"","","0001-01-01T00:00:00Z","","000000000000",""],
  ["v1.0.0-00010101000000-000000000000",true,true,"","","0001-01-01T00:00:00Z","","000000000000",""],
  ["v0.0.0-00010101000000-000000000001",true,false,"","","0001-01-01T00:00:00Z","","000000000001",""],
  ["v1.2.10-0.20060102150405-abcdef123456",true,false,"v1.2.9","","2006-01-02T15:04:05Z","","abcdef123456",""],
  ["v1.2.100-0.20060102150405-abcdef123456",true,false,"v1.2.99","","2006-01-02T15:04:05Z","","abcdef123456",""],
  ["v1.2.3-rc.1.0.20060102150405-abcdef123456",true,false,"v1.2.3-rc.1","","2006-01-02T15:04:05Z","","abcdef123456",""],
  ["v1.2.3-rc.0.20060102150405-abcdef123456+meta",true,false,"v1.2.3-rc+meta","","2006-01-02T15:04:05Z","","abcdef123456",""],
  ["v1.0.0-x.0.20060102150405-hash",true,false,"v1.0.0-x","","2006-01-02T15:04:05Z","","hash",""],
  ["v0.0.0-20060102150405-",false,false,"","pseudo-version \"v0.0.0-20060102150405-\" invalid: syntax error","","pseudo-version \"v0.0.0-20060102150405-\" invalid: syntax error","","pseudo-version \"v0.0.0-20060102150405-\" invalid: syntax error"],
  ["v0.0.0-20060102150405-ab_c",false,false,"","pseudo-version \"v0.0.0-20060102150405-ab_c\" invalid: syntax error","","pseudo-version \"v0.0.0-20060102150405-ab_c\" invalid: syntax error","","pseudo-version \"v0.0.0-20060102150405-ab_c\" invalid: syntax error"],
  ["v1.2.3-0.20060102150405-a-b",false,false,"","pseudo-version \"v1.2.3-0.20060102150405-a-b\" invalid: syntax error","","pseudo-version \"v1.2.3-0.20060102150405-a-b\" invalid: syntax error","","pseudo-version \"v1.2.3-0.20060102150405-a-b\" invalid: syntax error"],
  ["v0.0.0-2006010215040a-hash",false,false,"","pseudo-version \"v0.0.0-2006010215040a-hash\" invalid: syntax error","","pseudo-version \"v0.0.0-2006010215040a-hash\" invalid: syntax error","","pseudo-version \"v0.0.0-2006010215040a-hash\" invalid: syntax error"],
  ["v1.2.3-0.0.20060102150405-hash",true,false,"v1.2.3-0","","2006-01-02T15:04:05Z","","hash",""],
];

test('isPseudoVersion and isZeroPseudoVersion match x/mod', () => {
  for (const [v, isPseudo, isZero] of PARSED) {
    assert.equal(isPseudoVersion(v), isPseudo, v);
    assert.equal(isZeroPseudoVersion(v), isZero, v);
  }
});

test('pseudoVersionBase, pseudoVersionTime and pseudoVersionRev match x/mod, errors included', () => {
  for (const [v, , , base, baseErr, time, timeErr, rev, revErr] of PARSED) {
    assert.deepEqual(run(() => pseudoVersionBase(v)), [base, baseErr], `base ${v}`);
    const [t, tErr] = run(() => pseudoVersionTime(v));
    assert.deepEqual([t === '' ? '' : rfc3339(t), tErr], [time, timeErr], `time ${v}`);
    assert.deepEqual(run(() => pseudoVersionRev(v)), [rev, revErr], `rev ${v}`);
  }
});

test('pseudo-version errors are InvalidVersionErrors with the pseudo-version noun', () => {
  assert.throws(
    () => pseudoVersionBase('v1.0.0'),
    (err: unknown) => err instanceof InvalidVersionError && err.pseudo && err.noun === 'pseudo-version',
  );
});

// [major, older, time (RFC 3339), rev, PseudoVersion(...)].
const BUILT: Array<[string, string, string, string, string]> = [
  ["","","2006-01-02T15:04:05Z","hash","v0.0.0-20060102150405-hash"],
  ["v2","","2006-01-02T15:04:05Z","hash","v2.0.0-20060102150405-hash"],
  ["","v1.2.3","2006-01-02T15:04:05Z","hash","v1.2.4-0.20060102150405-hash"],
  ["","v1.2.3-pre","2006-01-02T15:04:05Z","hash","v1.2.3-pre.0.20060102150405-hash"],
  ["","v1.0.0+metadata","2006-01-02T15:04:05Z","hash","v1.0.1-0.20060102150405-hash+metadata"],
  ["","v2.0.0+incompatible","2006-01-02T15:04:05Z","hash","v2.0.1-0.20060102150405-hash+incompatible"],
  ["","v0.0.0--","2006-01-02T15:04:05Z","hash","v0.0.0--.0.20060102150405-hash"],
  ["","v1.2.99999999999999999","2006-01-02T15:04:05Z","hash","v1.2.100000000000000000-0.20060102150405-hash"],
  ["","v1.9","2006-01-02T15:04:05Z","hash","v1.9.1-0.20060102150405-hash"],
  ["","v1","2006-01-02T15:04:05Z","hash","v1.0.1-0.20060102150405-hash"],
  ["v3","bad","2006-01-02T15:04:05Z","hash","v3.0.0-20060102150405-hash"],
  ["","v1.2.3","2019-09-11T20:51:00+02:00","cd5d95a43a6e","v1.2.4-0.20190911185100-cd5d95a43a6e"],
  ["","v1.2.3","0001-01-01T00:00:00Z","000000000000","v1.2.4-0.00010101000000-000000000000"],
  ["","v1.2.3-pre+meta","2006-01-02T15:04:05Z","hash","v1.2.3-pre.0.20060102150405-hash+meta"],
];

test('pseudoVersion builds the forms x/mod builds, in UTC', () => {
  for (const [maj, older, time, rev, want] of BUILT) {
    const t = new Date(time);
    if (time.startsWith('0001-')) t.setUTCFullYear(1);
    assert.equal(pseudoVersion(maj, older, t, rev), want, `${maj} ${older} ${time}`);
  }
});

test('zeroPseudoVersion is the zero time with a zero hash', () => {
  assert.equal(zeroPseudoVersion(''), 'v0.0.0-00010101000000-000000000000');
  assert.equal(zeroPseudoVersion('v2'), 'v2.0.0-00010101000000-000000000000');
});

const tagged = fc
  .tuple(fc.nat(20), fc.nat(20), fc.nat(20), fc.option(fc.constantFrom('-pre', '-rc.1', '-0', '-beta.0'), { nil: '' }))
  .map(([a, b, c, p]) => `v${a}.${b}.${c}${p}`);
const when = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true });

test('a pseudo-version built on a tag parses back to that tag, time and revision', () => {
  fc.assert(
    fc.property(tagged, when, fc.stringMatching(/^[0-9a-f]{12}$/), (older, t, rev) => {
      const v = pseudoVersion('', older, t, rev);
      assert.ok(isValid(v) && isPseudoVersion(v), v);
      assert.equal(pseudoVersionBase(v), older);
      assert.equal(pseudoVersionTime(v).getTime(), Math.floor(t.getTime() / 1000) * 1000);
      assert.equal(pseudoVersionRev(v), rev);
    }),
    { numRuns: 500 },
  );
});
