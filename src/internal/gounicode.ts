/**
 * Go's `unicode` predicates (IsPrint, IsLetter, SimpleFold) over JavaScript's Unicode tables.
 *
 * JavaScript regex property escapes follow the runtime's ICU, which is newer than Go's tables: Go 1.26
 * ships Unicode 15.0.0 (`unicode.Version`), Node 20.18+ ships 15.1 or later (17.0 on the reference
 * machine). Go never treats a code point as printable, a letter or case-foldable unless it was assigned
 * in 15.0, and comparing every code point of Go 1.26 against Node 20 (Unicode 17.0) found no other
 * difference: every disagreement was a code point assigned after 15.0, plus U+0131 for SimpleFold (see
 * {@link simpleFoldMin}). Those code points are listed in {@link ASSIGNED_AFTER_UNICODE_15} and masked.
 * A runtime older than Unicode 15.0 would still differ (it would lack some 15.0 code points).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/unicode/tables.go
 */

/**
 * Code points that are letters, marks, numbers, punctuation or symbols in Unicode 17.0 but unassigned
 * in Unicode 15.0 (Go 1.26). Inclusive ranges, ascending. Derived by comparing `unicode.IsPrint` of
 * Go 1.26 with `/[\p{L}\p{M}\p{N}\p{P}\p{S}]/u` of Node 20.20 (ICU, Unicode 17.0) over all code points.
 */
const ASSIGNED_AFTER_UNICODE_15: ReadonlyArray<readonly [number, number]> = [
  [0x88f, 0x88f], [0x897, 0x897], [0xc5c, 0xc5c], [0xcdc, 0xcdc], [0x1acf, 0x1add], [0x1ae0, 0x1aeb],
  [0x1b4e, 0x1b4f], [0x1b7f, 0x1b7f], [0x1c89, 0x1c8a], [0x20c1, 0x20c1], [0x2427, 0x2429], [0x2b96, 0x2b96],
  [0x2ffc, 0x2fff], [0x31e4, 0x31e5], [0x31ef, 0x31ef], [0xa7cb, 0xa7cf], [0xa7d2, 0xa7d2], [0xa7d4, 0xa7d4],
  [0xa7da, 0xa7dc], [0xa7f1, 0xa7f1], [0xfbc3, 0xfbd2], [0xfd90, 0xfd91], [0xfdc8, 0xfdce],
  [0x105c0, 0x105f3], [0x10940, 0x10959], [0x10d40, 0x10d65], [0x10d69, 0x10d85], [0x10d8e, 0x10d8f],
  [0x10ec2, 0x10ec7], [0x10ed0, 0x10ed8], [0x10efa, 0x10efc], [0x11380, 0x11389], [0x1138b, 0x1138b],
  [0x1138e, 0x1138e], [0x11390, 0x113b5], [0x113b7, 0x113c0], [0x113c2, 0x113c2], [0x113c5, 0x113c5],
  [0x113c7, 0x113ca], [0x113cc, 0x113d5], [0x113d7, 0x113d8], [0x113e1, 0x113e2], [0x116d0, 0x116e3],
  [0x11b60, 0x11b67], [0x11bc0, 0x11be1], [0x11bf0, 0x11bf9], [0x11db0, 0x11ddb], [0x11de0, 0x11de9],
  [0x11f5a, 0x11f5a], [0x13460, 0x143fa], [0x16100, 0x16139], [0x16d40, 0x16d79], [0x16ea0, 0x16eb8],
  [0x16ebb, 0x16ed3], [0x16ff2, 0x16ff6], [0x187f8, 0x187ff], [0x18cff, 0x18cff], [0x18d09, 0x18d1e],
  [0x18d80, 0x18df2], [0x1cc00, 0x1ccfc], [0x1cd00, 0x1ceb3], [0x1ceba, 0x1ced0], [0x1cee0, 0x1cef0],
  [0x1e5d0, 0x1e5fa], [0x1e5ff, 0x1e5ff], [0x1e6c0, 0x1e6de], [0x1e6e0, 0x1e6f5], [0x1e6fe, 0x1e6ff],
  [0x1f6d8, 0x1f6d8], [0x1f777, 0x1f77a], [0x1f8b2, 0x1f8bb], [0x1f8c0, 0x1f8c1], [0x1f8d0, 0x1f8d8],
  [0x1fa54, 0x1fa57], [0x1fa89, 0x1fa8a], [0x1fa8e, 0x1fa8f], [0x1fabe, 0x1fabe], [0x1fac6, 0x1fac6],
  [0x1fac8, 0x1fac8], [0x1facd, 0x1facd], [0x1fadc, 0x1fadc], [0x1fadf, 0x1fadf], [0x1fae9, 0x1faea],
  [0x1faef, 0x1faef], [0x1fbcb, 0x1fbef], [0x1fbfa, 0x1fbfa], [0x2b73a, 0x2b73f], [0x2cea2, 0x2cead],
  [0x2ebf0, 0x2ee5d], [0x323b0, 0x33479],
];

