// The concurrency and crash matrix's shared fixture: a few synthetic modules of a few MB on a local
// GOPROXY with added per-chunk latency (to widen every window), go and gomod-dl run as real child
// processes on one GOMODCACHE, and the one check every scenario ends with (ARCHITECTURE.md, "Publish
// protocol"): the cache equals a reference filled by go alone (names, bytes, modes; lock files aside)
// and `GOPROXY=off go mod verify` passes.
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigModule, buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy, type ProxyServer } from '../support/proxy-server.js';
import { freshGoRoot, hermeticGoEnv, parseJsonStream, requireGo } from '../support/gorun.js';
import { assertSameTree, cacheIgnore, rmrf, snapshotTree } from '../support/tree.js';

/** The gomod-dl command as users run it. */
export const BIN = fileURLToPath(new URL('../../../bin/gomod-dl.js', import.meta.url));

export type Tool = 'go' | 'gomod-dl';

/** A child run of go or gomod-dl. */
export interface Running {
  tool: Tool;
  child: ChildProcess;
  done: Promise<{ tool: Tool; code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** The shared fixture of one test file. */
export interface Fixture {
  proxy: ProxyServer;
  /** `path@version` arguments of every run. */
  args: string[];
  /** A scratch root (removed by {@link Fixture.close}). */
  dir: string;
  /** The cache go fills alone, per -modcacherw. */
  reference(rw: boolean): Promise<string>;
  /** A fresh empty GOMODCACHE path inside {@link dir}. */
  freshCache(): string;
  /** Starts `tool` on `cache` (cwd: an empty directory, so no go.mod / go.sum is involved). */
  start(tool: Tool, cache: string, rw: boolean, extraArgs?: string[], extraEnv?: Record<string, string>): Running;
  /** Runs `tool` to completion and asserts it exited 0. */
  runOk(tool: Tool, cache: string, rw: boolean): Promise<string>;
  /** The final check: same tree as the reference, no leftovers, `go mod verify` passes offline. */
  check(cache: string, rw: boolean, opts?: { ignore?: (rel: string) => boolean; verify?: boolean; writableDirsOk?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link makeFixture}. */
export interface FixtureOptions {
  /** Big modules (default 3) of `size` bytes of content each (default 1.5 MB). */
  big?: number;
  size?: number;
  /** Delay before each 64 KiB chunk of a zip (default 4 ms). */
  chunkDelayMs?: number;
}

/** mulberry32: a small seeded PRNG for kill instants and offsets. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `cp -a`: a copy of a cache with its modes (read-only trees included); nothing when it does not exist yet. */
export function copyCache(from: string, to: string): void {
  if (existsSync(from)) execFileSync('cp', ['-a', from, to]);
}

/** Builds the modules, starts the proxy. */
export async function makeFixture(opts: FixtureOptions = {}): Promise<Fixture> {
  requireGo();
  const dir = mkdtempSync(join(tmpdir(), 'gomod-dl-conc-'));
  const store = new ModuleStore();
  const args: string[] = [];
  for (let i = 0; i < (opts.big ?? 3); i++) {
    const path = `example.com/big${i}`;
    store.add(await bigModule(path, 'v1.0.0', opts.size ?? 1_500_000, { dir }));
    args.push(`${path}@v1.0.0`);
  }
  // Three versions of one path: every writer rewrites the same @v/list.
  for (const v of ['v1.0.0', 'v1.1.0', 'v1.2.0']) {
    const files: Record<string, string> = {};
    for (let k = 0; k < 40; k++) files[`pkg${k}/f.go`] = `package pkg${k}\n\nconst V = "${v}"\n`;
    store.add(await buildModule({ path: 'example.com/multi', version: v, files }));
    args.push(`example.com/multi@${v}`);
  }
  const proxy = await startProxy(store, { faults: [{ url: /\.zip$/, chunkDelayMs: opts.chunkDelayMs ?? 4, chunkSize: 64 << 10 }] });
  const roots: string[] = [];
  let n = 0;
  const env = (cache: string, rw: boolean, extra: Record<string, string> = {}): Record<string, string> => {
    const root = freshGoRoot();
    roots.push(root);
    return hermeticGoEnv(root, { proxy: proxy.url, gomodcache: cache, env: { GOFLAGS: rw ? '-modcacherw' : '', ...extra } });
  };
  const empty = join(dir, 'cwd');
  mkdirSync(empty);

  const start = (tool: Tool, cache: string, rw: boolean, extraArgs: string[] = [], extraEnv: Record<string, string> = {}): Running => {
    const e = { ...env(cache, rw), ...extraEnv };
    const child =
      tool === 'go'
        ? spawn('go', ['mod', 'download', ...extraArgs, ...args], { cwd: empty, env: e, stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn(process.execPath, [BIN, ...extraArgs, ...args], { cwd: empty, env: e, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr!.on('data', (d: Buffer) => void (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => void (stdout += d.toString()));
    const done = new Promise<{ tool: Tool; code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ tool, code, signal, stderr: stderr + stdout }));
    });
    return { tool, child, done };
  };

  const refs = new Map<boolean, Promise<{ cache: string; sums: string }>>();
  const reference = (rw: boolean): Promise<{ cache: string; sums: string }> => {
    let r = refs.get(rw);
    if (r === undefined) {
      r = (async () => {
        const cache = join(dir, `reference-${rw ? 'rw' : 'ro'}`);
        const run = start('go', cache, rw, ['-json']);
        const child = run.child;
        let out = '';
        child.stdout!.on('data', (d: Buffer) => void (out += d.toString()));
        const res = await run.done;
        assert.equal(res.code, 0, `go alone: ${res.stderr}`);
        const sums = parseJsonStream<{ Path: string; Version: string; Sum: string; GoModSum: string }>(out)
          .map((m) => `${m.Path} ${m.Version} ${m.Sum}\n${m.Path} ${m.Version}/go.mod ${m.GoModSum}\n`)
          .join('');
        return { cache, sums };
      })();
      refs.set(rw, r);
    }
    return r;
  };

  // go mod verify checks the build list: every big module and multi's highest version.
  let verifies = 0;
  const verify = async (cache: string, rw: boolean): Promise<void> => {
    const { sums } = await reference(rw);
    const verifyDir = join(dir, `verify${verifies++}`);
    mkdirSync(verifyDir, { recursive: true });
    const req = args.filter((a) => !a.startsWith('example.com/multi@') || a.endsWith('v1.2.0')).map((a) => `\t${a.replace('@', ' ')}\n`);
    writeFileSync(join(verifyDir, 'go.mod'), `module verify.test\n\ngo 1.21\n\nrequire (\n${req.join('')})\n`);
    writeFileSync(join(verifyDir, 'go.sum'), sums);
    const e = env(cache, rw, { GOPROXY: 'off', GOFLAGS: rw ? '-modcacherw -mod=mod' : '-mod=mod' });
    const out = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
      const c = spawn('go', ['mod', 'verify'], { cwd: verifyDir, env: e, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      c.stdout.on('data', (d: Buffer) => void (text += d.toString()));
      c.stderr.on('data', (d: Buffer) => void (text += d.toString()));
      c.once('error', reject);
      c.once('close', (code) => resolve({ code, text }));
    });
    assert.equal(out.code, 0, `GOPROXY=off go mod verify on ${cache}: ${out.text}`);
  };

  return {
    proxy,
    args,
    dir,
    reference: async (rw) => (await reference(rw)).cache,
    freshCache: () => join(dir, `cache${n++}`),
    start,
    runOk: async (tool, cache, rw) => {
      const r = await start(tool, cache, rw).done;
      assert.equal(r.code, 0, `${tool} on ${cache}: exit ${r.code} ${r.signal ?? ''}\n${r.stderr}`);
      return r.stderr;
    },
    check: async (cache, rw, opts = {}) => {
      const ref = (await reference(rw)).cache;
      const ignore = cacheIgnore(opts.ignore !== undefined ? { ignore: opts.ignore } : {});
      if (opts.writableDirsOk) {
        // Everything but directory modes must match; a directory may be left writable (see killGo).
        await assertSameTree(cache, ref, { modes: false, ...(opts.ignore !== undefined ? { ignore: opts.ignore } : {}) });
        const [a, b] = await Promise.all([snapshotTree(cache, { ignore }), snapshotTree(ref, { ignore })]);
        const refModes = new Map(b.map((e) => [e.path, e]));
        for (const e of a) {
          const r = refModes.get(e.path)!;
          if (e.mode === r.mode) continue;
          assert.ok(e.type === 'dir' && (e.mode & ~0o222) === r.mode, `${e.path}: mode ${e.mode.toString(8)}, expected ${r.mode.toString(8)}`);
        }
      } else {
        await assertSameTree(cache, ref, opts.ignore !== undefined ? { ignore: opts.ignore } : {});
      }
      if (opts.verify !== false) await verify(cache, rw);
    },
    close: async () => {
      await proxy.close();
      for (const r of roots) await rmrf(r);
      await rmrf(dir);
    },
  };
}
