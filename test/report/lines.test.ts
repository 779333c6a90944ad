import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FatalError } from '../../src/internal/errors.js';
import { ensureNewline, errorLine, fatalText, nothingToDoLine, progLine, repairedLine, sweptWorkDirLine } from '../../src/report/lines.js';

test("go's `go: ` becomes gomod-dl's name; other lines of go's text pass unchanged, with go's newline rule", () => {
  assert.equal(progLine('go: skipping download of m@upgrade that resolves to the main module'), 'gomod-dl: skipping download of m@upgrade that resolves to the main module\n');
  assert.equal(progLine('warning: pattern "x/..." matched no module dependencies'), 'warning: pattern "x/..." matched no module dependencies\n');
  assert.equal(progLine('go: two\nlines\n'), 'gomod-dl: two\nlines\n');
  assert.equal(progLine('ago: not a prefix'), 'ago: not a prefix\n');
  assert.equal(ensureNewline('a\n'), 'a\n');
  assert.equal(ensureNewline(''), '\n');
  assert.equal(errorLine('m@v1.0.0: reading x: 404 Not Found'), 'gomod-dl: m@v1.0.0: reading x: 404 Not Found\n');
});

test("a fatal error prints after the name, a verbatim one as it is, each ending in one newline", () => {
  assert.equal(fatalText(new FatalError('EX', 'no go.mod')), 'gomod-dl: no go.mod\n');
  assert.equal(fatalText(new FatalError('EX', 'SECURITY ERROR\ntext', { verbatim: true })), 'SECURITY ERROR\ntext\n');
  assert.equal(fatalText(new FatalError('EX', 'done\n', { verbatim: true })), 'done\n');
});

test("nothing to do: go's exit-0 message under gomod-dl's name; the usage error points at gomod-dl's help", () => {
  assert.equal(nothingToDoLine({ message: 'go: no module dependencies to download', exitCode: 0 }), 'gomod-dl: no module dependencies to download\n');
  assert.equal(nothingToDoLine({ message: "go: no modules specified (see 'go help mod download')", exitCode: 1 }), "gomod-dl: no modules specified (see 'gomod-dl --help')\n");
});

test('the -x comments of gomod-dl are # lines naming it', () => {
  assert.equal(repairedLine('/c/m@v1.0.0: missing; extracting /c/m.zip'), '# gomod-dl: repaired /c/m@v1.0.0: missing; extracting /c/m.zip\n');
  assert.equal(sweptWorkDirLine('/c/cache/gomod-dl/h.1.0'), '# gomod-dl: removed /c/cache/gomod-dl/h.1.0 (its run is gone)\n');
});
