/**
 * The go.mod edits cmd/go makes when it writes a main module's requirements: x/mod's `SetRequire`
 * (one mixed require block, before go 1.17), `SetRequireSeparateIndirect` (direct and `// indirect`
 * requirements in separate blocks, go 1.17 and later), the `// indirect` comment rules, the go and
 * toolchain lines, and `File.Cleanup`. All functions mutate the file; statements point at their
 * syntax lines, as in x/mod, so the tree and the semantic lists stay in step.
 *
 * Invariants kept from x/mod: a removed requirement has an empty path (and its line no tokens) until
 * {@link cleanupFile}; blocks are sorted by {@link sortBlocks} after every require edit, so the order
 * in which new requirements are added never shows in the output.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
import { GoError, InternalError } from '../internal/errors.js';
import type { ModuleVersion } from '../module/index.js';
import { autoQuote } from './directives.js';
import { addLine, markLineRemoved, newBlock, newLine, updateLine } from './lines.js';
import { cleanupSyntax, sortBlocks } from './normalize.js';
import { GO_VERSION_RE, TOOLCHAIN_RE, isIndirect, type GoModFile, type RequireStmt } from './rule.js';
import { zeroPosition, type Comments, type Line, type LineBlock } from './syntax.js';
import { trimSpace } from './text.js';

/** A requirement as cmd/go hands it to the require setters (x/mod `Require` without syntax). */
export interface Requirement extends ModuleVersion {
  indirect: boolean;
}

const stripSlashes = (tok: string): string => trimSpace(tok.startsWith('//') ? tok.slice(2) : tok);

/**
 * x/mod `Require.setIndirect`: adds or removes the `// indirect` marker of a require line, keeping
 * any other text of its first suffix comment (`// indirect; reason`).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
export function setIndirect(r: RequireStmt, indirect: boolean): void {
  r.indirect = indirect;
  const line = r.syntax;
  if (isIndirect(line) === indirect) return;
  const suffix = line.comments.suffix;
  if (indirect) {
    if (suffix.length === 0) {
      line.comments.suffix = [{ start: zeroPosition(), token: '// indirect', suffix: true }];
      return;
    }
    const text = stripSlashes(suffix[0]!.token);
    suffix[0] = { ...suffix[0]!, token: text === '' ? '// indirect' : `// indirect; ${text}` };
    return;
  }
  if (stripSlashes(suffix[0]!.token) === 'indirect') {
    line.comments.suffix = [];
    return;
  }
  const tok = suffix[0]!.token;
  suffix[0] = { ...suffix[0]!, token: '//' + tok.slice(tok.indexOf('indirect;') + 'indirect;'.length) };
}

/** x/mod `Require.setVersion`; also drops a lone blank line before it in a block (go.dev/issue/33779). */
function setVersion(r: RequireStmt, v: string): void {
  r.version = v;
  const line = r.syntax;
  if (line.token.length === 0) return;
  if (line.inBlock) {
    const before = line.comments.before;
    if (before.length === 1 && before[0]!.token.length === 0) line.comments.before = [];
    if (line.token.length >= 2) line.token[1] = v;
  } else if (line.token.length >= 3) {
    line.token[2] = v;
  }
}

/** x/mod `Require.markRemoved`: the line goes at the next cleanup, the entry becomes the zero value. */
function markRemoved(r: RequireStmt): void {
  markLineRemoved(r.syntax);
  Object.assign(r, { path: '', version: '', indirect: false });
}

