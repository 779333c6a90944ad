/**
 * The syntax tree of a go.mod / go.work file, shaped like x/mod's `FileSyntax` so that edits and
 * `formatFile` can reproduce `modfile.Format` byte for byte.
 *
 * Invariants (from x/mod `modfile/read.go`):
 * - A `Line` never spans lines; a `LineBlock` is `TOKENS (\n LINES... \n)`.
 * - Whole-line comments are attached as `before` of the statement that follows them (or of a block's
 *   `rparen`), suffix comments to the last node that ends before them on the same line.
 * - Blank lines inside a block are kept as empty placeholder comments (`token === ""`).
 * - Token texts are Go strings as `goString` (internal/gostrconv) decodes them: invalid UTF-8 bytes
 *   appear as lone surrogates so the original bytes can be written back with `goBytes`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/read.go
 */
import { goBytes } from '../internal/gostrconv.js';

/** A position in the input: line (from 1), rune column (from 1), byte offset (from 0). */
export interface Position {
  line: number;
  lineRune: number;
  byte: number;
}

/** One `//` comment. `token` has no trailing newline. */
export interface Comment {
  start: Position;
  token: string;
  /** An end-of-line comment (not a whole-line comment). */
  suffix: boolean;
}

/** Comments attached to a node. `after` is only used on top-level statements and the file. */
export interface Comments {
  before: Comment[];
  suffix: Comment[];
  after: Comment[];
}

/** A single line of tokens, at top level or inside a block. */
export interface Line {
  kind: 'line';
  comments: Comments;
  start: Position;
  token: string[];
  inBlock: boolean;
  end: Position;
}

/** The `(` of a block: a place for suffix comments. */
export interface LParen {
  kind: 'lparen';
  comments: Comments;
  pos: Position;
}

/** The `)` of a block: a place for whole-line comments before it. */
export interface RParen {
  kind: 'rparen';
  comments: Comments;
  pos: Position;
}

/** A factored block such as `require ( ... )`. */
export interface LineBlock {
  kind: 'block';
  comments: Comments;
  start: Position;
  lparen: LParen;
  token: string[];
  line: Line[];
  rparen: RParen;
}

/** A top-level run of comments separated from any statement by a blank line. */
export interface CommentBlock {
  kind: 'comments';
  comments: Comments;
  start: Position;
}

/** A top-level statement. */
export type Stmt = Line | LineBlock | CommentBlock;

/** Any node that can carry comments. */
export type Expr = Stmt | LParen | RParen;

/** A whole parsed file. */
export interface FileSyntax {
  kind: 'file';
  name: string;
  comments: Comments;
  stmt: Stmt[];
}

/** A fresh, empty comment set. */
export function newComments(): Comments {
  return { before: [], suffix: [], after: [] };
}

/** The zero position (Go's `Position{}`), used by placeholder comments. */
export function zeroPosition(): Position {
  return { line: 0, lineRune: 0, byte: 0 };
}

/**
 * The position just after `s` when `s` starts at `p` (x/mod `Position.add`).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/read.go
 */
export function addPosition(p: Position, s: string): Position {
  const bytes = goBytes(s).length;
  const nl = s.lastIndexOf('\n');
  if (nl < 0) return { line: p.line, lineRune: p.lineRune + countRunes(s), byte: p.byte + bytes };
  const newlines = s.split('\n').length - 1;
  return { line: p.line + newlines, lineRune: 1 + countRunes(s.slice(nl + 1)), byte: p.byte + bytes };
}

function countRunes(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The start and end of a node, excluding comments (x/mod `Expr.Span`). */
export function span(x: Expr | FileSyntax): { start: Position; end: Position } {
  switch (x.kind) {
    case 'line':
      return { start: x.start, end: x.end };
    case 'block':
      return { start: x.start, end: addPosition(x.rparen.pos, ')') };
    case 'lparen':
    case 'rparen':
      return { start: x.pos, end: addPosition(x.pos, ')') };
    case 'comments':
      return { start: x.start, end: x.start };
    case 'file': {
      if (x.stmt.length === 0) return { start: zeroPosition(), end: zeroPosition() };
      return { start: span(x.stmt[0]!).start, end: span(x.stmt[x.stmt.length - 1]!).end };
    }
  }
}
