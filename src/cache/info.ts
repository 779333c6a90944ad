/**
 * The `.info` file: go's RevInfo, decoded with json.Unmarshal semantics and re-encoded the way
 * writeDiskStat writes it.
 *
 * Decoding (json.Unmarshal into modfetch.RevInfo):
 * - The whole body must be valid JSON (go's syntax error texts); `null` gives a zero RevInfo.
 * - Keys match fields case-insensitively (Unicode simple folding, so `ſ` matches `s`); unknown
 *   keys, and `Name` / `Short` (tagged `json:"-"`), are dropped; for duplicates the last wins, and
 *   a second `Origin` object merges into the first (go reuses the pointer).
 * - `null` leaves a string or Time unchanged and sets Origin to nil.
 * - A wrongly typed string field is remembered and reported after decoding (first one wins); a
 *   bad Time aborts decoding at once with time's error (`Time.UnmarshalJSON: input is not a JSON
 *   string` or a `parsing time …` error).
 *
 * Encoding (writeDiskStat): `{"Version":…,"Time":…,"Origin":{…}}` compact, HTML-escaped, no
 * newline. The Origin is cleaned first (TagSum, TagPrefix and RepoSum cleared; Ref cleared for a
 * pseudo-version) but stays present when non-nil, even if that leaves it empty: `"Origin":{}`.
 * A missing Time is go's zero time, `0001-01-01T00:00:00Z`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (writeDiskStat, readDiskStat)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/repo.go (RevInfo)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/codehost/codehost.go (Origin)
 */
import { marshal, type JsonValue } from '../internal/gojson.js';
import { parseJson, JsonSyntaxError, unmarshalTypeText, type JsonNode } from '../internal/gojsonparse.js';
import { marshalTimeText, parseRFC3339, TimeMarshalError, TimeParseError, ZERO_TIME, type GoTime } from '../internal/gotime.js';
import { isPseudoVersion, ORIGIN_FIELDS, type Origin, type RevInfo } from '../module/index.js';
import { InfoDecodeError, InfoEncodeError } from './errors.js';

/** The one RevInfo (src/module/revinfo.ts), re-exported where `.info` files are read and written. */
export type { Origin, RevInfo };

type OriginField = (typeof ORIGIN_FIELDS)[number];

/**
 * encoding/json's foldName for matching keys: ASCII upper-cased, other runes mapped to the
 * smallest rune of their simple-fold orbit. Only two non-ASCII runes fold onto ASCII letters
 * (U+017F ſ → S, U+212A Kelvin → K), and all field names are ASCII, so only those matter.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/encoding/json/fold.go
 */
function foldKey(key: string): string {
  let out = '';
  for (const ch of key) {
    if (ch >= 'a' && ch <= 'z') out += ch.toUpperCase();
    else if (ch === '\u017f') out += 'S';
    else if (ch === '\u212a') out += 'K';
    else out += ch;
  }
  return out;
}

/** json.UnmarshalTypeError's text for a struct field. */
function typeError(value: JsonNode, struct: string, field: string, type: string): string {
  return unmarshalTypeText(value, `struct field ${struct}.${field} of type ${type}`);
}

class InfoDecoder {
  private saved: string | undefined;
  constructor(private readonly data: Uint8Array) {}

  private save(msg: string): void {
    this.saved ??= msg;
  }

  decode(): RevInfo {
    const top = parseJson(this.data);
    const info: RevInfo = { Version: '', Time: ZERO_TIME };
    if (top.kind === 'null') return info;
    if (top.kind !== 'object') {
      throw new InfoDecodeError(unmarshalTypeText(top, 'value of type modfetch.RevInfo'));
    }
    for (const [key, value] of top.members) {
      switch (foldKey(key)) {
        case 'VERSION':
          if (value.kind === 'string') info.Version = value.value;
          else if (value.kind !== 'null') this.save(typeError(value, 'RevInfo', 'Version', 'string'));
          break;
        case 'TIME':
          info.Time = this.time(value, info.Time);
          break;
        case 'ORIGIN':
          if (value.kind === 'null') delete info.Origin;
          else info.Origin = this.origin(value, info.Origin);
          break;
      }
    }
    if (this.saved !== undefined) throw new InfoDecodeError(this.saved);
    return info;
  }

  /** time.Time.UnmarshalJSON: raw bytes between the quotes, escapes not decoded. */
  private time(value: JsonNode, current: GoTime): GoTime {
    if (value.kind === 'null') return current;
    const raw = this.data.subarray(value.start, value.end);
    if (value.kind !== 'string') throw new InfoDecodeError('Time.UnmarshalJSON: input is not a JSON string');
    return infoTime(raw.subarray(1, raw.length - 1));
  }

