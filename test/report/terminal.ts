// A minimal terminal for tests: what a person would see after `out` was written to a terminal of
// unlimited width. Handles \r, \n (also \r\n as a pty writes it) and drops SGR colour sequences.

/** The screen's lines, trailing blanks trimmed. */
export function screen(out: string): string[] {
  const lines: string[][] = [[]];
  let row = 0;
  let col = 0;
  const text = out.replace(/\x1b\[[0-9;]*m/g, '');
  for (const ch of text) {
    if (ch === '\r') col = 0;
    else if (ch === '\n') {
      row++;
      col = 0;
      lines[row] ??= [];
    } else {
      const line = lines[row]!;
      while (line.length < col) line.push(' ');
      line[col++] = ch;
    }
  }
  return lines.map((l) => l.join('').trimEnd());
}
