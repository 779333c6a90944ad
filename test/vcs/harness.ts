// Oracle comparison for direct mode: the same command, environment and git host for go and gomod-dl,
// then exit status, stderr, -json, every cache file (but the .zip bytes), zip listings, the repository
// cache's .info files and refs, and go.mod/go.sum of a main module compared.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { parseJsonStream, runGo, type GoResult } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { snapshotTree, diffTrees, cacheIgnore } from '../support/tree.js';
import { tempDir } from '../support/tmp.js';
import { zipEntries } from '../support/zipinfo.js';
import type { GitServer } from '../support/git-server.js';
import { GIT_CREDENTIALS_HINT } from '../../src/vcs/index.js';

export interface CompareOptions {
  /** Extra environment (over the git server's). */
  env?: Record<string, string | undefined>;
  /** A main module's files: each tool runs in its own copy; go.mod/go.sum are compared after. */
  mainModule?: string;
  /** Reuse these caches (one per tool). */
  gomodcache?: { go: string; ours: string };
  /** Also check that `GOPROXY=off go mod verify` accepts gomod-dl's cache (needs a main module). */
  verify?: boolean;
}

export interface Compared {
  go: GoResult;
  ours: GoResult;
  goCwd: string;
  ourCwd: string;
}

/** Our output minus gomod-dl's credentials hint (its one intended addition to go's text). */
function dropHint(text: string): string {
  return text.replaceAll('\n' + GIT_CREDENTIALS_HINT, '');
}

function normalize(text: string, r: GoResult, cwd: string): string {
  return text.split(r.gomodcache).join('$GOMODCACHE').split(cwd).join('$WORK').split(r.root).join('$ROOT');
}

/** Runs `go mod download <args>` and gomod-dl with the same arguments and compares everything. */
export async function compareDownload(t: TestContext, host: GitServer, args: string[], o: CompareOptions = {}): Promise<Compared> {
  const env = host.env(o.env);
  const goCwd = tempDir(t, 'go-cwd');
  const ourCwd = tempDir(t, 'our-cwd');
  if (o.mainModule !== undefined) {
    cpSync(o.mainModule, goCwd, { recursive: true });
    cpSync(o.mainModule, ourCwd, { recursive: true });
  }
  const t0 = performance.now();
  const go = await runGo(['mod', 'download', ...args], { t, cwd: goCwd, env, ...(o.gomodcache ? { gomodcache: o.gomodcache.go } : {}) });
  const t1 = performance.now();
  const ours = await runGomodDl(args, { t, cwd: ourCwd, env, ...(o.gomodcache ? { gomodcache: o.gomodcache.ours } : {}) });
  if (process.env['VCS_TEST_TIMES'] !== undefined) console.log(`go ${(t1 - t0).toFixed(0)} ms, gomod-dl ${(performance.now() - t1).toFixed(0)} ms: ${args.join(' ')}`);
  const goErr = normalize(go.stderr, go, goCwd);
  const ourErr = normalize(dropHint(ours.stderr).replaceAll('gomod-dl: ', 'go: '), ours, ourCwd);
  assert.equal(ourErr, goErr, `stderr differs for ${args.join(' ')}`);
  assert.equal(ours.code, go.code, `exit status differs for ${args.join(' ')}: ${ours.stderr}${ours.stdout}\n--- go:\n${go.stderr}${go.stdout}`);
  if (args.includes('-json')) {
    const a = parseJsonStream(normalize(ours.stdout, ours, ourCwd));
    for (const m of a) if (typeof m['Error'] === 'string') m['Error'] = dropHint(m['Error']);
    const b = parseJsonStream(normalize(go.stdout, go, goCwd));
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      assert.deepEqual(a[i], b[i], `-json object ${i} (${String(b[i]?.['Path'])}@${String(b[i]?.['Query'] ?? b[i]?.['Version'])})`);
    }
  } else {
    assert.equal(dropHint(ours.stdout), go.stdout);
  }
  await assertSameCache(ours.gomodcache, go.gomodcache);
  if (o.mainModule !== undefined) {
    for (const f of ['go.mod', 'go.sum']) {
      const a = join(ourCwd, f);
      const b = join(goCwd, f);
      assert.equal(existsSync(a) ? readFileSync(a, 'utf8') : undefined, existsSync(b) ? readFileSync(b, 'utf8') : undefined, `${f} after the run`);
    }
    if (o.verify === true && go.code === 0) {
      const v = await runGo(['mod', 'verify'], { t, cwd: ourCwd, gomodcache: ours.gomodcache, env: { ...env, GOPROXY: 'off', GOFLAGS: '-mod=mod' } });
      assert.equal(v.code, 0, `go mod verify on gomod-dl's cache: ${v.stderr}`);
      assert.equal(v.stdout, 'all modules verified\n');
    }
  }
  return { go, ours, goCwd, ourCwd };
}

