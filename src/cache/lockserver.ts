/**
 * go's flock(2) taken by one helper process for the whole run: a small perl program that opens each
 * lock file and holds the flock on its own open file description, answering over a pipe.
 *
 * Why: src/cache/flock.ts's first design spawned a helper per lock (`flock -x 3` on a shared
 * descriptor). Spawning from a Node process with a large heap costs several milliseconds of CPU
 * (fork copies its page tables): on a cold caddy download (169 modules, ~340 locks) the spawns cost
 * about 4 s of CPU, a third of the run. One helper costs one spawn; a lock is then a line each way.
 *
 * Protocol (one line each, ids chosen by this side, paths hex-encoded so that any byte is safe):
 * - `L <id> <hexpath>`: lock, waiting if need be; `T <id> <hexpath>`: lock only if free;
 * - `U <id>`: release (or give up waiting);
 * - answers `K <id>` (held), `B <id>` (busy, for T), `E <id> <reason>`.
 * An uncontended lock is taken at once (LOCK_NB). A contended `L` forks a child that waits in
 * flock(2) on the shared descriptor (a flock belongs to the open file description, so the parent
 * holds it once the child has it) and exits; the helper answers when it reaps the child. The child
 * first closes its copies of the other lock files, or a lock released meanwhile would stay held.
 *
 * Invariants:
 * - The helper dies with gomod-dl, however gomod-dl dies: it exits on end of input, which the kernel
 *   delivers when gomod-dl's end of the pipe closes (SIGKILL included: the kernel closes the
 *   descriptors of a dead process), and its descriptors close with it, releasing every lock.
 * - It ignores SIGINT, SIGTERM and SIGHUP (Ctrl-C reaches the whole process group): the locks stay
 *   held while gomod-dl finishes its interrupt handling, and go only when gomod-dl does.
 * - The pipe keeps Node's event loop alive only while an answer is awaited.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/lockedfile/internal/filelock/filelock_unix.go
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { GoError } from '../internal/errors.js';

const SERVER = String.raw`
use strict; use warnings; use Fcntl qw(:flock O_RDWR O_CREAT); use POSIX qw(:sys_wait_h _exit);
$SIG{INT} = $SIG{TERM} = $SIG{HUP} = 'IGNORE'; $SIG{PIPE} = 'IGNORE'; $SIG{CHLD} = sub {};
$| = 1;
my (%fh, %waiter, %waiting);
sub done { my ($id) = @_; my $pid = delete $waiting{$id}; if (defined $pid) { delete $waiter{$pid}; kill 'KILL', $pid; } close(delete $fh{$id}) if $fh{$id}; }
sub request {
  my ($op, $id, $hex) = split / /, $_[0];
  if ($op eq 'U') { done($id); return; }
  my $path = pack('H*', $hex // '');
  sysopen(my $f, $path, O_RDWR | O_CREAT, 0666) or do { print "E $id open: $!\n"; return; };
  if (flock($f, LOCK_EX | LOCK_NB)) { $fh{$id} = $f; print "K $id\n"; return; }
  if ($op eq 'T') { close $f; print "B $id\n"; return; }
  my $pid = fork();
  if (!defined $pid) { close $f; print "E $id fork: $!\n"; return; }
  if ($pid == 0) { close $_ for values %fh; _exit(flock($f, LOCK_EX) ? 0 : 1); }
  $fh{$id} = $f; $waiter{$pid} = $id; $waiting{$id} = $pid;
}
my $buf = '';
while (1) {
  while ((my $pid = waitpid(-1, WNOHANG)) > 0) {
    my $id = delete $waiter{$pid}; next unless defined $id; delete $waiting{$id};
    if ($? == 0) { print "K $id\n"; } else { close(delete $fh{$id}); print "E $id flock failed\n"; }
  }
  my $rin = ''; vec($rin, fileno(STDIN), 1) = 1;
  my $n = select(my $rout = $rin, undef, undef, %waiter ? 0.05 : undef);
  next if $n <= 0;
  my $got = sysread(STDIN, $buf, 65536, length $buf);
  if (!$got) { kill 'KILL', keys %waiter; exit 0; }
  while ((my $i = index($buf, "\n")) >= 0) { request(substr($buf, 0, $i)); $buf = substr($buf, $i + 1); }
}
`;

type Reply = { kind: 'K' | 'B' } | { kind: 'E'; reason: string };

/** One perl helper holding this run's flocks (see the file comment). */
export class LockServer {
  #child: ChildProcessByStdio<Writable, Readable, null> | undefined;
  #failed: Error | undefined;
  readonly #pending = new Map<number, (r: Reply) => void>();
  #next = 1;
  #buf = '';
  /** Lines not yet written to the helper (see {@link #send}). */
  #out = '';

