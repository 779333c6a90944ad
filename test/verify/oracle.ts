// Runs `go mod download -json` over a file:// GOPROXY holding synthesized modules, once for many
// modules, and returns go's per-module answer (Sum, Dir, Zip, Error).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { StoredModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { fileProxyUrl, runGo } from '../support/gorun.js';
import { tempDir } from '../support/tmp.js';

/** One object of `go mod download -json` output. */
export interface GoDownload {
  Path: string;
  Version: string;
  Error?: string;
  Zip?: string;
  Dir?: string;
  Sum?: string;
  GoModSum?: string;
}

/** Splits go's stream of indented JSON objects (a string never holds a raw newline). */
function parseJsonStream(out: string): GoDownload[] {
  const body = out.trim();
  if (body === '') return [];
  return JSON.parse('[' + body.replace(/\n}\n{/g, '\n},\n{') + ']') as GoDownload[];
}

/** Downloads every module with go; answers keyed `path@version`. */
export async function goDownloadAll(t: TestContext, mods: StoredModule[]): Promise<Map<string, GoDownload>> {
  const proxyDir = tempDir(t, 'verify-proxy');
  await new ModuleStore().add(...mods).writeProxyDir(proxyDir);
  const args = mods.map((m) => `${m.path}@${m.version}`);
  const r = await runGo(['mod', 'download', '-json', ...args], { proxy: fileProxyUrl(proxyDir), t });
  const answers = parseJsonStream(r.stdout);
  if (answers.length !== mods.length) {
    throw new Error(`go mod download gave ${answers.length} answers for ${mods.length} modules\n${r.stderr}`);
  }
  return new Map(answers.map((a) => [`${a.Path}@${a.Version}`, a]));
}

/** Writes a module's zip to a file of its own (what the fetcher hands to extractZip). */
export async function zipFileOf(dir: string, m: StoredModule, name: string): Promise<string> {
  if ('zipFile' in m) return m.zipFile;
  const file = join(dir, `${name}.zip`);
  await writeFile(file, m.zip);
  return file;
}
