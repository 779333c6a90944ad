// Per-test temporary directories that are removed when the test ends.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { rmrf } from './tree.js';

/**
 * Creates a fresh directory under os.tmpdir() named `<prefix>-XXXXXX` and removes it (read-only
 * directories included) after the test `t` finishes, whether it passed or not.
 * @see https://nodejs.org/api/test.html#contextafterfn-options
 */
export function tempDir(t: TestContext, prefix = 'gomod-dl-test'): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix.replace(/[^A-Za-z0-9._-]/g, '_')}-`));
  t.after(() => rmrf(dir));
  return dir;
}
