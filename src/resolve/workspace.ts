/**
 * Finding and opening the main modules: GOWORK / go.work search, the go.mod search from the working
 * directory, and reading each main go.mod (strictly) with go's error texts.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (FindGoWork, findModuleRoot, LoadWorkFile, loadModFile)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (ReadModFile)
 */
import { findModuleRoot, isRegularFile } from '../internal/modroot.js';
import { GoError } from '../internal/errors.js';
import * as nodePath from 'node:path';
import { goAtLeast } from './modver.js';
import { FatalError } from '../internal/errors.js';
import { TooNewError } from './errors.js';
import { parseGoModFile, parseGoWorkFile, type Godebug, type ParsedGoMod } from './gomod.js';
import { MainModuleSet, type MainModule } from './mainmodules.js';
import { checkGodebug } from './godebug.js';
import { prepareFixer, type QueryVersion } from './fixversion.js';

/**
 * go's CheckGodebug over a file's godebug lines: `error loading NAME:\nFILE:LINE: reason` for each
 * bad one (NAME is the file, or `go.work`). No go version when go lines are not checked (gomod-dl's
 * no-toolchain policy: a `default=` newer than go 1.26 is no error).
 */
function godebugErrors(
  lines: readonly Godebug[] | undefined,
  file: string,
  opts: Pick<OpenOptions, 'checkGoVersion' | 'goVersion'>,
  name = file,
): string[] {
  const local = opts.checkGoVersion === false ? undefined : opts.goVersion;
  const errs: string[] = [];
  for (const g of lines ?? []) {
    const err = checkGodebug('godebug', g.key, g.value, local);
    if (err !== undefined) errs.push(`error loading ${name}:\n${file}:${g.line}: ${err}`);
  }
  return errs;
}

/** How to find and read the main modules. */
export interface OpenOptions {
  /** Absolute working directory (after -C). */
  readonly cwd: string;
  /** $GOWORK: `""`/`auto` (search), `off`, or an absolute file path. */
  readonly gowork?: string;
  /** $GOROOT: the go.work search does not cross it. */
  readonly goroot?: string;
  /** The emulated go version (`gover.Local()`). */
  readonly goVersion: string;
  readonly gotoolchain?: string;
  /** Whether a go line newer than `goVersion` is an error (default true; see LoaderOptions). */
  readonly checkGoVersion?: boolean;
  /** Reads a file; null when it does not exist. */
  readonly readFile: (absPath: string) => Promise<Uint8Array | null>;
  /** Receives non-fatal diagnostics as they happen (else they are collected in the result). */
  readonly report?: (text: string) => void;
  /** Whether a regular file exists (go.mod / go.work search); defaults to the real file system. */
  readonly isFile?: (absPath: string) => boolean;
  /**
   * -modfile, as given: the main module's go.mod is read from (and written to) this file, relative
   * to `cwd`, and its go.sum is the same name ending in `.sum`; the module root is still where
   * go.mod is found.
   */
  readonly modfile?: string;
  /** go's fixVersion query for non-canonical versions in main go.mod files; without it they are canonicalized offline. */
  readonly queryVersion?: QueryVersion;
}

/** The outcome of looking for main modules. */
export interface OpenedMainModules {
  /** Undefined when there is no go.mod and no usable go.work module ("outside a module"). */
  readonly mainModules: MainModuleSet | undefined;
  readonly inWorkspace: boolean;
  /** Non-fatal diagnostics go prints while opening (exit status 1). */
  readonly diagnostics: readonly string[];
}

/** go's base.ShortPath: relative to cwd when that is shorter. */
export function shortPathFrom(cwd: string): (p: string) => string {
  return (p) => {
    if (!nodePath.isAbsolute(p)) return p;
    const rel = nodePath.relative(cwd, p);
    return rel !== '' && rel.length < p.length ? rel : p;
  };
}

