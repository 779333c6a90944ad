/**
 * Snapshots of directory trees (a module cache written by go vs one written by gomod-dl) and the
 * differences between two of them, for the compat tools. File bytes are reduced to a SHA-256 as
 * they are read, so a snapshot of a multi-gigabyte cache stays small.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';

/** One node below the snapshot's root; `path` is relative and slash-separated. */
export interface TreeNode {
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  /** Permission bits (mode & 0o7777). */
  mode: number;
  /** Bytes of a file, 0 otherwise. */
  size: number;
  /** Hex SHA-256 of a file's bytes or a symlink's target, '' otherwise. */
  sha256: string;
}

/** A snapshot: nodes by relative path. */
export type TreeSnapshot = Map<string, TreeNode>;

/** Files at most this big are read whole; larger ones are streamed through the hash. */
const WHOLE_READ_MAX = 1 << 20;

async function hashFile(abs: string, size: number): Promise<string> {
  const h = createHash('sha256');
  if (size <= WHOLE_READ_MAX) return h.update(await readFile(abs)).digest('hex');
  for await (const chunk of createReadStream(abs, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Snapshots every node below `dir` (not `dir` itself). `ignore` leaves out a relative path and,
 * for a directory, everything below it. A missing `dir` gives an empty snapshot. Mtimes are not
 * recorded: go does not preserve them either.
 * @see ../shared/reference/go-mod-download.md §1.2 (cache files and modes)
 */
export async function snapshotTree(dir: string, ignore: (rel: string) => boolean = () => false): Promise<TreeSnapshot> {
  const out: TreeSnapshot = new Map();
  // Bounded: a large cache has tens of thousands of files, and unbounded fan-out exhausts fds.
  const limit = pLimit(32);
  async function node(abs: string, rel: string): Promise<void> {
    const st = await lstat(abs);
    const mode = st.mode & 0o7777;
    if (st.isDirectory()) {
      out.set(rel, { path: rel, type: 'dir', mode, size: 0, sha256: '' });
      await walk(abs, rel);
    } else if (st.isFile()) {
      out.set(rel, { path: rel, type: 'file', mode, size: st.size, sha256: await limit(() => hashFile(abs, st.size)) });
    } else if (st.isSymbolicLink()) {
      const target = await readlink(abs);
      out.set(rel, { path: rel, type: 'symlink', mode, size: 0, sha256: createHash('sha256').update(target).digest('hex') });
    } else {
      out.set(rel, { path: rel, type: 'other', mode, size: 0, sha256: '' });
    }
  }
  async function walk(abs: string, rel: string): Promise<void> {
    const names = await limit(() => readdir(abs));
    await Promise.all(
      names.map((name) => {
        const r = rel === '' ? name : `${rel}/${name}`;
        return ignore(r) ? undefined : node(join(abs, name), r);
      }),
    );
  }
  try {
    await walk(dir, '');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || out.size > 0) throw e;
  }
  return out;
}

/**
 * The module-cache by-products a comparison leaves out: `*.lock` and `cache/lock` (go's flock
 * files, which go recreates on demand and gomod-dl does not need) and `cache/download/sumdb/**`
 * (go's lookup and tile cache, an optimisation).
 * @see ../shared/reference/go-mod-download.md §1.2–1.3
 */
export function cacheIgnore(rel: string): boolean {
  return rel === 'cache/lock' || rel.endsWith('.lock') || rel === 'cache/download/sumdb' || rel.startsWith('cache/download/sumdb/');
}

const oct = (m: number): string => '0' + m.toString(8).padStart(3, '0');

const byBytes = (x: string, y: string): number => Buffer.compare(Buffer.from(x), Buffer.from(y));

/**
 * The differences between go's snapshot and gomod-dl's, one line each in bytewise path order
 * (`only in go: p`, `only in gomod-dl: p`, `type differs: …`, `mode differs: …`,
 * `content differs: …`); empty when the trees are the same. A directory only one side has is one
 * line, with the number of nodes below it.
 */
export function diffSnapshots(go: TreeSnapshot, ours: TreeSnapshot): string[] {
  const out: string[] = [];
  // Directories only one side has, with the index of their line in `out` and their node count.
  const lone = new Map<string, { line: number; below: number }>();
  const loneAncestor = (p: string): { line: number; below: number } | undefined => {
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
      const hit = lone.get(p.slice(0, i));
      if (hit !== undefined) return hit;
    }
    return undefined;
  };
  const paths = [...new Set([...go.keys(), ...ours.keys()])].sort(byBytes);
  for (const p of paths) {
    const a = go.get(p);
    const b = ours.get(p);
    if (a === undefined || b === undefined) {
      const anc = loneAncestor(p);
      if (anc !== undefined) {
        anc.below++;
        continue;
      }
      const [who, n] = a === undefined ? ['gomod-dl', b!] : ['go', a];
      if (n.type === 'dir') lone.set(p, { line: out.length, below: 0 });
      out.push(`only in ${who}: ${p}${n.type === 'file' ? '' : ` (${n.type})`}`);
    } else if (a.type !== b.type) out.push(`type differs: ${p}: go ${a.type}, gomod-dl ${b.type}`);
    else if (a.mode !== b.mode) out.push(`mode differs: ${p}: go ${oct(a.mode)}, gomod-dl ${oct(b.mode)}`);
    else if (a.size !== b.size || a.sha256 !== b.sha256) {
      out.push(a.size === b.size ? `content differs: ${p} (both ${a.size} bytes)` : `content differs: ${p} (go ${a.size} bytes, gomod-dl ${b.size})`);
    }
  }
  for (const { line, below } of lone.values()) if (below > 0) out[line] = out[line]!.replace(/ \(dir\)$/, ` (dir, ${below} nodes below)`);
  return out;
}

/** How many `.zip` files a snapshot of a module cache holds under cache/download. */
export function countZips(snap: TreeSnapshot): number {
  let n = 0;
  for (const p of snap.keys()) if (p.startsWith('cache/download/') && p.endsWith('.zip')) n++;
  return n;
}
