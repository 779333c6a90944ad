/**
 * Go's RFC 3339 time parsing and its JSON formatting, on the text (never through JS Date, which
 * drops nanoseconds and offsets).
 *
 * Facts (go 1.26, time/format.go and time/format_rfc3339.go):
 * - time.Time.UnmarshalJSON takes the raw bytes between the quotes (escapes are NOT decoded) and
 *   parses them with parseStrictRFC3339, whose strict checks are disabled (go.dev/issue/54580):
 *   the result is exactly `time.Parse(time.RFC3339, s)`. Its fast path accepts a subset with the
 *   same results, so only Parse is reproduced here.
 * - Parse(RFC3339) accepts a 1-digit hour, `,` or `.` before fractional seconds (any number of
 *   digits; beyond 9 they are dropped), `Z` (upper case only) or `±hh:mm` with hh ≤ 24 and
 *   mm ≤ 60; a lower-case `z` is an error.
 * - MarshalJSON writes `YYYY-MM-DDTHH:MM:SS[.frac]` (fraction with trailing zeros trimmed), then
 *   `Z` for a zero offset (so `+00:00` becomes `Z`) or `±hh:mm` recomputed from the offset in
 *   seconds (so `+01:60` becomes `+02:00`); an offset hour ≥ 24 is a marshal error.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/time/format.go (parse)
 * @see https://github.com/golang/go/blob/go1.26.8/src/time/format_rfc3339.go
 */
import { GoError } from './errors.js';
import { decodeRune } from './gojson.js';

/** A parsed time: the wall clock as written and the zone offset in seconds east of UTC. */
export interface GoTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly nanosecond: number;
  readonly offset: number;
}

/** Go's zero time.Time, `0001-01-01T00:00:00Z`. */
export const ZERO_TIME: GoTime = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, nanosecond: 0, offset: 0 };

/** go's time.ParseError; `message` is its Error() text. */
export class TimeParseError extends GoError {
  constructor(message: string) {
    super('ETIMEPARSE', message);
    this.name = 'TimeParseError';
  }
}

/** The layout go's RFC3339 constant names. */
const RFC3339 = '2006-01-02T15:04:05Z07:00';

/**
 * time's private quote: bytes ≥ 0x80 or < 0x20 as `\xNN`, `"` and `\` backslashed. It walks runes,
 * and a U+FFFD rune ending the string is written as its first byte only (a go quirk kept here).
 */
