/**
 * The layer order of ARCHITECTURE.md, checked against the code: every relative import under src/
 * points to a unit on a lower tier of the `layers` block, and every unit under src/ is placed there.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './support/shared.js';

const SRC = join(REPO_ROOT, 'src');

/** The tiers of the ```layers block, lowest first: unit name → tier index. */
function readLayers(markdown: string): Map<string, number> {
  const m = /```layers\n([\s\S]*?)```/.exec(markdown);
  assert.ok(m, 'ARCHITECTURE.md has no ```layers block');
  const tiers = new Map<string, number>();
  m[1]!.split('\n').filter((l) => l.trim() !== '').forEach((line, i) => {
    for (const unit of line.trim().split(/\s+/)) {
      assert.ok(!tiers.has(unit), `ARCHITECTURE.md lists ${unit} twice`);
      tiers.set(unit, i);
    }
  });
  return tiers;
}

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** The unit of a path under src/: its top folder, or the file itself (as `name.ts`). */
function unitOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.js$/, '.ts');
}

/** Relative module specifiers of static imports, re-exports and dynamic imports. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|^import\s*['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

test('import scanner sees static, type-only, re-export, side-effect and dynamic imports', () => {
  const text = [
    "import { a } from '../x/a.js';",
    "import type { B } from './b.js';",
    "export * from '../y/index.js';",
    "import './side.js';",
    "const m = await import('../z/lazy.js');",
    "import { readFile } from 'node:fs';",
  ].join('\n');
  assert.deepEqual(importsOf(text), ['../x/a.js', './b.js', '../y/index.js', './side.js', '../z/lazy.js']);
});

test('no import under src/ points up or sideways in the layer order of ARCHITECTURE.md', () => {
  const tiers = readLayers(readFileSync(join(REPO_ROOT, 'ARCHITECTURE.md'), 'utf8'));
  const violations: string[] = [];
  const units = new Set<string>();
  for (const file of sources(SRC)) {
    const from = unitOf(file);
    units.add(from);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), spec);
      const rel = relative(SRC, target);
      if (rel.startsWith('..')) {
        violations.push(`${relative(REPO_ROOT, file)} imports ${spec}, outside src/`);
        continue;
      }
      const to = unitOf(target);
      if (to === from) continue;
      const a = tiers.get(from);
      const b = tiers.get(to);
      if (a === undefined || b === undefined) continue; // reported below
      if (b >= a) violations.push(`${relative(REPO_ROOT, file)} (${from}, tier ${a}) imports ${spec} (${to}, tier ${b})`);
    }
  }
  const unlisted = [...units].filter((u) => !tiers.has(u)).sort();
  assert.deepEqual(unlisted, [], 'units under src/ missing from the layers block of ARCHITECTURE.md');
  assert.deepEqual(violations, []);
});