/** Whether r was assigned after Unicode 15.0 (binary search over the ranges above). */
function assignedAfterGoUnicode(r: number): boolean {
  let lo = 0;
  let hi = ASSIGNED_AFTER_UNICODE_15.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const [a, b] = ASSIGNED_AFTER_UNICODE_15[mid]!;
    if (r < a) hi = mid;
    else if (r > b) lo = mid + 1;
    else return true;
  }
  return false;
}

const MAX_RUNE = 0x10ffff;
const GRAPHIC = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const LETTER = /^\p{L}$/u;

function isScalar(r: number): boolean {
  return Number.isInteger(r) && r >= 0 && r <= MAX_RUNE && !(r >= 0xd800 && r <= 0xdfff);
}

/**
 * Go `unicode.IsPrint` (and `strconv.IsPrint`, which agrees with it): letters, marks, numbers,
 * punctuation, symbols and the ASCII space; not U+00A0 or other spaces.
 * @see https://github.com/golang/go/blob/go1.26.8/src/unicode/graphic.go
 */
export function isPrint(r: number): boolean {
  // ASCII: the space and every graphic character, without the regular expression (hot in the lexer).
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  if (!isScalar(r)) return false;
  return GRAPHIC.test(String.fromCodePoint(r)) && !assignedAfterGoUnicode(r);
}

/**
 * Go `unicode.IsLetter` (category L).
 * @see https://github.com/golang/go/blob/go1.26.8/src/unicode/graphic.go
 */
export function isLetter(r: number): boolean {
  if (!isScalar(r)) return false;
  return LETTER.test(String.fromCodePoint(r)) && !assignedAfterGoUnicode(r);
}

/** Smallest member of each non-trivial case-fold orbit, keyed by member; built on first use. */
let foldMin: Map<number, number> | undefined;

/** Single code point result of a case mapping, or -1 when it maps to several (ß → SS). */
function single(s: string): number {
  const cp = s.codePointAt(0)!;
  return s.length === (cp > 0xffff ? 2 : 1) ? cp : -1;
}

function buildFoldMin(): Map<number, number> {
  // Orbits are the connected components of the simple (one-to-one) lower/upper mappings. All cased
  // code points lie below U+20000, so only that range is scanned.
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  };
  for (let r = 0; r < 0x20000; r++) {
    // U+0131 (dotless i) upper-cases to I but has no simple case folding, so Go keeps it alone.
    if (!isScalar(r) || r === 0x131 || assignedAfterGoUnicode(r)) continue;
    const s = String.fromCodePoint(r);
    for (const m of [single(s.toLowerCase()), single(s.toUpperCase())]) {
      if (m >= 0 && m !== r && m !== 0x131 && !assignedAfterGoUnicode(m)) union(r, m);
    }
  }
  const out = new Map<number, number>();
  for (const r of parent.keys()) {
    const root = find(r);
    if (root !== r) out.set(r, root);
  }
  return out;
}

/**
 * The smallest rune of r's `unicode.SimpleFold` orbit (r itself when r has no case variants):
 * what x/mod's `strToFold` reaches by iterating SimpleFold until it wraps. K (U+212A) → K, ſ → S,
 * µ → µ (U+00B5 is the orbit's minimum, below Μ and μ), ς → Σ, ß → ß.
 * @see https://github.com/golang/go/blob/go1.26.8/src/unicode/letter.go (SimpleFold)
 */
export function simpleFoldMin(r: number): number {
  foldMin ??= buildFoldMin();
  return foldMin.get(r) ?? r;
}
