/**
 * Small pieces of the git code host: the missing-file error, go's isOriginTag, the git version check,
 * and go's `.gitattributes` override for `git archive`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/codehost/git.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/codehost/codehost.go (isOriginTag)
 */
import { GoError } from '../internal/errors.js';
import { execFile } from 'node:child_process';
import { appendFile, mkdir, readFile, stat as fsStat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonical, isPseudoVersion } from '../module/index.js';
import type { GitRunner } from './run.js';

/** A file missing at a revision (go returns fs.ErrNotExist). */
export class FileNotExistError extends GoError {
  readonly notExist = true;
  constructor(readonly file: string) {
    super('ENOENT', 'file does not exist');
    this.name = 'FileNotExistError';
  }
}

/** go's isOriginTag: tags whose canonical form is a prefix and that are not pseudo-versions. */
export function isOriginTag(tag: string): boolean {
  const c = canonical(tag);
  return c !== '' && tag.startsWith(c) && !isPseudoVersion(tag);
}

export async function exists(p: string): Promise<boolean> {
  return fsStat(p).then(() => true, () => false);
}

let gitSupportsSHA256: Promise<boolean> | undefined;

/** Whether git is 2.29 or newer (go then passes --object-format to git init). */
export async function supportsSHA256(runner: GitRunner): Promise<boolean> {
  gitSupportsSHA256 ??= (async () => {
    const out = await new Promise<string>((resolve) => {
      execFile('git', ['version'], { env: runner.env }, (_e, stdout) => resolve(String(stdout)));
    });
    const m = /git version\s+(\d+)\.(\d+)/.exec(out);
    if (m === null) return false;
    const [maj, min] = [Number(m[1]), Number(m[2])];
    return maj > 2 || (maj === 2 && min >= 29);
  })();
  return gitSupportsSHA256;
}

/** Appends go's `* -export-subst -export-ignore` line to info/attributes unless it ends with it. */
export async function ensureGitAttributes(repoDir: string): Promise<void> {
  const attr = '\n* -export-subst -export-ignore\n';
  await mkdir(join(repoDir, 'info'), { recursive: true });
  const p = join(repoDir, 'info', 'attributes');
  const b = await readFile(p, 'utf8').catch(() => '');
  if (!b.endsWith(attr)) {
    if (b === '') await writeFile(p, attr);
    else await appendFile(p, attr);
  }
}
