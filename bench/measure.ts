// Runs a child process and measures it: wall time from this process's monotonic clock, CPU time
// (user + sys) and peak RSS from GNU time (/usr/bin/time -f), which reads them from the rusage that
// wait4 returns for its child (descendants that child waited for included).
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** GNU time, not the shell keyword: it alone reports peak RSS. */
export const GNU_TIME = '/usr/bin/time';

/** One measured run. */
export interface Measured {
  code: number;
  wallMs: number;
  /** User + system CPU time. */
  cpuMs: number;
  /** Peak resident set size, KiB (GNU time's %M). */
  rssKiB: number;
  stdout: string;
  stderr: string;
}

let seq = 0;

/**
 * Runs `cmd args` under GNU time and resolves with its exit code, output and measurements; never
 * rejects for a non-zero exit. The wall time includes GNU time's own fork and exec, the same for every
 * command measured.
 */
export async function runMeasured(cmd: string, args: readonly string[], opts: { cwd: string; env: Record<string, string> }): Promise<Measured> {
  const out = join(tmpdir(), `gomod-dl-bench-time-${process.pid}-${seq++}.txt`);
  const child = spawn(GNU_TIME, ['-f', '%U %S %M', '-o', out, '--', cmd, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const t0 = performance.now();
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, signal) => resolve(c ?? (signal ? 128 : 1)));
  });
  const wallMs = performance.now() - t0;
  // On a non-zero exit GNU time writes "Command exited with non-zero status N" first: take the last line.
  const text = await readFile(out, 'utf8');
  await rm(out, { force: true });
  const last = text.trim().split('\n').pop() ?? '';
  const m = /^(\d+\.\d+) (\d+\.\d+) (\d+)$/.exec(last);
  if (!m) throw new Error(`runMeasured: cannot parse ${GNU_TIME} output for ${cmd}: ${JSON.stringify(text)}`);
  return { code, wallMs, cpuMs: (Number(m[1]) + Number(m[2])) * 1000, rssKiB: Number(m[3]), stdout, stderr };
}