  private origin(value: JsonNode, current: Origin | undefined): Origin {
    // go allocates the pointer before it finds the value has the wrong type.
    const o: Origin = current ?? {};
    if (value.kind !== 'object') {
      this.save(typeError(value, 'RevInfo', 'Origin', 'codehost.Origin'));
      return o;
    }
    for (const [key, v] of value.members) {
      const folded = foldKey(key);
      const field = ORIGIN_FIELDS.find((f) => f.toUpperCase() === folded);
      if (field === undefined) continue;
      if (v.kind === 'string') o[field] = v.value;
      else if (v.kind !== 'null') this.save(typeError(v, 'Origin', `Origin.${field}`, 'string'));
    }
    return o;
  }
}

/**
 * `.info` bytes in the one form proxies and go's cache write (`{"Version":"…","Time":"…"}`, ASCII,
 * no escapes, JSON white space around it), read without the general decoder: every `.info` of a
 * warm run is in this form. Exact keys once each, strings without escapes: json.Unmarshal gives
 * exactly these two fields. Anything else (other keys, an Origin, escapes, errors) is undefined,
 * for {@link InfoDecoder}. A bad Time fails here as there.
 */
const PLAIN_INFO = /^[ \t\r\n]*\{"Version":"([\x20-\x21\x23-\x5b\x5d-\x7e]*)","Time":"([\x20-\x21\x23-\x5b\x5d-\x7e]*)"\}[ \t\r\n]*$/d;

function decodePlainInfo(data: Uint8Array): RevInfo | undefined {
  if (data.length > 512) return undefined;
  // Latin-1: one character per byte, so the match's offsets are the bytes'.
  const m = PLAIN_INFO.exec(Buffer.from(data.buffer, data.byteOffset, data.length).toString('latin1'));
  if (m === null) return undefined;
  const [from, to] = m.indices![2]!;
  return { Version: m[1]!, Time: infoTime(data.subarray(from, to)) };
}

/** time.Time.UnmarshalJSON of a string's raw bytes (escapes not decoded), with go's error text. */
function infoTime(raw: Uint8Array): GoTime {
  try {
    return parseRFC3339(raw);
  } catch (err) {
    if (err instanceof TimeParseError) throw new InfoDecodeError(err.message);
    throw err;
  }
}

/**
 * Decodes a `.info` body (from a proxy or the cache) as go's json.Unmarshal into RevInfo.
 * go reports a failure from a proxy as `invalid response from proxy "<url>": <message>`.
 *
 * @throws InfoDecodeError whose message is go's json / time error text
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/proxy.go (Stat, Latest)
 */
export function decodeInfo(data: Uint8Array): RevInfo {
  const plain = decodePlainInfo(data);
  if (plain !== undefined) return plain;
  try {
    return new InfoDecoder(data).decode();
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new InfoDecodeError(err.message);
    throw err;
  }
}

/**
 * The Origin writeDiskStat stores: TagSum, TagPrefix, RepoSum dropped; Ref dropped for a
 * pseudo-version. Returns a copy.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (writeDiskStat)
 */
export function cleanOrigin(version: string, origin: Origin): Origin {
  const o: Origin = { ...origin };
  delete o.TagSum;
  delete o.TagPrefix;
  delete o.RepoSum;
  if (isPseudoVersion(version)) delete o.Ref;
  return o;
}

/** An Origin as go's json.Marshal writes it: struct order, empty strings omitted. */
export function originJson(o: Origin): JsonValue {
  const out: Record<string, string> = {};
  for (const f of ORIGIN_FIELDS) {
    const v = o[f as OriginField];
    if (v !== undefined && v !== '') out[f] = v;
  }
  return out;
}

/**
 * go's `.info` bytes for `info`: the cleaned RevInfo, json.Marshal'd, with no trailing newline.
 *
 * @throws InfoEncodeError for a Time go cannot marshal (go then prints `go: writing stat cache: …`
 *   and writes nothing)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (writeDiskStat)
 */
export function encodeInfo(info: RevInfo): string {
  let time: string;
  try {
    time = marshalTimeText(info.Time);
  } catch (err) {
    if (err instanceof TimeMarshalError) {
      throw new InfoEncodeError(`json: error calling MarshalJSON for type time.Time: ${err.message}`);
    }
    throw err;
  }
  const origin = info.Origin === undefined ? undefined : originJson(cleanOrigin(info.Version, info.Origin));
  return marshal({ Version: info.Version, Time: time, Origin: origin });
}
