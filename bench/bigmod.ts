// The huge go.mod benchmark (issue #11): a valid go.mod of 17 MiB (a require block, the rest comments,
// as a generated file can be) parsed by gomod-dl (parseGoMod strict + the `go mod edit -json` object)
// and by go (`go mod edit -json`), each in its own process under GNU time: wall time and peak RSS.
//
//   npm run build && npm run bench:bigmod -- [--rounds 3] [--size-mib 17]
//
// Speed is measured, never asserted. With `--parse FILE` this script is the gomod-dl side itself.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseGoMod, toEditJson } from '../src/modfile/index.js';

/** A valid go.mod of about `bytes` bytes: 5000 requirements, then comment lines, some not ASCII. */
function bigGoMod(bytes: number): string {
  const parts = ['module example.com/huge\n\ngo 1.21\n\nrequire (\n'];
  let n = parts[0]!.length;
  for (let i = 0; i < 5000; i++) {
    const line = `\texample.com/dep${i} v1.${i % 97}.${i % 13} // indirect\n`;
    parts.push(line);
    n += line.length;
  }
  parts.push(')\n');
  for (let i = 0; n < bytes; i++) {
    const line = i % 50 === 0
      ? `// commentaire généré n° ${i}: ünïcödé text to keep the lexer honest\n`
      : `// generated comment line ${i}: lorem ipsum dolor sit amet, consectetur adipiscing elit\n`;
    parts.push(line);
    n += Buffer.byteLength(line);
  }
  return parts.join('');
}

/** Runs `cmd args` under GNU time; returns wall and CPU (user + system) seconds and peak RSS in MiB. */
function timed(cmd: string, args: string[], cwd: string): { seconds: number; cpu: number; rssMiB: number } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '', GOENV: 'off' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  const [sec, user, sys, kb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number, number];
  return { seconds: sec, cpu: user + sys, rssMiB: kb / 1024 };
}

function parseOne(file: string): void {
  const f = parseGoMod(file, readFileSync(file), 'strict');
  process.stdout.write(JSON.stringify(toEditJson(f), null, '\t') + '\n');
}

function main(): void {
  const { values } = parseArgs({
    options: { rounds: { type: 'string', default: '3' }, 'size-mib': { type: 'string', default: '17' }, parse: { type: 'string' } },
  });
  if (values.parse !== undefined) return parseOne(values.parse);
  const dir = mkdtempSync(join(tmpdir(), 'bigmod-'));
  try {
    const file = join(dir, 'go.mod');
    writeFileSync(file, bigGoMod(Number(values['size-mib']) * (1 << 20)));
    const size = readFileSync(file).length;
    const goVersion = execFileSync('go', ['env', 'GOVERSION'], { env: { ...process.env, GOTOOLCHAIN: 'local' } }).toString().trim();
    console.log(`go.mod of ${(size / (1 << 20)).toFixed(1)} MiB; ${goVersion}; node ${process.versions.node}`);
    const self = new URL(import.meta.url).pathname;
    for (let round = 1; round <= Number(values.rounds); round++) {
      const go = timed('go', ['mod', 'edit', '-json'], dir);
      const ours = timed(process.execPath, [self, '--parse', file], dir);
      const show = (x: typeof go) => `${x.seconds.toFixed(2)} s (cpu ${x.cpu.toFixed(2)} s) ${x.rssMiB.toFixed(0)} MiB`;
      console.log(`round ${round}: go mod edit -json ${show(go)} | gomod-dl ${show(ours)} | ` +
        `ratio ${(ours.seconds / go.seconds).toFixed(2)}x wall, ${(ours.cpu / go.cpu).toFixed(2)}x cpu, ${(ours.rssMiB / go.rssMiB).toFixed(2)}x RSS`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
