/**
 * File-system errors in go's words: Node's `ENOSPC: no space left on device, write` becomes go's
 * os.PathError text `write <path>: no space left on device` (os.LinkError for rename:
 * `rename <old> <new>: …`). Used at the boundaries where an I/O error leaves a layer, so every message
 * names the file, and at the command's edge, which adds the module.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/io/fs/fs.go (PathError)
 * @see https://github.com/golang/go/blob/go1.26.8/src/os/error.go (LinkError)
 * @see https://github.com/golang/go/blob/go1.26.8/src/syscall/zerrors_linux_amd64.go (errors table)
 */
import { GoError } from './errors.js';
import { lstatSync, readFileSync } from 'node:fs';
import nodePath from 'node:path';

/** Go's syscall error strings (Linux) for the errno codes a file operation can report. */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'file exists',
  ENOTEMPTY: 'directory not empty',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EXDEV: 'invalid cross-device link',
  EBUSY: 'device or resource busy',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in system',
  EFBIG: 'file too large',
  ETXTBSY: 'text file busy',
  EINVAL: 'invalid argument',
  EBADF: 'bad file descriptor',
  ENXIO: 'no such device or address',
};

/** Go's name for the operation of a Node syscall (os.Remove says `remove`, ReadDir `open`). */
const OPS: Readonly<Record<string, string>> = {
  unlink: 'remove', rmdir: 'remove', rm: 'remove', scandir: 'open', opendir: 'open', fsync: 'sync',
  copyfile: 'open', utime: 'chtimes', futime: 'chtimes',
};

/** A Node system error: what fs calls throw. */
interface SystemError extends Error {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
}

function isSystemError(e: unknown): e is SystemError {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && ERRNO_TEXT[(e as SystemError).code] !== undefined;
}

/** An I/O error worded as go's os.PathError / os.LinkError; `code` is Node's errno code. */
export class GoPathError extends GoError {
  constructor(
    readonly op: string,
    readonly path: string,
    code: string,
    cause?: unknown,
    readonly dest?: string,
  ) {
    super(code, `${op} ${path}${dest !== undefined ? ` ${dest}` : ''}: ${ERRNO_TEXT[code] ?? code}`, { cause });
    this.name = 'GoPathError';
  }
}

/** The existing ancestor of `p` (or `p`) that is not a directory, which go's MkdirAll names. */
function nonDirectoryOnTheWay(p: string): string | undefined {
  const parts: string[] = [];
  for (let d = nodePath.resolve(p); ; d = nodePath.dirname(d)) {
    parts.unshift(d);
    if (nodePath.dirname(d) === d) break;
  }
  for (const d of parts) {
    try {
      if (!lstatSync(d).isDirectory()) return d;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * os.ReadFile of `file` as the user gave it, resolved against `cwd`. A failure is a
 * {@link GoPathError} that names the file as given, as go's does (any other error is rethrown).
 */
export function readFileAsGiven(file: string, cwd: string): Buffer {
  try {
    return readFileSync(nodePath.resolve(cwd, file));
  } catch (err) {
    const e = toGoPathError(err, file);
    throw e !== undefined ? new GoPathError(e.op, file, e.code, err) : err;
  }
}

/**
 * `err` as a {@link GoPathError} when it is a Node file-system error (else undefined). `path` names the
 * file when Node's error has none (a failed `write` carries no path); `op` overrides the operation.
 */
export function toGoPathError(err: unknown, path?: string, op?: string): GoPathError | undefined {
  if (err instanceof GoPathError) return err;
  if (!isSystemError(err)) return undefined;
  const p = err.path ?? path;
  if (p === undefined) return undefined;
  const syscall = op ?? err.syscall ?? 'open';
  if (syscall === 'rename' && err.dest !== undefined) return new GoPathError('rename', p, err.code, err, err.dest);
  if (syscall === 'mkdir' && (err.code === 'ENOTDIR' || err.code === 'EEXIST')) {
    // os.MkdirAll names the first element of the path that exists and is not a directory.
    const blocker = nonDirectoryOnTheWay(p);
    if (blocker !== undefined) return new GoPathError('mkdir', blocker, 'ENOTDIR', err);
  }
  return new GoPathError(OPS[syscall] ?? syscall, p, err.code, err);
}

/**
 * The text of a module's error at the command's edge: a Node file-system error anywhere along the
 * `cause` chain is reworded as go would word it, and the module is named in front when the text does
 * not start with it already.
 */
export function moduleErrorText(err: unknown, module: string): string {
  if (!(err instanceof Error)) return String(err);
  let text = err.message;
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const g = toGoPathError(e);
    if (g === undefined) continue;
    if (text.endsWith(e.message)) text = text.slice(0, text.length - e.message.length) + g.message;
    else continue;
    if (!text.startsWith(`${module}: `)) text = `${module}: ${text}`;
    break;
  }
  return text;
}