/**
 * x/mod `File.SetRequire`, the layout before go 1.17: requirements already present keep their line
 * (version and marker updated, duplicates and unneeded ones removed); new ones join the last require
 * line or block.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
export function setRequire(f: GoModFile, req: readonly Requirement[]): void {
  const need = new Map<string, Requirement>();
  for (const r of req) {
    const prev = need.get(r.path);
    if (prev !== undefined && prev.version !== r.version) {
      throw new InternalError(`SetRequire called with conflicting versions for path ${r.path} (${prev.version} and ${r.version})`);
    }
    need.set(r.path, r);
  }
  for (const r of f.require) {
    const e = need.get(r.path);
    if (e !== undefined) {
      setVersion(r, e.version);
      setIndirect(r, e.indirect);
      need.delete(r.path);
    } else {
      markRemoved(r);
    }
  }
  for (const e of need.values()) {
    const r: RequireStmt = { path: e.path, version: e.version, indirect: false, syntax: addLine(f.syntax, undefined, ['require', autoQuote(e.path), e.version]) };
    setIndirect(r, e.indirect);
    f.require.push(r);
  }
  sortBlocks(f);
}

/** Comments other than a lone `// indirect` (x/mod's `hasComments` in SetRequireSeparateIndirect). */
function hasComments(c: Comments): boolean {
  return (
    c.before.length > 0 || c.after.length > 0 || c.suffix.length > 1 ||
    (c.suffix.length === 1 && stripSlashes(c.suffix[0]!.token) !== 'indirect')
  );
}

