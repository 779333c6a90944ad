// updateGoModFromReqs against the real go: each case is a main module's go.mod; `go mod download`
// (no arguments, so -mod=mod and go's go.mod rewrite) runs in it against a file:// GOPROXY of
// synthetic modules. The roots and direct set come from go's own result (`go mod edit -json`), and
// updateGoModFromReqs on the original bytes must give exactly the bytes go wrote, or undefined when
// go left the file alone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { fileProxyUrl, requireGo, runGo } from '../support/gorun.js';
import { tempDir } from '../support/tmp.js';
import { telemetryOffEnv } from './goenv.js';
import { GoModTooNewError, updateGoModFromReqs } from '../../src/modfile/edit.js';
import { formatFile } from '../../src/modfile/print.js';
import { parseGoMod } from '../../src/modfile/rule.js';
import { addGoStmt, addToolchainStmt, cleanupFile, dropToolchainStmt } from '../../src/modfile/setrequire.js';
import { sortBlocks } from '../../src/modfile/normalize.js';
import type { VersionFixer } from '../../src/modfile/directives.js';
import { sortModules, type ModuleVersion } from '../../src/module/index.js';

const GO_LOCAL = '1.26.8';

/** The synthetic modules: a → b (pruned), d → e (unpruned, no go line), plus plain ones. */
const MODULES: Array<[string, string, string]> = [
  ['example.com/a', 'v1.0.0', 'module example.com/a\n\ngo 1.21\n\nrequire example.com/b v1.1.0\n'],
  ['example.com/b', 'v1.0.0', 'module example.com/b\n\ngo 1.21\n'],
  ['example.com/b', 'v1.1.0', 'module example.com/b\n\ngo 1.21\n'],
  ['example.com/c', 'v1.0.0', 'module example.com/c\n'],
  ['example.com/c', 'v1.0.1', 'module example.com/c\n'],
  ['example.com/d', 'v1.0.0', 'module example.com/d\n\nrequire example.com/e v1.0.0\n'],
  ['example.com/e', 'v1.0.0', 'module example.com/e\n'],
  ['example.com/f', 'v1.2.0', 'module example.com/f\n\ngo 1.16\n'],
  ['gopkg.in/check.v1', 'v0.0.0-20161208181325-20d25e280405', 'module gopkg.in/check.v1\n'],
];

// One proxy directory for the whole file (read-only for go), removed when the file's tests end.
const proxyRoot = mkdtempSync(join(tmpdir(), 'gomod-dl-edit-proxy-'));
after(() => rmSync(proxyRoot, { recursive: true, force: true }));
before(async () => {
  const store = new ModuleStore();
  for (const [path, version, goMod] of MODULES) store.add(await buildModule({ path, version, goMod, files: { 'x.go': 'package x\n' } }));
  await store.writeProxyDir(proxyRoot);
});

interface EditJson {
  Go?: string;
  Toolchain?: string;
  Require?: Array<{ Path: string; Version: string; Indirect?: boolean }> | null;
}

/** Runs go mod download in a module with this go.mod; returns go's go.mod bytes and its roots. */
async function goRewrite(t: TestContext, gomod: string): Promise<{ after: Buffer; roots: ModuleVersion[]; direct: Set<string> }> {
  requireGo(t);
  const dir = join(tempDir(t, 'gomod-dl-edit'), 'main');
  mkdirSync(dir);
  writeFileSync(join(dir, 'go.mod'), gomod);
  const opts = { t, cwd: dir, proxy: fileProxyUrl(proxyRoot), env: { GOFLAGS: '-modcacherw', ...telemetryOffEnv(t) } };
  const dl = await runGo(['mod', 'download'], opts);
  assert.equal(dl.code, 0, `go mod download failed: ${dl.stderr}`);
  const after = readFileSync(join(dir, 'go.mod'));
  const ej = await runGo(['mod', 'edit', '-json'], opts);
  assert.equal(ej.code, 0, ej.stderr);
  const j = JSON.parse(ej.stdout) as EditJson;
  const roots: ModuleVersion[] = (j.Require ?? []).map((r) => ({ path: r.Path, version: r.Version }));
  const direct = new Set((j.Require ?? []).filter((r) => !r.Indirect).map((r) => r.Path));
  assert.ok(j.Go, 'go wrote no go line');
  roots.push({ path: 'go', version: j.Go });
  direct.add('go');
  if (j.Toolchain) roots.push({ path: 'toolchain', version: j.Toolchain });
  return { after, roots: sortModules(roots), direct };
}

