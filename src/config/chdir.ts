/**
 * go's -C flag: the directory a command changes to before anything else, checked as os.Chdir would.
 */
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { toGoPathError } from '../internal/goerrno.js';

/**
 * What go's `-C dir` reports when os.Chdir fails (`chdir dir: no such file or directory`), or
 * undefined when `abs` is a directory that can be entered.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/main.go (handleChdirFlag)
 */
export function chdirProblem(abs: string, given: string): string | undefined {
  // chdir(2) of an empty path fails (ENOENT), as go's os.Chdir("") does; path.resolve would make it `.`.
  if (given === '') return 'chdir : no such file or directory';
  try {
    if (!statSync(abs).isDirectory()) return `chdir ${given}: not a directory`;
    accessSync(abs, fsConstants.X_OK);
    return undefined;
  } catch (err) {
    return toGoPathError(err, given, 'chdir')?.message.replace(abs, given) ?? `chdir ${given}: ${(err as Error).message}`;
  }
}
