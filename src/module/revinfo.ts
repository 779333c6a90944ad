/**
 * go's modfetch.RevInfo: what a Stat, a Latest or a `.info` file says about one revision. One type
 * for every layer: the proxy client and the version-control code decode or build it, the cache
 * stores it, the resolver queries with it, and the time stays a parsed {@link GoTime} throughout.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/repo.go (RevInfo)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/codehost/codehost.go (Origin)
 */
import { unixNano, ZERO_TIME, type GoTime } from '../internal/gotime.js';

/** Provenance of a version (codehost.Origin); every field is omitempty. */
export type Origin = {
  VCS?: string;
  URL?: string;
  Subdir?: string;
  Hash?: string;
  TagPrefix?: string;
  TagSum?: string;
  Ref?: string;
  RepoSum?: string;
};

/** Origin's fields in go's struct order, which is also the JSON key order. */
export const ORIGIN_FIELDS = ['VCS', 'URL', 'Subdir', 'Hash', 'TagPrefix', 'TagSum', 'Ref', 'RepoSum'] as const;

/** go's modfetch.RevInfo as stored in `.info` (Name and Short are never stored). */
export interface RevInfo {
  Version: string;
  /** The commit time; go's zero time when unknown. */
  Time: GoTime;
  /** undefined is go's nil pointer. */
  Origin?: Origin;
}

/** go's `t.IsZero()`: the instant is January 1, year 1, 00:00:00 UTC. */
export function isZeroTime(t: GoTime): boolean {
  return unixNano(t) === unixNano(ZERO_TIME);
}

/** A Date (UTC, whole milliseconds) as a GoTime in UTC. */
export function goTimeFromDate(d: Date): GoTime {
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    nanosecond: d.getUTCMilliseconds() * 1_000_000,
    offset: 0,
  };
}