/** Asserts updateGoModFromReqs reproduces go's rewrite of `gomod` (or go's leaving it alone). */
async function assertSameRewrite(t: TestContext, gomod: string, expect: Expect, fix?: VersionFixer): Promise<void> {
  const { after, roots, direct } = await goRewrite(t, gomod);
  const changed = !after.equals(Buffer.from(gomod));
  assert.equal(changed ? 'rewritten' : 'unchanged', expect, `go's result:\n${after}`);
  if (process.env['EDIT_TEST_DUMP']) process.stderr.write(`--- in:\n${gomod}--- go:\n${after}`);
  const ours = updateGoModFromReqs('go.mod', Buffer.from(gomod), { roots, direct }, { goVersion: GO_LOCAL, ...(fix ? { fix } : {}) });
  if (!changed) {
    assert.equal(ours === undefined ? undefined : Buffer.from(ours).toString(), undefined);
  } else {
    assert.ok(ours !== undefined, `go rewrote go.mod but updateGoModFromReqs would not:\n${after}`);
    assert.equal(Buffer.from(ours).toString('latin1'), after.toString('latin1'));
  }
}

type Expect = 'rewritten' | 'unchanged';
const cases: Array<[string, string, Expect, VersionFixer?]> = [
  [
    'no go line, quoted module and one-line require block: go line added, quotes dropped, block collapsed',
    'module "gopkg.in/yaml.v3"\n\nrequire (\n\t"gopkg.in/check.v1" v0.0.0-20161208181325-20d25e280405\n)\n',
    'rewritten',
  ],
  [
    'no go line, single require line with comments before, after and as suffix',
    '// Header.\n\nmodule example.com/m // the module\n\n// needs c\nrequire example.com/c v1.0.0 // pinned\n// after c\n\nreplace example.com/zz => ./zz\n',
    'rewritten',
  ],
  [
    'no go line, a pruned dependency: its own requirement is added as // indirect in a new block',
    'module example.com/m\n\nrequire example.com/a v1.0.0\n',
    'rewritten',
  ],
  [
    'no go line, flat block mixing direct and // indirect: split into a direct and an indirect block',
    'module example.com/m\n\nrequire (\n\texample.com/c v1.0.0\n\texample.com/e v1.0.0 // indirect\n\texample.com/a v1.0.0\n)\n',
    'rewritten',
  ],
  [
    'no go line, unpruned dependency whose requirement becomes an indirect root',
    'module example.com/m\n\nrequire (\n\texample.com/d v1.0.0\n\t"example.com/c" v1.0.0\n)\n',
    'rewritten',
  ],
  [
    'no go line, commented block: lines stay in place and new indirect lines go to a new block',
    'module example.com/m\n\n// Deps.\nrequire (\n\texample.com/a v1.0.0 // for x\n\n\t// why c\n\texample.com/c v1.0.0\n)\n\nexclude example.com/c v1.0.1\n',
    'rewritten',
  ],
  [
    'no go line, a lone blank line inside a require block is removed (go.dev/issue/33779)',
    'module example.com/m\n\nrequire (\n\texample.com/a v1.0.0\n\n\texample.com/c v1.0.0\n\n\t// d\n\texample.com/d v1.0.0\n)\n',
    'rewritten',
  ],
  [
    'no go line, several require statements and an // indirect; reason comment',
    'module example.com/m\n\nrequire example.com/c v1.0.0\n\nrequire (\n\texample.com/e v1.0.0 // indirect; via d\n\texample.com/d v1.0.0\n)\n\nrequire example.com/f v1.2.0 // indirect\n',
    'rewritten',
  ],
  [
    'no go line, a toolchain line older than the new go line is dropped',
    'module example.com/m\n\ntoolchain go1.22.0\n\nrequire example.com/c v1.0.0\n',
    'rewritten',
  ],
  [
    'no go line, toolchain line below go1.21 is dropped',
    'module example.com/m\n\ntoolchain go1.20\n\nrequire example.com/c v1.0.0\n',
    'rewritten',
  ],
  [
    'no go line, toolchain equal to the new go version is dropped',
    `module example.com/m\n\ntoolchain go${GO_LOCAL}\n\nrequire example.com/c v1.0.0\n`,
    'rewritten',
  ],
  [
    'no go line, module in a block: the go line follows the block',
    'module (\n\texample.com/m\n)\n\nrequire example.com/c v1.0.0\n',
    'rewritten',
  ],
  [
    'go 1.21 with a root below the selected version: the root is raised (pruned layout)',
    'module example.com/m\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b v1.0.0 // indirect\n)\n',
    'rewritten',
  ],
  [
    'go 1.16 with a duplicated requirement: one mixed block (SetRequire layout)',
    'module example.com/m\n\ngo 1.16\n\nrequire (\n\texample.com/c v1.0.0\n\texample.com/e v1.0.0 // indirect\n)\n\nrequire example.com/c v1.0.1\n',
    'rewritten',
  ],
  [
    'go 1.21 with a toolchain line newer than it: the toolchain stays when a root is raised',
    'module example.com/m\n\ngo 1.21\n\ntoolchain go1.22.0 // pinned\n\nrequire example.com/a v1.0.0\n\nrequire example.com/b v1.0.0 // indirect\n',
    'rewritten',
  ],
  [
    'go 1.21.0 with toolchain go1.21.0: the redundant toolchain line goes when a root is raised',
    'module example.com/m\n\ngo 1.21.0\n\ntoolchain go1.21.0\n\nrequire example.com/a v1.0.0\n\nrequire example.com/b v1.0.0 // indirect\n',
    'rewritten',
  ],
  [
    'go 1.16 and a dependency at go 1.21: the go line is raised and a lower root updated',
    'module example.com/m\n\ngo 1.16\n\nrequire example.com/a v1.0.0\n\nrequire example.com/b v1.0.0\n',
    'rewritten',
  ],
  [
    'go 1.16 with a non-canonical version: go fixes it (dataNeedsFix) and rewrites',
    'module example.com/m\n\ngo 1.16\n\n// c\nrequire example.com/c v1.0 // latest patch\n',
    'rewritten',
    (path, v) => (path === 'example.com/c' && v === 'v1.0' ? 'v1.0.1' : v),
  ],
  [
    'go 1.21 with a non-canonical version in a block',
    'module example.com/m\n\ngo 1.21\n\nrequire (\n\texample.com/c v1.0\n\texample.com/f v1.2.0\n)\n',
    'rewritten',
    (path, v) => (path === 'example.com/c' && v === 'v1.0' ? 'v1.0.1' : v),
  ],
  [
    'go 1.21, consistent requirements: go leaves go.mod alone',
    'module example.com/m\n\ngo 1.21\n\nrequire example.com/a v1.0.0\n\nrequire example.com/b v1.1.0 // indirect\n',
    'unchanged',
  ],
  [
    'go 1.21, consistent but unformatted (quotes, comments, blank lines): no write either',
    'module   "example.com/m"\n\n\n\ngo 1.21\nrequire (\n\n  "example.com/a"   v1.0.0 // a\n\texample.com/b v1.1.0 // indirect\n)\n',
    'unchanged',
  ],
  [
    'go 1.16, consistent requirements with a wrong // indirect marker: not rewritten',
    'module example.com/m\n\ngo 1.16\n\nrequire example.com/c v1.0.0 // indirect\n',
    'unchanged',
  ],
];

