/**
 * Syntax-level edits of a go.mod / go.work tree, as x/mod's `FileSyntax` methods: add a statement
 * next to its kin, replace a line's tokens, mark a line removed (dropped by `cleanupSyntax`).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/read.go (addLine, updateLine, markRemoved)
 */
import { newComments, zeroPosition, type FileSyntax, type Line, type LineBlock } from './syntax.js';

/**
 * A new line with no comments (x/mod's `&Line{Token: tokens}`), for edits.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/read.go (Line)
 */
export function newLine(token: string[], inBlock = false): Line {
  return { kind: 'line', comments: newComments(), start: zeroPosition(), token, inBlock, end: zeroPosition() };
}

/**
 * A new block `VERB (` … `)` holding `lines`, with no comments (x/mod's `&LineBlock{Token: …}`).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/read.go (LineBlock)
 */
export function newBlock(verb: string, lines: Line[]): LineBlock {
  return {
    kind: 'block',
    comments: newComments(),
    start: zeroPosition(),
    lparen: { kind: 'lparen', comments: newComments(), pos: zeroPosition() },
    token: [verb],
    line: lines,
    rparen: { kind: 'rparen', comments: newComments(), pos: zeroPosition() },
  };
}

/**
 * x/mod `Line.markRemoved`: empties the line's tokens and suffix comments; {@link cleanupSyntax}
 * drops it (with its other comments) later.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/read.go
 */
export function markLineRemoved(line: Line): void {
  line.token = [];
  line.comments.suffix = [];
}

/**
 * x/mod `FileSyntax.updateLine`: replaces a line's tokens (`tokens` starts with the verb, which a
 * line inside a block does not repeat).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/read.go
 */
export function updateLine(line: Line, tokens: string[]): void {
  line.token = line.inBlock ? tokens.slice(1) : tokens;
}

/**
 * x/mod `FileSyntax.addLine`: adds a statement `tokens` (verb first) next to `hint`, or, without a
 * hint, next to the last statement with the same verb. Next to a line or block of the same verb it
 * joins it (turning a plain line into a block); next to anything else it becomes a line after it;
 * with nothing to join it goes at the end of the file. Returns the new line.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/read.go
 */
export function addLine(syntax: FileSyntax, hint: Line | LineBlock | undefined, tokens: string[]): Line {
  const verb = tokens[0]!;
  if (hint === undefined) {
    for (let i = syntax.stmt.length - 1; i >= 0 && hint === undefined; i--) {
      const stmt = syntax.stmt[i]!;
      // A removed line (no tokens) is no hint; a block is one even when all its lines are removed.
      if ((stmt.kind === 'line' || stmt.kind === 'block') && stmt.token.length > 0 && stmt.token[0] === verb) hint = stmt;
    }
  }
  const lineAfter = (i: number): Line => {
    const l = newLine(tokens);
    syntax.stmt.splice(i + 1, 0, l);
    return l;
  };
  if (hint !== undefined) {
    for (let i = 0; i < syntax.stmt.length; i++) {
      const stmt = syntax.stmt[i]!;
      if (stmt.kind === 'line' && stmt === hint) {
        if (stmt.token.length === 0 || stmt.token[0] !== verb) return lineAfter(i);
        // Same verb: the line becomes the first line of a new block (its comments stay with it).
        stmt.inBlock = true;
        const block = newBlock(stmt.token[0]!, [stmt]);
        stmt.token = stmt.token.slice(1);
        syntax.stmt[i] = block;
        const l = newLine(tokens.slice(1), true);
        block.line.push(l);
        return l;
      }
      if (stmt.kind === 'block') {
        if (stmt === hint) {
          if (stmt.token[0] !== verb) return lineAfter(i);
          const l = newLine(tokens.slice(1), true);
          stmt.line.push(l);
          return l;
        }
        const j = stmt.line.indexOf(hint as Line);
        if (j >= 0) {
          if (stmt.token[0] !== verb) return lineAfter(i);
          const l = newLine(tokens.slice(1), true);
          stmt.line.splice(j + 1, 0, l);
          return l;
        }
      }
    }
  }
  const l = newLine(tokens);
  syntax.stmt.push(l);
  return l;
}