/**
 * The go.work file to use, or `""`.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (FindGoWork, findWorkspaceFile)
 */
export function findGoWork(cwd: string, gowork: string, goroot: string, isFile: (p: string) => boolean): string {
  if (gowork === 'off') return '';
  if (gowork !== '' && gowork !== 'auto') {
    if (!nodePath.isAbsolute(gowork)) throw new FatalError('EGOWORK', 'invalid GOWORK: not an absolute path');
    return gowork;
  }
  let dir = nodePath.resolve(cwd);
  for (;;) {
    const f = nodePath.join(dir, 'go.work');
    if (isFile(f)) return f;
    const d = nodePath.dirname(dir);
    if (d === dir) return '';
    if (goroot !== '' && d === goroot) return '';
    dir = d;
  }
}


/**
 * -modfile must name a `.mod` file (checked once the module root is known, as go does).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (Init)
 */
function checkModfileName(modfile: string | undefined): void {
  if (modfile !== undefined && !modfile.endsWith('.mod')) {
    throw new FatalError('EMODFILE', `-modfile=${modfile}: file does not have .mod extension`);
  }
}

/** Whether go would refuse a file that declares `go <v>` (TooNewError). */
function tooNew(opts: OpenOptions, v: string): boolean {
  return opts.checkGoVersion !== false && !goAtLeast(opts.goVersion, v);
}

/**
 * Reads a main module's go.mod strictly. Errors as go's ReadModFile: a too-new go line first, then
 * `errors parsing <file>:` with each entry's file name shortened.
 */
async function readMainGoMod(gomod: string, opts: OpenOptions, short: (p: string) => string): Promise<ParsedGoMod> {
  const data = await opts.readFile(gomod);
  if (data === null) throw new GoError('ENOGOMOD', `open ${short(gomod)}: no such file or directory`);
  let f: ParsedGoMod;
  let fix;
  let parsed: ParsedGoMod | undefined;
  if (opts.queryVersion !== undefined) {
    ({ fix, parsed } = await prepareFixer((fx) => parseGoModFile(short(gomod), data, 'strict', fx), opts.queryVersion));
  }
  try {
    f = parsed ?? parseGoModFile(short(gomod), data, 'strict', fix);
  } catch (e) {
    let lax: ParsedGoMod | undefined;
    try {
      lax = parseGoModFile(short(gomod), data, 'lax');
    } catch {
      lax = undefined;
    }
    if (lax?.go !== undefined && tooNew(opts, lax.go)) {
      throw new TooNewError(short(gomod), lax.go, opts.goVersion, opts.gotoolchain);
    }
    throw new FatalError('EPARSEGOMOD', `errors parsing ${short(gomod)}:\n${(e as Error).message}`);
  }
  if (f.go !== undefined && tooNew(opts, f.go)) throw new TooNewError(short(gomod), f.go, opts.goVersion, opts.gotoolchain);
  if (f.module === undefined) {
    throw new FatalError(
      'ENOMODULE',
      `error reading ${short(gomod)}: missing module declaration. To specify the module path:\n\tgo mod edit -module=example.com/mod`,
    );
  }
  if (f.module === 'go' || f.module === 'toolchain') {
    throw new FatalError('ERESERVED', `error reading ${short(gomod)}: invalid module path: "${f.module}"`);
  }
  return f;
}

/**
 * Finds the main module (or the workspace) for `cwd` and reads its go.mod / go.work files.
 * Throws go's fatal errors (FatalError, TooNewError).
 */