/**
 * Compares two module caches: every file (names, bytes, modes) except the .zip bytes, whose listings
 * (names, order, sizes, CRC-32) are compared instead; in cache/vcs, the .info files and each
 * repository's refs (the git object store itself is git's business).
 */
export async function assertSameCache(ours: string, goCache: string): Promise<void> {
  // Known difference outside direct mode: go creates an empty GOMODCACHE on its first cache read
  // (modfetch checkCacheDir) even when every module then fails; gomod-dl creates it when it writes.
  const emptyDir = (d: string) => existsSync(d) && listFiles(d).length === 0;
  if (!existsSync(ours) && emptyDir(goCache)) return;
  assert.equal(existsSync(ours), existsSync(goCache), `GOMODCACHE exists after gomod-dl: ${existsSync(ours)}, after go: ${existsSync(goCache)}`);
  if (!existsSync(goCache)) return;
  const base = cacheIgnore();
  const ignore = (rel: string) => base(rel) || rel.endsWith('.zip') && rel.startsWith('cache/download/') || /^cache\/vcs\/[0-9a-f]{64}\//.test(rel);
  const [a, b] = await Promise.all([snapshotTree(ours, { ignore }), snapshotTree(goCache, { ignore })]);
  const diffs = diffTrees(a, b, { max: 20 });
  if (diffs.length > 0) assert.fail(`caches differ\n  ours: ${ours}\n  go:   ${goCache}\n  ${diffs.join('\n  ')}`);
  const zips = (dir: string) => listFiles(join(dir, 'cache', 'download')).filter((f) => f.endsWith('.zip'));
  assert.deepEqual(zips(ours), zips(goCache), '.zip files');
  for (const z of zips(goCache)) {
    const strip = (e: Awaited<ReturnType<typeof zipEntries>>) => e.map(({ name, size, crc32 }) => ({ name, size, crc32 }));
    assert.deepEqual(strip(await zipEntries(join(ours, 'cache', 'download', z))), strip(await zipEntries(join(goCache, 'cache', 'download', z))), `listing of ${z}`);
    assert.deepEqual(zipSkeleton(readFileSync(join(ours, 'cache', 'download', z))), zipSkeleton(readFileSync(join(goCache, 'cache', 'download', z))), `layout of ${z}`);
  }
  assert.deepEqual(vcsRefs(ours), vcsRefs(goCache), 'repository cache (cache/vcs)');
}

/**
 * A zip's bytes without its deflate streams: every local header, data descriptor, central directory
 * header and the end record, in hex, with the compressed sizes and offsets (which follow from the
 * deflate streams) zeroed. Two zips with equal skeletons differ only in how they deflated.
 */
export function zipSkeleton(zip: Buffer): string[] {
  const hex = (b: Buffer, zero: Array<[number, number]>): string => {
    const c = Buffer.from(b);
    for (const [at, n] of zero) c.fill(0, at, at + n);
    return c.toString('hex');
  };
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const end = at + 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const csize = zip.readUInt32LE(at + 20);
    const local = zip.readUInt32LE(at + 42);
    out.push('central ' + hex(zip.subarray(at, end), [[20, 4], [42, 4]]));
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    out.push('local ' + hex(zip.subarray(local, data), [[18, 4]]));
    if ((zip.readUInt16LE(local + 6) & 0x8) !== 0) {
      const dd = data + csize;
      const signed = zip.readUInt32LE(dd) === 0x08074b50;
      out.push('descriptor ' + hex(zip.subarray(dd, dd + (signed ? 16 : 12)), [[signed ? 8 : 4, 4]]));
    }
    at = end;
  }
  out.push('end ' + hex(zip.subarray(eocd), [[16, 4]]));
  return out;
}

function listFiles(dir: string, rel = ''): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else out.push(r);
  }
  return out;
}

/** For each repository in cache/vcs: its .info and its tags and branches. */
function vcsRefs(cache: string): Record<string, { info: string; refs: string }> {
  const vcs = join(cache, 'cache', 'vcs');
  const out: Record<string, { info: string; refs: string }> = {};
  if (!existsSync(vcs)) return out;
  for (const name of readdirSync(vcs)) {
    if (!/^[0-9a-f]{64}$/.test(name)) continue;
    const dir = join(vcs, name);
    const refs = execFileSync('git', ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/tags', 'refs/heads'], { env: { PATH: process.env['PATH'] ?? '', GIT_DIR: dir } }).toString();
    out[name] = { info: readFileSync(dir + '.info', 'utf8'), refs };
  }
  return out;
}