  constructor(private readonly perl: string) {}

  /**
   * Locks `file` (which the caller has created), waiting unless `tryOnly`. Resolves to the release
   * function, or undefined when `tryOnly` and the lock is held elsewhere.
   */
  async lock(file: string, tryOnly: boolean, signal?: AbortSignal): Promise<(() => void) | undefined> {
    const id = this.#next++;
    const answer = new Promise<Reply>((resolve) => this.#pending.set(id, resolve));
    try {
      this.#send(`${tryOnly ? 'T' : 'L'} ${id} ${Buffer.from(file).toString('hex')}`);
    } catch (err) {
      this.#pending.delete(id);
      throw err;
    }
    const onAbort = (): void => this.#settle(id, { kind: 'E', reason: 'aborted' });
    signal?.addEventListener('abort', onAbort, { once: true });
    let r: Reply;
    try {
      r = await answer;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (signal?.aborted) {
      this.#unlock(id); // gives up waiting, or releases a lock granted meanwhile
      throw signal.reason;
    }
    if (r.kind === 'B') return undefined;
    if (r.kind === 'E') throw new GoError('ELOCK', `perl: could not lock ${file}: ${r.reason}`);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#unlock(id);
    };
  }

  /**
   * Starts the helper now rather than at the first lock. perl takes 20-30 ms to start, which a cold
   * run otherwise spends waiting at its first write (the work directory's lock, then the first
   * `.mod`'s list), with the module graph's walk stalled behind it.
   */
  prepare(): void {
    if (this.#failed !== undefined || this.#child !== undefined) return;
    this.#child = this.#start();
    this.#refWhileWaiting();
  }

  /** Releases lock `id`; a helper that is gone has released it already (its descriptors closed). */
  #unlock(id: number): void {
    if (this.#failed === undefined) this.#send(`U ${id}`);
  }

  #send(line: string): void {
    if (this.#failed !== undefined) throw this.#failed;
    this.#child ??= this.#start();
    // The lines of one turn of the event loop go in one write: each write wakes the helper, 70-90 us
    // of this thread's time on this VM (strace -T), and a cold gin run sends 174 lines.
    if (this.#out === '') process.nextTick(() => this.#flush());
    this.#out += line + '\n';
    this.#refWhileWaiting();
  }

  #flush(): void {
    const out = this.#out;
    this.#out = '';
    if (this.#failed === undefined) this.#child!.stdin.write(out);
  }

  #start(): ChildProcessByStdio<Writable, Readable, null> {
    const child = spawn(this.perl, ['-e', SERVER], { stdio: ['pipe', 'pipe', 'ignore'] });
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk: string) => this.#read(chunk));
    const fail = (why: string): void => {
      this.#failed ??= new GoError('ELOCK', `perl lock helper ${why}`);
      for (const id of [...this.#pending.keys()]) this.#settle(id, { kind: 'E', reason: why });
    };
    child.once('error', (e) => fail(`failed: ${e.message}`));
    // 'close': the process has exited and its output is drained (every answer it gave is read).
    child.once('close', (code, sig) => fail(`exited (${sig ?? `status ${code}`})`));
    child.stdin.on('error', () => undefined); // reported through 'exit'
    child.unref();
    return child;
  }

  #read(chunk: string): void {
    this.#buf += chunk;
    let i: number;
    while ((i = this.#buf.indexOf('\n')) >= 0) {
      const line = this.#buf.slice(0, i);
      this.#buf = this.#buf.slice(i + 1);
      const [kind, idText, ...rest] = line.split(' ');
      const id = Number(idText);
      if (kind === 'K' || kind === 'B') this.#settle(id, { kind });
      else if (kind === 'E') this.#settle(id, { kind: 'E', reason: rest.join(' ') });
    }
  }

  #settle(id: number, r: Reply): void {
    const resolve = this.#pending.get(id);
    if (resolve === undefined) return;
    this.#pending.delete(id);
    resolve(r);
    this.#refWhileWaiting();
  }

  /**
   * The helper keeps this process alive only while an answer is awaited: then its process and output
   * are referenced, so that its answer, or its exit, is seen; otherwise neither holds the event loop.
   */
  #refWhileWaiting(): void {
    const child = this.#child;
    if (child === undefined) return;
    const out = child.stdout as Readable & { ref?: () => void; unref?: () => void };
    (child.stdin as Writable & { unref?: () => void }).unref?.();
    if (this.#pending.size > 0) {
      child.ref();
      out.ref?.();
    } else {
      child.unref();
      out.unref?.();
    }
  }
}
