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
  out = '';
  private pending: Comment[] = [];
  margin = 0;

  /** Whether the current line already has text. */
  private lineHasText(): boolean {
    return this.out.length > 0 && this.out[this.out.length - 1] !== '\n';
  }

  /** Removes trailing spaces and tabs from the current line. */
  private trim(): void {
    let n = this.out.length;
    while (n > 0 && (this.out[n - 1] === '\t' || this.out[n - 1] === ' ')) n--;
    if (n < this.out.length) this.out = this.out.slice(0, n);
  }

  private indent(): void {
    this.out += '\t'.repeat(this.margin);
  }

  /** Ends the current line, flushing pending suffix comments; never two blank lines in a row. */
  newline(): void {
    if (this.pending.length > 0) {
      this.out += ' ';
      this.pending.forEach((com, i) => {
        if (i > 0) {
          this.trim();
          this.out += '\n';
          this.indent();
        }
        this.out += trimSpace(com.token);
      });
      this.pending = [];
    }
    this.trim();
    const b = this.out;
    if (!(b.length === 0 || (b.length >= 2 && b.endsWith('\n\n')))) this.out += '\n';
    this.indent();
  }

  file(f: FileSyntax): void {
    for (const com of f.comments.before) {
      this.out += trimSpace(com.token);
      this.newline();
    }
    f.stmt.forEach((stmt, i) => {
      this.expr(stmt);
      if (stmt.kind !== 'comments') this.newline();
      for (const com of stmt.comments.after) {
        this.out += trimSpace(com.token);
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
      if (this.lineHasText()) this.out += '\n';
      this.indent();
      for (const com of before) {
        this.out += trimSpace(com.token);
        this.newline();
      }
    }
    switch (x.kind) {
      case 'comments':
        break;
      case 'lparen':
        this.out += '(';
        break;
      case 'rparen':
        this.out += ')';
        break;
      case 'line':
        this.tokens(x.token);
        break;
      case 'block':
        this.tokens(x.token);
        this.out += ' ';
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
      this.out += sep + t;
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