for (const [name, gomod, expect, fix] of cases) {
  test(name, (t) => assertSameRewrite(t, gomod, expect, fix));
}

test('a go root newer than the running go is refused with go\'s text', () => {
  const data = Buffer.from('module example.com/m\n');
  assert.throws(
    () => updateGoModFromReqs('go.mod', data, { roots: [{ path: 'go', version: '1.99' }], direct: new Set(['go']) }, { goVersion: GO_LOCAL }),
    (e: unknown) => e instanceof GoModTooNewError && e.message === `updating go.mod requires go >= 1.99 (running go ${GO_LOCAL})`,
  );
});

// The go and toolchain line edits on their own, against `go mod edit -go/-toolchain -print`, which
// runs the same x/mod AddGoStmt / AddToolchainStmt / DropToolchainStmt, then SortBlocks, Cleanup and
// Format. This reaches placements go mod download never needs (a toolchain line added from nothing).
const lineEdits: Array<[string, string, { go?: string; toolchain?: string }]> = [
  ['go and toolchain lines added after the module line, in that order', 'module example.com/m\n\nrequire example.com/c v1.0.0\n', { go: '1.22', toolchain: 'go1.23.0' }],
  ['a toolchain line added after an existing go line, comments kept', '// top\nmodule example.com/m // c\n\ngo 1.20 // old\n\nrequire example.com/c v1.0.0\n', { toolchain: 'go1.23.0' }],
  ['a go line added after the module line, before an existing toolchain line', 'module example.com/m\n\ntoolchain go1.22.0\n', { go: '1.22' }],
  ['a go line added after a module block', 'module (\n\texample.com/m\n)\n\nrequire example.com/c v1.0.0\n', { go: '1.21.3' }],
  ['an existing go line updated in place and the toolchain dropped', 'module example.com/m\n\ngo 1.20 // old\n\n// tc\ntoolchain go1.22.0 // x\n\nrequire example.com/c v1.0.0\n', { go: '1.22', toolchain: 'none' }],
];

for (const [name, gomod, edit] of lineEdits) {
  test(`go/toolchain line edits as go mod edit: ${name}`, async (t) => {
    requireGo(t);
    const dir = tempDir(t, 'gomod-dl-edit-lines');
    writeFileSync(join(dir, 'go.mod'), gomod);
    const flags = [...(edit.go ? [`-go=${edit.go}`] : []), ...(edit.toolchain ? [`-toolchain=${edit.toolchain}`] : [])];
    const r = await runGo(['mod', 'edit', ...flags, '-print'], { t, cwd: dir, env: telemetryOffEnv(t) });
    assert.equal(r.code, 0, r.stderr);
    const f = parseGoMod('go.mod', gomod, 'strict');
    if (edit.go) addGoStmt(f, edit.go);
    if (edit.toolchain === 'none') dropToolchainStmt(f);
    else if (edit.toolchain) addToolchainStmt(f, edit.toolchain);
    sortBlocks(f);
    cleanupFile(f);
    assert.equal(Buffer.from(formatFile(f.syntax)).toString(), r.stdout);
  });
}
