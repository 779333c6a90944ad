/**
 * dirhash's HashDir: the `h1:` of an extracted module tree, as `go mod verify` computes it.
 *
 * @see https://github.com/golang/mod/blob/v0.29.0/sumdb/dirhash/hash.go (HashDir, DirFiles)
 */
import { GoError } from '../internal/errors.js';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import nodePath from 'node:path';
import { hash1, sha256Stream, type HashedFile } from './dirhash.js';

/**
 * The `h1:` of the files under `dir`, named `<prefix>/<relative path>` (prefix is `path@version`).
 * Walks as Go's filepath.Walk does (lexical order, symlinks not followed but hashed as files, which
 * opens their targets). Errors carry Go's `lstat`/`open` wording.
 */
export async function hashDir(dir: string, prefix: string): Promise<string> {
  const files: HashedFile[] = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(d)).sort();
    } catch (err) {
      throw goPathError('open', d, err);
    }
    for (const name of names) {
      const file = nodePath.join(d, name);
      const st = await lstat(file).catch((err: unknown) => {
        throw goPathError('lstat', file, err);
      });
      const r = rel === '' ? name : `${rel}/${name}`;
      if (st.isDirectory()) await walk(file, r);
      else files.push({ name: `${prefix}/${r}`, sha256: await sha256Stream(openStream(file)) });
    }
  };
  const st = await lstat(dir).catch((err: unknown) => {
    throw goPathError('lstat', dir, err);
  });
  if (!st.isDirectory()) throw new GoError('ENOTADIR', `${dir} is not a directory`);
  await walk(dir, '');
  return hash1(files);
}

async function* openStream(file: string): AsyncIterable<Uint8Array> {
  try {
    yield* createReadStream(file) as AsyncIterable<Buffer>;
  } catch (err) {
    throw goPathError('open', file, err);
  }
}

/** An *fs.PathError's text: `<op> <path>: <errno text>`. */
export function goPathError(op: string, path: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const text = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'not a directory' : (err as Error).message;
  return Object.assign(new Error(`${op} ${path}: ${text}`), { code });
}