/**
 * x/mod `File.SetRequireSeparateIndirect`, the layout from go 1.17 on: direct requirements go to the
 * last uncommented all-direct require block, indirect ones to the last all-indirect one (such blocks
 * are created after the last require statement when missing). Existing lines stay where they are
 * unless their marker flips inside one of those two blocks, or the file has a single uncommented
 * require line or block, which is then split in two.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
export function setRequireSeparateIndirect(f: GoModFile, req: readonly Requirement[]): void {
  const stmts = f.syntax.stmt;
  let lastDirect = -1;
  let lastIndirect = -1;
  let lastRequire = -1;
  let requireCount = 0;
  const lineToBlock = new Map<Line, LineBlock>();
  stmts.forEach((stmt, i) => {
    if (stmt.kind === 'comments' || stmt.token.length === 0 || stmt.token[0] !== 'require') return;
    lastRequire = i;
    requireCount++;
    if (stmt.kind === 'line') {
      if (!hasComments(stmt.comments)) {
        if (isIndirect(stmt)) lastIndirect = i;
        else lastDirect = i;
      }
      return;
    }
    let allDirect = stmt.line.length > 0 && !hasComments(stmt.comments);
    let allIndirect = allDirect;
    for (const line of stmt.line) {
      lineToBlock.set(line, stmt);
      if (hasComments(line.comments)) {
        allDirect = false;
        allIndirect = false;
      } else if (isIndirect(line)) {
        allDirect = false;
      } else {
        allIndirect = false;
      }
    }
    if (allDirect) lastDirect = i;
    if (allIndirect) lastIndirect = i;
  });
  const oneFlatUncommentedBlock = requireCount === 1 && !hasComments(stmts[lastRequire]!.comments);

  const insertBlock = (i: number): LineBlock => {
    const block = newBlock('require', []);
    stmts.splice(i, 0, block);
    return block;
  };
  const ensureBlock = (i: number): LineBlock => {
    const stmt = stmts[i]!;
    if (stmt.kind === 'block') return stmt;
    if (stmt.kind !== 'line') throw new InternalError(`unexpected statement: ${stmt.kind}`);
    const block = newBlock('require', [stmt]);
    stmt.token = stmt.token.slice(1);
    stmt.inBlock = true;
    stmts[i] = block;
    return block;
  };

  let directBlock: LineBlock;
  if (lastDirect < 0) {
    if (lastIndirect >= 0) {
      lastDirect = lastIndirect;
      lastIndirect++;
    } else if (lastRequire >= 0) {
      lastDirect = lastRequire + 1;
    } else {
      lastDirect = stmts.length;
    }
    directBlock = insertBlock(lastDirect);
  } else {
    directBlock = ensureBlock(lastDirect);
  }
  let indirectBlock: LineBlock;
  if (lastIndirect < 0) {
    lastIndirect = lastDirect + 1;
    indirectBlock = insertBlock(lastIndirect);
  } else {
    indirectBlock = ensureBlock(lastIndirect);
  }

  // Moves r's line to the end of block; the old line is emptied and dropped at cleanup.
  const moveReq = (r: RequireStmt, block: LineBlock): void => {
    const old = r.syntax;
    const line: Line = { ...old, inBlock: true };
    if (!old.inBlock && old.token.length > 0 && old.token[0] === 'require') line.token = old.token.slice(1);
    old.token = [];
    r.syntax = line;
    block.line.push(line);
  };

  const need = new Map<string, Requirement>();
  for (const r of req) need.set(r.path, r);
  const have = new Set<string>();
  for (const r of f.require) {
    const n = need.get(r.path);
    if (n === undefined || have.has(r.path)) {
      markRemoved(r);
      continue;
    }
    have.add(r.path);
    setVersion(r, n.version);
    setIndirect(r, n.indirect);
    const inBlock = lineToBlock.get(r.syntax);
    if (n.indirect && (oneFlatUncommentedBlock || inBlock === directBlock)) moveReq(r, indirectBlock);
    else if (!n.indirect && (oneFlatUncommentedBlock || inBlock === indirectBlock)) moveReq(r, directBlock);
  }
  for (const n of need.values()) {
    if (have.has(n.path)) continue;
    const line = newLine([autoQuote(n.path), n.version], true);
    const r: RequireStmt = { path: n.path, version: n.version, indirect: false, syntax: line };
    if (n.indirect) setIndirect(r, true);
    (n.indirect ? indirectBlock : directBlock).line.push(line);
    f.require.push(r);
  }
  sortBlocks(f);
}

/**
 * x/mod `File.AddGoStmt`: sets the go version, adding a `go` line after the module line if there is
 * none.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
export function addGoStmt(f: GoModFile, version: string): void {
  if (!GO_VERSION_RE.test(version)) throw new GoError('EGOVERSION', `invalid language version "${version}"`);
  if (f.go === undefined) {
    f.go = { version, syntax: addLine(f.syntax, f.module?.syntax, ['go', version]) };
  } else {
    f.go.version = version;
    updateLine(f.go.syntax, ['go', version]);
  }
}

/**
 * x/mod `File.AddToolchainStmt`: sets the toolchain, adding a `toolchain` line after the go line (or
 * the module line) if there is none.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
export function addToolchainStmt(f: GoModFile, name: string): void {
  if (!TOOLCHAIN_RE.test(name)) throw new GoError('ETOOLCHAIN', `invalid toolchain name "${name}"`);
  if (f.toolchain === undefined) {
    f.toolchain = { name, syntax: addLine(f.syntax, f.go?.syntax ?? f.module?.syntax, ['toolchain', name]) };
  } else {
    f.toolchain.name = name;
    updateLine(f.toolchain.syntax, ['toolchain', name]);
  }
}

/**
 * x/mod `File.DropToolchainStmt`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
export function dropToolchainStmt(f: GoModFile): void {
  if (f.toolchain === undefined) return;
  markLineRemoved(f.toolchain.syntax);
  f.toolchain = undefined;
}

/**
 * x/mod `File.Cleanup`: forgets removed statements, then drops their lines and empty blocks and
 * collapses one-line blocks ({@link cleanupSyntax}).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/rule.go
 */
export function cleanupFile(f: GoModFile): void {
  f.godebug = f.godebug.filter((g) => g.key !== '');
  f.require = f.require.filter((r) => r.path !== '');
  f.exclude = f.exclude.filter((x) => x.path !== '');
  f.replace = f.replace.filter((r) => r.old.path !== '');
  f.retract = f.retract.filter((r) => r.low !== '' || r.high !== '');
  cleanupSyntax(f.syntax);
}
