/**
 * The go.mod / go.work parser (tokens from lex.ts) → {@link FileSyntax}. Lexing and syntax are the same
 * for go.mod (strict and lax) and go.work; the first syntax error aborts the parse.
 *
 * The parser keeps one token of lookahead exactly as x/mod does, because error positions are the
 * lexer's position at the time of the error (usually just after the lookahead token).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/read.go
 */
import { ModfileError, ModfileErrorList } from './errors.js';
import { Abort, COMMENT, EOF, EOLCOMMENT, Input, isEOL, type Token } from './lex.js';
import {
  newComments,
  span,
  zeroPosition,
  type Comment,
  type CommentBlock,
  type Expr,
  type FileSyntax,
  type Line,
  type LineBlock,
  type Position,
} from './syntax.js';

/**
 * Parses go.mod or go.work bytes into a syntax tree with comments attached. A comment's text is
 * decoded from `data` when first read, so `data` must not change while the tree is in use (every
 * caller parses bytes of its own: a file read, a response, a zip entry's copy).
 *
 * @throws ModfileErrorList with one entry on the first syntax error.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/read.go (parse)
 */
export function parseSyntax(filename: string, data: Uint8Array | string): FileSyntax {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const input = new Input(filename, bytes);
  try {
    input.readToken();
    const file = parseFile(input);
    file.name = filename;
    assignComments(input, file);
    return file;
  } catch (e) {
    if (e instanceof Abort) throw new ModfileErrorList([e.error]);
    // Like x/mod, a bug in the parser becomes an ordinary error rather than a crash.
    const msg = e instanceof Error ? e.message : String(e);
    throw new ModfileErrorList([new ModfileError({ filename, pos: { ...input.pos }, err: `internal error: ${msg}` })]);
  }
}

function parseFile(input: Input): FileSyntax {
  const file: FileSyntax = { kind: 'file', name: '', comments: newComments(), stmt: [] };
  let cb: CommentBlock | undefined;
  for (;;) {
    switch (input.peek()) {
      case 0x0a:
        input.lex();
        if (cb) {
          file.stmt.push(cb);
          cb = undefined;
        }
        break;
      case COMMENT: {
        const tok = input.lex();
        cb ??= { kind: 'comments', comments: newComments(), start: tok.pos };
        cb.comments.before.push(input.comment(tok, false));
        break;
      }
      case EOF:
        if (cb) file.stmt.push(cb);
        return file;
      default:
        parseStmt(input, file);
        if (cb) {
          file.stmt[file.stmt.length - 1]!.comments.before = cb.comments.before;
          cb = undefined;
        }
    }
  }
}

function parseStmt(input: Input, file: FileSyntax): void {
  const first = input.lex();
  const start = first.pos;
  let end = first.endPos;
  const tokens = [first.text];
  for (;;) {
    const tok = input.lex();
    if (isEOL(tok.kind)) {
      file.stmt.push({ kind: 'line', comments: newComments(), start, token: tokens, inBlock: false, end });
      return;
    }
    if (tok.kind === 0x28) {
      const next = input.peek();
      if (isEOL(next)) {
        file.stmt.push(parseLineBlock(input, start, tokens, tok));
        return;
      }
      if (next === 0x29) {
        const rparen = input.lex();
        if (isEOL(input.peek())) {
          input.lex();
          file.stmt.push({
            kind: 'block',
            comments: newComments(),
            start,
            token: tokens,
            lparen: { kind: 'lparen', comments: newComments(), pos: tok.pos },
            line: [],
            rparen: { kind: 'rparen', comments: newComments(), pos: rparen.pos },
          });
          return;
        }
        // "( )" in the middle of a line is not a block. x/mod does not move `end` here.
        tokens.push(tok.text, rparen.text);
      } else {
        tokens.push(tok.text);
      }
      continue;
    }
    tokens.push(tok.text);
    end = tok.endPos;
  }
}

function isPlaceholder(c: Comment): boolean {
  return c.token === '' && !c.suffix && c.start.line === 0 && c.start.lineRune === 0 && c.start.byte === 0;
}

function parseLineBlock(input: Input, start: Position, token: string[], lparen: Token): LineBlock {
  const x: LineBlock = {
    kind: 'block',
    comments: newComments(),
    start,
    token,
    lparen: { kind: 'lparen', comments: newComments(), pos: lparen.pos },
    line: [],
    rparen: { kind: 'rparen', comments: newComments(), pos: zeroPosition() },
  };
  let comments: Comment[] = [];
  for (;;) {
    switch (input.peek()) {
      case EOLCOMMENT:
        input.lex();
        break;
      case 0x0a:
        // A blank line: keep it as an empty placeholder comment.
        input.lex();
        if ((comments.length === 0 && x.line.length > 0) || (comments.length > 0 && comments[comments.length - 1]!.token !== '')) {
          comments.push({ start: zeroPosition(), token: '', suffix: false });
        }
        break;
      case COMMENT: {
        const tok = input.lex();
        comments.push(input.comment(tok, false));
        break;
      }
      case EOF:
        input.error(`syntax error (unterminated block started at ${input.filename}:${x.start.line}:${x.start.lineRune})`);
      // eslint-disable-next-line no-fallthrough
      case 0x29: {
        const rparen = input.lex();
        // Blank lines at the end of a block are not preserved.
        if (comments.length === 1 && isPlaceholder(comments[0]!)) comments = [];
        x.rparen.comments.before = comments;
        x.rparen.pos = rparen.pos;
        if (!isEOL(input.peek())) input.error('syntax error (expected newline after closing paren)');
        input.lex();
        return x;
      }
      default: {
        const l = parseLine(input);
        x.line.push(l);
        l.comments.before = comments;
        comments = [];
      }
    }
  }
}

function parseLine(input: Input): Line {
  const first = input.lex();
  if (isEOL(first.kind)) input.error('internal parse error: parseLine at end of line');
  const start = first.pos;
  let end = first.endPos;
  const tokens = [first.text];
  for (;;) {
    const tok = input.lex();
    if (isEOL(tok.kind)) return { kind: 'line', comments: newComments(), start, token: tokens, inBlock: true, end };
    tokens.push(tok.text);
    end = tok.endPos;
  }
}

/**
 * Attaches suffix comments to the last node ending before them on the same line. (Whole-line
 * comments were already placed by the parser: the lexer only queues suffix comments.)
 */
function assignComments(input: Input, file: FileSyntax): void {
  const post: Expr[] = [];
  for (const stmt of file.stmt) {
    if (stmt.kind === 'block') {
      post.push(stmt.lparen, ...stmt.line, stmt.rparen);
    }
    post.push(stmt);
  }
  const suffix = input.comments.filter((c) => c.suffix);
  const before = input.comments.filter((c) => !c.suffix);
  file.comments.after.push(...before);
  for (let i = post.length - 1; i >= 0; i--) {
    const x = post[i]!;
    const { start, end } = span(x);
    // Nodes spanning lines (blocks) leave their comments to the nodes inside.
    if (start.line !== end.line) continue;
    while (suffix.length > 0 && end.byte <= suffix[suffix.length - 1]!.start.byte) {
      x.comments.suffix.push(suffix.pop()!);
    }
  }
  for (const x of post) x.comments.suffix.reverse();
  file.comments.before.push(...suffix);
}