export async function openMainModules(opts: OpenOptions): Promise<OpenedMainModules> {
  const isFile = opts.isFile ?? isRegularFile;
  const short = shortPathFrom(opts.cwd);
  const diagnostics: string[] = [];
  const report = opts.report ?? ((t: string) => void diagnostics.push(t));
  const workPath = findGoWork(opts.cwd, opts.gowork ?? '', opts.goroot ?? '', isFile);
  const modfile = opts.modfile !== undefined && opts.modfile !== '' ? opts.modfile : undefined;
  if (workPath === '') {
    const root = findModuleRoot(opts.cwd, isFile);
    if (root === '') {
      if (modfile !== undefined) {
        throw new FatalError('EMODFILE', 'cannot find main module, but -modfile was set.\n\t-modfile cannot be used to set the module root directory.');
      }
      return { mainModules: undefined, inWorkspace: false, diagnostics };
    }
    checkModfileName(modfile);
    const gomod = modfile !== undefined ? nodePath.resolve(opts.cwd, modfile) : nodePath.join(root, 'go.mod');
    const file = await readMainGoMod(gomod, opts, short);
    // go checks the main go.mod's godebug lines after reading it, outside a workspace only
    // (loadModFile), and reports them all.
    const gdErrs = godebugErrors(file.godebug, short(gomod), opts);
    if (gdErrs.length > 0) throw FatalError.joined('EGODEBUG', gdErrs);
    const mms = new MainModuleSet([{ path: file.module!, root, gomod, file }], undefined, report);
    return { mainModules: mms, inWorkspace: false, diagnostics };
  }
  if (modfile !== undefined) throw new FatalError('EMODFILE', '-modfile cannot be used in workspace mode');

  const workData = await opts.readFile(workPath);
  if (workData === null) {
    throw new FatalError('EGOWORK', `reading go.work: open ${short(workPath)}: no such file or directory`);
  }
  let work;
  try {
    work = parseGoWorkFile(short(workPath), workData);
  } catch (e) {
    throw new FatalError('EGOWORK', `errors parsing go.work:\n${(e as Error).message}`);
  }
  if (work.go !== undefined && tooNew(opts, work.go)) throw new TooNewError(short(workPath), work.go, opts.goVersion, opts.gotoolchain);
  const workDir = nodePath.dirname(workPath);
  const roots: string[] = [];
  for (const u of work.use) {
    // filepath.Join cleans: "./one/" and "./one" are the same directory.
    const r = nodePath.resolve(workDir, u.path);
    if (roots.includes(r)) {
      throw new FatalError('EGOWORK', `error loading go.work:\n${short(workPath)}:${u.line}: path ${r} appears multiple times in workspace`);
    }
    roots.push(r);
  }
  // go.work's: the first bad one stops go.
  const workGdErr = godebugErrors(work.godebug, short(workPath), opts, 'go.work')[0];
  if (workGdErr !== undefined) throw new FatalError('EGODEBUG', workGdErr);
  const workGo = work.go ?? '1.18';
  const modules: MainModule[] = [];
  const errs: string[] = [];
  const tooOld = (dir: string, v: string): string =>
    `module ${short(dir)} listed in go.work file requires go >= ${v}, but go.work ${work.go === undefined ? 'implicitly requires' : 'lists'} go ${workGo}; to update it:\n\tgo work use`;
  for (const root of roots) {
    const gomod = nodePath.join(root, 'go.mod');
    let file: ParsedGoMod;
    try {
      file = await readMainGoMod(gomod, opts, short);
    } catch (e) {
      if (e instanceof TooNewError) errs.push(tooOld(root, e.goVersion));
      else errs.push(`cannot load module ${short(root)} listed in go.work file: ${(e as Error).message}`);
      continue;
    }
    const mv = file.go ?? '1.16';
    if (!goAtLeast(workGo, mv) && goAtLeast(mv, '1.21')) {
      errs.push(tooOld(root, mv));
      continue;
    }
    modules.push({ path: file.module!, root, gomod, file });
  }
  if (errs.length > 0) throw FatalError.joined('EGOWORK', errs);
  if (modules.length === 0) return { mainModules: undefined, inWorkspace: true, diagnostics };
  const mms = new MainModuleSet(modules, { path: workPath, file: work }, report);
  return { mainModules: mms, inWorkspace: true, diagnostics };
}
