/**
 * The go.mod / go.work formatter: a syntax tree back to text in go's standard layout, byte for byte
 * as x/mod `modfile.Format` (what `go mod edit -fmt`, `go get` and `go mod tidy` write).
 *
 * Layout rules: statements separated by at most one blank line, block lines indented by one tab,
 * suffix comments after one space, whole-line comments at the current margin, trailing blank lines
 * removed, no space after `(`/`[`/`{` or before `,`/`)`/`]`/`}` within a line.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/print.go
 */
import { goBytes } from '../internal/gostrconv.js';
import type { Comment, Expr, FileSyntax } from './syntax.js';
import { trimSpace } from './text.js';

class Printer {
  /**
   * The finished lines (without their newlines) and the current one. Kept apart so that the checks
   * at a line's end look at the line, not at the whole text (indexing a string built with `+=`
   * flattens it: the text was copied again at every newline).
   */
  private readonly lines: string[] = [];
  private line = '';
  private pending: Comment[] = [];
  margin = 0;

  /** The text so far. */
  get out(): string {
    return this.lines.length === 0 ? this.line : `${this.lines.join('\n')}\n${this.line}`;
  }

  private endLine(): void {
    this.lines.push(this.line);
    this.line = '';
  }

  /** Removes trailing spaces and tabs from the current line. */
  private trim(): void {
    let n = this.line.length;
    while (n > 0 && (this.line[n - 1] === '\t' || this.line[n - 1] === ' ')) n--;
    if (n < this.line.length) this.line = this.line.slice(0, n);
  }

  private indent(): void {
    this.line += '\t'.repeat(this.margin);
  }

  /** Ends the current line, flushing pending suffix comments; never two blank lines in a row. */
  newline(): void {
    if (this.pending.length > 0) {
      this.line += ' ';
      this.pending.forEach((com, i) => {
        if (i > 0) {
          this.trim();
          this.endLine();
          this.indent();
        }
        this.line += trimSpace(com.token);
      });
      this.pending = [];
    }
    this.trim();
    // No newline at the very start, nor after a blank line (the text would end "\n\n").
    const n = this.lines.length;
    if (this.line !== '' || (n > 0 && !(n >= 2 && this.lines[n - 1] === ''))) this.endLine();
    this.indent();
  }

  file(f: FileSyntax): void {
    for (const com of f.comments.before) {
      this.line += trimSpace(com.token);
      this.newline();
    }
    f.stmt.forEach((stmt, i) => {
      this.expr(stmt);
      if (stmt.kind !== 'comments') this.newline();
      for (const com of stmt.comments.after) {
        this.line += trimSpace(com.token);
        this.newline();
      }
      if (i + 1 < f.stmt.length) this.newline();
    });
  }

  expr(x: Expr): void {
    const before = x.comments.before;
    if (before.length > 0) {
      // Line comments go at the current margin, on a line of their own.
      this.trim();
      if (this.line !== '') this.endLine();
      this.indent();
      for (const com of before) {
        this.line += trimSpace(com.token);
        this.newline();
      }
    }
    switch (x.kind) {
      case 'comments':
        break;
      case 'lparen':
        this.line += '(';
        break;
      case 'rparen':
        this.line += ')';
        break;
      case 'line':
        this.tokens(x.token);
        break;
      case 'block':
        this.tokens(x.token);
        this.line += ' ';
        this.expr(x.lparen);
        this.margin++;
        for (const l of x.line) {
          this.newline();
          this.expr(l);
        }
        this.margin--;
        this.newline();
        this.expr(x.rparen);
        break;
    }
    this.pending.push(...x.comments.suffix);
  }

  private tokens(tokens: readonly string[]): void {
    let sep = '';
    for (const t of tokens) {
      if (t === ',' || t === ')' || t === ']' || t === '}') sep = '';
      this.line += sep + t;
      sep = t === '(' || t === '[' || t === '{' ? '' : ' ';
    }
  }
}

/**
 * Formats a syntax tree as x/mod `modfile.Format` does, as the bytes go would write.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/print.go
 */
export function formatFile(f: FileSyntax): Uint8Array {
  const p = new Printer();
  p.file(f);
  // Remove trailing blank lines (a lone final "\n" stays).
  let b = p.out;
  while (b.length > 0 && b.endsWith('\n') && (b.length === 1 || b[b.length - 2] === '\n')) b = b.slice(0, -1);
  return goBytes(b);
}
