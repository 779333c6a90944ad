/**
 * A small helper process that starts git commands for the main process.
 *
 * Starting a process from the main gomod-dl process costs a fork of a large address space (undici,
 * worker threads): tens of milliseconds of blocked event loop per git command on a loaded machine,
 * which made a direct-mode run several times slower than go. This helper is forked once (it has a
 * tiny heap and no threads), receives requests over IPC and runs them; the main thread only exchanges
 * messages. It exits when its parent goes away.
 *
 * Protocol (advanced serialization): request `{ id, args, cwd, env, stdin? }`, reply `{ id, code,
 * signal, stdout, stderr, error? }` with `error` set when the program could not be started.
 */
import { spawn } from 'node:child_process';

interface Request {
  id: number;
  args: string[];
  cwd: string | undefined;
  env: Record<string, string>;
  stdin?: Uint8Array;
}

function serve(): void {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: Request) => {
    const child = spawn(m.args[0]!, m.args.slice(1), {
      cwd: m.cwd, env: m.env, stdio: [m.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    if (m.stdin !== undefined) child.stdin!.end(Buffer.from(m.stdin));
    let failed: NodeJS.ErrnoException | undefined;
    child.on('error', (e: NodeJS.ErrnoException) => (failed = e));
    child.on('close', (code, signal) => {
      process.send!({
        id: m.id, code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err),
        ...(failed !== undefined ? { error: { code: failed.code, message: failed.message } } : {}),
      });
    });
  });
}

if (process.send !== undefined && process.argv[2] === '--gomod-dl-spawner') serve();