function timeQuote(b: Uint8Array): string {
  let out = '"';
  for (let i = 0; i < b.length; ) {
    const [cp, width] = decodeRune(b, i);
    if (cp >= 0x80 || cp < 0x20) {
      let w = width;
      if (cp === 0xfffd) {
        w = i + 2 < b.length && b[i] === 0xef && b[i + 1] === 0xbf && b[i + 2] === 0xbd ? 3 : 1;
      }
      for (let j = 0; j < w; j++) out += '\\x' + b[i + j]!.toString(16).padStart(2, '0');
    } else {
      if (cp === 0x22 || cp === 0x5c) out += '\\';
      out += String.fromCharCode(cp);
    }
    i += width;
  }
  return out + '"';
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const isDigitAt = (b: Uint8Array, i: number): boolean => i < b.length && b[i]! >= 0x30 && b[i]! <= 0x39;

/**
 * `time.Parse(time.RFC3339, s)` over the bytes of s, with go's error texts.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/time/format.go (parse)
 */
export function parseRFC3339(input: Uint8Array | string): GoTime {
  const b = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  // Quoted only for an error: a valid time (every .info a run reads) needs no text.
  const value = (): string => timeQuote(b);
  const rest = (i: number): string => timeQuote(b.subarray(i));
  const cannot = (i: number, elem: string): never => {
    throw new TimeParseError(`parsing time ${value()} as "${RFC3339}": cannot parse ${rest(i)} as "${elem}"`);
  };
  const range = (what: string): never => {
    throw new TimeParseError(`parsing time ${value()}: ${what} out of range`);
  };
  let i = 0;
  const skip = (ch: string): void => {
    if (b[i] !== ch.charCodeAt(0)) cannot(i, ch);
    i++;
  };
  // getnum: two digits, or (when not fixed) one digit not followed by a digit.
  const getnum = (fixed: boolean, elem: string): number => {
    if (!isDigitAt(b, i)) return cannot(i, elem);
    if (!isDigitAt(b, i + 1)) {
      if (fixed) return cannot(i, elem);
      return b[i++]! - 0x30;
    }
    const n = (b[i]! - 0x30) * 10 + (b[i + 1]! - 0x30);
    i += 2;
    return n;
  };

  if (b.length < 4 || ![0, 1, 2, 3].every((k) => isDigitAt(b, k))) cannot(0, '2006');
  const year = Number(String.fromCharCode(...b.subarray(0, 4)));
  i = 4;
  skip('-');
  const month = getnum(true, '01');
  if (month < 1 || month > 12) range('month');
  skip('-');
  const day = getnum(true, '02');
  skip('T');
  const hour = getnum(false, '15');
  if (hour >= 24) range('hour');
  skip(':');
  const minute = getnum(true, '04');
  if (minute >= 60) range('minute');
  skip(':');
  const second = getnum(true, '05');
  if (second >= 60) range('second');
  let nanosecond = 0;
  if ((b[i] === 0x2e || b[i] === 0x2c) && isDigitAt(b, i + 1)) {
    let n = i + 1;
    while (isDigitAt(b, n)) n++;
    // Only the first nine digits count; go scales them to nanoseconds.
    const digits = String.fromCharCode(...b.subarray(i + 1, Math.min(n, i + 10)));
    nanosecond = Number(digits.padEnd(9, '0'));
    i = n;
  }
  let offset: number;
  const tzStart = i;
  if (b[i] === 0x5a) {
    offset = 0;
    i++;
  } else {
    if (b.length - i < 6 || b[i + 3] !== 0x3a) return cannot(tzStart, 'Z07:00');
    const two = (k: number): number | undefined =>
      isDigitAt(b, k) && isDigitAt(b, k + 1) ? (b[k]! - 0x30) * 10 + (b[k + 1]! - 0x30) : undefined;
    const hr = two(i + 1);
    const mm = hr === undefined ? undefined : two(i + 4);
    // go records an out-of-range hour or minute before it looks at the error or the sign.
    if ((hr ?? 0) > 24) range('time zone offset hour');
    if ((mm ?? 0) > 60) range('time zone offset minute');
    const sign = b[i];
    if (hr === undefined || mm === undefined || (sign !== 0x2b && sign !== 0x2d)) return cannot(tzStart, 'Z07:00');
    offset = (hr * 60 + mm) * 60 * (sign === 0x2d ? -1 : 1);
    i += 6;
  }
  if (i < b.length) {
    throw new TimeParseError(`parsing time ${value()}: extra text: ${rest(i)}`);
  }
  if (day < 1 || day > daysIn(month, year)) range('day');
  return { year, month, day, hour, minute, second, nanosecond, offset };
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/**
 * Go's `t.Format(time.RFC3339Nano)` of a parsed time (no range checks).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/time/format_rfc3339.go (appendFormatRFC3339)
 */
export function formatRFC3339Nano(t: GoTime): string {
  let s = `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}T${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}`;
  if (t.nanosecond !== 0) s += '.' + pad(t.nanosecond, 9).replace(/0+$/, '');
  if (t.offset === 0) return s + 'Z';
  let zone = Math.trunc(t.offset / 60);
  let sign = '+';
  if (zone < 0) {
    sign = '-';
    zone = -zone;
  }
  return `${s}${sign}${pad(Math.trunc(zone / 60), 2)}:${pad(zone % 60, 2)}`;
}

/** go's error for a time MarshalJSON refuses. */
export class TimeMarshalError extends GoError {
  constructor(message: string) {
    super('ETIMEMARSHAL', message);
    this.name = 'TimeMarshalError';
  }
}

/**
 * Go's `time.Time.MarshalJSON` text without the quotes: RFC3339Nano, refusing years outside
 * 0..9999 and offset hours ≥ 24 with go's messages.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/time/format_rfc3339.go (appendStrictRFC3339)
 */
export function marshalTimeText(t: GoTime): string {
  if (t.year < 0 || t.year > 9999) throw new TimeMarshalError('Time.MarshalJSON: year outside of range [0,9999]');
  if (Math.abs(t.offset) >= 24 * 3600) throw new TimeMarshalError('Time.MarshalJSON: timezone hour outside of range [0,23]');
  return formatRFC3339Nano(t);
}

/** The instant as nanoseconds since the Unix epoch, for ordering times (BigInt: years 0..9999 overflow doubles). */
export function unixNano(t: GoTime): bigint {
  const secs = BigInt(daysFromCivil(t.year, t.month, t.day)) * 86_400n + BigInt(t.hour * 3600 + t.minute * 60 + t.second - t.offset);
  return secs * 1_000_000_000n + BigInt(t.nanosecond);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
