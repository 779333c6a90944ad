/**
 * The result table the compat subcommands print: one row per entry, a verdict, and the first
 * difference, in aligned columns.
 */

/** One compared entry. */
export interface Row {
  entry: string;
  /** `ok` when gomod-dl and go agree, otherwise a short word such as `DIFF`. */
  verdict: string;
  /** The first difference, or a note; one line. */
  detail: string;
}

/** Formats rows as an aligned text table with a header and a summary line. */
export function formatTable(rows: readonly Row[]): string {
  const header: Row = { entry: 'ENTRY', verdict: 'VERDICT', detail: 'FIRST DIFFERENCE' };
  const all = [header, ...rows];
  const w1 = Math.max(...all.map((r) => r.entry.length));
  const w2 = Math.max(...all.map((r) => r.verdict.length));
  const lines = all.map((r) => `${r.entry.padEnd(w1)}  ${r.verdict.padEnd(w2)}  ${r.detail}`.trimEnd());
  const bad = rows.filter((r) => r.verdict !== 'ok').length;
  lines.push('', `${rows.length} entries, ${rows.length - bad} ok, ${bad} different`);
  return lines.join('\n') + '\n';
}

/**
 * The first line where two texts differ, as `line N: go "…" vs gomod-dl "…"`, or "" when equal.
 */
export function firstDifference(want: string, got: string): string {
  if (want === got) return '';
  const a = want.split('\n');
  const b = got.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      const show = (s: string | undefined): string => (s === undefined ? '<end>' : JSON.stringify(s));
      return `line ${i + 1}: go ${show(a[i])} vs gomod-dl ${show(b[i])}`;
    }
  }
  return 'texts differ';
}
